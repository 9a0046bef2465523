import { loadPython, Project } from '@remodel/python';
import { Changeset } from './changeset.js';
import { PlanError } from './errors.js';
import { ImportPlanner, importTarget, relativeFrom, type ImportRequest } from './imports.js';
import type { Origin } from './operation.js';

beforeAll(loadPython);

const origin: Origin = { codemod: 'test', step: 0, op: 'test-op' };

function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

interface Case {
  files: Record<string, string>;
  require?: [string, ImportRequest][];
  removeUnused?: [string, string][];
  remove?: [string, string][];
  /** Edits the "operation" makes before finalize. */
  op?: (changes: Changeset, project: Project) => void;
}

function run(c: Case): Map<string, string | null> {
  const project = new Project(Object.entries(c.files).map(([path, text]) => ({ path, text: dedent(text) })));
  const changes = new Changeset((p) => project.files.get(p)?.text);
  c.op?.(changes, project);
  const planner = new ImportPlanner();
  for (const [p, r] of c.require ?? []) planner.require(p, r);
  for (const [p, l] of c.removeUnused ?? []) planner.removeUnused(p, l);
  for (const [p, l] of c.remove ?? []) planner.remove(p, l);
  planner.finalize(project, changes, origin);
  return changes.apply();
}

function one(c: Case, path = 'pkg/m.py'): string {
  const out = run(c);
  return out.has(path) ? out.get(path)! : dedent(c.files[path]);
}

const pkg = { 'pkg/__init__.py': '', 'pkg/util.py': 'def helper():\n    return 1\n\n\ndef other():\n    return 2\n' };

describe('ImportPlanner.require', () => {
  it('adds a first-party import as a new section after the standard-library group, before the code that uses it', () => {
    const out = one({
      files: { ...pkg, 'pkg/m.py': `
        import os

        X = helper()
        ` },
      require: [['pkg/m.py', { module: 'pkg.util', name: 'helper' }]],
    });
    expect(out).toBe('import os\n\nfrom pkg.util import helper\n\nX = helper()\n');
  });

  it('keeps one name per `from` statement in files written that way (isort force_single_line, as click does)', () => {
    const files = { ...pkg, 'pkg/text.py': 'def a():\n    pass\n\n\ndef b():\n    pass\n', 'pkg/m.py': `
        import os

        from .util import helper
        from .util import other

        X = helper(), other(), os.sep
        ` };
    const out = one({
      files,
      require: [
        ['pkg/m.py', { module: 'text', name: 'a', level: 1 }],
        ['pkg/m.py', { module: 'text', name: 'b', level: 1 }],
        ['pkg/m.py', { module: 'util', name: 'helper', level: 1, alias: 'h' }],
      ],
    });
    expect(out).toBe('import os\n\nfrom .text import a\nfrom .text import b\nfrom .util import helper\nfrom .util import other\nfrom .util import helper as h\n\nX = helper(), other(), os.sep\n');
    // one statement importing two names: the file is not single-line, names join their module's statement
    const joined = one({
      files: { ...files, 'pkg/m.py': files['pkg/m.py'].replace('from .util import helper\n        from .util import other', 'from .util import helper, other') },
      require: [['pkg/m.py', { module: 'util', name: 'helper', level: 1, alias: 'h' }]],
    });
    // at its isort place (ruff's order: by name, then the alias)
    expect(joined).toContain('from .util import helper, helper as h, other\n');
  });

  it('keeps the docstring and `from __future__` first', () => {
    const out = one({
      files: { ...pkg, 'pkg/m.py': `
        """Doc."""
        from __future__ import annotations

        def f():
            return helper()
        ` },
      require: [['pkg/m.py', { module: 'pkg.util', name: 'helper' }]],
    });
    expect(out).toBe('"""Doc."""\nfrom __future__ import annotations\n\nfrom pkg.util import helper\n\ndef f():\n    return helper()\n');
  });

  it('puts imports after a docstring when there is no import, separated by a blank line', () => {
    const out = one({
      files: { ...pkg, 'pkg/m.py': '"""Doc."""\n\n\ndef f():\n    return helper()\n' },
      require: [['pkg/m.py', { module: 'pkg.util', name: 'helper' }]],
    });
    expect(out).toBe('"""Doc."""\n\nfrom pkg.util import helper\n\n\ndef f():\n    return helper()\n');
  });

  it('never places an import after module code, even when a later import exists (lazy bottom import)', () => {
    const out = one({
      files: { ...pkg, 'pkg/m.py': 'import os\n\nX = helper()\n\nimport sys  # noqa: E402\n' },
      require: [['pkg/m.py', { module: 'pkg.util', name: 'helper' }]],
    });
    expect(out.indexOf('from pkg.util import helper')).toBeLessThan(out.indexOf('X = helper()'));
  });

  it('merges into an existing `from m import ...` (single line)', () => {
    const out = one({
      files: { ...pkg, 'pkg/m.py': 'from pkg.util import helper\n\nx = helper() + other()\n' },
      require: [['pkg/m.py', { module: 'pkg.util', name: 'other' }]],
    });
    expect(out).toBe('from pkg.util import helper, other\n\nx = helper() + other()\n');
  });

  it('keeps a parenthesised multi-line import multi-line (trailing comma kept)', () => {
    const out = one({
      files: { ...pkg, 'pkg/m.py': 'from pkg.util import (\n    helper,\n)\n\nx = 1\n' },
      require: [['pkg/m.py', { module: 'pkg.util', name: 'other' }]],
    });
    expect(out).toBe('from pkg.util import (\n    helper,\n    other,\n)\n\nx = 1\n');
  });

  it('merges a relative request into the matching relative statement', () => {
    const out = one({
      files: { ...pkg, 'pkg/m.py': 'from .util import helper\n' },
      require: [['pkg/m.py', { module: 'util', level: 1, name: 'other' }]],
    });
    expect(out).toBe('from .util import helper, other\n');
  });

  it('does not duplicate an import that is already there (same binding, absolute or relative)', () => {
    const files = { ...pkg, 'pkg/m.py': 'from .util import helper\nimport os.path as osp\n' };
    expect(run({ files, require: [['pkg/m.py', { module: 'pkg.util', name: 'helper' }]] }).size).toBe(0);
    expect(run({ files, require: [['pkg/m.py', { module: 'os.path', alias: 'osp' }]] }).size).toBe(0);
  });

  it('never imports a module\'s own names into itself', () => {
    expect(run({ files: { ...pkg, 'pkg/m.py': 'x = 1\n' }, require: [['pkg/util.py', { module: 'pkg.util', name: 'helper' }], ['pkg/util.py', { module: 'util', level: 1, name: 'helper' }]] }).size).toBe(0);
  });

  it('renders `import x.y as z` and relative imports faithfully', () => {
    const out = one({
      files: { ...pkg, 'pkg/m.py': 'import os\n' },
      require: [
        ['pkg/m.py', { module: 'os.path', alias: 'osp' }],
        ['pkg/m.py', { module: '', level: 1, name: 'util' }],
      ],
    });
    expect(out).toBe('import os\nimport os.path as osp\n\nfrom . import util\n');
  });

  it('places type-only imports under `if TYPE_CHECKING:` only when asked, reusing an existing block', () => {
    const created = one({
      files: { ...pkg, 'pkg/m.py': 'import os\n\nx = 1\n' },
      require: [['pkg/m.py', { module: 'pkg.util', name: 'helper', typeChecking: true }]],
    });
    expect(created).toBe('import os\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from pkg.util import helper\n\nx = 1\n');
    const merged = one({
      files: { ...pkg, 'pkg/m.py': 'from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import os\n\nx = 1\n' },
      require: [['pkg/m.py', { module: 'pkg.util', name: 'helper', typeChecking: true }]],
    });
    expect(merged).toBe('from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import os\n    from pkg.util import helper\n\nx = 1\n');
    const runtime = one({
      files: { ...pkg, 'pkg/m.py': 'from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from pkg.util import helper\n\nx = 1\n' },
      require: [['pkg/m.py', { module: 'pkg.util', name: 'helper' }]],
    });
    expect(runtime).toBe('from typing import TYPE_CHECKING\n\nfrom pkg.util import helper\n\nif TYPE_CHECKING:\n    from pkg.util import helper\n\nx = 1\n');
  });

  it('refuses to bind a name the file already binds to something else', () => {
    expect(() => run({ files: { ...pkg, 'pkg/m.py': 'def helper():\n    pass\n' }, require: [['pkg/m.py', { module: 'pkg.util', name: 'helper' }]] })).toThrow(PlanError);
  });

  it('does not count a definition the operation removed as a conflict', () => {
    const out = one({
      files: { ...pkg, 'pkg/m.py': 'import os\n\n\ndef helper():\n    pass\n' },
      require: [['pkg/m.py', { module: 'pkg.util', name: 'helper' }]],
      op: (changes) => changes.remove('pkg/m.py', 'import os\n\n'.length, 'import os\n\n\ndef helper():\n    pass\n'.length, origin),
    });
    expect(out).toBe('import os\n\nfrom pkg.util import helper\n\n');
  });

  it('renders the import block of a created file, __future__ first, own module skipped', () => {
    const planner = new ImportPlanner();
    planner.require('pkg/new.py', { module: 'os' });
    planner.require('pkg/new.py', { module: 'typing', name: 'Any' });
    planner.require('pkg/new.py', { module: '__future__', name: 'annotations' });
    planner.require('pkg/new.py', { module: 'typing', name: 'cast' });
    planner.require('pkg/new.py', { module: 'pkg.new', name: 'X' });
    planner.require('pkg/new.py', { module: 'os' });
    expect(planner.renderNewFile('pkg/new.py', 'pkg.new', false, (m) => m.startsWith('pkg'))).toBe('from __future__ import annotations\n\nimport os\nfrom typing import Any, cast\n');
  });
});

describe('ImportPlanner.removeUnused / remove', () => {
  it('removes only the binding, and the whole line when it was the last name', () => {
    const out = one({
      files: { ...pkg, 'pkg/m.py': 'import os\nfrom pkg.util import helper, other\n\nx = other()\n' },
      removeUnused: [['pkg/m.py', 'helper'], ['pkg/m.py', 'os']],
    });
    expect(out).toBe('from pkg.util import other\n\nx = other()\n');
  });

  it('keeps imports nested in a version switch (removing them would empty the `if` / `else` blocks)', () => {
    const text = 'import sys\n\nif sys.version_info >= (3, 13):\n    from inspect import iscoroutinefunction\nelse:\n    from asyncio import iscoroutinefunction\n\nx = 1\n';
    const out = one({ files: { ...pkg, 'pkg/m.py': text }, removeUnused: [['pkg/m.py', 'iscoroutinefunction']] });
    expect(out).toBe(text);
  });

  it('removes names from a parenthesised list without breaking it', () => {
    const out = one({
      files: { ...pkg, 'pkg/m.py': 'from pkg.util import (\n    helper,\n    other,\n)\n\nx = helper()\n' },
      removeUnused: [['pkg/m.py', 'other']],
    });
    expect(out).toBe('from pkg.util import (\n    helper,\n)\n\nx = helper()\n');
  });

  it('keeps a name that is still used, also only in a string annotation', () => {
    const files = { ...pkg, 'pkg/m.py': 'from pkg.util import helper, other\n\n\ndef f(x: "helper") -> None:\n    return other()\n' };
    expect(run({ files, removeUnused: [['pkg/m.py', 'helper'], ['pkg/m.py', 'other']] }).size).toBe(0);
  });

  it('keeps imports used inside try/except ImportError, and `from __future__`', () => {
    const files = { ...pkg, 'pkg/m.py': 'from __future__ import annotations\n\ntry:\n    import ujson as json\nexcept ImportError:\n    import json\n' };
    expect(run({ files, removeUnused: [['pkg/m.py', 'json'], ['pkg/m.py', 'annotations']] }).size).toBe(0);
  });

  it('keeps re-exports of `__init__.py` and names listed in `__all__`', () => {
    const files = {
      ...pkg,
      'pkg/__init__.py': 'from .util import helper\n',
      'pkg/m.py': 'from pkg.util import helper\n\n__all__ = ["helper"]\n',
    };
    expect(run({ files, removeUnused: [['pkg/__init__.py', 'helper'], ['pkg/m.py', 'helper']] }).size).toBe(0);
  });

  it('keeps an import that another module imports from this one', () => {
    const files = { ...pkg, 'pkg/m.py': 'from pkg.util import helper\n', 'pkg/user.py': 'from pkg.m import helper\n' };
    expect(run({ files, removeUnused: [['pkg/m.py', 'helper']] }).size).toBe(0);
  });

  it('judges usage after the operation\'s own edits', () => {
    const text = 'import os\n\n\ndef f():\n    return os.getcwd()\n';
    const out = one({
      files: { ...pkg, 'pkg/m.py': text },
      removeUnused: [['pkg/m.py', 'os']],
      op: (changes) => changes.remove('pkg/m.py', text.indexOf('\n\n\ndef'), text.length, origin),
    });
    expect(out).toBe('');
  });

  it('removes and adds on the same statement in one edit', () => {
    const out = one({
      files: { ...pkg, 'pkg/m.py': 'from pkg.util import helper\n' },
      remove: [['pkg/m.py', 'helper']],
      require: [['pkg/m.py', { module: 'pkg.util', name: 'other' }]],
    });
    expect(out).toBe('from pkg.util import other\n');
  });

  it('leaves `pass` when the removed import was the only statement of a block', () => {
    const out = one({
      files: { ...pkg, 'pkg/m.py': 'try:\n    import ujson\nexcept ImportError:\n    ujson = None\n' },
      remove: [['pkg/m.py', 'ujson']],
    });
    expect(out).toBe('try:\n    pass\nexcept ImportError:\n    ujson = None\n');
  });

  it('removes a top-level `if TYPE_CHECKING:` block whose imports all go, and keeps one `pass` in other emptied blocks', () => {
    const text = 'import typing\n\nif typing.TYPE_CHECKING:  # pragma: no cover\n    from os import path\n    from sys import argv\n\n\ndef f():\n    return typing.Any\n';
    const removed = one({ files: { ...pkg, 'pkg/m.py': text }, removeUnused: [['pkg/m.py', 'path'], ['pkg/m.py', 'argv']] });
    expect(removed).toBe('import typing\n\n\ndef f():\n    return typing.Any\n');
    const withElse = text.replace('\n\n\ndef', '\nelse:\n    path = argv = None\n\n\ndef');
    expect(one({ files: { ...pkg, 'pkg/m.py': withElse }, remove: [['pkg/m.py', 'path'], ['pkg/m.py', 'argv']] })).toContain(
      'if typing.TYPE_CHECKING:  # pragma: no cover\n    pass\nelse:\n',
    );
    const guarded = 'try:\n    import ujson\n    import orjson\nexcept ImportError:\n    ujson = orjson = None\n';
    expect(one({ files: { ...pkg, 'pkg/m.py': guarded }, remove: [['pkg/m.py', 'ujson'], ['pkg/m.py', 'orjson']] })).toBe(
      'try:\n    pass\nexcept ImportError:\n    ujson = orjson = None\n',
    );
  });

  it('skips an import inside a range the operation already removed', () => {
    const text = 'import os\nimport sys\n';
    const out = one({
      files: { ...pkg, 'pkg/m.py': text },
      remove: [['pkg/m.py', 'sys']],
      op: (changes) => changes.remove('pkg/m.py', text.indexOf('import sys'), text.length, origin),
    });
    expect(out).toBe('import os\n');
  });
});

describe('relative helpers', () => {
  it('resolves and builds relative module paths', () => {
    expect(importTarget('pkg.sub.m', false, 2, 'util')).toBe('pkg.util');
    expect(importTarget('pkg.sub', true, 1, 'x')).toBe('pkg.sub.x');
    expect(relativeFrom('pkg.sub.m', false, 'pkg.util')).toEqual({ level: 2, module: 'util' });
    expect(relativeFrom('pkg.m', false, 'pkg.sub.x')).toEqual({ level: 1, module: 'sub.x' });
    expect(relativeFrom('pkg.m', false, 'other.x')).toBeNull();
  });
});

describe('ImportPlanner with operation edits at the insertion point', () => {
  it('puts new imports before code the operation appends to an imports-only file', () => {
    const text = 'import os\n';
    const out = one({
      files: { ...pkg, 'pkg/m.py': text },
      require: [['pkg/m.py', { module: 'pkg.util', name: 'helper' }]],
      op: (changes) => changes.insert('pkg/m.py', text.length, '\n\ndef f():\n    return helper()\n', origin),
    });
    expect(out).toBe('import os\n\nfrom pkg.util import helper\n\n\ndef f():\n    return helper()\n');
  });

  it('merges with an operation removal that touches the import lines', () => {
    const text = 'import os\n\n\ndef f():\n    return os.getcwd()\n';
    const out = one({
      files: { ...pkg, 'pkg/m.py': text },
      require: [['pkg/m.py', { module: 'pkg.util', name: 'helper' }]],
      removeUnused: [['pkg/m.py', 'os']],
      op: (changes) => changes.remove('pkg/m.py', text.indexOf('\n\n\ndef f'), text.length, origin),
    });
    expect(out).toBe('from pkg.util import helper\n');
  });
});

describe('ImportPlanner line length', () => {
  it('renders a long new `from` import in the parenthesised multi-line form', () => {
    const names = ['alpha_helper_one', 'beta_helper_two', 'delta_helper_four', 'epsilon_five', 'gamma_helper_three'];
    const out = one({
      files: { ...pkg, 'pkg/m.py': 'import os\n' },
      require: [...names].reverse().map((name) => ['pkg/m.py', { module: 'pkg.util', name }] as [string, ImportRequest]),
    });
    expect(out).toBe(`import os\n\nfrom pkg.util import (\n${names.map((n) => `    ${n},\n`).join('')})\n`);
  });
});

describe('ImportPlanner blank lines', () => {
  it('takes a blank line along when it empties a block of imports', () => {
    const out = one({
      files: { ...pkg, 'pkg/m.py': '"""Doc."""\n\nimport base64\nimport io\n\nimport httpx\n\nfrom pkg.util import helper\n\nx = helper()\n' },
      removeUnused: [['pkg/m.py', 'base64'], ['pkg/m.py', 'io'], ['pkg/m.py', 'httpx']],
    });
    expect(out).toBe('"""Doc."""\n\nfrom pkg.util import helper\n\nx = helper()\n');
  });

  it('renders sections of a new file in the given order, separated by blank lines', () => {
    const planner = new ImportPlanner();
    planner.require('pkg/new.py', { module: 'pkg.util', name: 'helper', section: 2 });
    planner.require('pkg/new.py', { module: 'os', section: 0 });
    planner.require('pkg/new.py', { module: 'httpx', section: 1 });
    planner.require('pkg/new.py', { module: 'sys', section: 0 });
    expect(planner.renderNewFile('pkg/new.py', 'pkg.new')).toBe('import os\nimport sys\n\nimport httpx\n\nfrom pkg.util import helper\n');
  });

  it('guards type-only imports with `if t.TYPE_CHECKING:` when the new file imports `typing as t`', () => {
    const planner = new ImportPlanner();
    planner.require('pkg/new.py', { module: 'typing', alias: 't', section: 0 });
    planner.require('pkg/new.py', { module: 'pkg.core', name: 'Context', section: 1, typeChecking: true });
    expect(planner.renderNewFile('pkg/new.py', 'pkg.new', false, (m) => m.startsWith('pkg'))).toBe('import typing as t\n\nif t.TYPE_CHECKING:\n    from pkg.core import Context\n');
  });

  it('puts the implied `from typing import TYPE_CHECKING` in the section of the standard modules, not after the project ones', () => {
    const planner = new ImportPlanner();
    planner.require('pkg/new.py', { module: 'httpx', section: 1 });
    planner.require('pkg/new.py', { module: 'os', section: 0 });
    planner.require('pkg/new.py', { module: 'pkg.util', name: 'helper', section: 2 });
    planner.require('pkg/new.py', { module: 'pkg.core', name: 'Context', section: 2, typeChecking: true });
    expect(planner.renderNewFile('pkg/new.py', 'pkg.new', false, (m) => m.startsWith('pkg'))).toBe(
      'import os\nfrom typing import TYPE_CHECKING\n\nimport httpx\n\nfrom pkg.util import helper\n\nif TYPE_CHECKING:\n    from pkg.core import Context\n',
    );
  });
});

describe('ImportPlanner spacing before code', () => {
  it('leaves two blank lines before a top-level def or class, one before other code', () => {
    expect(one({ files: { ...pkg, 'pkg/m.py': 'class A:\n    pass\n' }, require: [['pkg/m.py', { module: 'os' }]] })).toBe('import os\n\n\nclass A:\n    pass\n');
    expect(one({ files: { ...pkg, 'pkg/m.py': 'x = 1\n' }, require: [['pkg/m.py', { module: 'os' }]] })).toBe('import os\n\nx = 1\n');
  });
});

describe('ImportPlanner isort sections (isort defaults: future, stdlib, third party, first party, local)', () => {
  const files = (text: string): Record<string, string> => ({ ...pkg, 'pkg/other.py': 'def helper():\n    return 3\n', 'pkg/m.py': text });
  const req = (...requests: ImportRequest[]): [string, ImportRequest][] => requests.map((r) => ['pkg/m.py', r]);
  const sectioned = 'import os\nimport sys\nfrom collections import OrderedDict\nfrom typing import Any\n\nimport httpx\n\nfrom pkg.util import helper\n\nx = 1\n';

  it('inserts into a sorted group at its isort place (straight imports first, then `from` imports, by module)', () => {
    expect(one({ files: files(sectioned), require: req({ module: 're' }, { module: 'dataclasses', name: 'field' }, { module: 'abc' }) })).toBe(
      'import abc\nimport os\nimport re\nimport sys\nfrom collections import OrderedDict\nfrom dataclasses import field\nfrom typing import Any\n\nimport httpx\n\nfrom pkg.util import helper\n\nx = 1\n',
    );
    expect(one({ files: files('import os\nimport sys\n'), require: req({ module: 're' }, { module: 'pathlib' }) })).toBe('import os\nimport pathlib\nimport re\nimport sys\n');
  });

  it('names a new statement\'s imports in isort order: CONSTANTS, then Classes, then the rest, case-insensitively', () => {
    expect(one({ files: files('import os\n'), require: req(...['helper', 'Zeta', 'T', 'MAX_SIZE', 'alpha', 'Beta', '_PRIVATE'].map((name) => ({ module: 'pkg.util', name }))) })).toBe(
      'import os\n\nfrom pkg.util import _PRIVATE, MAX_SIZE, Beta, T, Zeta, alpha, helper\n',
    );
  });

  it('adds a name to an existing statement at its isort place when the statement\'s names are sorted, else last', () => {
    const merge = (text: string, ...names: string[]): string => one({ files: files(text), require: req(...names.map((name) => ({ module: 'typing', name }))) });
    expect(merge('from typing import Any, TypeVar, cast\n', 'Callable', 'overload', 'AnyStr')).toBe('from typing import Any, AnyStr, Callable, TypeVar, cast, overload\n');
    expect(merge('from typing import (\n    Any,\n    TypeVar,\n)\n', 'Callable')).toBe('from typing import (\n    Any,\n    Callable,\n    TypeVar,\n)\n');
    expect(merge('from typing import (\n    Any,\n    TypeVar\n)\n', 'Callable', 'Union')).toBe('from typing import (\n    Any,\n    Callable,\n    TypeVar,\n    Union\n)\n');
    expect(merge('from typing import cast, Any\n', 'Callable')).toBe('from typing import cast, Any, Callable\n');
  });

  it('places new statements among the statements it edits as if they were unchanged (the operation edits the file too)', () => {
    // Found moving starlette's task-group helper into starlette.concurrency: the edited `collections.abc` statement
    // counted as removed, and `contextlib` went above it.
    const text = 'from __future__ import annotations\n\nimport functools\nfrom collections.abc import AsyncIterator, Callable\nfrom typing import TypeVar\n\nimport anyio.to_thread\n\nT = TypeVar("T")\n';
    const out = one({
      files: files(text),
      op: (changes) => changes.insert('pkg/m.py', text.length, '\n\ndef g():\n    pass\n', origin),
      require: req({ module: 'sys' }, { module: 'collections.abc', name: 'AsyncGenerator' }, { module: 'contextlib', name: 'asynccontextmanager' }, { module: 'anyio.abc' }),
    });
    expect(out).toBe(
      'from __future__ import annotations\n\nimport functools\nimport sys\nfrom collections.abc import AsyncGenerator, AsyncIterator, Callable\nfrom contextlib import asynccontextmanager\n' +
        'from typing import TypeVar\n\nimport anyio.abc\nimport anyio.to_thread\n\nT = TypeVar("T")\n\n\ndef g():\n    pass\n',
    );
  });

  it('reads module dunders placed before the imports (PEP 8) as part of the header, `__future__` going above them', () => {
    // Found moving apscheduler.util helpers: the re-export landed between the docstring and `__all__`.
    const dunders = '"""Doc."""\n\n__all__ = (\n    "x",\n)\n__version__ = "1.0"\n\nimport re\nimport sys\n\nx = 1\n';
    expect(one({ files: files(dunders), require: req({ module: 'pkg.util', name: 'helper' }, { module: 'os' }) })).toBe(
      '"""Doc."""\n\n__all__ = (\n    "x",\n)\n__version__ = "1.0"\n\nimport os\nimport re\nimport sys\n\nfrom pkg.util import helper\n\nx = 1\n',
    );
    expect(one({ files: files(dunders), require: req({ module: '__future__', name: 'annotations' }) })).toBe(
      '"""Doc."""\n\nfrom __future__ import annotations\n\n__all__ = (\n    "x",\n)\n__version__ = "1.0"\n\nimport re\nimport sys\n\nx = 1\n',
    );
    const noImports = '"""Doc."""\n\n__all__ = ["f"]\n\n\ndef f():\n    return os.sep\n';
    expect(one({ files: files(noImports), require: req({ module: 'os' }) })).toBe('"""Doc."""\n\n__all__ = ["f"]\n\nimport os\n\n\ndef f():\n    return os.sep\n');
    expect(one({ files: files(noImports), require: req({ module: '__future__', name: 'annotations' }, { module: 'os' }) })).toBe(
      '"""Doc."""\n\nfrom __future__ import annotations\n\n__all__ = ["f"]\n\nimport os\n\n\ndef f():\n    return os.sep\n',
    );
  });

  it('puts a statement split from an existing one (`after`) next to it when the imports give no sorted place', () => {
    // Found rewriting GitPython importers: in files whose groups mix sections the new statement went after the
    // whole header (below an `if TYPE_CHECKING:` block).
    const mixed = 'import os\nfrom pkg.util import helper\nimport sys\n\nif TYPE_CHECKING:\n    import httpx\n\nx = 1\n';
    const after = mixed.indexOf('helper') + 'helper'.length;
    expect(one({ files: files(mixed), require: req({ module: 'pkg.other', name: 'helper', alias: 'h', after }) })).toBe(
      'import os\nfrom pkg.util import helper\nfrom pkg.other import helper as h\nimport sys\n\nif TYPE_CHECKING:\n    import httpx\n\nx = 1\n',
    );
    const unsorted = 'import os\n\nfrom pkg.util import helper\nfrom pkg.a import b\n\nx = 1\n';
    const at = unsorted.indexOf('helper') + 'helper'.length;
    expect(one({ files: files(unsorted), require: req({ module: 'pkg.other', name: 'helper', alias: 'h', after: at }) })).toBe(
      'import os\n\nfrom pkg.util import helper\nfrom pkg.other import helper as h\nfrom pkg.a import b\n\nx = 1\n',
    );
  });

  it('appends to a group that is not sorted the isort way, after its last statement', () => {
    expect(one({ files: files('import sys\nimport os\n\nx = 1\n'), require: req({ module: 're' }) })).toBe('import sys\nimport os\nimport re\n\nx = 1\n');
    // `from` before a straight import is not isort's order either.
    expect(one({ files: files('from typing import Any\nimport os\n'), require: req({ module: 'abc' }) })).toBe('from typing import Any\nimport os\nimport abc\n');
  });

  it('creates a missing section between the existing ones, one blank line above and below', () => {
    expect(one({ files: files('import os\n\nfrom pkg.util import helper\n\nx = 1\n'), require: req({ module: 'httpx' }) })).toBe(
      'import os\n\nimport httpx\n\nfrom pkg.util import helper\n\nx = 1\n',
    );
    expect(one({ files: files('import httpx\n\nx = 1\n'), require: req({ module: 'os' }) })).toBe('import os\n\nimport httpx\n\nx = 1\n');
    // Above the section title comment of the next group.
    expect(one({ files: files('"""Doc."""\n\n# Third party\nimport httpx\n'), require: req({ module: 'os' }) })).toBe('"""Doc."""\n\nimport os\n\n# Third party\nimport httpx\n');
    // Two new sections at one place, each its own group, sorted.
    expect(one({ files: files('from __future__ import annotations\n\n\nclass A:\n    pass\n'), require: req({ module: 'pkg.util', name: 'helper' }, { module: 'yaml' }, { module: 'httpx' }, { module: 'os' }) })).toBe(
      'from __future__ import annotations\n\nimport os\n\nimport httpx\nimport yaml\n\nfrom pkg.util import helper\n\n\nclass A:\n    pass\n',
    );
  });

  it('keeps the legacy placement (one block after the last import) when groups mix sections or are out of order', () => {
    expect(one({ files: files('import httpx\nimport os\n\nx = 1\n'), require: req({ module: 'pkg.util', name: 'helper' }, { module: 'abc' }) })).toBe(
      'import httpx\nimport os\nfrom pkg.util import helper\nimport abc\n\nx = 1\n',
    );
    expect(one({ files: files('from pkg.util import helper\n\nimport os\n\nx = 1\n'), require: req({ module: 'httpx' }) })).toBe('from pkg.util import helper\n\nimport os\nimport httpx\n\nx = 1\n');
  });

  it('splits the new imports of a file without imports into sections', () => {
    expect(one({ files: files('"""Doc."""\n\n\ndef f():\n    return helper(os.sep)\n'), require: req({ module: 'pkg.util', name: 'helper' }, { module: 'os' }) })).toBe(
      '"""Doc."""\n\nimport os\n\nfrom pkg.util import helper\n\n\ndef f():\n    return helper(os.sep)\n',
    );
  });

  it('puts `from __future__` first, after a docstring and top comments (shebang), never above them', () => {
    expect(one({ files: files('import os\n\nx = 1\n'), require: req({ module: '__future__', name: 'annotations' }) })).toBe('from __future__ import annotations\n\nimport os\n\nx = 1\n');
    expect(one({ files: files('#!/usr/bin/env python\n# coding: utf-8\nimport os\n'), require: req({ module: '__future__', name: 'annotations' }) })).toBe(
      '#!/usr/bin/env python\n# coding: utf-8\n\nfrom __future__ import annotations\n\nimport os\n',
    );
    expect(one({ files: files('"""Doc."""\nimport os\n'), require: req({ module: '__future__', name: 'annotations' }) })).toBe('"""Doc."""\n\nfrom __future__ import annotations\n\nimport os\n');
    // A new stdlib import goes after the `__future__` group, not into it.
    expect(one({ files: files('from __future__ import annotations\n\nimport sys\n'), require: req({ module: 'abc' }) })).toBe('from __future__ import annotations\n\nimport abc\nimport sys\n');
  });

  it('puts relative imports in the local section, last, sorted furthest first', () => {
    expect(one({ files: files('import os\n\nfrom pkg.util import helper\n\nx = 1\n'), require: req({ module: '', level: 1, name: 'other' }) })).toBe(
      'import os\n\nfrom pkg.util import helper\n\nfrom . import other\n\nx = 1\n',
    );
    expect(one({ files: files('from .util import helper\n'), require: req({ module: '', level: 1, name: 'other' }) })).toBe('from . import other\nfrom .util import helper\n');
  });

  it('classifies standard library, third party and first party (the project\'s own top-level packages)', () => {
    const text = 'import os\n\nimport httpx\n\nfrom pkg.util import helper\n\nx = 1\n';
    expect(one({ files: files(text), require: req({ module: 'yaml' }, { module: 'typing', name: 'Any' }, { module: 'pkg' }, { module: 'json' }, { module: 'tomllib' }) })).toBe(
      'import json\nimport os\nimport tomllib\nfrom typing import Any\n\nimport httpx\nimport yaml\n\nimport pkg\nfrom pkg.util import helper\n\nx = 1\n',
    );
    // A top-level module of the project is first party too; an unknown one third party.
    const project = { ...files('import os\n\nimport httpx\n'), 'settings.py': 'DEBUG = False\n' };
    expect(one({ files: project, require: req({ module: 'settings', name: 'DEBUG' }, { module: 'pkgx' }) })).toBe('import os\n\nimport httpx\nimport pkgx\n\nfrom settings import DEBUG\n');
  });

  it('keeps a try/except ImportError block and `if TYPE_CHECKING:` where they are', () => {
    const text = 'import os\n\ntry:\n    import ujson as json\nexcept ImportError:\n    import json\n\nfrom pkg.util import helper\n\nx = 1\n';
    expect(one({ files: files(text), require: req({ module: 'httpx' }, { module: 'pkg.other', name: 'helper', alias: 'other_helper' }) })).toBe(
      'import os\n\nimport httpx\n\ntry:\n    import ujson as json\nexcept ImportError:\n    import json\n\nfrom pkg.other import helper as other_helper\nfrom pkg.util import helper\n\nx = 1\n',
    );
    const guarded = 'import os\n\nif TYPE_CHECKING:\n    import httpx\n\nx = 1\n';
    expect(one({ files: files(`from typing import TYPE_CHECKING\n${guarded}`), require: req({ module: 'pkg.util', name: 'helper', typeChecking: true }, { module: 'sys' }) })).toBe(
      'from typing import TYPE_CHECKING\nimport os\nimport sys\n\nif TYPE_CHECKING:\n    import httpx\n    from pkg.util import helper\n\nx = 1\n',
    );
  });

  it('puts a replacement import in the place of the group it empties, and drops an emptied group of another section', () => {
    expect(one({ files: files('import os\n\nfrom pkg.util import helper\n\nx = helper()\n'), remove: [['pkg/m.py', 'helper']], require: req({ module: 'pkg.other', name: 'helper' }) })).toBe(
      'import os\n\nfrom pkg.other import helper\n\nx = helper()\n',
    );
    expect(one({ files: files('import os\n\nimport httpx\n\nx = 1\n'), remove: [['pkg/m.py', 'httpx']], require: req({ module: 'pkg.util', name: 'helper' }) })).toBe(
      'import os\n\nfrom pkg.util import helper\n\nx = 1\n',
    );
    // Every import removed: the new ones (any section) take their place, spacing kept.
    expect(one({ files: files('"""Doc."""\nimport os\n\nx = 1\n'), remove: [['pkg/m.py', 'os']], require: req({ module: 'pkg.util', name: 'helper' }, { module: 'httpx' }) })).toBe(
      '"""Doc."""\nimport httpx\n\nfrom pkg.util import helper\n\nx = 1\n',
    );
  });

  it('keeps CRLF line endings, also before code the operation appends', () => {
    expect(one({ files: files('import os\r\n\r\nfrom pkg.util import helper\r\n\r\nx = 1\r\n'), require: req({ module: 'httpx' }, { module: 'sys' }) })).toBe(
      'import os\r\nimport sys\r\n\r\nimport httpx\r\n\r\nfrom pkg.util import helper\r\n\r\nx = 1\r\n',
    );
    const text = 'import os\r\n';
    expect(one({ files: files(text), require: req({ module: 'pkg.util', name: 'helper' }), op: (changes) => changes.insert('pkg/m.py', text.length, '\n\ndef f():\n    return helper()\n', origin) })).toBe(
      'import os\r\n\r\nfrom pkg.util import helper\r\n\r\n\r\ndef f():\r\n    return helper()\r\n',
    );
  });
});
