import { NAME, NESTED, STRING, tokenize, tokenText } from './tokenize.js';

function names(src: string, nested = false): string[] {
  const tk = tokenize(src);
  const out: string[] = [];
  for (let t = 0; t < tk.tokens.count; t++) {
    if (tk.tokens.kind[t] === NAME && Boolean(tk.tokens.flags[t] & NESTED) === nested) out.push(tokenText(tk, t));
  }
  return out;
}

describe('tokenize', () => {
  it('splits logical lines like CPython: brackets and backslashes join, blank and comment lines vanish', () => {
    const src = 'x = (1,\n     2)\n\n# comment\ny = 1 + \\\n    2\nif x:\n    pass\n';
    const tk = tokenize(src);
    expect(tk.lines.map((l) => [l.startLine, l.endLine, l.depth])).toEqual([
      [1, 2, 0],
      [5, 6, 0],
      [7, 7, 0],
      [8, 8, 1],
    ]);
    expect(tk.physicalLines).toBe(8);
    expect(tk.problem).toBeNull();
  });

  it('counts lines inside triple-quoted strings and keeps offsets as JS string indices', () => {
    const src = 's = """a\nb\nc"""\nname_żółć = "🐍"\nz = 1\n';
    const tk = tokenize(src);
    expect(tk.lines.map((l) => l.startLine)).toEqual([1, 4, 5]);
    const z = [...Array(tk.tokens.count).keys()].find((t) => tokenText(tk, t) === 'z')!;
    expect(tk.tokens.start[z]).toBe(src.indexOf('z = 1'));
    expect(names(src)).toEqual(['s', 'name_żółć', 'z']);
  });

  it('tokenizes f-string replacement fields as nested code, including format specs and nested quotes', () => {
    const src = 'msg = f"{user.name!r:>{width}} {len(items)} {{literal}} {\'a\' if flag else \'b\'}"\n';
    expect(names(src)).toEqual(['msg']);
    expect(names(src, true)).toEqual(['user', 'name', 'width', 'len', 'items', 'if', 'flag', 'else']);
    const tk = tokenize(src);
    expect(tk.lines).toHaveLength(1);
    expect(tk.tokens.kind[2]).toBe(STRING);
  });

  it('measures tabs to the next multiple of 8 and tracks dedent depth', () => {
    const src = 'def f():\n\tif x:\n\t\treturn 1\n\treturn 2\n';
    const tk = tokenize(src);
    expect(tk.lines.map((l) => [l.indent, l.depth])).toEqual([[0, 0], [8, 1], [16, 2], [8, 1]]);
  });

  it('reports an unterminated string and an unclosed bracket as a problem instead of throwing', () => {
    expect(tokenize('x = "abc\ny = 1\n').problem).toEqual({ line: 1, message: 'unterminated string literal' });
    expect(tokenize('x = (1,\n').problem?.message).toBe('unclosed bracket at end of file');
    expect(tokenize('x = 1)\n').problem?.message).toBe("unmatched ')'");
  });

  it('reads string prefixes (rb, Rb, f, u) and numbers with exponents', () => {
    const tk = tokenize('a = rb"\\x" + Rb\'y\' + u"z" + 1e-5 + 0x1E\n');
    const kinds = [...tk.tokens.kind.subarray(0, tk.tokens.count)];
    // a = S + S + S + N + N
    expect(kinds.filter((k) => k === STRING)).toHaveLength(3);
    expect(tokenText(tk, 8)).toBe('1e-5');
    expect(tokenText(tk, 10)).toBe('0x1E');
  });
});
