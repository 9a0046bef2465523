import { rmSync } from 'node:fs';
import path from 'node:path';
import { syntaxProblems } from '@remodel/python';
import { planCodemod, type CodemodPlan } from '@remodel/runtime';
import { registry } from '@remodel/operations';
import { materialize, planOnTree, runPytest, runPython as python } from '../../../packages/operations/src/shared/testing.js';

const ROOT = path.resolve('fixtures/venom');
const SPEC = path.resolve('codemods/split-orchestrator.yaml');
const ORCH = 'venom_core/core/orchestrator.py';
const NEW = ['orchestrator_queue', 'orchestrator_events', 'orchestrator_lessons', 'orchestrator_flows'].map((m) => `venom_core/core/${m}.py`);

/** Every member of Orchestrator with its kind, signature and async-ness, as Python sees it. */
const API_DUMP = `
import inspect, json
from venom_core.core.orchestrator import Orchestrator
out = {}
for name in dir(Orchestrator):
    if name.startswith('__') and name not in ('__init__',):
        continue
    raw = inspect.getattr_static(Orchestrator, name)
    kind = type(raw).__name__
    target = raw.fget if isinstance(raw, property) else getattr(Orchestrator, name)
    sig = str(inspect.signature(target)) if callable(target) else repr(target)
    out[name] = [kind, sig, inspect.iscoroutinefunction(target), inspect.getdoc(target) if callable(target) else None]
print(json.dumps(out, sort_keys=True))
`;

describe('codemod split-orchestrator on fixtures/venom', () => {
  let plan: CodemodPlan;
  let out: string;
  beforeAll(async () => {
    plan = await planOnTree(ROOT, SPEC);
    out = materialize(ROOT, plan);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('verifies clean: parses, no new undefined names, no new cycles, patch targets resolve', () => {
    expect(plan.problems).toEqual([]);
    for (const [p, text] of plan.changes) if (text !== null && p.endsWith('.py')) expect(syntaxProblems(plan.after.file(p).tree)).toEqual([]);
  });

  it('shrinks orchestrator.py and creates the four modules next to it', () => {
    const before = plan.before.file(ORCH).text.split('\n').length;
    const after = plan.after.file(ORCH).text.split('\n').length;
    expect(after).toBeLessThan(before * 0.65);
    for (const p of NEW) expect(plan.changes.get(p)).toBeTruthy();
    expect([...plan.changes.keys()].filter((p) => !plan.before.files.has(p)).sort()).toEqual([...NEW].sort());
  });

  it('keeps every import of venom_core.core.orchestrator names resolvable', () => {
    const module = 'venom_core.core.orchestrator';
    let count = 0;
    for (const file of plan.after.files.values()) {
      for (const b of plan.after.index(file.path).imports) {
        if (b.name === null || plan.after.absoluteModule(file.path, b) !== module) continue;
        count++;
        expect(`${file.path}:${b.line} ${b.name} -> ${plan.after.resolveImport(file.path, b).kind}`).not.toMatch(/missing$/);
      }
    }
    expect(count).toBeGreaterThan(3);
  });

  it('keeps the public API of Orchestrator: names, kinds, signatures, async-ness, docstrings', () => {
    const before = python(ROOT, API_DUMP);
    const after = python(out, API_DUMP);
    expect(before.status).toBe(0);
    expect(after.status).toBe(0);
    const b = JSON.parse(before.out) as Record<string, unknown>;
    const a = JSON.parse(after.out) as Record<string, unknown>;
    for (const [name, info] of Object.entries(b)) expect([name, a[name]]).toEqual([name, info]);
  });

  it('imports cleanly whichever module is imported first (no import-time cycle)', () => {
    for (const p of [...NEW, ORCH]) {
      const module = p.replace(/\.py$/, '').replace(/\//g, '.');
      const r = python(out, `import ${module}`);
      expect(`${module}: ${r.status} ${r.out}`).toBe(`${module}: 0 `);
    }
  });

  it('keeps the fixture test suite green', () => {
    const before = runPytest(ROOT);
    const after = runPytest(out);
    expect(before.status).toBe(0);
    expect(after.status).toBe(0);
    const passed = (s: string) => /(\d+) passed/.exec(s)?.[1];
    expect(passed(after.output)).toBe(passed(before.output));
  });

  it('is idempotent: a second run changes nothing', async () => {
    const again = await planCodemod(plan.spec, plan.after, registry, ROOT);
    expect(again.changes.size).toBe(0);
    expect(again.steps[0].notes.join('\n')).toMatch(/nothing to do/);
  });
});
