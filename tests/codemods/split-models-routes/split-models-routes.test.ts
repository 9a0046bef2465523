import { rmSync } from 'node:fs';
import path from 'node:path';
import { findApps, routeTable, syntaxProblems, type FastApiRoute } from '@remodel/python';
import { planCodemod, type CodemodPlan } from '@remodel/runtime';
import { registry } from '@remodel/operations';
import { materialize, planOnTree, runPytest, runPython as python } from '../../../packages/operations/src/shared/testing.js';

const ROOT = path.resolve('fixtures/venom');
const SPEC = path.resolve('codemods/split-models-routes.yaml');
const DIR = 'venom_core/api/routes';
const AGGREGATOR = `${DIR}/models.py`;
const NEW = ['install', 'usage', 'catalog', 'translation', 'registry', 'config', 'dependencies', 'schemas'].map((m) => `${DIR}/models_${m}.py`);

/** Route identity without where it is declared (the split moves declarations, not routes). */
const identity = (r: FastApiRoute): string => JSON.stringify({ ...r, file: null, line: null, module: null });

describe('codemod split-models-routes on fixtures/venom', () => {
  let plan: CodemodPlan;
  let out: string;
  beforeAll(async () => {
    plan = await planOnTree(ROOT, SPEC);
    out = materialize(ROOT, plan);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('verifies clean: parses, no new undefined names or cycles, imports and patch targets resolve, routes equal', () => {
    expect(plan.problems).toEqual([]);
    for (const [p, text] of plan.changes) if (text !== null && p.endsWith('.py')) expect(syntaxProblems(plan.after.file(p).tree)).toEqual([]);
  });

  it('leaves an aggregator under 120 lines and no new module over 400, all beside models.py', () => {
    expect(plan.after.file(AGGREGATOR).text.split('\n').length).toBeLessThan(120);
    expect([...plan.changes.keys()].filter((p) => !plan.before.files.has(p)).sort()).toEqual([...NEW].sort());
    for (const p of NEW) expect([p, plan.after.file(p).text.split('\n').length <= 400]).toEqual([p, true]);
  });

  it('keeps the application route table identical, route by route and in order', () => {
    const [app] = findApps(plan.before);
    expect(routeTable(plan.after, app).routes.map(identity)).toEqual(routeTable(plan.before, app).routes.map(identity));
    const models = { module: 'venom_core.api.routes.models', name: 'router' };
    expect(routeTable(plan.after, models).routes.map(identity)).toEqual(routeTable(plan.before, models).routes.map(identity));
  });

  it('gives the injected state one owner that every sub-router reads through, never a frozen copy', () => {
    for (const p of NEW.filter((x) => !x.endsWith('dependencies.py'))) {
      expect(plan.after.file(p).text).not.toMatch(/import[^\n]*\b_model_(manager|registry)\b/);
    }
    expect(plan.after.file(`${DIR}/models_install.py`).text).toContain('models_dependencies._model_manager');
    const check = python(out, [
      'from venom_core.api.routes import models, models_dependencies, models_install, models_registry',
      'models.set_dependencies("M", model_registry="R")',
      'assert models_dependencies._model_manager == "M" and models_dependencies._model_registry == "R"',
      'assert models.router is not None and models.config_manager is models_install.config_manager',
      'print("ok")',
    ].join('\n'));
    expect(check.out.trim()).toBe('ok');
  });

  it('moves the request models to models_schemas with one shared model-name validator', () => {
    const schemas = plan.after.file(`${DIR}/models_schemas.py`).text;
    expect(schemas).toContain('def _validate_model_name(v, max_length, length_error, pattern):');
    expect(schemas.match(/@field_validator\("name"\)\n    def validate_name\(cls, v\):\n        return _validate_model_name\(/g)).toHaveLength(4);
    expect(schemas.match(/return _validate_runtime\(v\)/g)).toHaveLength(2);
  });

  it('keeps the fixture tests green, the route-order test included', () => {
    const before = runPytest(ROOT);
    const after = runPytest(out);
    expect(before.status).toBe(0);
    expect(after.status).toBe(0);
    const passed = (o: string): string | undefined => /(\d+) passed/.exec(o)?.[1];
    expect(passed(after.output)).toBe(passed(before.output));
  });

  it('is idempotent: running the codemod again changes nothing', async () => {
    const again = await planCodemod(plan.spec, plan.after, registry, ROOT);
    expect(again.changes.size).toBe(0);
  });
});
