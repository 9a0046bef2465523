import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findRouters, loadPython, Project, routeTable } from '@remodel/python';
import { parseSpec, planCodemod, PlanError, type CodemodPlan } from '@remodel/runtime';
import { registry } from '../registry.js';
import { materialize, runGolden, runPytest } from '../shared/testing.js';
import { describeGoldenCases } from '../shared/golden-suite.js';

const FIXTURES = path.resolve('fixtures/split-router');

beforeAll(loadPython);

async function plan(files: Record<string, string>, step: Record<string, unknown>): Promise<CodemodPlan> {
  const project = new Project(Object.entries(files).map(([p, text]) => ({ path: p, text })));
  const yaml = `id: t\ntitle: t\nsteps:\n  - ${JSON.stringify({ op: 'split-router', ...step })}\n`;
  return planCodemod(parseSpec(yaml, 'inline', registry), project, registry, '/tmp');
}

async function refusal(files: Record<string, string>, step: Record<string, unknown>): Promise<PlanError> {
  try {
    await plan(files, step);
  } catch (error) {
    if (error instanceof PlanError) return error;
    throw error;
  }
  throw new Error('expected the step to be refused');
}

describeGoldenCases('split-router', FIXTURES, {
  minCases: 2,
  idempotentNote: /already split/,
  extra: (result) => {
    it('keeps every app and router route set identical, route by route', () => {
      const { plan } = result();
      for (const root of findRouters(plan.before)) {
        const strip = (r: ReturnType<typeof routeTable>['routes'][number]): string => JSON.stringify({ ...r, file: null, line: null, module: null });
        expect(routeTable(plan.after, root).routes.map(strip).sort()).toEqual(routeTable(plan.before, root).routes.map(strip).sort());
      }
    });
  },
});

describe('split-router: module state and patch targets', () => {
  const dir = path.join(FIXTURES, 'basic');

  it('rewrites a patch of a moved function to where it is looked up; the old target would not reach the endpoint', async () => {
    const result = await runGolden(dir);
    const test = 'tests/test_items.py';
    expect(result.plan.changes.get(test)).toContain('patch("shop.api.items_config._load_overrides"');
    const out = materialize(path.join(dir, 'before'), result.plan);
    try {
      // Control: the same tests with the patch string left as it was must fail on the split tree.
      writeFileSync(path.join(out, test), readFileSync(path.join(dir, 'before', test), 'utf8').replace(/items_routes\._repo/g, 'items_state._repo').replace(
        'from shop.api import items as items_routes',
        'from shop.api import items as items_routes, items_state',
      ));
      const control = runPytest(out, ['-k', 'patched_loader']);
      expect(control.status).not.toBe(0);
      expect(control.output).toMatch(/1 failed/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('gives module state one owner read as owner.name, and points outside writes at it', async () => {
    const result = await runGolden(dir);
    const common = result.plan.changes.get('shop/api/items_common.py')!;
    expect(common).toContain('if items_state._repo is None:');
    expect(common).not.toMatch(/from shop\.api\.items_state import _repo/);
    expect(result.plan.changes.get('tests/test_items.py')).toContain('items_state._repo = None');
    expect(result.plan.changes.get('shop/api/items.py')).toContain('from shop.api.items_state import set_dependencies');
  });
});

const ROUTES = {
  'pkg/__init__.py': '',
  'pkg/routes.py': [
    'from fastapi import APIRouter',
    'router = APIRouter(prefix="/api")',
    '_state = None',
    '',
    'def set_state(v):',
    '    global _state',
    '    _state = v',
    '',
    '@router.get("/a/fixed")',
    'def fixed():',
    '    return 1',
    '',
    '@router.get("/a/{x}")',
    'def param(x):',
    '    return x',
    '',
    '@router.get("/b/{x}")',
    'def other(x):',
    '    return x',
    '',
    '@router.get("/b/fixed")',
    'def late_fixed():',
    '    return 2',
    '',
  ].join('\n'),
};

describe('split-router: include order', () => {
  it('includes groups so that overlapping routes keep their order, whatever the spec order', async () => {
    const p = await plan(ROUTES, {
      module: 'pkg/routes.py',
      groups: [
        { module: 'pkg.routes_params', endpoints: ['param', 'late_fixed'] },
        { module: 'pkg.routes_fixed', endpoints: ['fixed', 'other'] },
      ],
    });
    expect(p.problems).toEqual([]);
    expect(p.changes.get('pkg/routes.py')).toMatch(/include_router\(routes_fixed\.router\)\nrouter\.include_router\(routes_params\.router\)/);
  });

  it('refuses a grouping that no include order can keep in order, naming the routes', async () => {
    const e = await refusal(ROUTES, {
      module: 'pkg/routes.py',
      groups: [
        { module: 'pkg.routes_fixed', endpoints: ['fixed', 'late_fixed'] },
        { module: 'pkg.routes_params', endpoints: ['param', 'other'] },
      ],
    });
    expect(e.code).toBe('order-impossible');
    expect(e.message).toContain('GET /api/a/fixed (fixed) before GET /api/a/{x} (param)');
    expect(e.message).toContain('GET /api/b/{x} (other) before GET /api/b/fixed (late_fixed)');
  });
});

describe('split-router: imports', () => {
  it('keeps `from __future__` in every new module, TYPE_CHECKING imports under TYPE_CHECKING, and re-exports __all__ names', async () => {
    const files = {
      'pkg/__init__.py': '',
      'pkg/routes.py': [
        'from __future__ import annotations',
        '',
        'from typing import TYPE_CHECKING',
        '',
        'from fastapi import APIRouter',
        '',
        'if TYPE_CHECKING:',
        '    from pkg.models import Item',
        '',
        '__all__ = ["router", "get_item"]',
        '',
        'router = APIRouter()',
        '',
        '',
        '@router.get("/items/{item_id}")',
        'def get_item(item_id: str) -> Item:',
        '    return item_id',
        '',
      ].join('\n'),
      'pkg/models.py': 'class Item: ...\n',
    };
    const p = await plan(files, { module: 'pkg.routes', groups: [{ module: 'pkg.routes_items', rest: true }] });
    expect(p.problems).toEqual([]);
    expect(p.changes.get('pkg/routes_items.py')).toBe([
      '"""Endpoints of pkg.routes: get_item."""',
      '',
      'from __future__ import annotations',
      '',
      'from typing import TYPE_CHECKING',
      '',
      'from fastapi import APIRouter',
      '',
      'if TYPE_CHECKING:',
      '    from pkg.models import Item',
      '',
      'router = APIRouter()',
      '',
      '',
      '@router.get("/items/{item_id}")',
      'def get_item(item_id: str) -> Item:',
      '    return item_id',
      '',
    ].join('\n'));
    const aggregator = p.changes.get('pkg/routes.py')!;
    expect(aggregator).toContain('from __future__ import annotations');
    expect(aggregator).toContain('from pkg.routes_items import get_item');
    expect(aggregator).toContain('router.include_router(routes_items.router)');
  });
});

describe('split-router: bad input', () => {
  const groups = [{ module: 'pkg.routes_a', endpoints: ['fixed', 'param'] }, { module: 'pkg.routes_b', endpoints: ['other', 'late_fixed'] }];
  it.each([
    ['no-module', { module: 'pkg/nope.py', groups }],
    ['no-router', { module: 'pkg/routes.py', router: 'api', groups }],
    ['unknown-endpoint', { module: 'pkg/routes.py', groups: [{ module: 'pkg.routes_a', endpoints: ['fixed', 'param', 'other', 'late_fixed', 'set_state'] }] }],
    ['endpoint-twice', { module: 'pkg/routes.py', groups: [...groups, { module: 'pkg.routes_c', endpoints: ['fixed'] }] }],
    ['endpoint-unassigned', { module: 'pkg/routes.py', groups: [groups[0]] }],
    ['other-package', { module: 'pkg/routes.py', groups: [groups[0], { module: 'other.routes_b', endpoints: ['other', 'late_fixed'] }] }],
    ['target-is-source', { module: 'pkg/routes.py', groups: [groups[0], { module: 'pkg/routes.py', endpoints: ['other', 'late_fixed'] }] }],
    ['empty-group', { module: 'pkg/routes.py', groups: [...groups, { module: 'pkg.routes_c', paths: ['/nothing'] }] }],
  ])('%s', async (code, step) => {
    const e = await refusal(ROUTES, step);
    expect(e.code).toBe(code);
    expect(e.message).not.toContain('\n');
  });

  it('refuses an existing target module', async () => {
    const e = await refusal({ ...ROUTES, 'pkg/routes_a.py': '' }, { module: 'pkg/routes.py', groups });
    expect([e.code, e.message]).toEqual(['target-exists', 't: steps[0] (split-router): groups[0].module: pkg/routes_a.py already exists']);
  });

  it('refuses an endpoint that rebinds module state through global', async () => {
    const files = { ...ROUTES, 'pkg/routes.py': `${ROUTES['pkg/routes.py']}\n@router.post("/reset")\ndef reset():\n    global _state\n    _state = None\n` };
    const e = await refusal(files, { module: 'pkg/routes.py', groups: [{ module: 'pkg.routes_a', rest: true }] });
    expect(e.code).toBe('endpoint-writes-state');
  });

  it('refuses an empty decorator path (FastAPI cannot include it into a prefix-less router)', async () => {
    const files = { ...ROUTES, 'pkg/routes.py': `${ROUTES['pkg/routes.py']}\n@router.get("")\ndef root():\n    return 0\n` };
    const e = await refusal(files, { module: 'pkg/routes.py', groups: [{ module: 'pkg.routes_a', rest: true }] });
    expect(e.code).toBe('empty-path');
  });

  it('refuses when the new modules would import each other', async () => {
    const files = {
      ...ROUTES,
      'pkg/routes.py': ROUTES['pkg/routes.py'].replace('def fixed():\n    return 1', 'def fixed():\n    return other(1)').replace('def other(x):\n    return x', 'def other(x):\n    return fixed()'),
    };
    const e = await refusal(files, { module: 'pkg/routes.py', groups: [{ module: 'pkg.routes_a', endpoints: ['fixed', 'param'] }, { module: 'pkg.routes_b', endpoints: ['other', 'late_fixed'] }] });
    expect(e.code).toBe('module-cycle');
  });

  it('refuses routes registered on the router from another module', async () => {
    const files = { ...ROUTES, 'pkg/extra.py': 'from pkg.routes import router\n@router.get("/extra")\ndef extra():\n    return 3\n', 'pkg/main.py': 'import pkg.routes\nimport pkg.extra\n' };
    const e = await refusal({ ...files, 'pkg/routes.py': `${ROUTES['pkg/routes.py']}import pkg.extra\n` }, { module: 'pkg/routes.py', groups: [{ module: 'pkg.routes_a', rest: true }] });
    expect(e.code).toBe('foreign-route');
  });

  it('rejects an unknown spec field with the field named', async () => {
    await expect(plan(ROUTES, { module: 'pkg/routes.py', groups: [{ module: 'pkg.routes_a', rest: true, prefix: '/x' }] })).rejects.toThrow(/prefix/);
  });
});
