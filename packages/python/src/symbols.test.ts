import { loadPython, parsePython } from './parse.js';
import { indexModule } from './symbols.js';
import type { ImportBinding } from './types.js';

beforeAll(loadPython);

function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

function index(src: string) {
  return indexModule(parsePython(dedent(src)));
}

function imports(src: string) {
  return index(src).imports.map((b: ImportBinding) => ({
    local: b.local,
    module: b.module,
    level: b.level,
    name: b.name,
    alias: b.alias,
  }));
}

describe('indexModule imports', () => {
  it('indexes `import a.b` and `import a.b as c`', () => {
    expect(imports('import a.b, os\nimport a.b as c\n')).toEqual([
      { local: 'a', module: 'a.b', level: 0, name: null, alias: null },
      { local: 'os', module: 'os', level: 0, name: null, alias: null },
      { local: 'c', module: 'a.b', level: 0, name: null, alias: 'c' },
    ]);
  });

  it('indexes relative imports with their level', () => {
    expect(imports('from . import x\nfrom ..a import b as c\nfrom .m.n import y\n')).toEqual([
      { local: 'x', module: '', level: 1, name: 'x', alias: null },
      { local: 'c', module: 'a', level: 2, name: 'b', alias: 'c' },
      { local: 'y', module: 'm.n', level: 1, name: 'y', alias: null },
    ]);
  });

  it('indexes parenthesised multi-line imports with comments and a trailing comma', () => {
    const src = `
      from m import (
          x,  # first
          y as z,
      )
    `;
    const b = index(src).imports;
    expect(b.map((i) => [i.local, i.name, i.line])).toEqual([
      ['x', 'x', 2],
      ['z', 'y', 3],
    ]);
    expect(b[1].node.type).toBe('aliased_import');
    expect(b[1].statement.type).toBe('import_from_statement');
  });

  it('indexes star imports and __future__ imports', () => {
    expect(imports('from __future__ import annotations\nfrom m import *\n')).toEqual([
      { local: 'annotations', module: '__future__', level: 0, name: 'annotations', alias: null },
      { local: '*', module: 'm', level: 0, name: '*', alias: null },
    ]);
  });

  it('flags imports under `if TYPE_CHECKING:` but not its else branch', () => {
    const src = `
      import typing
      if TYPE_CHECKING:
          from a import B
      else:
          from a import C
      if typing.TYPE_CHECKING:  # only for mypy
          import d
    `;
    expect(index(src).imports.map((b) => [b.local, b.typeChecking])).toEqual([
      ['typing', false],
      ['B', true],
      ['C', false],
      ['d', true],
    ]);
  });

  it('flags try/except ImportError imports as guarded, in the body and the handler', () => {
    const src = `
      try:
          import ujson as json
      except (ImportError, ValueError):
          import json
      try:
          import yaml
      except ModuleNotFoundError as e:
          yaml = None
      try:
          import plain
      except KeyError:
          pass
      finally:
          import fin
    `;
    expect(index(src).imports.map((b) => [b.local, b.guarded])).toEqual([
      ['json', true],
      ['json', true],
      ['yaml', true],
      ['plain', false],
      ['fin', false],
    ]);
  });

  it('reads dotted names written with spaces, line continuations or comments like plain ones', () => {
    const text = 'import a . b\nimport c.\\\n  d as e\nfrom f . g import (h .\n  i)\n';
    const tree = parsePython(text);
    expect(tree.rootNode.hasError).toBe(false);
    expect(indexModule(tree).imports.map((b) => [b.local, b.module, b.name])).toEqual([
      ['a', 'a.b', null],
      ['e', 'c.d', null],
      ['h.i', 'f.g', 'h.i'],
    ]);
  });

  it('reads dotted names node by node in a tree with syntax errors', () => {
    const tree = parsePython('import a.b\nimport c . d  # x\nfrom e.f import g\ndef h(:\n    pass\n');
    expect(tree.rootNode.hasError).toBe(true);
    expect(indexModule(tree).imports.map((b) => [b.module, b.name])).toEqual([
      ['a.b', null],
      ['c.d', null],
      ['e.f', 'g'],
    ]);
  });

  it('marks imports in def and class bodies as not top-level', () => {
    const src = `
      import a
      if a:
          import b
      def f():
          import c
          if c:
              from d import e
      class K:
          import g
    `;
    expect(index(src).imports.map((b) => [b.local, b.topLevel])).toEqual([
      ['a', true],
      ['b', true],
      ['c', false],
      ['e', false],
      ['g', false],
    ]);
  });
});

describe('indexModule defs', () => {
  it('indexes def, async def, class and decorated definitions with their kind', () => {
    const src = `
      def f():
          pass
      async def g():
          pass
      class C:
          pass
      @deco
      def h():
          pass
    `;
    const defs = index(src).defs;
    expect([...defs.values()].map((d) => [d.name, d.kind, d.node.type, d.nameNode.text])).toEqual([
      ['f', 'function', 'function_definition', 'f'],
      ['g', 'function', 'function_definition', 'g'],
      ['C', 'class', 'class_definition', 'C'],
      ['h', 'function', 'decorated_definition', 'h'],
    ]);
  });

  it('indexes tuple, starred, chained, annotated and augmented assignment targets with siblings', () => {
    const src = `
      a, (b, *c) = 1, (2, 3)
      p = q = 0
      x: int = 1
      y: int
      z += 1
      a += 1
      obj.attr = 2
    `;
    const defs = index(src).defs;
    expect([...defs.keys()]).toEqual(['a', 'b', 'c', 'p', 'q', 'x', 'y', 'z']);
    expect(defs.get('b')!.siblings).toEqual(['a', 'c']);
    expect(defs.get('q')!.siblings).toEqual(['p']);
    expect(defs.get('x')!.siblings).toEqual([]);
    expect(defs.get('a')!.node.startPosition.row).toBe(0);
    expect(defs.get('a')!.kind).toBe('assignment');
  });

  it('includes comment lines directly above and decorators in the range, up to the newline', () => {
    const src = dedent(`
      import os

      # leading comment
      # second line
      @deco(1)
      def f():
          pass  # trailing
      x = 1
    `);
    const d = indexModule(parsePython(src)).defs.get('f')!;
    expect(src.slice(d.start, d.end)).toBe('# leading comment\n# second line\n@deco(1)\ndef f():\n    pass  # trailing\n');
  });

  it('leaves out comments separated by a blank line and trailing comments of the previous statement', () => {
    const src = dedent(`
      # detached

      def f():
          pass
      y = 2  # about y
      def g():
          pass
    `);
    const defs = indexModule(parsePython(src)).defs;
    expect(src.slice(defs.get('f')!.start, defs.get('f')!.end)).toBe('def f():\n    pass\n');
    expect(src.slice(defs.get('y')!.start, defs.get('y')!.end)).toBe('y = 2  # about y\n');
    expect(src.slice(defs.get('g')!.start, defs.get('g')!.end)).toBe('def g():\n    pass\n');
  });

  it('ends the range at the end of the text when the file has no final newline', () => {
    const src = 'x = 1\ny = 2';
    const d = indexModule(parsePython(src)).defs.get('y')!;
    expect([d.start, d.end]).toEqual([6, src.length]);
  });

  it('keeps ranges and __all__ right in a file starting with blank lines (the module node starts after them)', () => {
    const text = '\n\n__all__ = ["f"]\n# about f\ndef f():\n    pass\nx = 1\n';
    const ix = indexModule(parsePython(text));
    const range = (name: string): string => text.slice(ix.defs.get(name)!.start, ix.defs.get(name)!.end);
    expect(range('f')).toBe('# about f\ndef f():\n    pass\n');
    expect(range('x')).toBe('x = 1\n');
    expect(ix.all).toEqual(['f']);
  });

  it('gives consecutive definitions of one function (overloads) one range', () => {
    const src = dedent(`
      @overload
      def f(x: int) -> int: ...
      @overload
      def f(x: str) -> str: ...
      def f(x):
          return x
      def g():
          pass
      def f():
          pass
    `);
    const defs = indexModule(parsePython(src)).defs;
    const f = defs.get('f')!;
    expect(src.slice(f.start, f.end)).toBe(src.slice(0, src.indexOf('def g')));
    expect(f.node.startPosition.row).toBe(0);
  });

  it('does not index names bound inside module-level if / try blocks or functions', () => {
    expect([...index('if x:\n    A = 1\ndef f():\n    B = 1\n').defs.keys()]).toEqual(['f']);
  });
});

describe('indexModule __all__ and global writes', () => {
  it('reads a literal list, a tuple, += and extend / append', () => {
    expect(index('__all__ = ["a", \'b\']\n').all).toEqual(['a', 'b']);
    expect(index('__all__ = ("a",)\n__all__ += ["b"]\n__all__.extend(("c",))\n__all__.append("d")\n').all).toEqual(['a', 'b', 'c', 'd']);
    expect(index('__all__ = ["a"] + ["b"]\n').all).toEqual(['a', 'b']);
  });

  it('is null without __all__ or when it is not literal', () => {
    expect(index('x = 1\n').all).toBeNull();
    expect(index('__all__ = names()\n').all).toBeNull();
    expect(index('__all__ = ["a"]\n__all__ += other.__all__\n').all).toBeNull();
    expect(index('__all__ = [f"{x}"]\n').all).toBeNull();
  });

  it('records module names rebound through `global`', () => {
    const src = `
      STATE = None
      def init():
          global STATE, UNUSED
          STATE = 1
      def read():
          global OTHER
          return OTHER
    `;
    const g = index(src).globalWrites;
    expect([...g.keys()]).toEqual(['STATE']);
    expect(g.get('STATE')![0].startPosition.row).toBe(3);
  });
});
