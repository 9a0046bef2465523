import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadPython, Project } from '@remodel/python';
import { parseSpec, planCodemod, type CodemodPlan } from '@remodel/runtime';
import { registry } from '../registry.js';
import { describeGoldenCases } from '../shared/golden-suite.js';

const FIXTURES = path.resolve('fixtures/remove-symbols');

beforeAll(loadPython);

/** Plans a one-step remove-symbols codemod on an in-memory project (root: `root`, default an empty temp dir). */
async function plan(files: Record<string, string>, step: Record<string, unknown>, root?: string): Promise<CodemodPlan> {
  const project = new Project(Object.entries(files).map(([p, text]) => ({ path: p, text })));
  const yaml = `id: t\ntitle: t\nsteps:\n  - ${JSON.stringify({ op: 'remove-symbols', ...step })}\n`;
  const dir = root ?? mkdtempSync(path.join(tmpdir(), 'remove-symbols-'));
  try {
    return await planCodemod(parseSpec(yaml, 'inline', registry), project, registry, dir);
  } finally {
    if (!root) rmSync(dir, { recursive: true, force: true });
  }
}

async function refusal(files: Record<string, string>, step: Record<string, unknown>, root?: string): Promise<{ code: string; message: string }> {
  try {
    await plan(files, step, root);
  } catch (error) {
    const e = error as { code?: string; message: string; name: string };
    expect(e.message).not.toContain('\n');
    return { code: e.code ?? e.name, message: e.message };
  }
  throw new Error('expected the step to be refused');
}

// Without `if-present` a second run refuses (the names are gone): only tolerant specs are re-run.
describeGoldenCases('remove-symbols', FIXTURES, {
  minCases: 3,
  warnings: true,
  samePassCount: true,
  idempotentNote: /nothing to do/,
  rerunnable: (plan) => plan.spec.steps.every((s) => s.params['if-present'] === true || (!s.params.symbols && !s.params.imports)),
});

const shop: Record<string, string> = {
  'shop/__init__.py': '',
  'shop/a.py': [
    'import os',
    'from shop import b',
    '',
    'LIMIT = 3',
    '',
    '',
    'def used():',
    '    return LIMIT',
    '',
    '',
    'def dead():',
    '    return os.sep',
    '',
  ].join('\n'),
  'shop/b.py': 'VALUE = 1\n',
};

describe('remove-symbols removes', () => {
  it('a function and the import only it read, leaving the rest byte-identical', async () => {
    const p = await plan(shop, { module: 'shop.a', symbols: ['dead'] });
    expect(p.changes.get('shop/a.py')).toBe(['from shop import b', '', 'LIMIT = 3', '', '', 'def used():', '    return LIMIT', ''].join('\n'));
    expect(p.steps[0].notes.join('\n')).toMatch(/removed import `os` from shop\/a.py: only the deleted code read it/);
  });

  it('a project-module import whose module only defines names', async () => {
    const p = await plan(shop, { module: 'shop/a.py', imports: ['b'] });
    expect(p.changes.get('shop/a.py')).not.toContain('from shop import b');
  });

  it('a symbol and a constant only it read, when both are listed', async () => {
    const p = await plan(shop, { module: 'shop.a', symbols: ['used', 'LIMIT'] });
    expect(p.changes.get('shop/a.py')).toBe(['import os', 'from shop import b', '', '', 'def dead():', '    return os.sep', ''].join('\n'));
  });

  it('keeps an import the deleted code read when another module imports it from here, and says nothing', async () => {
    const files = { ...shop, 'shop/c.py': 'from shop.a import os\n' };
    const p = await plan(files, { module: 'shop.a', symbols: ['dead'] });
    expect(p.changes.get('shop/a.py')).toContain('import os');
  });
});

describe('remove-symbols refusals (one-line PlanError naming the step and the value)', () => {
  const mod = (text: string, extra: Record<string, string> = {}): Record<string, string> => ({ 'pkg/__init__.py': '', 'pkg/m.py': text, ...extra });

  it('a symbol another module imports', async () => {
    const r = await refusal(mod('def f():\n    pass\n', { 'pkg/user.py': 'from pkg.m import f\n' }), { module: 'pkg.m', symbols: ['f'] });
    expect(r).toEqual({ code: 'referenced', message: 't: steps[0].symbols: `f` is imported at pkg/user.py:1; not removing it from pkg/m.py' });
  });

  it('a symbol a test patches by its dotted name', async () => {
    const r = await refusal(mod('def f():\n    pass\n', { 'tests/test_m.py': 'from unittest.mock import patch\n\n\ndef test():\n    with patch("pkg.m.f"):\n        pass\n' }), { module: 'pkg.m', symbols: ['f'] });
    expect(r.code).toBe('referenced');
    expect(r.message).toContain('patch target `"pkg.m.f"` at tests/test_m.py:5');
  });

  it('a symbol the module itself reads', async () => {
    const r = await refusal(mod('def f():\n    pass\n\n\nHANDLERS = [f]\n'), { module: 'pkg.m', symbols: ['f'] });
    expect(r).toEqual({ code: 'used-in-module', message: 't: steps[0].symbols: `f` is read at pkg/m.py:5; not removing it from pkg/m.py' });
  });

  it('a symbol named in a string (getattr, entry points)', async () => {
    const r = await refusal(mod('def handler():\n    pass\n', { 'pkg/load.py': 'import pkg.m as m\n\nfn = getattr(m, "handler")\n' }), { module: 'pkg.m', symbols: ['handler'] });
    expect(r).toEqual({ code: 'string-mention', message: 't: steps[0].symbols: `handler` is named in a string at pkg/load.py:3 (getattr, entry points and patch targets find names that way); not removing it from pkg/m.py' });
  });

  it('a symbol named in pyproject.toml', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'remove-symbols-root-'));
    try {
      writeFileSync(path.join(root, 'pyproject.toml'), '[project.scripts]\nserve = "pkg.m:main"\n');
      const r = await refusal(mod('def main():\n    pass\n'), { module: 'pkg.m', symbols: ['main'] }, root);
      expect(r).toEqual({ code: 'config-mention', message: 't: steps[0].symbols: `main` is named in pyproject.toml:2; not removing it from pkg/m.py' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a symbol read as an attribute of an object remodel cannot resolve', async () => {
    const r = await refusal(mod('def hook():\n    pass\n', { 'pkg/use.py': 'def run(plugin):\n    return plugin.hook()\n' }), { module: 'pkg.m', symbols: ['hook'] });
    expect(r.code).toBe('unresolved-attribute');
    expect(r.message).toContain('`.hook` is read at pkg/use.py:2 on `plugin`');
  });

  it('a function with a registering decorator', async () => {
    const r = await refusal(mod('from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get("/x")\ndef x():\n    pass\n'), { module: 'pkg.m', symbols: ['x'] });
    expect(r.code).toBe('registering-decorator');
    expect(r.message).toContain('decorated with `@router.get` (pkg/m.py:6)');
  });

  it('a class with a base from outside the project or a metaclass', async () => {
    expect((await refusal(mod('from locust import HttpUser\n\n\nclass User(HttpUser):\n    pass\n'), { module: 'pkg.m', symbols: ['User'] })).code).toBe('discoverable-class');
    expect((await refusal(mod('class Meta(type):\n    pass\n\n\nclass A(metaclass=Meta):\n    pass\n'), { module: 'pkg.m', symbols: ['A'] })).code).toBe('discoverable-class');
    const sub = mod('class Base:\n    def __init_subclass__(cls):\n        pass\n\n\nclass Plugin(Base):\n    pass\n\n\nBase()\n');
    const r = await refusal(sub, { module: 'pkg.m', symbols: ['Plugin'] });
    expect(r.message).toContain('whose `__init_subclass__` (pkg/m.py:1) sees every subclass');
  });

  it('a constant whose value calls something at import', async () => {
    const r = await refusal(mod('import os\n\nHOME = os.getenv("HOME")\n'), { module: 'pkg.m', symbols: ['HOME'] });
    expect(r).toEqual({ code: 'import-time-effect', message: 't: steps[0].symbols: `HOME` runs `os.getenv("HOME")` when the module is imported (pkg/m.py:3); deleting it would skip that; not removing it from pkg/m.py' });
  });

  it('dunders, names in __all__, tuple siblings, global writers, conditional definitions', async () => {
    expect((await refusal(mod('__version__ = "1"\n'), { module: 'pkg.m', symbols: ['__version__'] })).code).toBe('dunder');
    expect((await refusal(mod('__all__ = ["f"]\n\n\ndef f():\n    pass\n'), { module: 'pkg.m', symbols: ['f'] })).code).toBe('referenced');
    expect((await refusal(mod('A, B = 1, 2\n'), { module: 'pkg.m', symbols: ['A'] })).message).toContain('assigned together with `B`');
    expect((await refusal(mod('X = 1\n\n\ndef g():\n    global X\n    X = 2\n'), { module: 'pkg.m', symbols: ['X'] })).code).toBe('global-write');
    expect((await refusal(mod('import sys\n\nif sys.platform == "win32":\n    def f():\n        pass\n'), { module: 'pkg.m', symbols: ['f'], 'if-present': true })).code).toBe('conditional-definition');
  });

  it('names that do not exist, unless if-present', async () => {
    expect(await refusal(mod('X = 1\n'), { module: 'pkg.nope', symbols: ['X'] })).toEqual({ code: 'module-not-found', message: 't: steps[0].module: "pkg.nope" is not a module of the project' });
    expect(await refusal(mod('X = 1\n'), { module: 'pkg.m', symbols: ['Y'] })).toEqual({ code: 'symbol-not-found', message: 't: steps[0].symbols: `Y` not found in pkg/m.py' });
    expect((await refusal(mod('import os\n'), { module: 'pkg.m', symbols: ['os'] })).code).toBe('not-a-definition');
    expect((await refusal(mod('X = 1\n'), { module: 'pkg.m', imports: ['X'] })).code).toBe('not-an-import');
    const tolerant = await plan(mod('X = 1\n'), { module: 'pkg.m', symbols: ['Y'], imports: ['os'], 'if-present': true });
    expect(tolerant.changes.size).toBe(0);
    expect(tolerant.steps[0].notes).toEqual([
      '`Y` is not defined in pkg/m.py; nothing to do for it (if-present)',
      '`os` is not imported in pkg/m.py; nothing to do for it (if-present)',
      'pkg/m.py: nothing to do',
    ]);
  });

  it('if-present never softens the check of a present name', async () => {
    const r = await refusal(mod('def f():\n    pass\n\n\nf()\n'), { module: 'pkg.m', symbols: ['f', 'gone'], 'if-present': true });
    expect(r.code).toBe('used-in-module');
  });

  it('imports that are used, guarded, __future__, re-exported, in __all__ or in a package', async () => {
    expect((await refusal(mod('import os\n\nSEP = os.sep\n'), { module: 'pkg.m', imports: ['os'] })).code).toBe('used-in-module');
    expect((await refusal(mod('try:\n    import yaml\nexcept ImportError:\n    yaml = None\n'), { module: 'pkg.m', imports: ['yaml'] })).code).toBe('guarded-import');
    expect((await refusal(mod('from __future__ import annotations\n'), { module: 'pkg.m', imports: ['annotations'] })).code).toBe('future-import');
    expect((await refusal(mod('from os import sep\n', { 'pkg/u.py': 'from pkg.m import sep\n' }), { module: 'pkg.m', imports: ['sep'] })).code).toBe('referenced');
    expect((await refusal(mod('from os import sep\n\n__all__ = ["sep"]\n'), { module: 'pkg.m', imports: ['sep'] })).code).toBe('all');
    expect((await refusal({ 'pkg/__init__.py': 'from os import sep\n' }, { module: 'pkg', imports: ['sep'] })).code).toBe('package-reexport');
    // A string annotation is a read; a dotted string (getattr / patch target in the module) is a mention.
    expect((await refusal(mod('from decimal import Decimal\n\n\ndef f(x: "Decimal"):\n    pass\n'), { module: 'pkg.m', imports: ['Decimal'] })).code).toBe('used-in-module');
    expect((await refusal(mod('from decimal import Decimal\n\nKIND = "Decimal"\n'), { module: 'pkg.m', imports: ['Decimal'] })).code).toBe('string-mention');
    expect((await plan(mod('import json\n\nMIME = "application/json"\n'), { module: 'pkg.m', imports: ['json'] })).changes.get('pkg/m.py')).toBe('MIME = "application/json"\n');
  });

  it('a project-module import that is the only path to a module with import-time effects', async () => {
    const files = mod('from pkg import plugins\n', { 'pkg/plugins.py': 'REGISTRY = []\nREGISTRY.append("csv")\n' });
    const r = await refusal(files, { module: 'pkg.m', imports: ['plugins'] });
    expect(r).toEqual({
      code: 'side-effect-import',
      message: 't: steps[0].imports: `plugins` is the only import-time path from pkg.m to pkg.plugins, whose import has effects (pkg/plugins.py:2 `REGISTRY.append("csv")`); not removing it from pkg/m.py',
    });
    // Still loaded through another import: fine.
    const twice = await plan({ ...files, 'pkg/m.py': 'from pkg import plugins\nfrom pkg import loader\n', 'pkg/loader.py': 'from pkg import plugins\n\nLOADED = plugins.REGISTRY\n' }, { module: 'pkg.m', imports: ['plugins'] });
    expect(twice.changes.get('pkg/m.py')).toBe('from pkg import loader\n');
  });
});

describe('remove-symbols warnings', () => {
  it('names comment mentions of a removed symbol', async () => {
    const p = await plan({ 'pkg/__init__.py': '', 'pkg/m.py': 'def old():\n    pass\n', 'pkg/n.py': '# old() was replaced by new()\nX = 1\n' }, { module: 'pkg.m', symbols: ['old'] });
    expect(p.steps[0].warnings).toEqual(['`old` is mentioned in a comment at pkg/n.py:1; update the comment']);
  });
});
