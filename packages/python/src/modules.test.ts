import { moduleNames, resolveRelative } from './modules.js';

describe('moduleNames', () => {
  const names = (paths: string[]) => Object.fromEntries([...moduleNames(paths)].map(([p, n]) => [p, n.module]));

  it('names package modules by their package chain', () => {
    expect(
      names(['pkg/__init__.py', 'pkg/sub/__init__.py', 'pkg/sub/m.py', 'pkg/a.py', 'main.py']),
    ).toEqual({ 'pkg/__init__.py': 'pkg', 'pkg/sub/__init__.py': 'pkg.sub', 'pkg/sub/m.py': 'pkg.sub.m', 'pkg/a.py': 'pkg.a', 'main.py': 'main' });
  });

  it('names files in a directory without __init__.py relative to that directory', () => {
    expect(names(['tests/test_x.py', 'tests2/__init__.py', 'tests2/test_y.py', 'lib/pkg/__init__.py', 'lib/pkg/m.py'])).toEqual({
      'tests/test_x.py': 'test_x',
      'tests2/__init__.py': 'tests2',
      'tests2/test_y.py': 'tests2.test_y',
      'lib/pkg/__init__.py': 'pkg',
      'lib/pkg/m.py': 'pkg.m',
    });
  });

  it('gives duplicates null, unless one is relative to a shallower directory', () => {
    expect(names(['tests/conftest.py', 'tests/unit/conftest.py', 'conftest.py', 'a/x.py', 'b/x.py'])).toEqual({
      'tests/conftest.py': null,
      'tests/unit/conftest.py': null,
      'conftest.py': 'conftest',
      'a/x.py': null,
      'b/x.py': null,
    });
  });

  it('gives null to files that are not importable by name', () => {
    expect(names(['my-script.py', 'pkg/__init__.py', 'pkg/1x.py', 'README.md', '__init__.py'])).toEqual({
      'my-script.py': null,
      'pkg/__init__.py': 'pkg',
      'pkg/1x.py': null,
      'README.md': null,
      '__init__.py': null,
    });
  });
});

describe('resolveRelative', () => {
  it('climbs one package per extra dot', () => {
    expect(resolveRelative('pkg.sub', 1, '')).toBe('pkg.sub');
    expect(resolveRelative('pkg.sub', 1, 'm')).toBe('pkg.sub.m');
    expect(resolveRelative('pkg.sub', 2, '')).toBe('pkg');
    expect(resolveRelative('pkg.sub', 2, 'a.b')).toBe('pkg.a.b');
    expect(resolveRelative('pkg', 0, 'os')).toBe('os');
  });

  it('is null above the top-level package or outside a package', () => {
    expect(resolveRelative('pkg', 2, 'x')).toBeNull();
    expect(resolveRelative(null, 1, 'x')).toBeNull();
  });
});
