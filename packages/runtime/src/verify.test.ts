import { loadPython, Project } from '@remodel/python';
import { patchStrings, resolveDotted } from './checks/patch-targets.js';
import { formatProblem, verify, verifyTree, type Problem } from './verify.js';

beforeAll(loadPython);

function project(files: Record<string, string>): Project {
  return new Project(Object.entries(files).map(([path, text]) => ({ path, text })));
}

/** Verifies `changes` (path -> new text, null = deleted) applied to `files`. */
function check(files: Record<string, string>, changes: Record<string, string | null>): Problem[] {
  const before = project(files);
  const after = before.withChanges(new Map(Object.entries(changes)));
  return verify(before, after, Object.keys(changes));
}

const clean: Record<string, string> = {
  'app/__init__.py': '',
  'app/config.py': 'RATE = 2\n\n\nclass Settings:\n    debug = False\n\n    def load(self):\n        return self\n',
  'app/core.py': 'from app.config import RATE\n\n\ndef cost(x):\n    return x * RATE\n',
  'app/lazy.py': 'def later():\n    from app.core import cost\n\n    return cost(1)\n',
  'tests/test_core.py': 'from unittest import mock\n\nfrom app.core import cost\n\n\n@mock.patch("app.core.RATE", 3)\ndef test_cost():\n    assert cost(1) == 3\n\n\ndef test_settings(monkeypatch):\n    monkeypatch.setattr("app.config.Settings.debug", True)\n',
};

describe('verify', () => {
  it('finds nothing in a clean tree, or after a harmless change', () => {
    expect(verifyTree(project(clean))).toEqual([]);
    expect(check(clean, { 'app/core.py': 'from app.config import RATE\n\n\ndef cost(x):\n    return x * RATE * 1\n' })).toEqual([]);
  });

  it('syntax: a touched file with ERROR or MISSING nodes', () => {
    const problems = check(clean, { 'app/core.py': 'def cost(x:\n    return x\n' });
    expect(problems.filter((p) => p.check === 'syntax').map((p) => p.path)).toEqual(['app/core.py']);
    expect(verifyTree(project({ ...clean, 'app/bad.py': 'x = (1,\n' })).some((p) => p.check === 'syntax' && p.path === 'app/bad.py')).toBe(true);
  });

  it('undefined-names: a name that resolved before is undefined now; one undefined before stays allowed', () => {
    const broken = check(clean, { 'app/core.py': 'def cost(x):\n    return x * RATE\n' });
    expect(broken).toContainEqual({ path: 'app/core.py', line: 2, message: 'undefined name `RATE` (it resolved before this change)', check: 'undefined-names' });
    const legacy = { ...clean, 'app/core.py': 'def cost(x):\n    return x * MISSING\n' };
    expect(check(legacy, { 'app/core.py': 'def cost(x):\n    return x * MISSING + 1\n' }).filter((p) => p.check === 'undefined-names')).toEqual([]);
    expect(verifyTree(project(legacy)).map((p) => p.message)).toContain('undefined name `MISSING`');
  });

  it('cycles: a new import-time cycle is reported with its chain and import line', () => {
    const problems = check(clean, { 'app/config.py': 'from app.core import cost\n\nRATE = 2\n' });
    const cycle = problems.find((p) => p.check === 'cycles')!;
    expect(cycle.message).toMatch(/^new import-time cycle: app\.(config|core) -> app\.(config|core) -> app\.\1 \(/);
    expect(cycle.line).toBe(1);
    expect(formatProblem(cycle)).toMatch(/^app\/(config|core)\.py:1: new import-time cycle/);
  });

  it('cycles: function-level and TYPE_CHECKING imports do not count, old cycles are not new', () => {
    const lazy = 'from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.core import cost\n\nRATE = 2\n\n\ndef f():\n    from app.core import cost\n\n    return cost\n';
    expect(check(clean, { 'app/config.py': lazy }).filter((p) => p.check === 'cycles')).toEqual([]);
    const cyclic = { ...clean, 'app/config.py': 'from app.core import cost\n\nRATE = 2\n' };
    expect(check(cyclic, { 'app/config.py': 'from app.core import cost\n\nRATE = 3\n' }).filter((p) => p.check === 'cycles')).toEqual([]);
    // On the tree as it is, a cycle is a warning: Python imports many cycles fine.
    expect(verifyTree(project(cyclic)).filter((p) => p.check === 'cycles')).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/^import-time cycle: /) }),
    ]);
  });

  it('cycles: deleting a module turns `from pkg import m` into an import of the package, and that cycle is found', () => {
    const files = {
      'app/__init__.py': 'from app.y import run\n\nm = None\n',
      'app/x/__init__.py': '',
      'app/x/m.py': 'VALUE = 1\n',
      'app/y.py': 'from app import m\n\n\ndef run():\n    return m\n',
    };
    // Before: app -> app.y -> app.x.m (a module). After deleting it, app.y imports `m` from the package app.
    const renamed = { ...files, 'app/y.py': 'from app.x import m\n\n\ndef run():\n    return m\n', 'app/x/__init__.py': 'from app.y import run\n\nm = None\n' };
    const problems = check(renamed, { 'app/x/m.py': null }).filter((p) => p.check === 'cycles');
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/^new import-time cycle: app\.(x|y) -> app\.(x|y) -> app\.\1 /)]);
    expect(check(files, { 'app/x/m.py': null }).filter((p) => p.check === 'cycles')).toEqual([]);
  });

  it('imports: a project import anywhere (function level, tests) that no longer resolves', () => {
    const problems = check(clean, { 'app/core.py': 'from app.config import RATE\n\n\ndef price(x):\n    return x * RATE\n' });
    const imports = problems.filter((p) => p.check === 'imports');
    expect(imports.map((p) => `${p.path}:${p.line}`).sort()).toEqual(['app/lazy.py:2', 'tests/test_core.py:3']);
    expect(imports[0].message).toContain('`cost` is not defined in app/core.py');
    const gone = check(clean, { 'app/config.py': null });
    expect(gone.some((p) => p.check === 'imports' && p.path === 'app/core.py' && /no project module `app\.config`/.test(p.message))).toBe(true);
  });

  it('patch-targets: a dotted patch string that resolved before and does not now', () => {
    const problems = check(clean, { 'app/core.py': 'from app.config import RATE as R\n\n\ndef cost(x):\n    return x * R\n' });
    expect(problems).toContainEqual({
      path: 'tests/test_core.py',
      line: 6,
      message: 'patch target "app.core.RATE" does not resolve: `RATE` is not defined in app/core.py',
      check: 'patch-targets',
    });
    const attr = check(clean, { 'app/config.py': 'RATE = 2\n\n\nclass Settings:\n    verbose = False\n' });
    expect(attr.filter((p) => p.check === 'patch-targets').map((p) => p.message)).toEqual([
      'patch target "app.config.Settings.debug" does not resolve: class `Settings` in app/config.py has no attribute `debug`',
    ]);
  });

  it('patch-targets: finds patch strings and resolves them; external targets are not judged', () => {
    const p = project(clean);
    expect(patchStrings(p, 'tests/test_core.py').map((s) => s.value)).toEqual(['app.core.RATE', 'app.config.Settings.debug']);
    expect(resolveDotted(p, 'app.core.RATE')).toEqual({ ok: true, reason: '' });
    expect(resolveDotted(p, 'app.core.NOPE')?.ok).toBe(false);
    expect(resolveDotted(p, 'requests.get')).toBeNull();
  });

  it('patch-targets: finds every patch-like call in tree order, outer calls first, none inside strings or other callees', () => {
    const text = [
      'import unittest.mock',
      'from unittest import mock',
      '@mock.patch("a.one")',
      '@patch.dict("a.two", {})',
      'def test(monkeypatch, mocker):',
      '    with patch("a.three", new=patch("a.four")):',
      '        mocker.patch("a.five")',
      '        unittest.mock.patch.dict("a.six")',
      '    monkeypatch.setattr("a.seven", 1)',
      '    monkeypatch.delattr("a.eight")',
      '    dispatch("a.no")',
      '    mock.patcher("a.no")',
      '    patch  (  # a comment',
      '        "a.nine")',
      '    f"{patch(\'a.no\')}"',
      '    other.patch("a.no")',
      '    patch("notdotted")',
      '    patch(f"a.{x}")',
      '    # patch("a.no")',
      '',
    ].join('\n');
    const found = patchStrings(project({ 'tests/test_x.py': text }), 'tests/test_x.py');
    expect(found.map((s) => `${s.line}:${s.value}`)).toEqual(['3:a.one', '4:a.two', '6:a.three', '6:a.four', '7:a.five', '8:a.six', '9:a.seven', '10:a.eight', '14:a.nine']);
    const broken = patchStrings(project({ 'tests/test_y.py': `${text}def broken(:\n` }), 'tests/test_y.py');
    expect(broken.map((s) => s.value)).toEqual(found.map((s) => s.value));
  });
});

