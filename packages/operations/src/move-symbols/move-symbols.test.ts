import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadPython, Project } from '@remodel/python';
import { verify, type CodemodPlan } from '@remodel/runtime';
import { registry } from '../registry.js';
import { materialize, planStep, readTree, refusalOf, runPytest } from '../shared/testing.js';
import { describeGoldenCases } from '../shared/golden-suite.js';

const FIXTURES = path.resolve('fixtures/move-symbols');

beforeAll(loadPython);

/** Plans a one-step move-symbols codemod on an in-memory project. */
const plan = (files: Record<string, string>, step: Record<string, unknown>, root = '/tmp'): Promise<CodemodPlan> =>
  planStep(files, { op: 'move-symbols', ...step }, root);

function warnings(p: CodemodPlan): string[] {
  return p.steps.flatMap((s) => s.warnings);
}

describeGoldenCases('move-symbols', FIXTURES, { minCases: 1, warnings: true, idempotentNote: /nothing to do/ });

const basic: Record<string, string> = {
  'pkg/__init__.py': '',
  'pkg/a.py': [
    '"""Module a."""',
    'import os',
    '',
    'LIMIT = 3',
    '',
    '',
    'def helper():',
    '    return LIMIT',
    '',
    '',
    'def leaf():',
    '    return os.sep',
    '',
    '',
    'def user():',
    '    return leaf() + "x"',
    '',
  ].join('\n'),
};

const refusal = (files: Record<string, string>, step: Record<string, unknown>): Promise<{ code: string; message: string }> => refusalOf(plan(files, step));

describe('move-symbols refusals (one-line PlanError naming the step and the value)', () => {
  it('a symbol that exists nowhere', async () => {
    const r = await refusal(basic, { from: 'pkg.a', to: 'pkg.b', symbols: ['nope'] });
    expect(r).toEqual({ code: 'symbol-not-found', message: 't: steps[0].symbols: `nope` not found in pkg/a.py' });
  });

  it('a name the source only imports', async () => {
    const r = await refusal(basic, { from: 'pkg.a', to: 'pkg.b', symbols: ['os'] });
    expect(r).toEqual({ code: 'not-a-definition', message: 't: steps[0].symbols: `os` is imported in pkg/a.py (line 2), not defined there' });
  });

  it('an unknown source module', async () => {
    const r = await refusal(basic, { from: 'pkg.zzz', to: 'pkg.b', symbols: ['leaf'] });
    expect(r.code).toBe('module-not-found');
    expect(r.message).toContain('steps[0].from: "pkg.zzz"');
  });

  it('reexport: false without update-importers', async () => {
    const r = await refusal(basic, { from: 'pkg.a', to: 'pkg.b', symbols: ['leaf'], reexport: false });
    expect(r.code).toBe('reexport-needs-update');
    expect(r.message).toContain('steps[0].reexport');
  });

  it('a move that would create an import-time cycle, printed as a chain', async () => {
    const r = await refusal(basic, { from: 'pkg.a', to: 'pkg.b', symbols: ['helper'] });
    expect(r.code).toBe('import-cycle');
    expect(r.message).toMatch(/pkg\.(a|b) -> pkg\.(a|b) -> pkg\.\1/);
    expect(r.message).toContain('`LIMIT`');
    expect(r.message).toContain('move-dependencies');
  });

  it('a cycle through a third module', async () => {
    const files = { ...basic, 'pkg/c.py': 'from pkg.b import thing\n\n\ndef uses():\n    return thing\n', 'pkg/b.py': 'thing = 1\n', 'pkg/a.py': 'from pkg.c import uses\n\n\ndef f():\n    return uses()\n' };
    const r = await refusal(files, { from: 'pkg.a', to: 'pkg.b', symbols: ['f'] });
    expect(r.code).toBe('import-cycle');
    expect(r.message).toMatch(/pkg\.b -> pkg\.c -> pkg\.b|pkg\.c -> pkg\.b -> pkg\.c/);
  });

  it('splitting module state rebound through `global`', async () => {
    const files = {
      'pkg/__init__.py': '',
      'pkg/a.py': '_count = 0\n\n\ndef bump():\n    global _count\n    _count += 1\n\n\ndef read():\n    return _count\n',
    };
    const r = await refusal(files, { from: 'pkg.a', to: 'pkg.b', symbols: ['bump'] });
    expect(r.code).toBe('split-state');
    expect(r.message).toContain('`_count`');
    // Moving the state with every user is fine.
    const ok = await plan(files, { from: 'pkg.a', to: 'pkg.b', symbols: ['_count', 'bump', 'read'] });
    expect(ok.problems).toEqual([]);
  });

  it('a new module in a directory that is not a package', async () => {
    const r = await refusal(basic, { from: 'pkg.a', to: 'other/b.py', symbols: ['leaf'] });
    expect(r.code).toBe('no-package');
    const dotted = await refusal(basic, { from: 'pkg.a', to: 'pkg.sub.b', symbols: ['leaf'] });
    expect(dotted.code).toBe('no-package');
  });

  it('a name the target already defines or binds', async () => {
    const defined = await refusal({ ...basic, 'pkg/b.py': 'def leaf():\n    pass\n' }, { from: 'pkg.a', to: 'pkg.b', symbols: ['leaf', 'user'] });
    expect(defined.code).toBe('already-defined');
    const bound = await refusal({ ...basic, 'pkg/b.py': 'from os import sep as user\n' }, { from: 'pkg.a', to: 'pkg.b', symbols: ['leaf', 'user'] });
    expect(bound.code).toBe('name-taken');
  });

  it('a target whose import-time code reads a moved name', async () => {
    const r = await refusal({ ...basic, 'pkg/b.py': 'from pkg.a import leaf\n\nSEP = leaf()\n' }, { from: 'pkg.a', to: 'pkg.b', symbols: ['leaf'] });
    expect(r.code).toBe('used-at-import');
  });

  it('the same module as source and target', async () => {
    expect((await refusal(basic, { from: 'pkg.a', to: 'pkg/a.py', symbols: ['leaf'] })).code).toBe('same-module');
  });

  it('dropping the re-export while a module star-imports the source', async () => {
    const r = await refusal({ ...basic, 'pkg/star.py': 'from pkg.a import *\n' }, { from: 'pkg.a', to: 'pkg.b', symbols: ['leaf'], reexport: false, 'update-importers': true });
    expect(r.code).toBe('star-importer');
  });

  it('moved code that reads the source namespace through globals()', async () => {
    const files = { 'pkg/__init__.py': '', 'pkg/abnf.py': 'vchar = "x"\nfield = "{vchar}+".format(**globals())\n' };
    const r = await refusal(files, { from: 'pkg.abnf', to: 'pkg.chars', symbols: ['field'] });
    expect(r).toEqual({
      code: 'namespace-read',
      message: 't: steps[0].symbols: `field` reads the namespace of pkg/abnf.py through `globals()` / `vars()` (line 2); in pkg/chars.py it would see other names',
    });
  });

  it('a name only annotated at top level (`x: Any`, its value bound in a try block)', async () => {
    const files = { 'pkg/__init__.py': '', 'pkg/a.py': 'from typing import Any\n\nmod: Any\ntry:\n    import tomllib as mod\nexcept ImportError:\n    mod = None\n' };
    const r = await refusal(files, { from: 'pkg.a', to: 'pkg.b', symbols: ['mod'] });
    expect(r).toEqual({
      code: 'annotation-only',
      message: 't: steps[0].symbols: `mod` is only annotated in pkg/a.py (line 3); the statement binding its value is not a top-level definition',
    });
  });

  it('unknown spec fields are a SpecError before planning', async () => {
    await expect(plan(basic, { from: 'pkg.a', to: 'pkg.b', symbols: ['leaf'], colour: 'red' })).rejects.toMatchObject({ code: 'spec-invalid' });
  });
});

describe('move-symbols behaviour', () => {
  it('without the re-export, keeps the source importing definitions whose decorators may register them; not for pure ones', async () => {
    const files = {
      'pkg/__init__.py': '',
      'pkg/reg.py': 'HOOKS = []\n\n\ndef hook(fn):\n    HOOKS.append(fn)\n    return fn\n',
      'pkg/a.py': 'import functools\n\nfrom pkg import reg\n\n\n@reg.hook\ndef on_start():\n    return 1\n\n\n@functools.lru_cache(maxsize=None)\ndef cached():\n    return 2\n',
    };
    const p = await plan(files, { from: 'pkg.a', to: 'pkg.b', symbols: ['on_start', 'cached'], reexport: false, 'update-importers': true });
    expect(p.changes.get('pkg/a.py')).toBe('from pkg.b import on_start\n');
    expect(p.steps[0].notes).toContain('pkg/a.py keeps importing `on_start` from pkg.b: its decorator runs on import, and importing pkg.a must still run it');
  });

  it('keeps moved names bound in a source whose remaining code reads globals() (h11._abnf), even without re-export', async () => {
    const files = {
      'pkg/__init__.py': '',
      'pkg/abnf.py': 'vchar = "x"\nHEX = "h"\nfield = "{vchar}+".format(**globals())\n\n\ndef pick(name):\n    return globals()[name]\n',
      'pkg/use.py': 'from pkg.abnf import HEX, field\n',
    };
    const p = await plan(files, { from: 'pkg.abnf', to: 'pkg.chars', symbols: ['vchar', 'HEX'], reexport: false, 'update-importers': true });
    expect(p.changes.get('pkg/abnf.py')).toBe('from pkg.chars import HEX, vchar\n\nfield = "{vchar}+".format(**globals())\n\n\ndef pick(name):\n    return globals()[name]\n');
    expect(p.changes.get('pkg/use.py')).toBe('from pkg.abnf import field\nfrom pkg.chars import HEX\n');
    // Module-level `vars()` reads the namespace too; `vars()` inside a function reads its locals.
    const local = await plan(
      { 'pkg/__init__.py': '', 'pkg/abnf.py': 'vchar = "x"\n\n\ndef f(a):\n    return vars()\n', 'pkg/use.py': 'from pkg.abnf import vchar\n' },
      { from: 'pkg.abnf', to: 'pkg.chars', symbols: ['vchar'], reexport: false, 'update-importers': true },
    );
    expect(local.changes.get('pkg/abnf.py')).toBe('def f(a):\n    return vars()\n');
  });

  it('moves dependencies along with move-dependencies: true', async () => {
    const p = await plan(basic, { from: 'pkg.a', to: 'pkg.b', symbols: ['helper'], 'move-dependencies': true });
    expect(p.problems).toEqual([]);
    expect(p.changes.get('pkg/b.py')).toBe('LIMIT = 3\n\n\ndef helper():\n    return LIMIT\n');
    expect(p.changes.get('pkg/a.py')).toBe('"""Module a."""\nimport os\n\nfrom pkg.b import LIMIT, helper\n\n\ndef leaf():\n    return os.sep\n\n\ndef user():\n    return leaf() + "x"\n');
    expect(p.steps[0].notes.join('\n')).toContain('`LIMIT` moves too');
  });

  it('a second run is a no-op with a note; a partly done run moves the rest', async () => {
    const first = await plan(basic, { from: 'pkg.a', to: 'pkg.b', symbols: ['leaf'] });
    const after = Object.fromEntries([...first.after.files].map(([p, f]) => [p, f.text]));
    const again = await plan(after, { from: 'pkg.a', to: 'pkg.b', symbols: ['leaf'] });
    expect(again.changes.size).toBe(0);
    expect(again.steps[0].notes).toEqual(['nothing to do: `leaf` already in pkg/b.py and not in pkg/a.py']);
    const more = await plan(after, { from: 'pkg.a', to: 'pkg.b', symbols: ['leaf', 'user'] });
    expect(more.problems).toEqual([]);
    expect(more.steps[0].notes[0]).toBe('`leaf` is already in pkg/b.py; left as is');
    expect(more.changes.get('pkg/b.py')).toContain('def leaf():');
    expect(more.changes.get('pkg/b.py')).toContain('def user():');
  });

  it('keeps non-ASCII text and offsets exact', async () => {
    const files = { 'pkg/__init__.py': '', 'pkg/a.py': 'GREETING = "zażółć 🐍"\n\n\ndef hello():\n    """Cześć! 👋"""\n    return GREETING + "…"\n\n\ndef other():\n    return "ż"\n' };
    const p = await plan(files, { from: 'pkg.a', to: 'pkg.b', symbols: ['GREETING', 'hello'] });
    expect(p.problems).toEqual([]);
    expect(p.changes.get('pkg/b.py')).toBe('GREETING = "zażółć 🐍"\n\n\ndef hello():\n    """Cześć! 👋"""\n    return GREETING + "…"\n');
    expect(p.changes.get('pkg/a.py')).toBe('from pkg.b import GREETING, hello\n\n\ndef other():\n    return "ż"\n');
  });

  it('copies type-only imports under TYPE_CHECKING and keeps lazy imports lazy', async () => {
    const files = {
      'pkg/__init__.py': '',
      'pkg/models.py': 'class User:\n    pass\n',
      'pkg/a.py': [
        'from __future__ import annotations',
        '',
        'from typing import TYPE_CHECKING',
        '',
        'if TYPE_CHECKING:',
        '    from pkg.models import User',
        '',
        '',
        'def name(user: User) -> str:',
        '    import json  # lazy on purpose',
        '',
        '    return json.dumps(str(user))',
        '',
      ].join('\n'),
    };
    const p = await plan(files, { from: 'pkg.a', to: 'pkg.b', symbols: ['name'] });
    expect(p.problems).toEqual([]);
    expect(p.changes.get('pkg/b.py')).toBe(
      'from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from pkg.models import User\n\n\n' +
        'def name(user: User) -> str:\n    import json  # lazy on purpose\n\n    return json.dumps(str(user))\n',
    );
    // `from __future__` stays first in the source; its TYPE_CHECKING import is kept (not "unused" in a guarded sense: still listed).
    expect(p.changes.get('pkg/a.py')!.startsWith('from __future__ import annotations\n')).toBe(true);
  });

  it('never imports a moved symbol into its own new module, and drops the target\'s import of it', async () => {
    const files = { ...basic, 'pkg/b.py': 'from pkg.a import leaf\n\n\ndef sep2():\n    return leaf() * 2\n' };
    const p = await plan(files, { from: 'pkg.a', to: 'pkg.b', symbols: ['leaf'] });
    expect(p.problems).toEqual([]);
    expect(p.changes.get('pkg/b.py')).toBe('import os\n\n\ndef sep2():\n    return leaf() * 2\n\n\ndef leaf():\n    return os.sep\n');
  });

  it('without update-importers, warns about patch targets that no longer reach moved code', async () => {
    const files = {
      'pkg/__init__.py': '',
      'pkg/a.py': 'RATE = 2\n\n\ndef cost(x):\n    return x * RATE\n',
      'tests/test_a.py': 'from unittest import mock\n\nfrom pkg.a import cost\n\n\n@mock.patch("pkg.a.RATE", 3)\ndef test_cost():\n    assert cost(1) == 3\n',
    };
    const p = await plan(files, { from: 'pkg.a', to: 'pkg.b', symbols: ['cost'], reexport: false, 'update-importers': true });
    expect(p.changes.get('tests/test_a.py')).toContain('mock.patch("pkg.b.RATE", 3)');
    const blocked = await refusal(files, { from: 'pkg.a', to: 'pkg.b', symbols: ['cost'] });
    expect(blocked.code).toBe('import-cycle');
    const moved = await plan(files, { from: 'pkg.a', to: 'pkg.b', symbols: ['cost', 'RATE'] });
    expect(warnings(moved)).toEqual([
      'tests/test_a.py:6: patch target "pkg.a.RATE" no longer reaches `cost` (moved to pkg/b.py); patch "pkg.b.RATE" instead (update-importers: true rewrites it)',
    ]);
  });

  it('rewrites importers in place: split statements, lazy imports, package re-exports, aliases', async () => {
    const files = {
      ...basic,
      'pkg/__init__.py': 'from .a import leaf, user\n',
      'pkg/b.py': 'def late():\n    from pkg.a import leaf\n\n    return leaf()\n',
      'pkg/c.py': 'import pkg.a as pa\nfrom pkg.a import (\n    helper,\n    leaf,\n)\n\n\ndef go():\n    return pa.leaf() + helper() + leaf()\n',
    };
    const p = await plan(files, { from: 'pkg.a', to: 'pkg.b', symbols: ['leaf'], reexport: false, 'update-importers': true });
    expect(p.problems).toEqual([]);
    expect(p.changes.get('pkg/__init__.py')).toBe('from .a import user\nfrom .b import leaf\n');
    expect(p.changes.get('pkg/b.py')).toBe('import os\n\n\ndef late():\n    from pkg.b import leaf\n\n    return leaf()\n\n\ndef leaf():\n    return os.sep\n');
    expect(p.changes.get('pkg/c.py')).toBe('import pkg.b\nfrom pkg.a import (\n    helper,\n)\nfrom pkg.b import leaf\n\n\ndef go():\n    return pkg.b.leaf() + helper() + leaf()\n');
    expect(p.changes.get('pkg/a.py')).toBe('"""Module a."""\nfrom pkg.b import leaf\n\nLIMIT = 3\n\n\ndef helper():\n    return LIMIT\n\n\ndef user():\n    return leaf() + "x"\n');
  });

  it('without the re-export, rewrites strings that are whole module paths and reports every other mention', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'remodel-move-strings-'));
    writeFileSync(path.join(root, 'pyproject.toml'), '[project.scripts]\nhelp = "pkg.a:helper"\n');
    const files = {
      ...basic,
      'pkg/a.py': basic['pkg/a.py'].replace('    return LIMIT', '    return LIMIT, "pkg.a.helper"'),
      'pkg/main.py': [
        '"""Serves pkg.a.helper over HTTP."""',
        'APP = "pkg.a:helper"  # see pkg.a.helper',
        'PLUGINS = ["pkg.a.helper.__doc__", "pkg.a.leaf", "pkg.a.helpers", f"pkg.a.helper"]',
        '',
      ].join('\n'),
      'tests/test_a.py': 'from unittest import mock\n\n\n@mock.patch("pkg.a.helper")\ndef test_helper(m):\n    pass\n',
    };
    const p = await plan(files, { from: 'pkg.a', to: 'pkg.b', symbols: ['helper'], reexport: false, 'update-importers': true }, root);
    rmSync(root, { recursive: true, force: true });
    expect(p.problems).toEqual([]);
    expect(p.changes.get('pkg/main.py')).toBe(
      [
        '"""Serves pkg.a.helper over HTTP."""',
        'APP = "pkg.b:helper"  # see pkg.a.helper',
        'PLUGINS = ["pkg.b.helper.__doc__", "pkg.a.leaf", "pkg.a.helpers", f"pkg.a.helper"]',
        '',
      ].join('\n'),
    );
    expect(p.changes.get('tests/test_a.py')).toContain('@mock.patch("pkg.b.helper")');
    expect(warnings(p).sort()).toEqual([
      'pkg/a.py:8: moved code has a string naming `pkg.a.helper`, now `pkg.b.helper`; update it by hand in pkg/b.py',
      'pkg/main.py:1: a string names `pkg.a.helper`, which no longer exists (moved to pkg.b); update it by hand if it is used as a path',
      'pkg/main.py:2: a comment names `pkg.a.helper`, now `pkg.b.helper`; update it by hand',
      'pkg/main.py:3: a string names `pkg.a.helper`, which no longer exists (moved to pkg.b); update it by hand if it is used as a path',
      'pyproject.toml:2: names `pkg.a:helper`, now `pkg.b:helper`; update it by hand',
    ]);
    expect(p.steps[0].notes).toContain('pkg/main.py:2: string "pkg.a:helper" now names "pkg.b:helper"');
  });

  it('without the re-export, reports entries of lazy-import tables that list a moved name under the source module', async () => {
    const files = {
      'hub/__init__.py': [
        '_SUBMOD_ATTRS = {"constants": ["ENDPOINT", "SPACE"], "api": ["call"]}',
        '_REVERSE = {"SPACE": "hub.constants", "ENDPOINT": "constants"}',
        '',
        '',
        'def __getattr__(name):',
        '    import importlib',
        '',
        '    for mod, names in _SUBMOD_ATTRS.items():',
        '        if name in names:',
        '            return getattr(importlib.import_module("." + mod, __name__), name)',
        '    raise AttributeError(name)',
        '',
      ].join('\n'),
      'hub/constants.py': 'ENDPOINT = "e"\nSPACE = "space"\n',
      'hub/api.py': 'from hub.constants import SPACE\n\n\ndef call():\n    return SPACE\n',
    };
    const p = await plan(files, { from: 'hub.constants', to: 'hub.kinds', symbols: ['SPACE'], reexport: false, 'update-importers': true });
    expect(warnings(p)).toEqual([
      'hub/__init__.py:1: "SPACE" is listed under module "constants" (a lazy-import table?); it moved to hub.kinds, update the entry by hand',
      'hub/__init__.py:2: "SPACE" is listed under module "hub.constants" (a lazy-import table?); it moved to hub.kinds, update the entry by hand',
    ]);
    const kept = await plan(files, { from: 'hub.constants', to: 'hub.kinds', symbols: ['SPACE'] });
    expect(warnings(kept)).toEqual([]);
  });

  it('with the re-export, or when the source still imports the name, strings keep resolving and are left alone', async () => {
    const files = { ...basic, 'pkg/main.py': 'APP = "pkg.a:leaf"\nLEAF = "pkg.a.leaf"\n' };
    const kept = await plan(files, { from: 'pkg.a', to: 'pkg.b', symbols: ['leaf'] });
    expect(kept.problems).toEqual([]);
    expect(kept.changes.has('pkg/main.py')).toBe(false);
    const stillImported = await plan(files, { from: 'pkg.a', to: 'pkg.b', symbols: ['leaf'], reexport: false, 'update-importers': true });
    expect(stillImported.changes.has('pkg/main.py')).toBe(false);
    expect(warnings(stillImported).join('\n')).not.toContain('pkg.a.leaf');
  });

  it('follows __all__: removed from the source only without re-export, added to the target', async () => {
    const files = {
      'pkg/__init__.py': '',
      'pkg/a.py': '__all__ = ("one", "two")\n\n\ndef one():\n    return 1\n\n\ndef two():\n    return 2\n',
      'pkg/b.py': "__all__ = ['zero']\n\n\ndef zero():\n    return 0\n",
    };
    const kept = await plan(files, { from: 'pkg.a', to: 'pkg.b', symbols: ['two'] });
    expect(kept.changes.get('pkg/a.py')).toContain('__all__ = ("one", "two")');
    expect(kept.changes.get('pkg/b.py')).toContain("__all__ = ['zero', 'two']");
    const dropped = await plan(files, { from: 'pkg.a', to: 'pkg.b', symbols: ['two'], reexport: false, 'update-importers': true });
    expect(dropped.changes.get('pkg/a.py')).toBe('__all__ = ("one",)\n\n\ndef one():\n    return 1\n');
    expect(dropped.problems).toEqual([]);
  });
});

/** Writes `files` with the plan applied into a temporary directory and runs pytest there. */
function pytestAfter(files: Record<string, string>, p: CodemodPlan): { status: number; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'remodel-move-'));
  try {
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    }
    return runPytest(materialize(dir, p));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('move-symbols layout', () => {
  const files = {
    'pkg/__init__.py': '',
    'pkg/a.py': 'import os\n\n\nSEP = os.sep\nROOT = SEP + "root"\n\n# Helpers.\n\n\ndef join(x):\n    return ROOT + SEP + x\n\n\ndef keep():\n    return 1\n',
    'pkg/b.py': 'B = 1\n',
  };

  it('appends statements adjacent in the source with their source spacing, blocks after two blank lines', async () => {
    const p = await plan(files, { from: 'pkg.a', to: 'pkg.b', symbols: ['SEP', 'ROOT', 'join'] });
    expect(p.changes.get('pkg/b.py')).toBe('import os\n\nB = 1\n\n\nSEP = os.sep\nROOT = SEP + "root"\n\n\ndef join(x):\n    return ROOT + SEP + x\n');
  });

  it('leaves the larger of the blank-line gaps around the removed statements', async () => {
    const p = await plan(files, { from: 'pkg.a', to: 'pkg.b', symbols: ['SEP', 'ROOT'] });
    expect(p.changes.get('pkg/a.py')).toBe('from pkg.b import ROOT, SEP\n\n\n# Helpers.\n\n\ndef join(x):\n    return ROOT + SEP + x\n\n\ndef keep():\n    return 1\n');
  });
});

describe('move-symbols on shapes met in real code bases', () => {
  // A module with postponed annotations whose helpers name its own classes only in signatures (click's core.py).
  const core = {
    'pkg/__init__.py': '',
    'pkg/core.py': [
      'from __future__ import annotations',
      '',
      'import typing as t',
      '',
      'from .errors import Bad',
      '',
      'V = t.TypeVar("V")',
      '',
      '',
      'def first(items: list[tuple[V, ...]], ctx: Context | None = None) -> V:',
      '    def key(item: Context) -> int:',
      '        return 0',
      '',
      '    local: V = items[0][0]',
      '    return local',
      '',
      '',
      'def kind(cmd: Command) -> bool:',
      '    return isinstance(cmd, Group)',
      '',
      '',
      'class Context:',
      '    def run(self, items):',
      '        if not items:',
      '            raise Bad()',
      '        return first(items, self)',
      '',
      '',
      'class Command:',
      '    pass',
      '',
      '',
      'class Group(Command):',
      '    pass',
      '',
    ].join('\n'),
    'pkg/errors.py': 'class Bad(Exception):\n    pass\n',
    'tests/test_core.py': 'from pkg.core import Context, first, kind, Group\n\n\ndef test_first():\n    assert Context().run([(1, 2)]) == 1\n    assert first([(3,)]) == 3\n    assert kind(Group())\n',
  };

  it('imports names read only in postponed signature annotations under TYPE_CHECKING instead of refusing a cycle', async () => {
    const p = await plan(core, { from: 'pkg.core', to: 'pkg.helpers', symbols: ['first'] });
    expect(p.problems).toEqual([]);
    expect(p.changes.get('pkg/helpers.py')).toBe(
      'from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from .core import Context, V\n\n\n' +
        'def first(items: list[tuple[V, ...]], ctx: Context | None = None) -> V:\n    def key(item: Context) -> int:\n        return 0\n\n    local: V = items[0][0]\n    return local\n',
    );
    expect(p.changes.get('pkg/core.py')).toContain('from .errors import Bad\nfrom .helpers import first\n');
    const run = pytestAfter(core, p);
    expect(run.output).toMatch(/1 passed/);
  });

  it('still refuses when a name is read at run time, naming only that name', async () => {
    const r = await refusal(core, { from: 'pkg.core', to: 'pkg.helpers', symbols: ['kind'] });
    expect(r.code).toBe('import-cycle');
    expect(r.message).toContain('pkg/helpers.py needs `Group` from pkg/core.py');
    expect(r.message).not.toContain('`Command`');
  });

  it('counts annotations as evaluated without postponed annotations, on decorated functions and in class bodies', async () => {
    const eager = { ...core, 'pkg/core.py': core['pkg/core.py'].replace('from __future__ import annotations\n\n', '') };
    expect((await refusal(eager, { from: 'pkg.core', to: 'pkg.helpers', symbols: ['first'] })).message).toContain('needs `V`, `Context`');
    const routed = { ...core, 'pkg/core.py': core['pkg/core.py'].replace('def first(', '@app.get("/")\ndef first(').replace('V = t', 'app = t.cast(t.Any, None)\nV = t') };
    expect((await refusal(routed, { from: 'pkg.core', to: 'pkg.helpers', symbols: ['first'] })).code).toBe('import-cycle');
    const model = { ...core, 'pkg/core.py': `${core['pkg/core.py']}\n\nclass Model:\n    ctx: Context\n` };
    expect((await refusal(model, { from: 'pkg.core', to: 'pkg.helpers', symbols: ['Model'] })).message).toContain('needs `Context`');
  });

  it('moving into the module an alias names: `security.ALGORITHM` becomes `ALGORITHM`, no self-import', async () => {
    const files = {
      'app/__init__.py': '',
      'app/core/__init__.py': '',
      'app/core/security.py': 'ALGORITHM = "HS256"\n\n\ndef sign(x):\n    return f"{ALGORITHM}:{x}"\n',
      'app/utils.py': 'from pathlib import Path\n\nfrom app.core import security\n\nTEMPLATES = Path(__file__).parent / "t"\n\n\ndef token(x):\n    return security.sign(x) + security.ALGORITHM\n\n\ndef templates():\n    return Path(__file__).parent / "t"\n',
      'tests/test_token.py': 'from app.utils import token\n\n\ndef test_token():\n    assert token("a") == "HS256:aHS256"\n',
    };
    const p = await plan(files, { from: 'app.utils', to: 'app.core.security', symbols: ['token'] });
    expect(p.problems).toEqual([]);
    expect(p.changes.get('app/core/security.py')).toBe('ALGORITHM = "HS256"\n\n\ndef sign(x):\n    return f"{ALGORITHM}:{x}"\n\n\ndef token(x):\n    return sign(x) + ALGORITHM\n');
    expect(p.changes.get('app/utils.py')).toContain('from app.core.security import token\n');
    expect(p.changes.get('app/utils.py')).not.toContain('from app.core import security\n');
    expect(pytestAfter(files, p).output).toMatch(/1 passed/);
    // Reading `__file__` from the same directory is a note, not a warning.
    const sameDir = await plan(files, { from: 'app.utils', to: 'app.paths', symbols: ['templates'] });
    expect(warnings(sameDir)).toEqual([]);
    expect(sameDir.steps[0].notes.join('\n')).toContain('same directory');
    const alias = { ...files, 'app/utils.py': files['app/utils.py'].replace('security.sign(x) + security.ALGORITHM', 'getattr(security, "sign")(x)') };
    const r = await refusal(alias, { from: 'app.utils', to: 'app.core.security', symbols: ['token'] });
    expect(r.code).toBe('self-alias');
    expect(r.message).toContain('uses `security` (app/utils.py:9), an alias of app.core.security, as a value');
  });

  it('rewrites `mod.name` writes through `from . import mod` as `from . import new_mod` (style kept, not `pkg.new_mod.name`)', async () => {
    const files = {
      'pkg/__init__.py': '',
      'pkg/state.py': '_hook = None\n\n\ndef call(x):\n    global _hook\n    if _hook is None:\n        _hook = str\n    return _hook(x)\n',
      'pkg/runner.py': 'from . import state\n\n\ndef install(f):\n    old = state._hook\n    state._hook = f\n    return old\n',
      'tests/test_runner.py': 'from pkg import runner\nfrom pkg.state import call\n\n\ndef test_install():\n    runner.install(lambda x: x * 2)\n    assert call(2) == 4\n',
    };
    const p = await plan(files, { from: 'pkg.state', to: 'pkg.hooks', symbols: ['call', '_hook'], 'update-importers': true });
    expect(p.problems).toEqual([]);
    expect(p.changes.get('pkg/runner.py')).toBe('from . import hooks\n\n\ndef install(f):\n    old = hooks._hook\n    hooks._hook = f\n    return old\n');
    expect(pytestAfter(files, p).output).toMatch(/1 passed/);
  });

  it('moves `@overload` stubs with their implementation and copies a version switch whole (starlette._utils)', async () => {
    const files = {
      'pkg/__init__.py': '',
      'pkg/utils.py': [
        'from __future__ import annotations',
        '',
        'import functools',
        'import sys',
        'from typing import Any, overload',
        '',
        'if sys.version_info >= (3, 99):  # pragma: no cover',
        '    from inspect import iscoroutinefunction',
        'else:  # pragma: no cover',
        '    from asyncio import iscoroutinefunction',
        '',
        '',
        '@overload',
        'def is_async(obj: int) -> bool: ...',
        '',
        '',
        '@overload',
        'def is_async(obj: Any) -> bool: ...',
        '',
        '',
        'def is_async(obj: Any) -> Any:',
        '    while isinstance(obj, functools.partial):',
        '        obj = obj.func',
        '    return iscoroutinefunction(obj)',
        '',
        '',
        'def other(obj: Any) -> bool:',
        '    return iscoroutinefunction(obj)',
        '',
      ].join('\n'),
      'tests/test_utils.py': 'import functools\n\nfrom pkg.utils import is_async, other\n\n\nasync def f():\n    pass\n\n\ndef test_is_async():\n    assert is_async(functools.partial(f))\n    assert other(f)\n',
    };
    const p = await plan(files, { from: 'pkg.utils', to: 'pkg.calls', symbols: ['is_async'], 'update-importers': true, reexport: false });
    expect(p.problems).toEqual([]);
    const b = p.changes.get('pkg/calls.py')!;
    expect(b).toContain('import functools\nimport sys\n');
    expect(b).toContain('if sys.version_info >= (3, 99):  # pragma: no cover\n    from inspect import iscoroutinefunction\nelse:  # pragma: no cover\n    from asyncio import iscoroutinefunction\n');
    expect(b.match(/def is_async/g)).toHaveLength(3);
    // The source keeps its switch (still used by `other`), and does not keep the overloads' imports for nothing.
    const a = p.changes.get('pkg/utils.py')!;
    expect(a).toContain('else:  # pragma: no cover\n    from asyncio import iscoroutinefunction\n');
    expect(a).not.toContain('overload');
    expect(pytestAfter(files, p).output).toMatch(/1 passed/);
  });

  it('keeps the relative style of module-level imports when only lazy imports are absolute', async () => {
    const files = {
      ...core,
      'pkg/core.py': core['pkg/core.py'].replace('    def run(self, items):', '    def run(self, items):\n        from pkg.errors import Bad as B  # noqa\n'),
    };
    const p = await plan(files, { from: 'pkg.core', to: 'pkg.helpers', symbols: ['first'] });
    expect(p.changes.get('pkg/core.py')).toContain('from .helpers import first\n');
    expect(p.changes.get('pkg/helpers.py')).toContain('    from .core import Context, V\n');
  });
});

/** mulberry32: a small seeded PRNG, so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('move-symbols property: random plans keep verification and pytest green', () => {
  const dir = path.join(FIXTURES, '_property');
  const SEED = Number(process.env.REMODEL_PROPERTY_SEED ?? 20240611);
  const PLANS = 8;
  const modules = ['proplib.core', 'proplib.mathx', 'proplib.text', 'proplib.util.fmt'];
  const targets = [...modules, 'proplib.extra', 'proplib.util.more', 'proplib/util/deep.py'];

  it(`applies ${PLANS} seeded random plans (seed ${SEED})`, async () => {
    const random = prng(SEED);
    const pick = <T,>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
    const files = Object.fromEntries([...readTree(dir)].filter(([p]) => p.endsWith('.py')));
    const project = new Project(Object.entries(files).map(([p, text]) => ({ path: p, text })));
    let applied = 0;
    const log: string[] = [];
    for (let i = 0; i < PLANS; i++) {
      const from = pick(modules);
      const defs = [...project.index(project.fileOfModule(from)!.path).defs.keys()].filter((n) => n !== '__all__');
      const count = 1 + Math.floor(random() * 3);
      const symbols = [...new Set(Array.from({ length: count }, () => pick(defs)))];
      const to = pick(targets.filter((t) => t !== from));
      const update = random() < 0.5;
      const step = { from, to, symbols, reexport: update ? random() < 0.5 : true, 'update-importers': update, 'move-dependencies': random() < 0.5 };
      let result: CodemodPlan;
      try {
        result = await plan(files, step);
      } catch (error) {
        // A refusal is a legitimate outcome; anything but a one-line RemodelError is a bug.
        expect((error as { code?: string }).code).toBeDefined();
        expect((error as Error).message).not.toContain('\n');
        log.push(`refused ${JSON.stringify(step)}: ${(error as Error).message}`);
        continue;
      }
      log.push(`applied ${JSON.stringify(step)}`);
      expect({ step, problems: result.problems }).toEqual({ step, problems: [] });
      const out = materialize(dir, result);
      try {
        const run = runPytest(out);
        expect({ step, output: run.output, status: run.status }).toMatchObject({ step, status: 0 });
        // And the verifier agrees with an independent check of the written tree.
        const written = new Project([...readTree(out)].filter(([p]) => p.endsWith('.py')).map(([p, text]) => ({ path: p, text })));
        expect(verify(project, written, [...result.changes.keys()])).toEqual([]);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
      applied++;
    }
    // The property is only meaningful if most plans were actually applied.
    expect({ applied, log }).toMatchObject({ applied: expect.any(Number) });
    if (process.env.REMODEL_DEBUG) console.log(log.join("\n"));
    expect(applied).toBeGreaterThanOrEqual(4);
  });
});
