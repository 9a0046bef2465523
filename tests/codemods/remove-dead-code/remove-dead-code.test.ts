import { findApps, routeTable } from '@remodel/python';
import { describeCodemod, python } from '../codemod-suite.js';

const MAIN = 'venom_core/main.py';

describeCodemod('remove-dead-code', {}, (run) => {
  it("removes the fixture's dead main.py helpers and imports, and nothing else", () => {
    const { plan } = run;
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
    const notes = run.plan.steps.flatMap((s) => s.notes).join('\n');
    for (const m of ['venom_core/core/swarm.py', 'venom_core/api/audio_stream.py', 'venom_core/memory/ingestion_engine.py']) expect(notes).toContain(`${m} is not in the project; nothing to do (if-present)`);
  });

  it('keeps the application: same route table, app and lifespan import', async () => {
    const [app] = findApps(run.plan.before);
    expect(routeTable(run.plan.after, app).routes).toEqual(routeTable(run.plan.before, app).routes.map((r) => ({ ...r, line: expect.any(Number) })));
    const r = await python(run.out, 'from venom_core.main import app, lifespan, healthz\nprint(len(app.routes) > 5, healthz())');
    expect(r).toEqual({ status: 0, out: "True {'status': 'ok', 'component': 'venom-core'}\n" });
  });
});
