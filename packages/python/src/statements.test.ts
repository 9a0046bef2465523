import { loadPython, parsePython, type Node, type Tree } from './parse.js';
import { Walker } from './scope-walker.js';
import { analyzeScopes } from './scopes.js';
import { allStatements, globalWrites, importSites } from './statements.js';

beforeAll(loadPython);

/** The full scope walk of a source: the reference every keyword lookup must equal. */
function walked(text: string): Walker {
  const walker = new Walker(parsePython(text));
  walker.run();
  return walker;
}

const at = (n: Node): string => `${n.type}@${n.startIndex}-${n.endIndex}`;

function sitesOf(tree: Tree): string[] {
  return importSites(tree).map((s) => `${at(s.statement)} tc=${s.typeChecking} guarded=${s.guarded} top=${s.topLevel}`);
}

function writesOf(map: Map<string, Node[]>): [string, string[]][] {
  return [...map].map(([name, nodes]) => [name, nodes.map(at)]);
}

const TRICKY = `
"""import nothing here"""
from __future__ import annotations
import os, sys as system
from typing import TYPE_CHECKING
import importlib  # import in a comment
from . import sibling
from .. import *
if TYPE_CHECKING:
    from a import A
    def helper():
        import b
elif typing.TYPE_CHECKING:
    import c
else:
    import d
if typing.TYPE_CHECKING:
    import e
try:
    import f
    try:
        import g
    finally:
        import h
except (ValueError, ImportError):
    import i
else:
    import j
try:
    import k
except ValueError:
    import l
class C:
    import m
    def method(self):
        from n import (o,
            p as q)
def func():
    if TYPE_CHECKING:
        import r
    x = "import s"
    return importlib.import_module("t")
x = 1; import u
`;

describe('importSites', () => {
  it('lists every import statement with the same context flags as the scope walk', () => {
    const tree = parsePython(TRICKY);
    const reference = walked(TRICKY).importSites.map((s) => `${at(s.statement)} tc=${s.typeChecking} guarded=${s.guarded} top=${s.topLevel}`);
    expect(sitesOf(tree)).toEqual(reference);
    expect(reference).toHaveLength(22);
  });

  it('lists the same sites as the walk around column 0, one-line blocks, strings and names with `import` in them', () => {
    const text = [
      'x = """',
      'import not_code',
      '"""',
      'import a; import b',
      'if c: import d',
      'from .import e',
      'from . import(f)',
      'importlib = 1',
      'def g():',
      '    _import = import_x = 2',
      '    from h import \\',
      '        *',
      '',
    ].join('\n');
    const tree = parsePython(text);
    expect(tree.rootNode.hasError).toBe(false);
    const reference = walked(text).importSites.map((s) => `${at(s.statement)} tc=${s.typeChecking} guarded=${s.guarded} top=${s.topLevel}`);
    expect(sitesOf(tree)).toEqual(reference);
    expect(reference).toHaveLength(6);
  });

  it('tells star imports from their text the way the walk does', () => {
    const cases: [string, boolean][] = [
      ['from m import *\n', true],
      ['from m import \\\n    *\n', true],
      ['def f():\n    from .m import *\n', true],
      ['from m import (a, b)\n', false],
      ['from __future__ import annotations\n', false],
      ['import m\nx = "from m import *"\n', false],
      ['from m import a  # import *\n', false],
    ];
    for (const [text, star] of cases) {
      expect(analyzeScopes(parsePython(text)).hasStarImport).toBe(star);
      expect(walked(text).hasStarImport).toBe(star);
    }
  });

  it('uses the scope walk on a tree with syntax errors', () => {
    const text = 'import a\ndef f(:\n    import b\nif TYPE_CHECKING:\n    import c\n';
    const tree = parsePython(text);
    expect(tree.rootNode.hasError).toBe(true);
    expect(sitesOf(tree)).toEqual(walked(text).importSites.map((s) => `${at(s.statement)} tc=${s.typeChecking} guarded=${s.guarded} top=${s.topLevel}`));
  });

  it('sees a star import inside a function without the full walk', () => {
    const text = 'def f():\n    from m import *\n';
    const scopes = analyzeScopes(parsePython(text));
    expect(scopes.hasStarImport).toBe(true);
    expect(analyzeScopes(parsePython('import m\nx = "from m import *"\n')).hasStarImport).toBe(false);
  });
});

describe('allStatements', () => {
  it('finds the module-level statements starting with __all__, not those in def or class bodies', () => {
    const text = [
      '__all__ = ["a"]',
      'if True:',
      '    __all__ += ["b"]',
      'class C:',
      '    __all__ = ["no"]',
      'def f():',
      '    __all__.append("no")',
      'x = __all__',
      '__all__.extend(["c"])',
      '__all__x = 1',
      'print("__all__")',
      '',
    ].join('\n');
    const found = allStatements(parsePython(text)).map(at);
    expect(found).toEqual(walked(text).allStatements.map(at));
    expect(found).toHaveLength(4);
  });

  it('is empty without __all__ in the text', () => {
    expect(allStatements(parsePython('x = 1\n'))).toEqual([]);
  });
});

describe('globalWrites', () => {
  it('equals the scope walk: nested functions, class bodies, several statements, module-level global ignored', () => {
    const text = [
      'global IGNORED',
      'IGNORED = 1',
      'def outer():',
      '    global A',
      '    A = 1',
      '    def inner():',
      '        global B, C',
      '        B, (C, D) = 1, (2, 3)',
      '        for A in []: pass',
      '    global E',
      '    E += 1',
      'class K:',
      '    global F',
      '    F = 2',
      '    def m(self):',
      '        G = 1',
      'def other():',
      '    # global H is only a comment',
      '    H = 1',
      '    global A',
      '    with open("x") as A: pass',
      '',
    ].join('\n');
    const expected = writesOf(walked(text).globalWrites);
    expect(writesOf(globalWrites(parsePython(text)))).toEqual(expected);
    expect(expected.map(([name]) => name)).toEqual(['A', 'B', 'C', 'E', 'F']);
  });

  it('is empty when the text never says global', () => {
    expect(globalWrites(parsePython('def f():\n    x = 1\n')).size).toBe(0);
  });
});

describe('ScopeModel.moduleBindings (shallow walk)', () => {
  it('equals the full walk: module-level compound statements, walrus in comprehensions and defaults, not def / class bodies', () => {
    const text = [
      'import os.path as p, sys',
      'from m import (a, b as c)',
      'if p:',
      '    d = 1',
      'else:',
      '    for e, [f, *g] in []: pass',
      'try:',
      '    with open("x") as (h, i): pass',
      'except OSError as err:',
      '    j: int = 2',
      'while (k := 0): pass',
      'values = [(l := v) for v in range(3)]',
      'def fn(arg=(m2 := 1), *, kw: "T" = (n := 2)) -> (o := int):',
      '    local = 1',
      '    [(inner := 1) for _ in ()]',
      'class Cls((q := object)):',
      '    attr = 1',
      '    [(cw := 1) for _ in ()]',
      'lam = lambda x=(r := 1): (s := x)',
      'match p:',
      '    case [t, *u] if (w := t): pass',
      '    case {"k": x2, **rest}: pass',
      '    case Point(x=y2) as z2: pass',
      'type Alias = int',
      'del d',
      '',
    ].join('\n');
    const shallow = [...analyzeScopes(parsePython(text)).moduleBindings()];
    const full = analyzeScopes(parsePython(text));
    full.undefinedNames(); // runs the full walk first
    expect(shallow).toEqual([...full.moduleBindings()]);
    expect(shallow).toEqual(expect.arrayContaining(['l', 'm2', 'n', 'o', 'q', 'r', 'w', 'x2', 'rest', 'y2', 'z2', 'Alias']));
    for (const local of ['local', 'inner', 'attr', 'cw', 's', 'v', 'x']) expect(shallow).not.toContain(local);
  });

  it('takes the full walk when a global statement may bind module names from a body', () => {
    const text = 'def f():\n    global late\n    late = 1\n';
    expect(analyzeScopes(parsePython(text)).moduleBindings()).toEqual(new Set(['f', 'late']));
  });
});
