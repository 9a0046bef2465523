import { loadPython, parsePython, type Node } from '@remodel/python';
import { dunderAllLike, listAppend, removalRanges } from './text.js';

beforeAll(loadPython);

/** `text` without the removal ranges of the lines holding each of `lines` (whole lines, as symbol ranges are). */
function removeLines(text: string, lines: string[], atTopNothingFollows = true): string {
  const ranges = lines.map((l) => {
    const start = text.indexOf(`${l}\n`);
    if (start === -1) throw new Error(`no line ${l}`);
    return { start, end: start + l.length + 1 };
  });
  let out = text;
  for (const [s, e] of removalRanges(text, ranges, atTopNothingFollows).reverse()) out = out.slice(0, s) + out.slice(e);
  return out;
}

describe('removalRanges', () => {
  it('leaves the larger gap: two blank lines before, one after -> two', () => {
    const text = 'import os\n\n\nT = 1\nA = 2\n\n# comment\nB = os.sep\n';
    expect(removeLines(text, ['T = 1', 'A = 2'])).toBe('import os\n\n\n# comment\nB = os.sep\n');
  });

  it('leaves the larger gap: one blank line before, two after -> two', () => {
    const text = 'import os\n\nT = 1\n\n\ndef f():\n    pass\n';
    expect(removeLines(text, ['T = 1'])).toBe('import os\n\n\ndef f():\n    pass\n');
  });

  it('keeps a gap that had blank lines on one side only', () => {
    expect(removeLines('X = 1\n\n\nT = 1\nY = 2\n', ['T = 1'])).toBe('X = 1\n\n\nY = 2\n');
    expect(removeLines('X = 1\nT = 1\n\n\nY = 2\n', ['T = 1'])).toBe('X = 1\n\n\nY = 2\n');
    expect(removeLines('X = 1\nT = 1\nY = 2\n', ['T = 1'])).toBe('X = 1\nY = 2\n');
  });

  it('treats ranges separated by blank lines as one run, deleting the blank lines between them', () => {
    const text = 'X = 1\n\n\nA = 1\n\n\n\nB = 2\n\nY = 2\n';
    expect(removeLines(text, ['A = 1', 'B = 2'])).toBe('X = 1\n\n\nY = 2\n');
    const a = text.indexOf('A = 1');
    const b = text.indexOf('B = 2');
    expect(removalRanges(text, [{ start: a, end: a + 6 }, { start: b, end: b + 6 }])).toEqual([[a, b + 7]]);
  });

  it('keeps separate runs apart when code stays between them', () => {
    const text = 'A = 1\n\nK = 0\n\n\nB = 2\n\nY = 2\n';
    expect(removeLines(text, ['A = 1', 'B = 2'])).toBe('K = 0\n\n\nY = 2\n');
  });

  it('does not leave blank lines at the end of the file', () => {
    expect(removeLines('X = 1\n\n\nT = 1\n', ['T = 1'])).toBe('X = 1\n');
  });

  it('at the top of the file takes the blank lines after only when nothing is inserted there', () => {
    expect(removeLines('T = 1\n\n\nX = 1\n', ['T = 1'])).toBe('X = 1\n');
    expect(removeLines('T = 1\n\n\nX = 1\n', ['T = 1'], false)).toBe('\n\nX = 1\n');
  });

  it('keeps the larger gap inside a block too (indented lines)', () => {
    const text = 'def f():\n    a = 1\n\n    b = 2\n    return a\n';
    expect(removeLines(text, ['    b = 2'])).toBe('def f():\n    a = 1\n\n    return a\n');
  });
});

/** The list or tuple literal of the first `__all__` assignment of `source`. */
function allLiteral(source: string): Node {
  const stmt = parsePython(source).rootNode.namedChildren[0]!;
  return stmt.firstNamedChild!.childForFieldName('right')!;
}

describe('dunderAllLike (a new `__all__` in the style of an existing one)', () => {
  it('a one-line list', () => {
    const src = '__all__ = ["a", "b"]\n';
    expect(dunderAllLike(src, allLiteral(src), ['x', 'y'])).toBe('__all__ = ["x", "y"]\n');
  });

  it('a multi-line tuple with a trailing comma, its indentation and quotes', () => {
    const src = "__all__ = (\n  'a',\n  'b',\n)\n";
    expect(dunderAllLike(src, allLiteral(src), ['x', 'y'])).toBe("__all__ = (\n  'x',\n  'y',\n)\n");
  });

  it('a multi-line list without a trailing comma', () => {
    const src = '__all__ = [\n    "a",\n    "b"\n]\n';
    expect(dunderAllLike(src, allLiteral(src), ['x', 'y'])).toBe('__all__ = [\n    "x",\n    "y"\n]\n');
  });

  it('a one-item tuple keeps its comma, on one line or several', () => {
    const one = '__all__ = ("a", "b")\n';
    expect(dunderAllLike(one, allLiteral(one), ['x'])).toBe('__all__ = ("x",)\n');
    const multi = '__all__ = (\n    "a",\n    "b"\n)\n';
    expect(dunderAllLike(multi, allLiteral(multi), ['x'])).toBe('__all__ = (\n    "x",\n)\n');
  });

  it('a visually indented list becomes one entry per line with a hanging indent', () => {
    const src = '__all__ = ["a",\n           "b"]\n';
    expect(dunderAllLike(src, allLiteral(src), ['x', 'y'])).toBe('__all__ = [\n    "x",\n    "y"\n]\n');
  });

  it('keeps the annotation', () => {
    const src = '__all__: tuple[str, ...] = ("a",)\n';
    expect(dunderAllLike(src, allLiteral(src), ['x', 'y'])).toBe('__all__: tuple[str, ...] = ("x", "y")\n');
  });

  it('without a model: a one-line list', () => {
    expect(dunderAllLike('', null, ['x'])).toBe('__all__ = ["x"]\n');
    expect(dunderAllLike('', null, ['x'], "'")).toBe("__all__ = ['x']\n");
  });
});

describe('listAppend', () => {
  const append = (src: string, values: string[]): string => {
    const { at, text } = listAppend(src, allLiteral(src), values);
    return src.slice(0, at) + text + src.slice(at);
  };

  it('a one-item tuple gains items after its comma', () => {
    expect(append('__all__ = ("a",)\n', ['b', 'c'])).toBe('__all__ = ("a", "b", "c")\n');
  });

  it('a one-line list keeps its trailing comma', () => {
    expect(append('__all__ = ["a", "b",]\n', ['c'])).toBe('__all__ = ["a", "b", "c",]\n');
  });

  it('a multi-line tuple gains one entry per line', () => {
    expect(append('__all__ = (\n    "a",\n)\n', ['b'])).toBe('__all__ = (\n    "a",\n    "b",\n)\n');
  });
});
