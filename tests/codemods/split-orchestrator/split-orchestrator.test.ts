import { describeCodemod, expectSameDump } from '../codemod-suite.js';

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

describeCodemod('split-orchestrator', {}, (run) => {
  it('shrinks orchestrator.py and creates the four modules next to it', () => {
    const { plan } = run;
    const before = plan.before.file(ORCH).text.split('\n').length;
    const after = plan.after.file(ORCH).text.split('\n').length;
    expect(after).toBeLessThan(before * 0.65);
    for (const p of NEW) expect(plan.changes.get(p)).toBeTruthy();
    expect([...plan.changes.keys()].filter((p) => !plan.before.files.has(p)).sort()).toEqual([...NEW].sort());
  });

  it('keeps every import of venom_core.core.orchestrator names resolvable', () => {
    const { after } = run.plan;
    const module = 'venom_core.core.orchestrator';
    let count = 0;
    for (const file of after.files.values()) {
      for (const b of after.index(file.path).imports) {
        if (b.name === null || after.absoluteModule(file.path, b) !== module) continue;
        count++;
        expect(`${file.path}:${b.line} ${b.name} -> ${after.resolveImport(file.path, b).kind}`).not.toMatch(/missing$/);
      }
    }
    expect(count).toBeGreaterThan(3);
  });

  it('keeps the public API of Orchestrator: names, kinds, signatures, async-ness, docstrings', () => expectSameDump(run, API_DUMP));
});
