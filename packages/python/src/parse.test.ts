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

/** Every `\n` as `\r\n`, and every leading run of four spaces as a tab. */
const lineEndingsAndTabs = (text: string): string[] => [
  text.replace(/\n/g, '\r\n'),
  text.replace(/^((?: {4})+)/gm, (m) => '\t'.repeat(m.length / 4)),
];

/** A small seeded generator (LCG), so the generated inputs are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

/** Random programs: nested compound statements of every kind, multi-line headers, bodies that are statements, nothing or comments. */
function generatedPrograms(count: number, seed: number): string[] {
  const rand = seeded(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)];
  const cond = (): string =>
    pick(['x', '(a,\nb)', 'f(\n    a)', 'f(\na)', '"s" == y', 'a \\\n  and b', 'a \\\nand b', '"""t\n""" == y', "f'{x\n}'", 'x["k"]', '{\n1: 2}', 'g(lambda v: v)', 'a[1:2]', '(a ==\n"x")']);
  const headers = [
    () => `if ${cond()}:`, () => `while ${cond()}:`, () => `for v in ${cond()}:`, () => `with ${cond()} as w:`,
    () => `def f(${pick(['', 'a,\nb', 'a: int = 1', '\n a'])})${pick(['', ' -> int', ' -> (\nint)'])}:`,
    () => `class C${pick(['', '(B)', '(\nB)'])}:`, () => `async def g(${pick(['', 'a,\nb'])}):`, () => `async for v in ${cond()}:`,
    () => `async with ${cond()}:`, () => '@deco\ndef h():', () => '@deco(\n1)\nclass D:',
  ];
  const clauses: Record<string, string[]> = { if: ['elif x:', 'else:'], while: ['else:'], for: ['else:'] };
  const comment = (): string => pick(['# c', '#', '# c: d', "# '\"", '# (']);
  const body = (depth: number, indent: string): string[] => {
    const r = rand();
    if (depth > 3 || r < 0.25) return pick([[`${indent}pass`], [`${indent}"""doc"""`], [`${indent}return (\n1)`], [`${indent}y = {\n"a": 1}`]]);
    if (r < 0.45) return pick([[], [`${indent}${comment()}`], [`${indent}  ${comment()}`, `${indent}${comment()}`], [comment()], ['', `${indent}${comment()}`]]);
    return block(depth + 1, indent);
  };
  const block = (depth: number, indent: string): string[] => {
    const out: string[] = [];
    for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) {
      const step = pick(['    ', '  ', '\t', ' \t']);
      const kind = pick(['simple', 'compound', 'compound', 'try', 'match']);
      if (kind === 'simple') out.push(`${indent}${pick(['x = 1', 'y = (\n1)', 'z = """\n"""'])}`);
      else if (kind === 'try') {
        out.push(`${indent}try:${rand() < 0.3 ? `  ${comment()}` : ''}`, ...body(depth, indent + step));
        for (const clause of ['except E:', 'except (A,\nB) as e:', 'else:', 'finally:']) {
          if (clause.startsWith('except') || rand() < 0.6) out.push(`${indent}${clause}`, ...body(depth, indent + step));
        }
      } else if (kind === 'match') {
        out.push(`${indent}match x:`);
        for (let m = 1 + Math.floor(rand() * 2); m > 0; m--) out.push(`${indent}${step}case ${pick(['1', '_', '[a,\nb]'])}:`, ...body(depth, indent + step + step));
      } else {
        const header = pick(headers)();
        // Continuation lines at the statement's indent, at column 0 or deeper.
        const lines = header.split('\n').map((l, i) => (i === 0 || l.startsWith('@') || /^(def|class) /.test(l) ? indent + l : pick(['', indent, `${indent}        `]) + l));
        if (rand() < 0.3) lines[lines.length - 1] += `  ${comment()}`;
        out.push(...lines, ...body(depth, indent + step));
        for (const clause of clauses[header.split(/[ (:]/)[0]] ?? []) if (rand() < 0.5) out.push(`${indent}${clause}`, ...body(depth, indent + step));
      }
    }
    return out;
  };
  const programs: string[] = [];
  for (let i = 0; i < count; i++) {
    const text = `${block(0, '').join('\n')}\n`;
    const r = rand();
    if (r < 0.1) programs.push(text.replace(/\n/g, '\r\n'));
    else if (r < 0.14) {
      const at = Math.floor(rand() * text.length);
      programs.push(text.slice(0, at) + pick(['\u00a0', '\v', '\f', '\u200b', '\ufeff', '\r', '\0']) + text.slice(at));
    } else if (r < 0.2) programs.push(text.slice(0, -1));
    else if (r < 0.25) programs.push(text + pick(['if x:', 'if x:  # c', 'def f():\n  # c', 'if x: \\']));
    else programs.push(text);
  }
  return programs;
}

/** Variants of a file with 1 to 3 random lines deleted (most of them with syntax errors). */
function linesDeleted(text: string, count: number, rand: () => number): string[] {
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const lines = text.split('\n');
    for (let d = 1 + Math.floor(rand() * 3); d > 0; d--) lines.splice(Math.floor(rand() * lines.length), 1);
    out.push(lines.join('\n'));
  }
  return out;
}

/** Asserts syntaxProblems equals the reference for a text, with the default limit and with limit 1. */
function expectSameAsReference(text: string): string[] {
  const tree = parsePython(text);
  try {
    const reference = referenceProblems(tree, 1000);
    expect({ text, problems: asText(syntaxProblems(tree, 1000)) }).toEqual({ text, problems: reference });
    expect({ text, problems: asText(syntaxProblems(tree)) }).toEqual({ text, problems: reference.slice(0, 20) });
    expect({ text, problems: asText(syntaxProblems(tree, 1)) }).toEqual({ text, problems: reference.slice(0, 1) });
    return reference;
  } finally {
    tree.delete();
  }
}

const isEmptyBlock = (problem: string): boolean => problem.endsWith('expected an indented block');

describe('syntaxProblems: empty blocks found without reading every block', () => {
  const SNIPPETS = [
    'if x:  # comment\nelse:\n    pass\n',
    'if x:\n    # c\nelif y:  # d\n    # e\nelse:\n    z = 1\n',
    'def f():  # c\n\nclass C:\n    # only a comment\n\n@deco\ndef g():\n    # nothing\nx = 1\n',
    'def f():\n    try:  # t\n    except E:\n        pass\n    finally:\n    # f\n    return 1\n',
    'for a in b:\n# c\nwhile y:\n    pass\nelse:\n    # nothing\nwith c as d:\n    # nothing\n',
    'for a in b:\n    pass\nelse:  # e\nx = 1\n',
    'try:\n    pass\nexcept E:\n    # c\nelse:\n    # d\nfinally:\n    pass\n',
    'try:\n    pass\nexcept* E:\n    # c\n',
    'match x:\n    case 1:\n        # nothing\n    case _:\n        y = 2\n',
    'match x:\n    # no cases\ny = 1\n',
    'class A:\n    def m(self):\n        if self:\n            # c\n        return 1\n',
    'async def f():\n    async with a:\n        # c\n    async for x in y:\n        pass\n',
    '@a\n@b(\n    1)\nasync def f():  # c\n',
    'class A:\n    @property\n    def p(self):\n        # todo\n    @p.setter\n    def p(self, v):\n        pass\n',
    'def f():\n    if a:\n        if b:\n            if c:\n                # deep\n    return 1\n',
    'if x: pass\nelse: y = 1\n',
    'def f():\n    """Doc."""\n',
    'x = {\n    "a": 1,  # c:\n}\nif y:\n    z = 1\n',
    'def f():',
    'def f():  # c',
    'if x:\n    # c',
    'if x:\n\n\n',
    'class C:\r\n    # c\r\n\r\ndef f():\r\n    pass\r\n',
    'if x:\n\t# c\nelse:\n\tpass\n',
    'if x:\n        # deeper comment\n    # shallower\ny = 1\n',
    '\ufeffif x:\n    # c\n',
    's = "a:\nif x:\n"\nt = """\nif y:\n"""\n',
    'd = {"k":\n    1}\nf = lambda:\\\n    1\n',
  ];

  it('equals reading every block, for blocks left empty anywhere (every clause, nested, at EOF, CRLF, tabs)', () => {
    let empty = 0;
    for (const text of SNIPPETS) {
      for (const variant of [text, ...lineEndingsAndTabs(text)]) if (expectSameAsReference(variant).some(isEmptyBlock)) empty++;
    }
    expect(referenceProblems(parsePython(SNIPPETS[2]))).toHaveLength(3);
    expect(empty).toBeGreaterThan(60);
  });

  // The header starts on a line before its colon's line and the body is back at the statement's indent: the body is
  // empty though the colon's line is indented less than the next one. Each case needs one rule of the text check.
  it.each([
    ['brackets', 'def g():\n    x = 1\n    if f(a,\nb):\n    pass\n'],
    ['an f-string field', "def g():\n    x = 1\n    if f'{x\n}':\n    pass\n"],
    ['a triple-quoted string', 'def g():\n    x = 1\n    if """\n""":\n    pass\n'],
    ['a one-quote string after an escape', 'def g():\n    x = 1\n    if "\\t\nx":\n    pass\n'],
    ['a one-quote f-string after a field', 'def g():\n    x = 1\n    if f"{x}\nx":\n    pass\n'],
    ['a one-quote f-string after {{', 'def g():\n    x = 1\n    if f"{{\nx":\n    pass\n'],
    ['a line break before a string', 'def g():\n    x = 1\n    if a ==\n"x":\n    pass\n'],
    ['a line continuation', 'def g():\n    x = 1\n    if a \\\nand b:\n    pass\n'],
    ['a line continuation with CRLF', 'def g():\r\n    x = 1\r\n    if a \\\r\nand b:\r\n    pass\r\n'],
    ['a vertical tab before the line break', 'def g():\n    x = 1\n    if a \v\nand b:\n    pass\n'],
    ['a zero-width space before the line break', 'def g():\n    x = 1\n    if a\u200b\nand b:\n    pass\n'],
  ])('finds the empty body of a header continued in %s', (_, text) => {
    const tree = parsePython(text);
    expect(tree.rootNode.hasError).toBe(false);
    expect(asText(syntaxProblems(tree))).toEqual(['3:5 syntax error: expected an indented block']);
    expectSameAsReference(text);
  });

  it('equals reading every block, for generated programs', () => {
    let empty = 0;
    let errorFree = 0;
    for (const text of generatedPrograms(300, 7)) {
      const tree = parsePython(text);
      if (!tree.rootNode.hasError) errorFree++;
      tree.delete();
      if (expectSameAsReference(text).some(isEmptyBlock)) empty++;
    }
    expect(errorFree).toBeGreaterThan(75);
    expect(empty).toBeGreaterThan(75);
  });

  it('equals reading every block, for the fixtures, their statements with bodies taken out, lines deleted, CRLF and tabs', () => {
    const root = path.resolve('fixtures');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.py')).map((f) => path.join(root, f));
    const rand = seeded(11);
    let empty = 0;
    let errors = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const emptied = emptiedBodies(text, 6);
      for (const variant of [text, ...emptied, ...emptied.slice(0, 2).flatMap(lineEndingsAndTabs), ...linesDeleted(text, 2, rand)]) {
        const reference = expectSameAsReference(variant);
        if (reference.some(isEmptyBlock)) empty++;
        if (reference.some((p) => !isEmptyBlock(p))) errors++;
      }
    }
    expect(empty).toBeGreaterThan(20);
    expect(errors).toBeGreaterThan(20);
  });
});
});
