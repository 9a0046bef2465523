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
