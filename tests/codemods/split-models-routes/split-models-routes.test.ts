import { findApps, routeTable, type FastApiRoute } from '@remodel/python';
import { describeCodemod, python } from '../codemod-suite.js';

const DIR = 'venom_core/api/routes';
const AGGREGATOR = `${DIR}/models.py`;
const NEW = ['install', 'usage', 'catalog', 'translation', 'registry', 'config', 'dependencies', 'schemas'].map((m) => `${DIR}/models_${m}.py`);

/** Route identity without where it is declared (the split moves declarations, not routes). */
const identity = (r: FastApiRoute): string => JSON.stringify({ ...r, file: null, line: null, module: null });

// The suite's pytest check includes the fixture's route-order test. On a second run the last step (split-router)
// says "already split" rather than "nothing to do".
describeCodemod('split-models-routes', { idempotentNote: /nothing to do|already split/ }, (run) => {
  it('leaves an aggregator under 120 lines and no new module over 400, all beside models.py', () => {
    const { plan } = run;
    expect(plan.after.file(AGGREGATOR).text.split('\n').length).toBeLessThan(120);
    expect([...plan.changes.keys()].filter((p) => !plan.before.files.has(p)).sort()).toEqual([...NEW].sort());
    for (const p of NEW) expect([p, plan.after.file(p).text.split('\n').length <= 400]).toEqual([p, true]);
  });

  it('keeps the application route table identical, route by route and in order', () => {
    const { plan } = run;
    const [app] = findApps(plan.before);
    expect(routeTable(plan.after, app).routes.map(identity)).toEqual(routeTable(plan.before, app).routes.map(identity));
    const models = { module: 'venom_core.api.routes.models', name: 'router' };
    expect(routeTable(plan.after, models).routes.map(identity)).toEqual(routeTable(plan.before, models).routes.map(identity));
  });

  it('gives the injected state one owner that every sub-router reads through, never a frozen copy', async () => {
    for (const p of NEW.filter((x) => !x.endsWith('dependencies.py'))) {
      expect(run.plan.after.file(p).text).not.toMatch(/import[^\n]*\b_model_(manager|registry)\b/);
    }
    expect(run.plan.after.file(`${DIR}/models_install.py`).text).toContain('models_dependencies._model_manager');
    const check = await python(run.out, [
      'from venom_core.api.routes import models, models_dependencies, models_install, models_registry',
      'models.set_dependencies("M", model_registry="R")',
      'assert models_dependencies._model_manager == "M" and models_dependencies._model_registry == "R"',
      'assert models.router is not None and models.config_manager is models_install.config_manager',
      'print("ok")',
    ].join('\n'));
    expect(check.out.trim()).toBe('ok');
  });

  it('moves the request models to models_schemas with one shared model-name validator', () => {
    const schemas = run.plan.after.file(`${DIR}/models_schemas.py`).text;
    expect(schemas).toContain('def _validate_model_name(v, max_length, length_error, pattern):');
    expect(schemas.match(/@field_validator\("name"\)\n    def validate_name\(cls, v\):\n        return _validate_model_name\(/g)).toHaveLength(4);
    expect(schemas.match(/return _validate_runtime\(v\)/g)).toHaveLength(2);
  });
});
