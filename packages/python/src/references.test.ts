import { loadPython } from './parse.js';
import { Project } from './project.js';

beforeAll(loadPython);

function project(files: Record<string, string>): Project {
  return new Project(Object.entries(files).map(([path, text]) => ({ path, text })));
}

const base = {
  'app/__init__.py': '',
  'app/services/__init__.py': 'from .users import UserService\n__all__ = ["UserService"]\n',
  'app/services/users.py': '__all__ = ["UserService", "helper"]\nclass UserService: pass\ndef helper(): pass\nOTHER = 1\n',
};

/** References as `path:line kind text`, leaving out `__all__` entries unless `withAll`. */
function refs(p: Project, module: string, name: string, withAll = false): string[] {
  return p
    .references(module, name)
    .filter((r) => withAll || r.kind !== 'all')
    .map((r) => `${r.path}:${r.line} ${r.kind} ${r.node.text}`);
}

describe('Project.references', () => {
  it('finds `from M import name`, absolute and relative, aliased or not', () => {
    const p = project({
      ...base,
      'app/api.py': 'from app.services.users import UserService as US, helper\n',
      'app/services/admin.py': 'from .users import UserService\nfrom . import users\n',
    });
    expect(refs(p, 'app.services.users', 'UserService', true)).toEqual([
      'app/api.py:1 import UserService as US',
      'app/services/__init__.py:1 import UserService',
      'app/services/admin.py:1 import UserService',
      'app/services/users.py:1 all "UserService"',
    ]);
    expect(refs(p, 'app.services', 'users')).toEqual(['app/services/admin.py:2 import users']);
  });

  it('counts a re-export under the package it is imported from, not the defining module', () => {
    const p = project({ ...base, 'app/api.py': 'from app.services import UserService\n' });
    expect(refs(p, 'app.services', 'UserService', true)).toEqual([
      'app/api.py:1 import UserService',
      'app/services/__init__.py:2 all "UserService"',
    ]);
    expect(refs(p, 'app.services.users', 'UserService')).not.toContain('app/api.py:1 import UserService');
  });

  it('finds attribute access through `import a.b as m`, `from a import b` and `import a.b`', () => {
    const p = project({
      ...base,
      'app/one.py': 'import app.services.users as m\nm.helper()\n',
      'app/two.py': 'from app.services import users\nusers.helper\n',
      'app/three.py': 'import app.services.users\napp.services.users.helper()\n',
      'app/four.py': 'def f():\n    from app.services import users as u\n    return u.helper\n',
    });
    expect(refs(p, 'app.services.users', 'helper')).toEqual([
      'app/four.py:3 attribute u.helper',
      'app/one.py:2 attribute m.helper',
      'app/three.py:2 attribute app.services.users.helper',
      'app/two.py:2 attribute users.helper',
    ]);
  });

  it('reports a submodule attribute on its package when nothing follows it', () => {
    const p = project({ ...base, 'x.py': 'import app.services\nprint(app.services.users)\n' });
    expect(refs(p, 'app.services', 'users')).toEqual(['x.py:2 attribute app.services.users']);
  });

  it('ignores attributes on a name that shadows the module alias', () => {
    const p = project({
      ...base,
      'x.py': 'from app.services import users\ndef f(users):\n    return users.helper\n',
    });
    expect(refs(p, 'app.services.users', 'helper')).toEqual([]);
  });

  it('finds dotted strings in patch, mock.patch, mocker.patch, patch.dict and monkeypatch.setattr', () => {
    const p = project({
      ...base,
      'tests/test_u.py': [
        'from unittest import mock',
        'from unittest.mock import patch',
        '@patch("app.services.users.helper")',
        'def test_a(mocker, monkeypatch):',
        '    mock.patch("app.services.users.helper.__call__")',
        '    mocker.patch("app.services.users.helper", return_value=1)',
        '    monkeypatch.setattr("app.services.users.helper", lambda: 1)',
        '    patch.dict("app.services.users.OTHER", {})',
        '    patch("os.path.join")',
        '    print("app.services.users.helper")',
        '',
      ].join('\n'),
    });
    expect(refs(p, 'app.services.users', 'helper')).toEqual([
      'tests/test_u.py:3 string "app.services.users.helper"',
      'tests/test_u.py:5 string "app.services.users.helper.__call__"',
      'tests/test_u.py:6 string "app.services.users.helper"',
      'tests/test_u.py:7 string "app.services.users.helper"',
    ]);
    expect(p.references('app.services.users', 'helper')[2].value).toBe('app.services.users.helper.__call__');
    expect(refs(p, 'app.services.users', 'OTHER')).toEqual(['tests/test_u.py:8 string "app.services.users.OTHER"']);
  });

  it('finds patch.object(alias, "name") and monkeypatch.setattr(alias, "name", value)', () => {
    const p = project({
      ...base,
      'tests/test_v.py': [
        'from unittest.mock import patch',
        'import app.services.users as users_mod',
        'import app.services',
        'def test_b(monkeypatch, mocker):',
        '    patch.object(users_mod, "helper")',
        '    mocker.patch.object(app.services.users, "helper")',
        '    monkeypatch.setattr(users_mod, "helper", lambda: 2)',
        '    patch.object(SomeClass, "helper")',
        '',
      ].join('\n'),
    });
    const found = p.references('app.services.users', 'helper').filter((r) => r.kind !== 'all');
    expect(found.map((r) => [r.line, r.kind, r.value])).toEqual([
      [5, 'patch-object', 'helper'],
      [6, 'patch-object', 'helper'],
      [7, 'patch-object', 'helper'],
    ]);
  });

  it('finds entries of the module’s own __all__', () => {
    const p = project(base);
    const found = p.references('app.services.users', 'helper');
    expect(found.map((r) => [r.path, r.kind, r.value, r.line])).toEqual([['app/services/users.py', 'all', 'helper', 1]]);
  });

  it('returns nothing for an unused name and a fresh array each call', () => {
    const p = project(base);
    expect(p.references('app.services.users', 'OTHER')).toEqual([]);
    const a = p.references('app.services.users', 'helper');
    a.pop();
    expect(p.references('app.services.users', 'helper')).toHaveLength(1);
  });
});

describe('Project.references: files searched', () => {
  const files = {
    ...base,
    'app/services/peer.py': 'from . import helper\nfrom . import users as u\nu.helper()\n',
    'app/main.py': 'import app.services.users as svc\nsvc.helper()\n',
    'tests/test_users.py': 'from unittest import mock\n@mock.patch("app.services.users.helper")\ndef test_it(p): ...\n',
    'app/unrelated.py': 'def helper(): pass\nhelper()\n',
  };
  const all = (p: Project): string[] => ['UserService', 'helper', 'OTHER', 'u', 'svc'].flatMap((n) => [...refs(p, 'app.services.users', n, true), ...refs(p, 'app.services', n, true)]);

  it('finds `from . import name` (no module named) and a module’s own __all__ in files the text filter would skip', () => {
    const p = project(files);
    expect(refs(p, 'app.services', 'helper')).toEqual(['app/services/peer.py:1 import helper']);
    expect(refs(p, 'app.services.users', 'helper', true)).toEqual([
      'app/main.py:2 attribute svc.helper',
      'app/services/peer.py:3 attribute u.helper',
      'app/services/users.py:1 all "helper"',
      'tests/test_users.py:2 string "app.services.users.helper"',
    ]);
  });

  it('answers the same from the whole-project table (every file analysed first) as from the files that name it', () => {
    const lazy = project(files);
    const full = project(files);
    for (const path of full.files.keys()) full.scopes(path).undefinedNames();
    expect(all(lazy)).toEqual(all(full));
    const many = project(files);
    for (let i = 0; i < 250; i++) many.references('app.services.users', `nothing${i}`);
    expect(all(many)).toEqual(all(full));
  });
});
