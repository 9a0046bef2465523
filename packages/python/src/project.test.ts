import { loadPython } from './parse.js';
import { Project } from './project.js';

beforeAll(loadPython);

function project(files: Record<string, string>): Project {
  return new Project(Object.entries(files).map(([path, text]) => ({ path, text })));
}

/** Resolution of every import binding of `path`, as `local -> kind module[:name]`. */
function resolved(p: Project, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const b of p.index(path).imports) {
    const r = p.resolveImport(path, b);
    out[b.local] = `${r.kind} ${r.module}${r.name === null ? '' : ':' + r.name}`;
  }
  return out;
}

describe('Project files', () => {
  it('gives every file its module name and package flag', () => {
    const p = project({ 'pkg/__init__.py': '', 'pkg/m.py': '', 'tests/test_m.py': '' });
    expect([...p.files.values()].map((f) => [f.path, f.module, f.isPackage])).toEqual([
      ['pkg/__init__.py', 'pkg', true],
      ['pkg/m.py', 'pkg.m', false],
      ['tests/test_m.py', 'test_m', false],
    ]);
    expect(p.fileOfModule('pkg.m')?.path).toBe('pkg/m.py');
    expect(p.fileOfModule('pkg.nope')).toBeUndefined();
  });

  it('throws for an unknown path and a duplicate path', () => {
    const p = project({ 'a.py': '' });
    expect(() => p.file('b.py')).toThrow('b.py');
    expect(() => new Project([{ path: 'a.py', text: '' }, { path: 'a.py', text: '' }])).toThrow('duplicate');
  });

  it('caches index and scopes per file', () => {
    const p = project({ 'a.py': 'x = 1\n' });
    expect(p.index('a.py')).toBe(p.index('a.py'));
    expect(p.scopes('a.py')).toBe(p.scopes('a.py'));
  });
});

describe('Project.resolveImport', () => {
  const files = {
    'pkg/__init__.py': 'from .core import Engine\n__all__ = ["Engine", "lazy"]\n',
    'pkg/core.py': 'import sys\nclass Engine: pass\nif sys:\n    FLAG = 1\ndef setup():\n    global STATE\n    STATE = 1\n',
    'pkg/sub/__init__.py': '',
    'pkg/sub/leaf.py': [
      'from . import sibling',
      'from .. import core',
      'from .. import Engine',
      'from ..core import FLAG, STATE, Nope',
      'from ...outside import x',
      'from .sibling import *',
      'import pkg.core as pc',
      'import pkg.ghost',
      'import os.path',
      'from pkg.ghost import y',
      'from pkg import lazy',
      'from __future__ import annotations',
      'from dyn import anything',
      'from star import whatever',
      'from reg import registered',
      '',
    ].join('\n'),
    'pkg/sub/sibling.py': 'x = 1\n',
    'dyn.py': 'def __getattr__(name):\n    return name\n',
    'star.py': 'from os.path import *\n',
    'reg.py': 'for n in ("registered",):\n    globals()[n] = n\n',
  };

  it('resolves absolute and relative imports to modules, symbols, missing and external', () => {
    expect(resolved(project(files), 'pkg/sub/leaf.py')).toEqual({
      sibling: 'module pkg.sub.sibling:sibling',
      core: 'module pkg.core:core',
      Engine: 'symbol pkg:Engine',
      FLAG: 'symbol pkg.core:FLAG',
      STATE: 'symbol pkg.core:STATE',
      Nope: 'missing pkg.core:Nope',
      x: 'missing ...outside:x',
      '*': 'symbol pkg.sub.sibling:*',
      pc: 'module pkg.core',
      pkg: 'missing pkg.ghost',
      os: 'external os.path',
      y: 'missing pkg.ghost:y',
      lazy: 'symbol pkg:lazy',
      annotations: 'external __future__:annotations',
      anything: 'symbol dyn:anything',
      whatever: 'symbol star:whatever',
      registered: 'symbol reg:registered',
    });
  });

  it('resolves `from .. import x` from a package __init__', () => {
    const p = project({ 'a/__init__.py': 'x = 1\n', 'a/b/__init__.py': 'from .. import x\nfrom . import c\n', 'a/b/c.py': '' });
    expect(resolved(p, 'a/b/__init__.py')).toEqual({ x: 'symbol a:x', c: 'module a.b.c:c' });
    expect(p.absoluteModule('a/b/__init__.py', p.index('a/b/__init__.py').imports[0])).toBe('a');
  });

  it('never reports a loose module (relative to a sub-directory) as missing a name', () => {
    const p = project({ 'tests/helpers.py': 'x = 1\n', 'tests/test_a.py': 'from helpers import x, y\n' });
    expect(resolved(p, 'tests/test_a.py')).toEqual({ x: 'symbol helpers:x', y: 'external helpers:y' });
  });

  it('lists module aliases bound at module level', () => {
    const p = project({
      'pkg/__init__.py': '',
      'pkg/a.py': '',
      'pkg/b.py': '',
      'user.py': 'import pkg.a\nimport pkg.b as bee\nfrom pkg import a\nfrom pkg.a import thing\nimport os\ndef f():\n    import pkg.b as local\n',
    });
    expect(Object.fromEntries(p.moduleAliases('user.py'))).toEqual({ pkg: 'pkg', bee: 'pkg.b', a: 'pkg.a' });
  });
});

describe('Project.importGraph and cycles', () => {
  const files = {
    'app/__init__.py': '',
    'app/a.py': 'from app import b\nfrom app.b import thing\nx = 0\n',
    'app/b.py': 'import app.c\nthing = 1\n',
    'app/c.py': [
      'from typing import TYPE_CHECKING',
      'if TYPE_CHECKING:',
      '    from app.a import x',
      'def f():',
      '    from app import a',
      'import app.c',
      '',
    ].join('\n'),
  };

  it('has an edge per imported project module with the first line, and every module as a key', () => {
    const g = project(files).importGraph();
    expect(Object.fromEntries([...g].map(([m, e]) => [m, Object.fromEntries(e)]))).toEqual({
      app: {},
      'app.a': { 'app.b': 1 },
      'app.b': { 'app.c': 1 },
      'app.c': { 'app.a': 3, 'app.c': 6 },
    });
  });

  it('skips function-level and TYPE_CHECKING imports when importTimeOnly', () => {
    const g = project(files).importGraph({ importTimeOnly: true });
    expect(Object.fromEntries(g.get('app.c')!)).toEqual({ 'app.c': 6 });
  });

  it('finds cycles of several modules and self-imports', () => {
    const p = project(files);
    expect(p.cycles(p.importGraph())).toEqual([['app.a', 'app.b', 'app.c']]);
    expect(p.cycles(p.importGraph({ importTimeOnly: true }))).toEqual([['app.c']]);
  });

  it('finds separate cycles and none in a DAG', () => {
    const p = project({});
    const g = (edges: Record<string, string[]>) => new Map(Object.entries(edges).map(([k, v]) => [k, new Map(v.map((t) => [t, 1]))]));
    expect(p.cycles(g({ a: ['b'], b: ['a'], c: ['d'], d: ['e'], e: ['c'], f: ['a'] }))).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e'],
    ]);
    expect(p.cycles(g({ a: ['b', 'c'], b: ['c'], c: [] }))).toEqual([]);
  });
});

describe('Project.withChanges', () => {
  it('reuses unchanged files, reparses changed ones, drops deleted and adds new ones', () => {
    const p = project({ 'pkg/__init__.py': '', 'pkg/a.py': 'x = 1\n', 'pkg/b.py': 'y = 2\n', 'pkg/c.py': '' });
    const q = p.withChanges(new Map([['pkg/b.py', 'y = 3\n'], ['pkg/c.py', null], ['pkg/d.py', 'z = 1\n']]));
    expect(q.file('pkg/a.py')).toBe(p.file('pkg/a.py'));
    expect(q.index('pkg/a.py')).toBe(p.index('pkg/a.py'));
    expect(q.file('pkg/b.py')).not.toBe(p.file('pkg/b.py'));
    expect(q.file('pkg/b.py').text).toBe('y = 3\n');
    expect(q.files.has('pkg/c.py')).toBe(false);
    expect(q.file('pkg/d.py').module).toBe('pkg.d');
    expect([...q.files.keys()]).toEqual(['pkg/__init__.py', 'pkg/a.py', 'pkg/b.py', 'pkg/d.py']);
    expect(p.files.has('pkg/c.py')).toBe(true);
  });

  it('keeps the tree but renames the module when an __init__.py appears', () => {
    const p = project({ 'lib/m.py': 'x = 1\n' });
    const q = p.withChanges(new Map([['lib/__init__.py', '']]));
    expect(p.file('lib/m.py').module).toBe('m');
    expect(q.file('lib/m.py').module).toBe('lib.m');
    expect(q.file('lib/m.py').tree).toBe(p.file('lib/m.py').tree);
  });

  it('keeps the same text unchanged when it is passed as a change', () => {
    const p = project({ 'a.py': 'x = 1\n' });
    expect(p.withChanges(new Map([['a.py', 'x = 1\n']])).file('a.py')).toBe(p.file('a.py'));
  });
});

describe('Project import queries that parse only what they need', () => {
  const files = {
    'app/__init__.py': 'VERSION = 1\n',
    'app/a.py': 'from app import b\n',
    'app/b.py': 'from app.c import run\n',
    'app/c.py': 'import app.a\n\n\ndef run():\n    from app.d import x\n    return x\n',
    'app/d.py': 'from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.c import run\nx = 1\n',
    'app/e.py': 'from . import VERSION\n',
    'app/f.py': 'import app.f\n',
    'app/unrelated.py': 'import json\n\n\ndef main():\n    return json.dumps({"a": 1})\n',
  };

  it('parses a file only when something reads its tree', () => {
    const p = project(files);
    const parsed = (): string[] => [...p.files.values()].filter((f) => (f as { parsed?: boolean }).parsed).map((f) => f.path);
    expect(parsed()).toEqual([]);
    p.index('app/a.py');
    expect(parsed()).toEqual(['app/a.py']);
    p.importersOf('app.c');
    expect(parsed()).not.toContain('app/unrelated.py');
  });

  it('importersOf: import-time importers only (not function level, not TYPE_CHECKING), incl. `from pkg import mod` and bare relative imports', () => {
    const p = project(files);
    expect(p.importersOf('app.c')).toEqual(['app.b']);
    expect(p.importersOf('app.b')).toEqual(['app.a']);
    expect(p.importersOf('app.d')).toEqual([]);
    expect(p.importersOf('app')).toEqual(['app.e']);
    expect(p.importersOf('app.f')).toEqual(['app.f']);
  });

  it('cycleThrough: the strongly connected component through a module, a self-import, or nothing', () => {
    const p = project(files);
    expect(p.cycleThrough('app.b')).toEqual(['app.a', 'app.b', 'app.c']);
    expect(p.cycleThrough('app.d')).toEqual([]);
    expect(p.cycleThrough('app.f')).toEqual(['app.f']);
    const graph = p.importGraph({ importTimeOnly: true });
    expect(p.cycles(graph)).toEqual([['app.a', 'app.b', 'app.c'], ['app.f']]);
  });

  it('importsInto and mayImport agree with the whole import graph', () => {
    const p = project(files);
    const graph = p.importGraph({ importTimeOnly: true });
    const all = new Set(graph.keys());
    for (const [m, edges] of graph) {
      expect(Object.fromEntries(p.importsInto(m, all))).toEqual(Object.fromEntries(edges));
      for (const to of edges.keys()) expect(p.mayImport(p.fileOfModule(m)!.path, to)).toBe(true);
    }
    expect(p.mayImport('app/unrelated.py', 'app.c')).toBe(false);
  });
});
