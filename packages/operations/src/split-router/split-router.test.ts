import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findRouters, loadPython, Project, routeTable } from '@remodel/python';
import { parseSpec, planCodemod, PlanError, type CodemodPlan } from '@remodel/runtime';
import { registry } from '../registry.js';
import { materialize, runGolden, runPytest, runPython } from '../shared/testing.js';
import { describeGoldenCases } from '../shared/golden-suite.js';
import { forwarderText } from './forward.js';
import type { Target } from './placement.js';

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

describe('split-router: reads of moved state through the old module path', () => {
  const dir = path.join(FIXTURES, 'basic');
  const AGGREGATOR = 'shop/api/items.py';

  it('forwards them to the owner\'s current value; the same tree without the forwarder fails', async () => {
    const result = await runGolden(dir);
    const aggregator = result.plan.changes.get(AGGREGATOR)!;
    expect(aggregator).toContain('if name in {"_repo"}:\n        return getattr(items_state, name)');
    expect(aggregator).not.toMatch(/import[^\n]*\b_repo\b/);
    const out = materialize(path.join(dir, 'before'), result.plan);
    try {
      const ok = runPytest(out, ['-k', 'old_module_path']);
      expect(ok.output).toMatch(/1 passed/);
      writeFileSync(path.join(out, AGGREGATOR), aggregator.replace(/\n+def __getattr__\(name\):[\s\S]*$/, '\n'));
      const control = runPytest(out, ['-k', 'old_module_path']);
      expect(control.output).toMatch(/AttributeError: module 'shop.api.items' has no attribute '_repo'/);
      expect(control.output).toMatch(/1 failed/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('rewrites the project\'s patch of the state to the owner; a patch through the old path only shadows the aggregator', async () => {
    const result = await runGolden(dir);
    expect(result.plan.changes.get('tests/test_items.py')).toContain('patch("shop.api.items_state._repo", other)');
    const out = materialize(path.join(dir, 'before'), result.plan);
    try {
      // The limitation the README states for code outside the project (CPython 3.11 unittest.mock).
      const check = runPython(out, [
        'from unittest import mock',
        'import shop.api.items as m, shop.api.items_state as s',
        'm.set_dependencies("R")',
        'with mock.patch("shop.api.items._repo", "P"):',
        '    assert m._repo == "P" and s._repo == "R" and vars(m)["_repo"] == "P"',
        'assert "_repo" not in vars(m) and m._repo == "R"',
        'print("ok")',
      ].join('\n'));
      expect(check.out.trim()).toBe('ok');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('refuses a module that already defines __getattr__, naming it; without state to forward it is left alone', async () => {
    const getattr = '\ndef __getattr__(name):\n    raise AttributeError(name)\n';
    const step = { module: 'pkg/routes.py', groups: [{ module: 'pkg.routes_a', rest: true }] };
    const e = await refusal({ ...ROUTES, 'pkg/routes.py': `${ROUTES['pkg/routes.py']}${getattr}` }, step);
    expect(e.code).toBe('module-getattr');
    expect(e.message).toContain('pkg/routes.py already defines a module __getattr__');
    expect(e.message).toContain('(_state)');
    expect(e.message).not.toContain('\n');
    const stateless = ROUTES['pkg/routes.py'].replace(/_state = None\n\ndef set_state\(v\):\n    global _state\n    _state = v\n/, '');
    const p = await plan({ ...ROUTES, 'pkg/routes.py': `${stateless}${getattr}` }, step);
    expect(p.problems).toEqual([]);
    expect(p.changes.get('pkg/routes.py')).toMatch(/\ndef __getattr__\(name\):\n    raise AttributeError\(name\)\n$/);
    expect(p.changes.get('pkg/routes.py')!.match(/__getattr__/g)).toHaveLength(1);
  });

  it('forwards an import patched whole from outside to the sub-router that now looks it up', async () => {
    const files = {
      'pkg/__init__.py': '',
      'pkg/store.py': 'store = {}\n',
      'pkg/routes.py': 'from fastapi import APIRouter\n\nfrom pkg.store import store\n\nrouter = APIRouter()\n\n\n@router.get("/a")\ndef a():\n    return store\n',
      'tests/test_routes.py': 'from unittest.mock import patch\n\n\ndef test_a():\n    with patch("pkg.routes.store", {"x": 1}):\n        from pkg.routes import a\n\n        assert a() == {"x": 1}\n',
    };
    const p = await plan(files, { module: 'pkg/routes.py', groups: [{ module: 'pkg.routes_a', rest: true }] });
    expect(p.problems).toEqual([]);
    expect(p.changes.get('tests/test_routes.py')).toContain('patch("pkg.routes_a.store"');
    const aggregator = p.changes.get('pkg/routes.py')!;
    expect(aggregator).not.toMatch(/import store/);
    expect(aggregator).toContain('from pkg import routes_a\n');
    expect(aggregator).toContain('    if name in {"store"}:\n        return getattr(routes_a, name)\n');
  });

  it('writes one forwarder per owner after two blank lines, wrapping long name sets like black', () => {
    const owner = (stem: string): Target => ({ stem }) as Target;
    const names = ['_model_manager', '_model_registry', '_config_manager', '_translation_service'];
    const text = forwarderText(new Map([[owner('models_dependencies'), names], [owner('models_config'), ['_load']]]), 'x = 1\r\n');
    expect(text).toBe([
      '',
      '',
      'def __getattr__(name):',
      '    """Moved names: reads through this module get their owner\'s current value."""',
      '    if name in {',
      ...names.map((n) => `        "${n}",`),
      '    }:',
      '        return getattr(models_dependencies, name)',
      '    if name in {"_load"}:',
      '        return getattr(models_config, name)',
      '    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")',
      '',
    ].join('\n'));
    expect(forwarderText(new Map([[owner('s'), ['_a']]]), 'x = 1').startsWith('\n\n\ndef ')).toBe(true);
    expect(forwarderText(new Map([[owner('s'), ['_a']]]), 'x = 1\n\n\n\n').startsWith('def ')).toBe(true);
  });
});

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
