import { mayInterpolate, SourceLexer } from './source-lexer.js';

interface Lexed {
  reads: string[];
  binds: string[];
}

/** The names `lexer` holds, as text (reads turned into bindings are left out). */
function names(src: string, lexer: SourceLexer): Lexed {
  const text = (pairs: number[]): string[] => {
    const out: string[] = [];
    for (let i = 0; i < pairs.length; i += 2) if (pairs[i] >= 0) out.push(src.slice(pairs[i], pairs[i + 1]));
    return out;
  };
  return { reads: text(lexer.reads), binds: text(lexer.binds) };
}

/** Lexes `src` as one expression: its names, or null when the lexer gives up. */
function expression(src: string): Lexed | null {
  const lexer = new SourceLexer(src);
  return lexer.expression(0, src.length) ? names(src, lexer) : null;
}

/** Lexes `src` as an expression statement (or assignment) from its start. */
function statement(src: string): Lexed | null {
  const lexer = new SourceLexer(src);
  return lexer.expressionStatement(0) ? names(src, lexer) : null;
}

const reads = (...r: string[]): Lexed => ({ reads: r, binds: [] });

describe('SourceLexer.expression', () => {
  it('reads names, not attribute names or keyword argument names', () => {
    expect(expression('a.b(c, d=e)[f:g, ::2] ** -h')).toEqual(reads('a', 'c', 'e', 'f', 'g', 'h'));
    expect(expression('not a and b or c if d in e else f is not g')).toEqual(reads('a', 'b', 'c', 'd', 'e', 'f', 'g'));
    expect(expression('{a: b, **c}, [*d], (e,), ...')).toEqual(reads('a', 'b', 'c', 'd', 'e'));
  });

  it('reads past string literals with prefixes and triple quotes', () => {
    expect(expression('rb"\\d" + Rb\'x\' + u"y" + B"z" + a')).toEqual(reads('a'));
    expect(expression('"""a "b" \'\'\' \n c""" + d')).toEqual(reads('d'));
    expect(expression("'''it's''' + e")).toEqual(reads('e'));
    expect(expression('"a\\"b" + c')).toEqual(reads('c'));
    expect(expression('"a" "b" c')).toEqual(reads('c'));
  });

  it('gives up on a string it cannot read', () => {
    expect(expression('xf"a" + b')).toBeNull(); // not a string prefix
    expect(expression('"abc')).toBeNull(); // unterminated
    expect(expression('"a\nb"')).toBeNull(); // a line break in a one-line string
    expect(expression('a."b"')).toBeNull();
  });

  it('reads the names of f-string interpolations', () => {
    expect(expression('f"{a!r:>{b}} {c=} {{d}} {e.f}"')).toEqual(reads('a', 'b', 'c', 'e'));
    expect(expression("F'{a}' rf\"{b}\" fR'''{c}\n{d}'''")).toEqual(reads('a', 'b', 'c', 'd'));
    expect(expression('f"{\'x\'} {a[\'k\']}"')).toEqual(reads('a'));
    expect(expression('f"{a:{b}.{c}f}"')).toEqual(reads('a', 'b', 'c'));
  });

  it('gives up on f-string interpolations it cannot read', () => {
    expect(expression('f"{f\'{a}\'}"')).toBeNull(); // an f-string inside
    expect(expression('f"{"a"}"')).toBeNull(); // the f-string's own quote inside
    expect(expression('f"{a:=b}"')).toBeNull(); // walrus
    expect(expression('f"{a!x}"')).toBeNull(); // no such conversion
    expect(expression('f"{}"')).toBeNull();
    expect(expression('f"\\N{DASH} {a}"')).toBeNull();
    expect(expression('f"a}"')).toBeNull();
    expect(expression('f"""{a\n}"""')).toBeNull(); // a line break in an interpolation
  });

  it('reads past numbers', () => {
    expect(expression('0x1F + 0b1_0 + 0o7 + 1_000 + 1.5e-3j + .5 + 1. + 10L + a')).toEqual(reads('a'));
    expect(expression('1abc')).toBeNull();
    expect(expression('1..real')).toBeNull();
  });

  it('reads lines joined by brackets or a backslash, past comments', () => {
    expect(expression('(a,  # b\n c)')).toEqual(reads('a', 'c'));
    expect(expression('a + \\\n b')).toEqual(reads('a', 'b'));
    expect(expression('a + \\\r\n b')).toEqual(reads('a', 'b'));
    expect(expression('a \\ b')).toBeNull();
  });

  it('gives up on what binds a name, opens a scope or is not ASCII', () => {
    for (const src of ['lambda: a', '(a := b)', 'yield a', '[a for a in b]', 'a.if', 'é + a', 'a + é', '(a]', 'a;b']) {
      expect(expression(src)).toBeNull();
    }
    expect(expression('f(a, b=1)')).toEqual(reads('f', 'a'));
    expect(expression('f(a=1)(b)')).toEqual(reads('f', 'b'));
    expect(expression('x[a=1]')).toBeNull();
  });

  it('starts afresh at each call', () => {
    const src = 'a + b';
    const lexer = new SourceLexer(src);
    expect(lexer.expression(0, 1)).toBe(true);
    expect(lexer.expression(4, 5)).toBe(true);
    expect(names(src, lexer)).toEqual(reads('b'));
  });
});

describe('SourceLexer.annotation', () => {
  it('reads an annotation without strings', () => {
    const src = 'Dict[str, a.B] | None';
    const lexer = new SourceLexer(src);
    expect(lexer.annotation(0, src.length)).toBe(true);
    expect(names(src, lexer)).toEqual(reads('Dict', 'str', 'a'));
    const quoted = 'List["A"]';
    expect(new SourceLexer(quoted).annotation(0, quoted.length)).toBe(false);
    expect(expression(quoted)).toEqual(reads('List'));
  });
});

describe('SourceLexer.expressionStatement', () => {
  it('binds the bare names of assignment targets and reads the rest', () => {
    expect(statement('a, *b = c')).toEqual({ reads: ['c'], binds: ['a', 'b'] });
    expect(statement('a = b = c')).toEqual({ reads: ['c'], binds: ['a', 'b'] });
    expect(statement('a.b = c[d] = e')).toEqual({ reads: ['a', 'c', 'd', 'e'], binds: [] });
    expect(statement('a += b')).toEqual({ reads: ['a', 'b'], binds: ['a'] });
    expect(statement('f(x)')).toEqual({ reads: ['f', 'x'], binds: [] });
  });

  it('gives up on targets it does not bind', () => {
    for (const src of ['(a, b) = c', '[a] = b', 'a, b += c', 'a = b += c', 'a = 1; b = 2', 'x, (y) = c']) {
      expect(statement(src)).toBeNull();
    }
  });

  it('binds the target of an annotated assignment and reads its annotation and value', () => {
    expect(statement('a: int = b')).toEqual({ reads: ['int', 'b'], binds: ['a'] });
    expect(statement('a: int')).toEqual({ reads: ['int'], binds: ['a'] });
    expect(statement('a.b: C[d] = e("f")')).toEqual(reads('a', 'C', 'd', 'e'));
    expect(statement('a[b]: int = c')).toEqual(reads('a', 'b', 'int', 'c'));
  });

  it('gives up on annotated assignments it cannot read', () => {
    // A string in the annotation is a type expression; the other forms are not single name / attribute targets.
    for (const src of ['a: "A" = 1', 'a: Literal["x"]', '(a): int = 1', 'a, b: int = 1', '*a: int = b', 'a: int = b = c', 'a = b: int', 'a: int += 1', 'a: b: c']) {
      expect(statement(src)).toBeNull();
    }
  });

  it('stops at the end of the line, past comments and continuations', () => {
    const src = 'a = b  # c d\ne';
    expect(statement(src)).toEqual({ reads: ['b'], binds: ['a'] });
    expect(statement('a = (b,\n  c)  # d\ne')).toEqual({ reads: ['b', 'c'], binds: ['a'] });
    expect(statement('a = b + \\\n  c\nd')).toEqual({ reads: ['b', 'c'], binds: ['a'] });
  });
});

describe('SourceLexer.keywordStatement', () => {
  it('reads past the keyword to the end of the line', () => {
    const src = 'return a, (b,\n  c)\nd';
    const lexer = new SourceLexer(src);
    expect(lexer.keywordStatement(0)).toBe(true);
    expect(names(src, lexer)).toEqual(reads('a', 'b', 'c'));
  });

  it('reads `raise` with its `from` clause, and a bare `raise`', () => {
    const src = 'raise E(a) from b.c\nraise\n';
    const lexer = new SourceLexer(src);
    expect(lexer.keywordStatement(0)).toBe(true);
    expect(names(src, lexer)).toEqual(reads('E', 'a', 'b'));
    expect(lexer.keywordStatement(src.indexOf('raise', 1))).toBe(true);
    expect(names(src, lexer)).toEqual(reads());
  });

  it('gives up on a `from` it does not expect', () => {
    for (const src of ['raise a from b from c', 'raise from a', 'raise (a from b)', 'return a from b']) {
      expect(new SourceLexer(src).keywordStatement(0)).toBe(false);
    }
  });

  it('gives up when the keyword is only the start of a name, or another statement', () => {
    expect(new SourceLexer('returned').keywordStatement(0)).toBe(false);
    expect(new SourceLexer('pass').keywordStatement(0)).toBe(false);
  });
});

describe('SourceLexer.statements', () => {
  it('reads the statements of a block up to the first it cannot read', () => {
    const src = 'a = 1\n# c\n\n  return b\npass\nbreak  # x\nif c:\n  d\n';
    const lexer = new SourceLexer(src);
    expect(lexer.statements(0, src.length, null)).toBe(src.indexOf('if'));
    expect(names(src, lexer)).toEqual({ reads: ['b'], binds: ['a'] });
  });

  it('drops what it read of the statement it stops at', () => {
    const src = 'a = b\nc = [d for d in e]\n';
    const lexer = new SourceLexer(src);
    expect(lexer.statements(0, src.length, null)).toBe(6);
    expect(names(src, lexer)).toEqual({ reads: ['b'], binds: ['a'] });
  });

  it('returns -1 when it read every statement', () => {
    const src = 'a = b\ndel c[0], d\nassert e, "f"\nawait g.h(i)\nraise j from k\nl: m = n\n';
    const lexer = new SourceLexer(src);
    expect(lexer.statements(0, src.length, null)).toBe(-1);
    expect(names(src, lexer)).toEqual({ reads: ['b', 'c', 'd', 'e', 'g', 'i', 'j', 'k', 'm', 'n'], binds: ['a', 'l'] });
  });

  it('stops before a statement starting with `stopBefore`, and at compound statements', () => {
    const src = 'x = 1\n__all__ = ["a"]\n';
    expect(new SourceLexer(src).statements(0, src.length, '__all__')).toBe(6);
    expect(new SourceLexer(src).statements(0, src.length, null)).toBe(-1);
    for (const other of ['@d\ndef f(): pass\n', 'import a\n', 'global a\n', 'match a:\n', 'print a\n', 'pass; a\n']) {
      expect(new SourceLexer(other).statements(0, other.length, null)).toBe(0);
    }
  });
});

describe('SourceLexer.functionHeader', () => {
  it('reads the name, binds the parameters and reads annotations and defaults', () => {
    const src = 'async def f(a, b: int = c, *d: e, f=g.h, **i) -> j.K:\n  pass\n';
    const lexer = new SourceLexer(src);
    expect(lexer.functionHeader(0)).toBe(true);
    expect(src.slice(lexer.name, lexer.nameEnd)).toBe('f');
    expect(names(src, lexer)).toEqual({ reads: ['int', 'c', 'e', 'g', 'j'], binds: ['a', 'b', 'd', 'f', 'i'] });
  });

  it('reads headers over several lines, with comments and bare `*` / `/`', () => {
    const src = 'def g(\n  a,  # x\n  /,\n  *,\n  b=(1,\n     2),\n):\n  pass\n';
    const lexer = new SourceLexer(src);
    expect(lexer.functionHeader(0)).toBe(true);
    expect(names(src, lexer)).toEqual({ reads: [], binds: ['a', 'b'] });
  });

  it('gives up on what it cannot read', () => {
    for (const src of ['def f[T](a): pass', 'def f(a: "A"): pass', 'def f(a=lambda: 1): pass', 'def f() -> "A": pass', 'def if(): pass']) {
      expect(new SourceLexer(src).functionHeader(0)).toBe(false);
    }
  });
});

describe('mayInterpolate', () => {
  it('is true for strings with an f prefix only', () => {
    const src = 'f"a" rF\'b\' "c" br"d" x';
    expect(mayInterpolate(src, 0)).toBe(true);
    expect(mayInterpolate(src, 5)).toBe(true);
    expect(mayInterpolate(src, 11)).toBe(false);
    expect(mayInterpolate(src, 15)).toBe(false);
  });
});
