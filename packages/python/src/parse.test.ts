import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadPython, parsePython, sourceText, syntaxProblems } from './parse.js';

beforeAll(loadPython);

describe('parsePython', () => {
  it('reports offsets as JS string indices, also after non-ASCII text', () => {
    const src = "x = 'żółć 🐍'\ny = 1\n";
    const tree = parsePython(src);
    expect(tree.rootNode.child(1)!.startIndex).toBe(src.indexOf('y = 1'));
  });

  it('shares one load between callers (a command may start it early)', () => {
    expect(loadPython()).toBe(loadPython());
  });

  it('keeps the whole text of a tree, also before the module node (leading blank lines)', () => {
    const src = '\n\n  \nx = 1\n';
    const tree = parsePython(src);
    expect(tree.rootNode.startIndex).toBeGreaterThan(0);
    expect(sourceText(tree)).toBe(src);
  });

  it('lists syntax errors with a line', () => {
    const problems = syntaxProblems(parsePython('def f(:\n    pass\n'));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0].line).toBe(1);
  });

  it('reports a block left with nothing but comments (tree-sitter accepts it, Python does not)', () => {
    const problems = syntaxProblems(parsePython('import sys\nif sys.version_info >= (3, 13):  # note\nelse:\n    # gone\n\nx = 1\n'));
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [2, 'syntax error: expected an indented block'],
      [3, 'syntax error: expected an indented block'],
    ]);
  });

  it('finds no problem in valid code', () => {
    expect(syntaxProblems(parsePython('async def f():\n    return [x async for x in g()]\n'))).toEqual([]);
  });
});

/** syntaxProblems as it was before it skipped blocks that cannot be empty: the reference for every input below. */
function referenceProblems(tree: ReturnType<typeof parsePython>, limit = 20): string[] {
  const out: { line: number; column: number; message: string }[] = [];
  for (const block of tree.rootNode.descendantsOfType('block')) {
    if (!block || block.namedChildren.some((c) => c !== null && c.type !== 'comment') || out.length >= limit) continue;
    const head = block.parent ?? block;
    out.push({ line: head.startPosition.row + 1, column: head.startPosition.column + 1, message: 'syntax error: expected an indented block' });
  }
  const root = tree.rootNode;
  if (root.hasError) {
    const visit = (node: typeof root): void => {
      if (out.length >= limit) return;
      if (node.isMissing) {
        out.push({ line: node.startPosition.row + 1, column: node.startPosition.column + 1, message: `syntax error: missing ${node.type}` });
        return;
      }
      if (node.type === 'ERROR') {
        const snippet = node.text.split('\n')[0].slice(0, 40);
        out.push({ line: node.startPosition.row + 1, column: node.startPosition.column + 1, message: `syntax error near ${JSON.stringify(snippet)}` });
        return;
      }
      if (!node.hasError) return;
      for (const child of node.children) if (child) visit(child);
    };
    visit(root);
  }
  return out.map((p) => `${p.line}:${p.column} ${p.message}`);
}

const asText = (problems: { line: number; column: number; message: string }[]): string[] =>
  problems.map((p) => `${p.line}:${p.column} ${p.message}`);

/** Variants of a file with the body of one compound statement left empty or comment-only (at most `max`). */
function emptiedBodies(text: string, max: number): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length && out.length < max; i++) {
    if (!/:\s*(#.*)?$/.test(lines[i])) continue;
    const indent = lines[i].match(/^\s*/)![0].length;
    let j = i + 1;
    while (j < lines.length && (!lines[j].trim() || lines[j].match(/^\s*/)![0].length > indent)) j++;
    const comment = out.length % 2 ? [`${' '.repeat(indent + 4)}# emptied`] : [];
    out.push([...lines.slice(0, i + 1), ...comment, ...lines.slice(j)].join('\n'));
  }
  return out;
}

describe('syntaxProblems: empty blocks found without reading every block', () => {
  const SNIPPETS = [
    'if x:  # comment\nelse:\n    pass\n',
    'if x:\n    # c\nelif y:  # d\n    # e\nelse:\n    z = 1\n',
    'def f():  # c\n\nclass C:\n    # only a comment\n\n@deco\ndef g():\n    # nothing\nx = 1\n',
    'def f():\n    try:  # t\n    except E:\n        pass\n    finally:\n    # f\n    return 1\n',
    'for a in b:\n# c\nwhile y:\n    pass\nelse:\n    # nothing\nwith c as d:\n    # nothing\n',
    'match x:\n    case 1:\n        # nothing\n    case _:\n        y = 2\n',
    'class A:\n    def m(self):\n        if self:\n            # c\n        return 1\n',
    'async def f():\n    async with a:\n        # c\n    async for x in y:\n        pass\n',
    'if x: pass\nelse: y = 1\n',
    'def f():\n    """Doc."""\n',
    'x = {\n    "a": 1,  # c:\n}\nif y:\n    z = 1\n',
  ];

  it('equals reading every block, for blocks left empty anywhere', () => {
    for (const text of SNIPPETS) {
      const tree = parsePython(text);
      expect(asText(syntaxProblems(tree))).toEqual(referenceProblems(tree));
      expect(asText(syntaxProblems(tree, 1))).toEqual(referenceProblems(tree, 1));
    }
    expect(referenceProblems(parsePython(SNIPPETS[2]))).toHaveLength(3);
  });

  it('equals reading every block, for the fixtures and their statements with bodies taken out', () => {
    const root = path.resolve('fixtures');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.py')).map((f) => path.join(root, f));
    let empty = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const variant of [text, ...emptiedBodies(text, 6)]) {
        const tree = parsePython(variant);
        const reference = referenceProblems(tree);
        expect(asText(syntaxProblems(tree))).toEqual(reference);
        if (reference.some((p) => p.endsWith('expected an indented block'))) empty++;
      }
    }
    expect(empty).toBeGreaterThan(20);
  });
});
