import { hasBareRelativeImport, importText, mentions } from './import-text.js';

describe('importText', () => {
  it('keeps import lines, with bracket and backslash continuations, and drops the rest', () => {
    const text = [
      'import os',
      'from a.b import (  # comment (',
      '    c,',
      '    d,',
      ')',
      'from e import \\',
      '    f',
      'x = c(d)',
      'def g():',
      '    from h.i import j',
      '    return j',
    ].join('\n');
    expect(importText(text).split('\n')).toEqual([
      'import os',
      'from a.b import (  # comment (',
      '    c,',
      '    d,',
      ')',
      'from e import \\',
      '    f',
      '    from h.i import j',
    ]);
  });

  it('over-approximates: docstring lines that start like imports stay, and a statement after `:` or `;` keeps the whole text', () => {
    expect(importText('"""\nfrom the start\n"""\nx = 1\n')).toBe('from the start');
    const inline = 'try: import orjson\nexcept ImportError: orjson = None\n';
    expect(importText(inline)).toBe(inline);
    const semi = 'x = 1; from a import b\n';
    expect(importText(semi)).toBe(semi);
  });

  it('mentions: whole words only', () => {
    const region = importText('from venom_core.core import orchestrator_queue\nimport venom_core.main\n');
    expect(mentions(region, 'orchestrator_queue')).toBe(true);
    expect(mentions(region, 'orchestrator')).toBe(false);
    expect(mentions(region, 'main')).toBe(true);
    expect(mentions(importText('if __name__ == "__main__":\n    pass\n'), 'main')).toBe(false);
  });

  it('hasBareRelativeImport: `from . import x` and `from .. import x`, not `from .m import x`', () => {
    expect(hasBareRelativeImport(importText('from . import x\n'))).toBe(true);
    expect(hasBareRelativeImport(importText('from .. import (\n    x,\n)\n'))).toBe(true);
    expect(hasBareRelativeImport(importText('from .m import x\n'))).toBe(false);
  });
});
