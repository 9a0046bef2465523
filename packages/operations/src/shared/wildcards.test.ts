import { escapeRegExp, wildcardRegExp } from './wildcards.js';

describe('wildcardRegExp', () => {
  it('matches path patterns: `*` within a segment, `**` across segments, the rest literal', () => {
    const re = wildcardRegExp('/models/{name}/*', true);
    expect(re.test('/models/{name}/install')).toBe(true);
    expect(re.test('/models/{name}/a/b')).toBe(false);
    expect(re.test('/models/x/install')).toBe(false);
    expect(wildcardRegExp('venom_core/**/model_*.py', true).test('venom_core/core/sub/model_registry.py')).toBe(true);
    expect(wildcardRegExp('venom_core/*.py', true).test('venom_core/core/x.py')).toBe(false);
    expect(wildcardRegExp('a?.py', true).test('ab.py')).toBe(false);
  });

  it('matches names: `*` anything, dots and brackets literal', () => {
    expect(wildcardRegExp('_validate_*', false).test('_validate_model_name')).toBe(true);
    expect(wildcardRegExp('_validate_*', false).test('x_validate_')).toBe(false);
    expect(wildcardRegExp('a.b', false).test('axb')).toBe(false);
    expect(escapeRegExp('pkg.mod[0]')).toBe('pkg\\.mod\\[0\\]');
  });
});
