import path from 'node:path';
import { loadPython } from '@remodel/python';
import { planCodemod, type CodemodPlan } from '@remodel/runtime';
import { registry } from '../registry.js';
import { describeGoldenCases } from '../shared/golden-suite.js';
import { planStep, refusalOf } from '../shared/testing.js';

const FIXTURES = path.resolve('fixtures/extract-function');

beforeAll(loadPython);

const plan = (files: Record<string, string>, step: Record<string, unknown>): Promise<CodemodPlan> => planStep(files, { op: 'extract-function', ...step });

const refusal = (files: Record<string, string>, step: Record<string, unknown>): Promise<{ code: string; message: string }> => refusalOf(plan(files, step));

describeGoldenCases('extract-function', FIXTURES, { minCases: 1, idempotentNote: /nothing to do/ });

describe('extract-function', () => {
  const files = (a: string, b = ''): Record<string, string> => ({ 'pkg/__init__.py': '', 'pkg/a.py': a, ...(b ? { 'pkg/b.py': b } : {}) });
  const step = { to: 'pkg.util', name: 'half', expression: 'n // 2', parameters: ['n'], modules: ['pkg/*.py'] };

  it('passes each occurrence its own identifier; other shapes are no occurrence', async () => {
    const p = await plan(files('def f(x, y):\n    return (x // 2, y // 2, x // 2 // 2, (x) // 2, x // 2.0)\n'), step);
    expect(p.changes.get('pkg/a.py')).toBe('from pkg.util import half\n\n\ndef f(x, y):\n    return (half(x), half(y), half(x) // 2, (x) // 2, x // 2.0)\n');
    expect(p.changes.get('pkg/util.py')).toBe('"""Helpers shared by pkg.a."""\n\n\ndef half(n):\n    return n // 2\n');
  });

  it('never turns the function it created into a call of itself', async () => {
    const first = await plan(files('def f(x):\n    return x // 2\n'), step);
    const again = await planCodemod(first.spec, first.after.withChanges(new Map([['pkg/b.py', 'def g(z):\n    return z // 2\n']])), registry, '/nonexistent-root');
    expect(again.changes.get('pkg/util.py')).toBeUndefined();
    expect(again.changes.get('pkg/b.py')).toBe('from pkg.util import half\n\n\ndef g(z):\n    return half(z)\n');
  });

  it('refuses a name that is local at an occurrence', async () => {
    const r = await refusal(files('import re\n\n\ndef f(s):\n    re = None\n    return re.match("a", s)\n'), { ...step, expression: 're.match("a", s)', parameters: ['s'] });
    expect(r).toEqual({ code: 'local-name', message: 't: steps[0].expression: `re` is a local name at pkg/a.py:6, not the module-level name the function would read' });
  });

  it('refuses a name defined by the occurring module, or bound differently in two modules', async () => {
    expect((await refusal(files('LIMIT = 2\n\n\ndef f(n):\n    return n // LIMIT\n'), { ...step, expression: 'n // LIMIT' })).code).toBe('module-definition');
    const r = await refusal(files('import re\n\n\ndef f(s):\n    return re.escape(s)\n', 'import regex as re\n\n\ndef g(s):\n    return re.escape(s)\n'), { ...step, expression: 're.escape(s)', parameters: ['s'] });
    expect(r.code).toBe('different-bindings');
  });

  it('refuses when a test patches a name the expression reads through the occurring module', async () => {
    const r = await refusal(
      { ...files('import os\n\n\ndef f(p):\n    return os.path.exists(p)\n'), 'tests/test_a.py': 'from unittest.mock import patch\n\n\ndef test():\n    with patch("pkg.a.os"):\n        pass\n' },
      { ...step, expression: 'os.path.exists(p)', parameters: ['p'] },
    );
    expect(r.message).toBe('t: steps[0].expression: `pkg.a.os` is patched at tests/test_a.py:5; the function would read pkg.util.os instead');
  });

  it('refuses an expression that is not one expression, an unused parameter, no occurrence, a name taken', async () => {
    expect((await refusal(files('X = 1\n'), { ...step, expression: 'x = 1' })).code).toBe('bad-expression');
    expect((await refusal(files('X = 1\n'), { ...step, parameters: ['n', 'm'] })).code).toBe('unused-parameter');
    expect((await refusal(files('X = 1\n'), step)).message).toBe('t: steps[0].expression: `n // 2` occurs in none of pkg/*.py');
    expect((await refusal({ ...files('def f(n):\n    return n // 2\n'), 'pkg/util.py': 'def half(n):\n    return n / 2\n' }, step)).code).toBe('name-taken');
  });
});
