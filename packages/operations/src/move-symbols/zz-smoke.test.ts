import { planOnTree } from '../shared/testing.js';
import { formatProblem } from '@remodel/runtime';
it('smoke', async () => {
  const t = Date.now();
  const plan = await planOnTree(process.env.SMOKE_ROOT!, process.env.SMOKE_SPEC!);
  console.log('ms', Date.now() - t, [...plan.changes.keys()], plan.problems.map((p) => formatProblem(p, true)), plan.steps.map((s) => [...s.notes, ...s.warnings]));
  for (const [p, text] of plan.changes) if (process.env.SMOKE_SHOW?.split(',').includes(p)) console.log(p + '\n' + text);
  if (process.env.SMOKE_OUT) { const { writeFileSync, mkdirSync } = await import('node:fs'); for (const [p, text] of plan.changes) { mkdirSync(process.env.SMOKE_OUT + '/' + p.split('/').slice(0, -1).join('/'), { recursive: true }); writeFileSync(process.env.SMOKE_OUT + '/' + p, text ?? ''); } }
});
