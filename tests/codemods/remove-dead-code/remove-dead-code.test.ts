import { rmSync } from 'node:fs';
import path from 'node:path';
import { findApps, routeTable, syntaxProblems } from '@remodel/python';
import { planCodemod, type CodemodPlan } from '@remodel/runtime';
import { registry } from '@remodel/operations';
import { materialize, planOnTree, runPytest, runPython as python } from '../../../packages/operations/src/shared/testing.js';

const ROOT = path.resolve('fixtures/venom');
const SPEC = path.resolve('codemods/remove-dead-code.yaml');
const MAIN = 'venom_core/main.py';

describe('codemod remove-dead-code on fixtures/venom', () => {
  let plan: CodemodPlan;
  let out: string;
  beforeAll(async () => {
    plan = await planOnTree(ROOT, SPEC);
    out = materialize(ROOT, plan);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('verifies clean and re-parses', () => {
    expect(plan.problems).toEqual([]);
    for (const [p, text] of plan.changes) if (text !== null && p.endsWith('.py')) expect(syntaxProblems(plan.after.file(p).tree)).toEqual([]);
  });

  it("removes the fixture's dead main.py helpers and imports, and nothing else", () => {
    expect([...plan.changes.keys()]).toEqual([MAIN]);
    const before = plan.before.file(MAIN).text;
    const after = plan.after.file(MAIN).text;
    for (const gone of ['def _format_uptime', 'def _legacy_startup_banner', 'import json\n', 'import CouncilSession']) expect([gone, after.includes(gone)]).toEqual([gone, false]);
    // Everything else is byte-identical: the result is the original with whole lines removed.
    const kept = after.split('\n');
    let i = 0;
    for (const line of before.split('\n')) if (i < kept.length && line === kept[i]) i++;
    expect(i).toBe(kept.length);
    expect(before.split('\n').length - kept.length).toBe(11);
  });

  it('skips, with a note, the Venom modules and names this tree does not have', () => {
    const notes = plan.steps.flatMap((s) => s.notes).join('\n');
    for (const m of ['venom_core/core/swarm.py', 'venom_core/api/audio_stream.py', 'venom_core/memory/ingestion_engine.py']) expect(notes).toContain(`${m} is not in the project; nothing to do (if-present)`);
  });

  it('keeps the application: same route table, app and lifespan import', () => {
    const [app] = findApps(plan.before);
    expect(routeTable(plan.after, app).routes).toEqual(routeTable(plan.before, app).routes.map((r) => ({ ...r, line: expect.any(Number) })));
    const r = python(out, 'from venom_core.main import app, lifespan, healthz\nprint(len(app.routes) > 5, healthz())');
    expect(r).toEqual({ status: 0, out: "True {'status': 'ok', 'component': 'venom-core'}\n" });
  });

  it('keeps the fixture test suite green', () => {
    const before = runPytest(ROOT);
    const after = runPytest(out);
    expect([before.status, after.status]).toEqual([0, 0]);
    const passed = (s: string) => /(\d+) passed/.exec(s)?.[1];
    expect(passed(after.output)).toBe(passed(before.output));
  });

  it('is idempotent: a second run changes nothing and says so', async () => {
    const again = await planCodemod(plan.spec, plan.after, registry, ROOT);
    expect(again.changes.size).toBe(0);
    for (const step of again.steps) expect(step.notes.join('\n')).toMatch(/nothing to do/);
  });
});
