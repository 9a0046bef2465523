import { loadPython, Project } from '@remodel/python';
import { classifyModule, compareImports, firstPartyRoots, naturalCompare, SECTION_ORDER, sectionRank, STDLIB_MODULES, type ImportSortKey } from './import-sections.js';

beforeAll(loadPython);

describe('classifyModule', () => {
  const first = new Set(['pkg', 'settings', 'logging_utils']);
  it('puts relative imports in the local section and `__future__` first', () => {
    expect(classifyModule('', 1, first)).toBe('local');
    expect(classifyModule('os', 2, first)).toBe('local');
    expect(classifyModule('__future__', 0, first)).toBe('future');
  });

  it('knows the standard library by the top-level name, before the project (as isort and ruff do)', () => {
    for (const m of ['os', 'os.path', 'typing', 'collections.abc', 'tomllib', 'asyncio.tasks', '_thread', 'zoneinfo']) expect([m, classifyModule(m, 0, first)]).toEqual([m, 'stdlib']);
    expect(classifyModule('json', 0, new Set(['json']))).toBe('stdlib');
  });

  it('tells first party (project top-level names) from third party', () => {
    expect(classifyModule('pkg.util', 0, first)).toBe('firstparty');
    expect(classifyModule('settings', 0, first)).toBe('firstparty');
    expect(classifyModule('pkgx', 0, first)).toBe('thirdparty');
    expect(classifyModule('httpx', 0, first)).toBe('thirdparty');
    expect(classifyModule('six', 0, first)).toBe('thirdparty');
  });

  it('embeds Python 3.11 `sys.stdlib_module_names` (no 3.12+ only or removed-in-3.0 names)', () => {
    expect(STDLIB_MODULES.size).toBe(305);
    expect(STDLIB_MODULES.has('distutils')).toBe(true); // removed in 3.12, still in 3.11
    expect(STDLIB_MODULES.has('urllib2')).toBe(false);
    expect(STDLIB_MODULES.has('setuptools')).toBe(false);
  });

  it('orders sections as isort does', () => {
    expect(SECTION_ORDER.map(sectionRank)).toEqual([0, 1, 2, 3, 4]);
    expect(sectionRank('stdlib')).toBeLessThan(sectionRank('thirdparty'));
    expect(sectionRank('firstparty')).toBeLessThan(sectionRank('local'));
  });
});

describe('firstPartyRoots', () => {
  it('is the set of top-level packages, folders and modules of the project, also under src/', () => {
    const project = new Project([
      { path: 'app/__init__.py', text: '' },
      { path: 'app/core/x.py', text: '' },
      { path: 'manage.py', text: '' },
      { path: 'tests/test_x.py', text: '' },
      { path: 'src/lib/__init__.py', text: '' },
      { path: 'src/tool.py', text: '' },
      { path: 'README.md', text: '' },
    ]);
    // `x` and `test_x` are importable as top-level names only with their folder on sys.path: not project roots.
    expect([...firstPartyRoots(project)].sort()).toEqual(['app', 'lib', 'manage', 'src', 'tests', 'tool']);
  });
});

describe('compareImports (isort default: force_sort_within_sections = false)', () => {
  const sort = (keys: ImportSortKey[]): string[] =>
    [...keys].sort(compareImports).map((k) => (k.kind === 'import' ? `import ${k.module}` : `from ${'.'.repeat(k.level)}${k.module} import x`));
  const imp = (module: string): ImportSortKey => ({ kind: 'import', module, level: 0 });
  const from = (module: string, level = 0): ImportSortKey => ({ kind: 'from', module, level });

  it('puts straight imports before `from` imports, each by module name, case-insensitively', () => {
    expect(sort([from('abc'), imp('sys'), from('Zeta'), imp('os.path'), imp('os'), from('alpha'), imp('Json')])).toEqual([
      'import Json', 'import os', 'import os.path', 'import sys', 'from abc import x', 'from alpha import x', 'from Zeta import x',
    ]);
  });

  it('sorts numbers naturally', () => {
    expect(sort([imp('mod10'), imp('mod2'), imp('mod1')])).toEqual(['import mod1', 'import mod2', 'import mod10']);
    expect(naturalCompare('a2b', 'a10b')).toBeLessThan(0);
    expect(naturalCompare('same', 'same')).toBe(0);
  });

  it('orders relative imports furthest first (isort reverse_relative = false, ruff furthest-to-closest)', () => {
    expect(sort([from('b', 1), from('', 1), from('a', 2), from('', 2)])).toEqual(['from .. import x', 'from ..a import x', 'from . import x', 'from .b import x']);
  });
});
