import path from 'node:path';
import { loadPython, Project } from '@remodel/python';
import { parseSpec, planCodemod, PlanError, type CodemodPlan } from '@remodel/runtime';
import { registry } from '../registry.js';
import { describeGoldenCases } from '../shared/golden-suite.js';
import { wrapCall } from './index.js';

const FIXTURES = path.resolve('fixtures/extract-shared-helper');

beforeAll(loadPython);

async function plan(text: string, helpers: Record<string, unknown>[]): Promise<CodemodPlan> {
  const project = new Project([{ path: 'm.py', text }]);
  const yaml = `id: t\ntitle: t\nsteps:\n  - ${JSON.stringify({ op: 'extract-shared-helper', module: 'm.py', helpers })}\n`;
  return planCodemod(parseSpec(yaml, 'inline', registry), project, registry, '/tmp');
}

async function refusal(text: string, helpers: Record<string, unknown>[]): Promise<PlanError> {
  try {
    await plan(text, helpers);
  } catch (error) {
    if (error instanceof PlanError) return error;
    throw error;
  }
  throw new Error('expected the step to be refused');
}

describeGoldenCases('extract-shared-helper', FIXTURES, { minCases: 1, idempotentNote: /already extracted, nothing to do/ });

const TWO = [
  'class A:',
  '    def check(self, v):',
  '        """Docstring stays."""',
  '        if v > 3:',
  '            raise ValueError("too big")',
  '        return v',
  '',
  '',
  'class B:',
  '    def check(self, value):',
  '        if value > 3:',
  '            raise ValueError("too big")',
  '        return value',
  '',
].join('\n');

describe('extract-shared-helper', () => {
  it('keeps each method in place with its signature and docstring, and passes only what the body reads', async () => {
    const p = await plan(TWO, [{ name: '_check', functions: ['A.check', 'B.check'] }]);
    expect(p.changes.get('m.py')).toBe([
      'def _check(v):',
      '    if v > 3:',
      '        raise ValueError("too big")',
      '    return v',
      '',
      '',
      'class A:',
      '    def check(self, v):',
      '        """Docstring stays."""',
      '        return _check(v)',
      '',
      '',
      'class B:',
      '    def check(self, value):',
      '        return _check(value)',
      '',
    ].join('\n'));
  });

  it("indents the helper with the file's own unit (tabs stay tabs) and leaves multi-line strings alone", async () => {
    const text = TWO.split('\n')
      .map((l) => l.replace(/^( {4})+/, (m) => '\t'.repeat(m.length / 4)))
      .join('\n')
      .replaceAll('raise ValueError("too big")', 'raise ValueError("""too\n  big""")');
    const out = (await plan(text, [{ name: '_check', functions: ['A.check', 'B.check'] }])).changes.get('m.py')!;
    expect(out.startsWith('def _check(v):\n\tif v > 3:\n\t\traise ValueError("""too\n  big""")\n\treturn v\n')).toBe(true);
    expect(out).toContain('\tdef check(self, value):\n\t\treturn _check(value)\n');
  });

  it('passes self/cls, *args and **kwargs when the body reads them, and awaits async helpers', async () => {
    const text = [
      'class A:',
      '    async def run(self, *args, **kw):',
      '        return await self.go(args, kw)',
      '',
      'class B:',
      '    async def run(self, *a, **k):',
      '        return await self.go(a, k)',
      '',
    ].join('\n');
    const out = (await plan(text, [{ name: '_run', match: '*.run' }])).changes.get('m.py')!;
    expect(out).toContain('async def _run(self, *args, **kw):\n    return await self.go(args, kw)\n');
    expect(out).toContain('    async def run(self, *a, **k):\n        return await _run(self, *a, **k)\n');
  });

  it('refuses bodies that differ beyond names', async () => {
    const e = await refusal(TWO.replace('value > 3', 'value >= 3'), [{ name: '_check', functions: ['A.check', 'B.check'] }]);
    expect([e.code, e.message]).toEqual(['not-duplicates', 't: steps[0] (extract-shared-helper): B.check (line 11) differs from A.check (line 4) beyond names and literals']);
  });

  it('refuses differing literals unless they are named, listing them', async () => {
    const text = TWO.replace('value > 3', 'value > 5');
    const e = await refusal(text, [{ name: '_check', functions: ['A.check', 'B.check'] }]);
    expect([e.code, e.message]).toEqual(['differing-literals', 't: steps[0] (extract-shared-helper): A.check, B.check differ in 1 literal(s): 3 / 5; name them with parameters: [...]']);
    expect((await refusal(text, [{ name: '_check', functions: ['A.check', 'B.check'], parameters: ['a', 'b'] }])).code).toBe('parameter-count');
    expect((await refusal(text, [{ name: '_check', functions: ['A.check', 'B.check'], parameters: ['v'] }])).code).toBe('parameter-name-taken');
    const ok = (await plan(text, [{ name: '_check', functions: ['A.check', 'B.check'], parameters: ['limit'] }])).changes.get('m.py')!;
    expect(ok).toContain('def _check(v, limit):\n    if v > limit:');
    expect(ok).toContain('return _check(value, 5)');
  });

  it.each([
    ['generator', '        yield v', 'unsafe-body'],
    ['global', '        global X', 'unsafe-body'],
    ['super()', '        super().check(v)', 'unsafe-body'],
    ['name-mangled attribute', '        self.__secret = 1', 'unsafe-body'],
  ])('refuses a body that cannot leave its class (%s)', async (_label, line, code) => {
    const text = TWO.replace('        if v > 3:', `${line}\n        if v > 3:`).replace('        if value > 3:', `${line.replace(/\bv\b/, 'value')}\n        if value > 3:`);
    expect((await refusal(text, [{ name: '_check', functions: ['A.check', 'B.check'] }])).code).toBe(code);
  });

  it.each([
    ['unknown-function', [{ name: '_check', functions: ['A.check', 'C.check'] }]],
    ['too-few-matches', [{ name: '_check', match: 'A.*' }]],
    ['helper-name-taken', [{ name: 'A', functions: ['A.check', 'B.check'] }]],
    ['function-twice', [{ name: '_a', functions: ['A.check', 'B.check'] }, { name: '_b', match: '*.check' }]],
  ])('bad input: %s', async (code, helpers) => {
    const e = await refusal(TWO, helpers);
    expect(e.code).toBe(code);
    expect(e.message).not.toContain('\n');
  });

  it('rejects a helper entry with neither functions nor match', async () => {
    await expect(plan(TWO, [{ name: '_check' }])).rejects.toThrow(/helpers/);
  });

  it('wraps long calls the way black does', () => {
    expect(wrapCall('    ', 'return f(', ['a', 'b'], ')')).toBe('return f(a, b)');
    expect(wrapCall('        ', 'return _check_name(', ['value', '100', '"a fairly long message of validation"', 'r"^[a-z]+$"'], ')')).toBe(
      'return _check_name(\n            value, 100, "a fairly long message of validation", r"^[a-z]+$"\n        )',
    );
    expect(wrapCall('', 'def f(', ['x'.repeat(50), 'y'.repeat(50)], '):')).toBe(`def f(\n    ${'x'.repeat(50)},\n    ${'y'.repeat(50)},\n):`);
  });
});
