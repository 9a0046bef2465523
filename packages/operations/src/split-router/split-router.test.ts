import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  extra: (result, dir) => {
    it('keeps every name the split module defined or imported from a project module reachable through it, as the same kind of value', () => {
      const { plan } = result();
      const module = String(plan.spec.steps[0].params.module);
      const file = module.endsWith('.py') ? plan.before.file(module) : plan.before.fileOfModule(module)!;
      // The module's own API: its top-level definitions, `__all__`, and its run-time imports from project modules.
      const index = plan.before.index(file.path);
      const api = new Set([...index.defs.keys(), ...(index.all ?? [])]);
      for (const b of index.imports) if (b.topLevel && !b.typeChecking && plan.before.resolveImport(file.path, b).kind !== 'external') api.add(b.local);
      const probe = (tree: string, names: string[]): Record<string, string> => {
        const code = [
          'import importlib, json',
          `m = importlib.import_module(${JSON.stringify(file.module)})`,
          `names = ${JSON.stringify(names)}`,
          'listed = set(dir(m))',
          'print(json.dumps({n: (type(getattr(m, n)).__name__ + ":" + str(getattr(getattr(m, n), "__name__", ""))) if n in listed else "not in dir()" for n in names}))',
        ].join('\n');
        const r = runPython(tree, code);
        expect(r.status).toBe(0);
        return JSON.parse(r.out) as Record<string, string>;
      };
      const names = [...api].sort();
      const before = probe(path.join(dir, 'before'), names);
      expect(Object.values(before)).not.toContain('not in dir()');
      expect(names.length).toBeGreaterThan(5);
      const out = materialize(path.join(dir, 'before'), plan);
      try {
        expect(probe(out, names)).toEqual(before);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });

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
    expect(aggregator).toContain('    "items_state": ("_repo",),\n');
    expect(aggregator).not.toMatch(/import[^\n]*\b_repo\b/);
    const out = materialize(path.join(dir, 'before'), result.plan);
    try {
      const ok = runPytest(out, ['-k', 'old_module_path']);
      expect(ok.output).toMatch(/1 passed/);
      writeFileSync(path.join(out, AGGREGATOR), aggregator.replace(/\n+# Names moved[\s\S]*$/, '\n'));
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

  it('refuses a module that already defines __getattr__, __dir__ or _MOVED, naming them; with nothing to forward it is left alone', async () => {
    const getattr = '\ndef __getattr__(name):\n    raise AttributeError(name)\n';
    const step = { module: 'pkg/routes.py', groups: [{ module: 'pkg.routes_a', rest: true }] };
    const e = await refusal({ ...ROUTES, 'pkg/routes.py': `${ROUTES['pkg/routes.py']}${getattr}` }, step);
    expect(e.code).toBe('module-getattr');
    expect(e.message).toContain('pkg/routes.py already defines a module __getattr__;');
    expect(e.message).toContain('the 6 moved names reachable (_state, fixed, late_fixed, other, param, set_state)');
    expect(e.message).not.toContain('\n');
    const dir = await refusal({ ...ROUTES, 'pkg/routes.py': `${ROUTES['pkg/routes.py']}\ndef __dir__():\n    return []\n${getattr}` }, step);
    expect(dir.message).toContain('already defines a module __getattr__ and __dir__;');
    const table = await refusal({ ...ROUTES, 'pkg/routes.py': `${ROUTES['pkg/routes.py']}\n_MOVED = {}\n` }, step);
    expect(table.message).toContain('already defines a module _MOVED;');
    // Project imports count; the third-party ones (Body, Query) are not forwarded.
    const many = ROUTES['pkg/routes.py'].replace('import APIRouter', 'import APIRouter, Body, Query\nfrom pkg.deps import Alpha, Beta, Gamma');
    const deps = { 'pkg/deps.py': 'Alpha = Beta = Gamma = None\n' };
    const long = await refusal({ ...ROUTES, ...deps, 'pkg/routes.py': `${many.replace('return 1', 'return Alpha, Beta, Gamma, Body, Query')}${getattr}` }, step);
    expect(long.message).toContain('the 9 moved names reachable (Alpha, Beta, Gamma, _state, fixed, late_fixed and 3 more)');
    // Every moved name is imported back for the project's own use: nothing to forward, the module's __getattr__ stays.
    const stateless = ROUTES['pkg/routes.py'].replace(/_state = None\n\ndef set_state\(v\):\n    global _state\n    _state = v\n/, '');
    const user = { 'pkg/app.py': 'from pkg.routes import fixed, late_fixed, other, param, router\n' };
    const p = await plan({ ...ROUTES, ...user, 'pkg/routes.py': `${stateless}${getattr}` }, step);
    expect(p.problems).toEqual([]);
    expect(p.changes.get('pkg/routes.py')).toMatch(/\ndef __getattr__\(name\):\n    raise AttributeError\(name\)\n$/);
    expect(p.changes.get('pkg/routes.py')!.match(/__getattr__/g)).toHaveLength(1);
    expect(p.changes.get('pkg/routes.py')).not.toContain('__dir__');
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
    expect(aggregator).toContain('_MOVED = {\n    routes_a: ("store",),\n}\n');
  });

  it('writes one table after two blank lines, read by __getattr__ and __dir__, wrapping long tuples like black', () => {
    const t = (stem: string): Target => ({ stem }) as Target;
    const names = ['_config_manager', '_model_manager', '_model_registry', '_translation_service'];
    const blocks = [
      { target: t('models_dependencies'), names },
      { target: t('models_common'), names: ['_load'] },
    ];
    // Checked with black 23 (`black --check`): a tuple past 88 columns is exploded one name a line, a one-tuple keeps its comma.
    expect(forwarderText(blocks, 'eager', 'x = 1\r\n')).toBe([
      '',
      '',
      '# Names moved to these modules; still importable from here (PEP 562).',
      '_MOVED = {',
      '    models_dependencies: (',
      ...names.map((n) => `        "${n}",`),
      '    ),',
      '    models_common: ("_load",),',
      '}',
      '',
      '',
      'def __getattr__(name):',
      '    for module, names in _MOVED.items():',
      '        if name in names:',
      '            return getattr(module, name)',
      '    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")',
      '',
      '',
      'def __dir__():',
      '    return sorted(set(globals()).union(*_MOVED.values()))',
      '',
    ].join('\n'));
    const lazy = forwarderText(blocks, 'lazy', 'x = 1\n');
    expect(lazy).toContain('    "models_common": ("_load",),\n');
    expect(lazy).toContain(
      'def __getattr__(name):\n    from importlib import import_module\n\n    for module, names in _MOVED.items():\n        if name in names:\n'
        + '            return getattr(import_module(f"{__package__}.{module}"), name)\n',
    );
    expect(forwarderText(blocks, 'lazy-root', '')).toContain('            return getattr(import_module(module), name)\n');
    // 88 columns stay on one line, 89 are exploded.
    const fits = forwarderText([{ target: t('models_dependencies'), names: ['_config_manager', '_model_manager', '_model_registry', '_x'] }], 'eager', '');
    expect(fits).toContain('    models_dependencies: ("_config_manager", "_model_manager", "_model_registry", "_x"),\n');
    const over = forwarderText([{ target: t('models_dependencies'), names: ['_config_manager', '_model_manager', '_model_registry', '_xx'] }], 'eager', '');
    expect(over).toContain('    models_dependencies: (\n        "_config_manager",\n');
    expect(forwarderText(blocks, 'eager', 'x = 1').startsWith('\n\n\n# Names')).toBe(true);
    expect(forwarderText(blocks, 'eager', 'x = 1\n\n\n\n').startsWith('# Names')).toBe(true);
  });
});

/** A temporary tree holding `files` with the plan's changes written over them (remove it after use). */
function materializeFiles(files: Record<string, string>, p: CodemodPlan): string {
  const out = mkdtempSync(path.join(tmpdir(), 'remodel-split-router-'));
  for (const [f, text] of [...Object.entries(files), ...p.changes]) {
    if (text === null) continue;
    mkdirSync(path.dirname(path.join(out, f)), { recursive: true });
    writeFileSync(path.join(out, f), text);
  }
  return out;
}

describe('split-router: names no project code uses stay reachable through the old module path', () => {
  const dir = path.join(FIXTURES, 'basic');
  const AGGREGATOR = 'shop/api/items.py';

  it('forwards moved definitions, not stdlib or third-party imports; the fixture test of a plugin importing them fails without that', async () => {
    const result = await runGolden(dir);
    const aggregator = result.plan.changes.get(AGGREGATOR)!;
    expect(aggregator).toContain('    "items_write": ("ItemIn", "create_item", "delete_item"),\n');
    expect(aggregator).toContain('    "items_config": ("_load_overrides", "get_item_config"),\n');
    // json, HTTPException and BaseModel were imports of the module, never its API.
    expect(aggregator).not.toMatch(/"(json|HTTPException|BaseModel)"/);
    expect(aggregator).not.toMatch(/import[^\n]*\b(ItemIn|get_item_config)\b/);
    const out = materialize(path.join(dir, 'before'), result.plan);
    try {
      expect(runPytest(out, ['-k', 'no_project_code_uses']).output).toMatch(/1 passed/);
      writeFileSync(path.join(out, AGGREGATOR), aggregator.replace('"ItemIn", ', '').replace('"get_item_config", ', ''));
      const control = runPytest(out, ['-k', 'no_project_code_uses']);
      expect(control.output).toMatch(/ImportError: cannot import name 'ItemIn' from 'shop.api.items'/);
      expect(control.output).toMatch(/1 failed/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('imports a module the aggregator does not import at import time inside __getattr__, on first use', async () => {
    const step = { module: 'pkg/routes.py', groups: [{ module: 'pkg.routes_a', rest: true }] };
    const p = await plan(ROUTES, step);
    expect(p.problems).toEqual([]);
    const aggregator = p.changes.get('pkg/routes.py')!;
    expect(aggregator).toContain('_MOVED = {\n    "routes_a": ("fixed", "late_fixed", "other", "param"),\n    "routes_state": ("_state", "set_state"),\n}\n');
    expect(aggregator).toContain('    from importlib import import_module\n');
    expect(aggregator).not.toMatch(/^import importlib|routes_state(?!")/m);
    // The original imported no project module at import time; the aggregator imports its group only.
    expect([...p.after.importGraph({ importTimeOnly: true }).get('pkg.routes')!.keys()]).toEqual(['pkg.routes_a']);
    const out = materializeFiles(ROUTES, p);
    try {
      const check = runPython(out, [
        'import sys',
        'import pkg.routes as r',
        'assert "pkg.routes_state" not in sys.modules',
        'assert r._state is None',
        'from pkg.routes import set_state, fixed',
        'set_state(5)',
        'assert r._state == 5 and fixed() == 1',
        'assert {"_state", "set_state", "fixed", "router"} <= set(dir(r)) and dir(r) == sorted(dir(r))',
        'print("ok")',
      ].join('\n'));
      expect(check.out.trim()).toBe('ok');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('keeps what no new module binds (dead imports, unread guarded blocks) and loggers, forwards guarded project imports that moved', async () => {
    const files = {
      'pkg/__init__.py': '',
      'pkg/speedups.py': 'def dumps(x):\n    return str(x)\n',
      'pkg/routes.py': [
        'import logging',
        'import os',
        '',
        'from fastapi import APIRouter',
        '',
        'try:',
        '    import tomllib as toml',
        'except ImportError:  # pragma: no cover',
        '    toml = None',
        '',
        'try:',
        '    import ujson as fastjson',
        'except ImportError:',
        '    fastjson = None',
        '',
        'try:',
        '    from pkg.speedups import dumps',
        'except ImportError:  # pragma: no cover',
        '    dumps = str',
        '',
        'logger = logging.getLogger(__name__)',
        'router = APIRouter()',
        '',
        '',
        '@router.get("/a")',
        'def a():',
        '    logger.info("a")',
        '    return toml is not None and dumps(1) == "1"',
        '',
      ].join('\n'),
    };
    const p = await plan(files, { module: 'pkg/routes.py', groups: [{ module: 'pkg.routes_a', rest: true }] });
    expect(p.problems).toEqual([]);
    const aggregator = p.changes.get('pkg/routes.py')!;
    expect(aggregator).toContain('import logging\nimport os\n');
    expect(aggregator).toContain('try:\n    import ujson as fastjson\nexcept ImportError:\n    fastjson = None\n');
    expect(aggregator).not.toMatch(/tomllib|speedups/);
    expect(aggregator).toContain('logger = logging.getLogger(__name__)\n');
    expect(aggregator).toContain('_MOVED = {\n    routes_a: ("a", "dumps"),\n}\n');
    expect(p.changes.get('pkg/routes_a.py')).toContain('try:\n    import tomllib as toml\n');
    expect(p.changes.get('pkg/routes_a.py')).toContain('try:\n    from pkg.speedups import dumps\n');
    const out = materializeFiles(files, p);
    try {
      const check = runPython(out, [
        'import os, sys, tomllib',
        'import pkg.routes as r',
        'from pkg.routes import dumps',
        'from pkg.speedups import dumps as real',
        'assert dumps is real and r.os is os and r.a() is True and not hasattr(r, "toml")',
        'assert r.logger.name == "pkg.routes" and sys.modules["pkg.routes_a"].logger.name == "pkg.routes_a"',
        'print("ok")',
      ].join('\n'));
      expect(check.out.trim()).toBe('ok');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
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
