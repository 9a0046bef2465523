import { execFileSync } from 'node:child_process';
import { loadPython, parsePython, type Node, type Tree } from './parse.js';
import { analyzeScopes, scopeModel } from './scopes.js';

beforeAll(loadPython);

/** Strips the common indentation of a template literal and its first newline. */
function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

function parse(src: string): { text: string; tree: Tree } {
  const text = dedent(src);
  return { text, tree: parsePython(text) };
}

function undefinedOf(src: string): string[] {
  return analyzeScopes(parse(src).tree).undefinedNames().map((u) => u.name);
}

function topLevel(tree: Tree, name: string): Node {
  for (const n of tree.rootNode.namedChildren) {
    const def = n!.type === 'decorated_definition' ? n!.childForFieldName('definition')! : n!;
    if (def.childForFieldName('name')?.text === name) return n!;
  }
  throw new Error(`no top-level ${name}`);
}

function freeOf(src: string, name: string): string[] {
  const { tree } = parse(src);
  return [...analyzeScopes(tree).freeNames(topLevel(tree, name)).keys()].sort();
}

describe('analyzeScopes', () => {
  it('reports module reads of unbound names and accepts builtins', () => {
    expect(undefinedOf('x = 1\nprint(x, y, len)\n')).toEqual(['y']);
  });

  it('excludes parameters and locals from free names, keeps module names and builtins', () => {
    expect(freeOf('c = 1\ndef f(a):\n    b = a\n    return b + c + len(a)\n', 'f')).toEqual(['c', 'len']);
  });

  it('resolves reads after the whole file is walked (function uses a later definition)', () => {
    const src = 'def f():\n    return g()\n\ndef g():\n    return 1\n';
    expect(undefinedOf(src)).toEqual([]);
    expect(freeOf(src, 'f')).toEqual(['g']);
  });

  it('reads f-strings and string annotations in a file starting with blank lines', () => {
    expect(analyzeScopes(parsePython('\n\nx: "Missing" = f"{other}"\n')).undefinedNames().map((u) => u.name)).toEqual(['Missing', 'other']);
  });

  it('hides class-body names from methods', () => {
    const src = `
      class C:
          x = 1
          def m(self):
              return x
    `;
    expect(undefinedOf(src)).toEqual(['x']);
    expect(freeOf(src, 'C')).toEqual(['x']);
  });

  it('lets the class body read its own names', () => {
    expect(undefinedOf('class C:\n    x = 1\n    y = x\n')).toEqual([]);
  });

  it('binds comprehension targets in the comprehension only', () => {
    expect(freeOf('def f(xs):\n    return [x for x in xs if x]\n', 'f')).toEqual([]);
    expect(undefinedOf('[x for x in [1]]\nprint(x)\n')).toEqual(['x']);
  });

  it('evaluates only the first comprehension iterable in the enclosing (class) scope', () => {
    const src = `
      class C:
          xs = [1]
          ys = [x for x in xs]
          zs = [x for x in xs if x in xs]
    `;
    const u = analyzeScopes(parse(src).tree).undefinedNames();
    expect(u.map((n) => [n.name, n.node.startPosition.row])).toEqual([['xs', 3]]);
    expect(u[0].node.startPosition.column).toBe(dedent(src).split('\n')[3].lastIndexOf('xs'));
  });

  it('gives nested comprehensions their own targets and the outer targets', () => {
    expect(undefinedOf('m = [[a * b for b in range(a)] for a in range(3)]\n')).toEqual([]);
  });

  it('scopes lambda parameters and evaluates lambda defaults outside', () => {
    expect(undefinedOf('f = lambda a, b=c, *r, **k: a + b + d + len(r) + len(k)\n')).toEqual(['c', 'd']);
  });

  it('evaluates defaults and annotations in the enclosing scope, the body in the function', () => {
    const src = `
      class C:
          T = int
          def m(self, a: T = T, *, b: T) -> T:
              return T
    `;
    const u = analyzeScopes(parse(src).tree).undefinedNames();
    expect(u.map((n) => [n.name, n.node.startPosition.row])).toEqual([['T', 3]]);
  });

  it('evaluates decorators and base classes in the enclosing scope', () => {
    const src = `
      class C:
          deco = staticmethod
          Base = object
          @deco
          def m():
              pass
          class Inner(Base):
              pass
    `;
    expect(undefinedOf(src)).toEqual([]);
  });

  it('treats names declared global as module reads and writes', () => {
    const src = `
      def f():
          global X
          X = 1
          return X
      def g():
          return X
    `;
    const { tree } = parse(src);
    const s = analyzeScopes(tree);
    expect(s.undefinedNames()).toEqual([]);
    expect(s.moduleBindings()).toEqual(new Set(['f', 'g', 'X']));
    expect(s.freeNames(topLevel(tree, 'f')).get('X')).toHaveLength(2);
  });

  it('reports a global that is only read and never bound as undefined', () => {
    const src = 'def f():\n    global X\n    return X\n';
    expect(undefinedOf(src)).toEqual(['X']);
    expect(freeOf(src, 'f')).toEqual(['X']);
  });

  it('resolves nonlocal to the enclosing function', () => {
    const src = `
      def f():
          x = 1
          def g():
              nonlocal x
              x = 2
              return x
          return g
    `;
    expect(freeOf(src, 'f')).toEqual([]);
    expect(undefinedOf(src)).toEqual([]);
  });

  it('binds walrus targets in the enclosing non-comprehension scope', () => {
    const src = `
      def f(xs):
          if any((y := x) for x in xs):
              return y
    `;
    expect(freeOf(src, 'f')).toEqual(['any']);
    expect(undefinedOf('[(z := 1) for _ in range(3)]\nprint(z)\n')).toEqual([]);
  });

  it('binds match captures and `as` names, reads class and value patterns', () => {
    const src = `
      match cmd:
          case Point(x=0, y=yy) as p:
              print(yy, p)
          case [a, *rest]:
              print(a, rest)
          case {"k": v, **kw} if v > lim:
              print(v, kw)
          case Color.RED:
              pass
          case other:
              print(other)
    `;
    expect(undefinedOf(src)).toEqual(['cmd', 'Point', 'lim', 'Color']);
  });

  it('reads del targets', () => {
    expect(undefinedOf('x = 1\ndel x\ndel y\n')).toEqual(['y']);
  });

  it('binds `except ... as` names', () => {
    expect(undefinedOf('try:\n    pass\nexcept (ValueError, Bad) as e:\n    print(e)\n')).toEqual(['Bad']);
  });

  it('binds `with ... as` targets, including tuples', () => {
    expect(undefinedOf('with open(p) as (a, b), lock:\n    print(a, b)\n')).toEqual(['p', 'lock']);
  });

  it('binds for targets, including nested and starred ones', () => {
    expect(undefinedOf('for i, (j, *k) in z:\n    print(i, j, k)\nelse:\n    print(i)\n')).toEqual(['z']);
  });

  it('reads compound statements in a function body as the function scope (for-else, except-as, with-as tuples)', () => {
    const src = `
      def f(xs):
          for a, (b, *c) in xs:
              if a: continue
              elif b: d = [i for i in c]
              else: break
          else:
              a = b = c = None
          try:
              pass
          except (KeyError, Missing) as e:
              g = e
          with open(a) as (h, k), lock:
              return a, b, c, d, g, h, k, e
    `;
    const { tree } = parse(src);
    const free = analyzeScopes(tree).freeNames(topLevel(tree, 'f'));
    expect([...free.keys()]).toEqual(['KeyError', 'Missing', 'open', 'lock']);
    expect(free.get('lock')![0].startPosition).toEqual({ row: 11, column: 28 });
  });

  it('records the binding nodes of imports, and writes through `global` in nested bodies', () => {
    const src = `
      import a.b, c as d
      from .m import (e,
          f as g)
      def h():
          global k
          if a:
              for k in d: import k
          from x import y
          return y
    `;
    const { tree } = parse(src);
    const model = scopeModel(tree);
    const imports = [...model.module.imports!].map(([name, node]) => [name, node.type, node.text]);
    expect(imports).toEqual([['a', 'dotted_name', 'a.b'], ['d', 'aliased_import', 'c as d'], ['e', 'dotted_name', 'e'], ['g', 'aliased_import', 'f as g']]);
    const h = model.accesses.find((x) => x.name === 'y')!.scope;
    expect([...h.imports!].map(([name, node]) => [name, node.type, node.text])).toEqual([['k', 'dotted_name', 'k'], ['y', 'dotted_name', 'y']]);
    expect(model.globalWrites.get('k')!.map((n) => n.startPosition)).toEqual([{ row: 6, column: 12 }, { row: 6, column: 27 }]);
    expect(model.undefinedNames()).toEqual([]);
  });

  it('reports import sites with their context (TYPE_CHECKING, import guard, function level)', () => {
    const src = `
      if TYPE_CHECKING:
          import a
      try:
          import b
      except ImportError:
          b = None
      def f():
          from c import d
    `;
    const sites = scopeModel(parse(src).tree).importSites;
    expect(sites.map((x) => [x.statement.text, x.typeChecking, x.guarded, x.topLevel])).toEqual([
      ['import a', true, false, true],
      ['import b', false, true, true],
      ['from c import d', false, false, false],
    ]);
  });

  it('binds imports inside a function in that function only', () => {
    const src = `
      def f():
          import os.path
          from a import b as c
          return os, c
      def g():
          return os
    `;
    expect(freeOf(src, 'f')).toEqual([]);
    expect(undefinedOf(src)).toEqual(['os']);
  });

  it('reads names in f-string interpolations and format specs', () => {
    expect(freeOf('def f():\n    return f"{a!r:>{width}} {b.c}"\n', 'f')).toEqual(['a', 'b', 'width']);
  });

  it('reads names inside string annotations, at the offsets inside the string', () => {
    const src = `
      def f(x: "Foo", *a: "mod.Thing") -> "Bar[Baz]":
          y: "Qux" = 1
          return y
    `;
    const { text, tree } = parse(src);
    const u = analyzeScopes(tree).undefinedNames();
    expect(u.map((n) => n.name)).toEqual(['Foo', 'mod', 'Bar', 'Baz', 'Qux']);
    for (const n of u) {
      expect(text.slice(n.node.startIndex, n.node.endIndex)).toBe(n.name);
      expect(n.node.startPosition.row).toBe(text.slice(0, n.node.startIndex).split('\n').length - 1);
    }
  });

  it('does not read Literal strings or Annotated metadata strings as names', () => {
    const src = `
      from typing import Annotated, Literal
      def f(x: Literal["fast", "slow"], y: Annotated["Foo", "some text"]) -> None:
          pass
    `;
    expect(undefinedOf(src)).toEqual(['Foo']);
  });

  it('keeps string annotation offsets right after non-ASCII text', () => {
    const { text, tree } = parse('s = "żółć 🐍"\ndef f(x: "Foo") -> None:\n    pass\n');
    const [u] = analyzeScopes(tree).undefinedNames();
    expect(u.name).toBe('Foo');
    expect(text.slice(u.node.startIndex, u.node.endIndex)).toBe('Foo');
    expect(u.node.startPosition.row).toBe(1);
  });

  it('does not read plain strings outside annotations', () => {
    expect(undefinedOf('x = "Foo"\ncast("Bar", x)\n')).toEqual(['cast']);
  });

  it('provides __class__ inside methods only', () => {
    expect(undefinedOf('class C:\n    def m(self):\n        return __class__, __module__\n')).toEqual(['__module__']);
    expect(undefinedOf('class C:\n    n = __qualname__ + __module__\n')).toEqual([]);
    expect(undefinedOf('print(__class__)\n')).toEqual(['__class__']);
  });

  it('knows module attributes as builtins', () => {
    const src = 'print(__name__, __file__, __doc__, __spec__, __builtins__, __package__, __path__, __loader__)\n';
    expect(undefinedOf(src)).toEqual([]);
  });

  it('reports no undefined names when a star import may provide them', () => {
    const s = analyzeScopes(parse('from m import *\nprint(zzz)\n').tree);
    expect(s.hasStarImport).toBe(true);
    expect(s.undefinedNames()).toEqual([]);
  });

  it('reports module reads of nested functions, not their locals', () => {
    const src = `
      import os
      CONST = 1
      def f(a):
          def g():
              return a + CONST
          return g, os.path
    `;
    expect(freeOf(src, 'f')).toEqual(['CONST', 'os']);
  });

  it('does not read keyword argument names or attribute names', () => {
    expect(undefinedOf('import os\ndef f(**kw):\n    pass\nf(a=b, path=os.path.zzz)\n')).toEqual(['b']);
  });

  it('makes an augmented assignment target local to the function', () => {
    expect(freeOf('X = 1\ndef f():\n    X += 1\n', 'f')).toEqual([]);
  });

  it('collects module bindings of every binding form', () => {
    const src = `
      import a.b
      from c import d as e
      x, (y, *z) = 1, (2, 3)
      p = q = 0
      for i in []:
          pass
      with f() as w:
          pass
      if (n := 1):
          pass
      try:
          pass
      except Exception as err:
          pass
      def fn():
          pass
      class K:
          pass
      t: int = 1
    `;
    expect([...analyzeScopes(parse(src).tree).moduleBindings()].sort()).toEqual(
      ['K', 'a', 'e', 'err', 'fn', 'i', 'n', 'p', 'q', 't', 'w', 'x', 'y', 'z'].sort(),
    );
  });

  it('reports every node of a free name, in source order', () => {
    const { tree } = parse('def f():\n    return h(h)\n');
    const nodes = analyzeScopes(tree).freeNames(topLevel(tree, 'f')).get('h')!;
    expect(nodes.map((n) => n.startPosition.column)).toEqual([11, 13]);
  });

  it('reports a module-level statement’s reads and a recursive function’s own name', () => {
    const { tree } = parse('X = foo(Y)\ndef f(n):\n    return f(n - 1)\n');
    const s = analyzeScopes(tree);
    expect([...s.freeNames(tree.rootNode.firstNamedChild!).keys()]).toEqual(['foo', 'Y']);
    expect(freeOf('def f(n):\n    return f(n - 1)\n', 'f')).toEqual(['f']);
  });

  it('does not throw on broken code', () => {
    const broken = ['def (:', 'x = = 1', 'class :', 'from . import', 'lambda', 'match x:\n case', 'f(a=)', 'x: "Foo[" = 1', 'with as x:', '[x for in y]'];
    for (const src of broken) {
      const s = analyzeScopes(parsePython(src));
      expect(() => s.undefinedNames()).not.toThrow();
    }
  });

  it('caches the analysis per tree', () => {
    const { tree } = parse('x = 1\n');
    expect(analyzeScopes(tree)).toBe(analyzeScopes(tree));
  });
});

describe('analyzeScopes against CPython symtable', () => {
  // Module-level names each top-level def / class body reads or writes, per CPython's own symbol tables.
  const SYMTABLE = `
import json, sys, symtable
def collect(t, acc):
    for s in t.get_symbols():
        if s.is_global() and (s.is_referenced() or s.is_assigned()):
            acc.add(s.get_name())
        if t.get_type() == 'class' and not s.is_local() and s.is_referenced() and not s.is_free():
            acc.add(s.get_name())
    for c in t.get_children():
        collect(c, acc)
out = []
for src in json.load(sys.stdin):
    res = {}
    for t in symtable.symtable(src, 'snippet.py', 'exec').get_children():
        acc = set()
        collect(t, acc)
        res[t.get_name()] = sorted(acc)
    out.append(res)
print(json.dumps(out))
`;
  const corpus = [
    'import os\nX = 1\ndef f(a, b=X, *c, d: int = 2, **e):\n    g = [a for a in c if a in os.environ]\n    return lambda y=X: y + b + d + len(e) + g[0] + Z\n',
    'class C(Base):\n    x = 1\n    y = [x for _ in range(3)]\n    def m(self):\n        return x, self, __class__, C\n',
    'def f():\n    global G\n    G = 1\n    def g():\n        nonlocal_like = G\n        return nonlocal_like\n    return g\n',
    'def f(xs):\n    if (n := len(xs)) > 1:\n        return [(m := v) for v in xs], m, n\n',
    'def f(cmd):\n    match cmd:\n        case Point(x=0, y=yy) as p:\n            return yy, p\n        case [a, *rest] if a > LIMIT:\n            return rest\n        case {"k": v, **kw}:\n            return v, kw\n        case Color.RED:\n            return None\n',
    'def f():\n    try:\n        import mod\n    except ImportError as e:\n        mod = None\n        log(e)\n    with open(P) as fh, ctx() as (a, b):\n        for i, (j, *k) in enumerate(fh):\n            del a\n    return mod, f"{i!r:>{W}}", j, k, b\n',
    'def outer():\n    x = 1\n    class Inner:\n        y = x\n        def m(self):\n            return x, y\n    return Inner\n',
    'async def f(q):\n    async with lock:\n        async for item in q:\n            await handle(item)\n    return [i async for i in aiter_(q)]\n',
  ];

  it('finds the same module-level names in every top-level definition', () => {
    const python = process.env.REMODEL_PYTHON ?? '.venv/bin/python';
    const expected = JSON.parse(execFileSync(python, ['-c', SYMTABLE], { input: JSON.stringify(corpus) }).toString()) as Record<string, string[]>[];
    corpus.forEach((src, i) => {
      const tree = parsePython(src);
      const scopes = analyzeScopes(tree);
      const ours: Record<string, string[]> = {};
      for (const n of tree.rootNode.namedChildren) {
        const def = n!.type === 'decorated_definition' ? n!.childForFieldName('definition')! : n!;
        if (def.type !== 'function_definition' && def.type !== 'class_definition') continue;
        ours[def.childForFieldName('name')!.text] = [...scopes.freeNames(def.childForFieldName('body')!).keys()].sort();
      }
      expect({ src, names: ours }).toEqual({ src, names: expected[i] });
    });
  });
});
