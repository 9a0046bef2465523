import { resolveRelative as pythonResolveRelative } from '@remodel/python';
import { isTestPath, moduleOfPath, packageOf, resolveRelative } from './modules.js';

describe('modules', () => {
  it('names modules from paths', () => {
    expect(moduleOfPath('venom_core/core/orchestrator.py')).toBe('venom_core.core.orchestrator');
    expect(moduleOfPath('venom_core/__init__.py')).toBe('venom_core');
    expect(moduleOfPath('web-next/x.py')).toBeNull();
  });

  it('recognises test files the way pytest collects them', () => {
    expect(isTestPath('tests/helpers.py')).toBe(true);
    expect(isTestPath('pkg/test_x.py')).toBe(true);
    expect(isTestPath('pkg/conftest.py')).toBe(true);
    expect(isTestPath('pkg/testing.py')).toBe(false);
  });

  it('resolves relative imports exactly like @remodel/python', () => {
    const cases: [string | null, number, string][] = [
      ['a.b', 1, 'c'], ['a.b', 2, 'c'], ['a.b', 3, 'c'], ['a', 1, ''], ['', 1, 'x'], [null, 1, 'x'], ['a.b.c', 0, 'x.y'],
    ];
    for (const [pkg, level, mod] of cases) expect(resolveRelative(pkg, level, mod)).toBe(pythonResolveRelative(pkg, level, mod));
    expect(packageOf('a.b.c', false)).toBe('a.b');
    expect(packageOf('a.b', true)).toBe('a.b');
    expect(packageOf('top', false)).toBe('');
  });
});
