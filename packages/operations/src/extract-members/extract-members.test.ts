import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadPython, Project } from '@remodel/python';
import { loadSpec, planCodemod, type CodemodPlan } from '@remodel/runtime';
import { registry } from '../registry.js';
import { loadProject, materialize, planStep, refusalOf, runGolden, runPytest } from '../shared/testing.js';
import { describeGoldenCases } from '../shared/golden-suite.js';

const FIXTURES = path.resolve('fixtures/extract-members');

beforeAll(loadPython);

/** Plans a one-step extract-members codemod on an in-memory project. */
const plan = (files: Record<string, string>, step: Record<string, unknown>): Promise<CodemodPlan> => planStep(files, { op: 'extract-members', ...step }, '/tmp');

const refusal = refusalOf;

describeGoldenCases('extract-members', FIXTURES, { minCases: 8, warnings: true, idempotentNote: /nothing to do/ });

describe('extract-members refusals (fixtures/extract-members/refusals)', () => {
  const dir = path.join(FIXTURES, 'refusals');
  const specs = readdirSync(path.join(dir, 'specs')).filter((f) => f.endsWith('.yaml')).sort();
  let project: Project;
  beforeAll(async () => {
    project = await loadProject(path.join(dir, 'before'));
  });
  it('has one spec per refusal', () => expect(specs.length).toBeGreaterThanOrEqual(12));
  for (const file of specs) {
    it(file, async () => {
      const specFile = path.join(dir, 'specs', file);
      const text = readFileSync(specFile, 'utf8');
      const [, code, pattern] = /^# expect: (\S+) (.*)$/m.exec(text)!;
      const err = await refusal(planCodemod(loadSpec(specFile, registry), project, registry, dir));
      expect(err.code).toBe(code);
      expect(err.message).toMatch(new RegExp(pattern));
      expect(err.message).not.toContain('\n');
    });
  }
});

describe('patch targets: the patched value must reach the moved code (fixtures/extract-members/patch-retarget)', () => {
  const dir = path.join(FIXTURES, 'patch-retarget');
  let result: Awaited<ReturnType<typeof runGolden>>;
  beforeAll(async () => {
    result = await runGolden(dir);
  });

  it('notes what was retargeted and what is read at call time', () => {
    const notes = result.plan.steps[0].notes.join('\n');
    expect(notes).toMatch(/patch targets of `app\.engine\.THRESHOLD` now point at `app\.engine_tools\.THRESHOLD`/);
    expect(notes).toMatch(/reads `Client` from app\.engine at call time/);
  });

  it('control: the old patch targets no longer reach the moved code, so the rewrite is what keeps the tests green', () => {
    const out = materialize(path.join(dir, 'before'), result.plan);
    try {
      writeFileSync(path.join(out, 'tests/test_engine.py'), readFileSync(path.join(dir, 'before/tests/test_engine.py'), 'utf8'));
      const run = runPytest(out);
      expect(run.status).not.toBe(0);
      expect(run.output).toMatch(/3 failed, 1 passed/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('control: importing the shared, patched class at import time would miss the patch', () => {
    const out = materialize(path.join(dir, 'before'), result.plan);
    try {
      const file = path.join(out, 'app/engine_tools.py');
      const text = readFileSync(file, 'utf8');
      const mutated = text
        .replace(/        # Imported when called: engine imports this module\.\n        from app\.engine import Client\n\n/, '')
        .replace('THRESHOLD = 10', 'from app.client import Client\n\nTHRESHOLD = 10');
      expect(mutated).not.toBe(text);
      writeFileSync(file, mutated);
      const run = runPytest(out);
      expect(run.output).toMatch(/1 failed, 3 passed/);
      expect(run.output).toMatch(/test_class_patch_reaches_staying_and_moved_code/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('extract-members inline cases', () => {
  const owner = [
    'class Owner:',
    '    def __init__(self, repo):',
    '        self.repo = repo',
    '',
    '    def load(self, key):',
    '        return self.repo.get(key)',
    '',
    '    def save(self, key, value):',
    '        self.repo[key] = value',
    '',
  ].join('\n');

  it('keeps CRLF files CRLF and writes the new module with LF only', async () => {
    const p = await plan({ 'pkg/__init__.py': '', 'pkg/a.py': owner.replace(/\n/g, '\r\n') }, {
      module: 'pkg.a',
      class: 'Owner',
      groups: [{ name: 'Loader', module: 'pkg.b', style: 'delegate', members: ['load'] }],
    });
    expect(p.problems).toEqual([]);
    const a = p.changes.get('pkg/a.py')!;
    expect(a.replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(a).toContain('        return self._loader.load(key)\r\n');
    const b = p.changes.get('pkg/b.py')!;
    expect(b).not.toContain('\r');
    expect(b).toContain('    def __init__(self, repo):\n        self.repo = repo\n');
  });

  it('routes members a subclass overrides through the owner (dynamic dispatch is kept)', async () => {
    const files = {
      'pkg/__init__.py': '',
      'pkg/a.py': [
        'class Owner:',
        '    def __init__(self):',
        '        self.n = 1',
        '',
        '    def name(self):',
        '        return "owner"',
        '',
        '    def greet(self):',
        '        return "hi " + self.name()',
        '',
      ].join('\n'),
      'pkg/sub.py': 'from pkg.a import Owner\n\n\nclass Sub(Owner):\n    def name(self):\n        return "sub"\n',
    };
    const p = await plan(files, {
      module: 'pkg.a',
      class: 'Owner',
      groups: [{ name: 'Greeter', module: 'pkg.greeter', style: 'delegate', members: ['name', 'greet'] }],
    });
    expect(p.changes.get('pkg/greeter.py')).toContain('return "hi " + self._owner.name()');
    expect(p.steps[0].notes.join('\n')).toMatch(/reaches `name` through Owner: overridden in pkg\/sub\.py:5/);
  });

  it('reports attributes that stay on the owner and refuses them with coupling: refuse', async () => {
    const files = {
      'pkg/__init__.py': '',
      'pkg/a.py': [
        'class Owner:',
        '    def __init__(self):',
        '        self.count = 0',
        '',
        '    def bump(self):',
        '        self.count += 1',
        '',
        '    def report(self):',
        '        return self.count',
        '',
      ].join('\n'),
    };
    const group = { name: 'Counter', module: 'pkg.counter', style: 'delegate', members: ['bump'] };
    const kept = await plan(files, { module: 'pkg.a', class: 'Owner', groups: [group] });
    expect(kept.steps[0].notes.join('\n')).toMatch(/`count` stays on Owner: Counter writes it and other code reads it/);
    expect(kept.changes.get('pkg/counter.py')).toContain('self._owner.count += 1');
    const err = await refusal(plan(files, { module: 'pkg.a', class: 'Owner', groups: [{ ...group, coupling: 'refuse' }] }));
    expect(err.code).toBe('coupling');
  });

  it('empties a class body to `pass` when every member leaves', async () => {
    const p = await plan({ 'pkg/__init__.py': '', 'pkg/a.py': 'class Owner:\n    def a(self):\n        return 1\n' }, {
      module: 'pkg.a',
      class: 'Owner',
      groups: [{ name: 'AMixin', module: 'pkg.b', style: 'mixin', members: ['a'] }],
    });
    expect(p.changes.get('pkg/a.py')).toMatch(/^from pkg\.b import AMixin\n\n+class Owner\(AMixin\):\n    pass\n$/);
    expect(p.problems).toEqual([]);
  });

  it('forwards every kind of parameter from a delegating member', async () => {
    const src = [
      'class Owner:',
      '    def __init__(self):',
      '        pass',
      '',
      '    async def run(self, a, /, b, *args, c, d=1, **kw):',
      '        return (a, b, args, c, d, kw)',
      '',
      '    async def stream(self, n):',
      '        for i in range(n):',
      '            yield i',
      '',
    ].join('\n');
    const p = await plan({ 'pkg/__init__.py': '', 'pkg/a.py': src }, {
      module: 'pkg.a',
      class: 'Owner',
      groups: [{ name: 'Runner', module: 'pkg.b', style: 'delegate', attribute: 'runner', members: ['run', 'stream'] }],
    });
    const a = p.changes.get('pkg/a.py')!;
    expect(a).toContain('        return await self.runner.run(a, b, *args, c=c, d=d, **kw)\n');
    expect(a).toContain('        async for item in self.runner.stream(n):\n            yield item\n');
    expect(a).toContain('        self.runner = Runner()\n');
  });

  it('carries __future__ imports first, TYPE_CHECKING names under TYPE_CHECKING, and reads guarded imports at call time', async () => {
    const src = [
      'from __future__ import annotations',
      '',
      'from typing import TYPE_CHECKING',
      '',
      'try:',
      '    import ujson as json',
      'except ImportError:',
      '    import json',
      '',
      'if TYPE_CHECKING:',
      '    from pkg.models import Model',
      '',
      '',
      'class Owner:',
      '    def dump(self, model: Model) -> str:',
      '        return json.dumps(model)',
      '',
      '    def keep(self):',
      '        return json',
      '',
    ].join('\n');
    const p = await plan({ 'pkg/__init__.py': '', 'pkg/models.py': 'class Model:\n    pass\n', 'pkg/a.py': src }, {
      module: 'pkg.a',
      class: 'Owner',
      groups: [{ name: 'Dumper', module: 'pkg.dumper', style: 'mixin', members: ['dump'] }],
    });
    expect(p.problems).toEqual([]);
    expect(p.changes.get('pkg/dumper.py')).toBe(
      [
        '"""Dumper: members of Owner (pkg.a)."""',
        '',
        'from __future__ import annotations',
        '',
        'from typing import TYPE_CHECKING',
        '',
        'if TYPE_CHECKING:',
        '    from pkg.models import Model',
        '',
        '',
        'class Dumper:',
        '    """Mixin of Owner."""',
        '',
        '    def dump(self, model: Model) -> str:',
        '        # Imported when called: a imports this module.',
        '        from pkg.a import json',
        '',
        '        return json.dumps(model)',
        '',
      ].join('\n'),
    );
  });
});
