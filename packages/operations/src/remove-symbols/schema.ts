/** Spec fields of `remove-symbols` (JSON Schema draft-07); the TypeScript type below mirrors it. */
export const removeSymbolsSchema = {
  type: 'object',
  required: ['module'],
  anyOf: [{ required: ['symbols'] }, { required: ['imports'] }, { required: ['unreachable'] }],
  properties: {
    module: {
      type: 'string',
      minLength: 1,
      description: 'Module to clean up: a dotted module name (`app.services.users`) or a project-relative path (`app/services/users.py`).',
    },
    symbols: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      description:
        'Top-level functions, classes and constants to delete, with the comments directly above them and their decorators. Refused when anything may still use the name: an import, `module.name` or a `patch`/`monkeypatch` target anywhere in the project, a read in the module itself, `__all__`, the name inside any string literal (getattr, entry points, `"pkg.mod:app"`) or in pyproject.toml / setup.cfg / tox.ini / pytest.ini / Makefile / Procfile, an attribute `.name` on an object remodel cannot resolve, a decorator that may register it, a class base or metaclass that may discover it, or a value whose evaluation has effects at import (a call). Imports only the deleted code used are removed too (project-module imports only when the module stays imported).',
    },
    imports: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      description:
        'Local names bound by top-level imports to delete (`json` for `import json`, `Path` for `from pathlib import Path`). Refused when the module still reads the name (after `symbols` are gone), lists it in `__all__`, names it in a string (string annotations), another module imports it from here, it is a `from __future__` or guarded (`try/except ImportError`) import, the module is an `__init__.py`, or it imports a project module that nothing else this module imports at import time still loads (its import-time side effects would be lost).',
    },
    unreachable: {
      type: 'boolean',
      default: false,
      description:
        'Also delete statements that follow a `return`, `raise`, `continue` or `break` in the same block (they can never run). Dead code holding `yield`, `global`/`nonlocal`, or binding a name the enclosing scope uses elsewhere is kept and reported, because deleting it would change what the function is (a generator) or how its names resolve.',
    },
    'if-present': {
      type: 'boolean',
      default: false,
      description:
        'Tolerate absence: a module, symbol or import that does not exist is skipped with a note instead of refusing the step (one spec can then serve several trees, and a second run is a no-op). It never softens the checks on names that do exist: a present name that something uses is still refused.',
    },
  },
} as const;

/** Parameters of one `remove-symbols` step, defaults not applied. */
export interface RemoveSymbolsParams {
  module: string;
  symbols?: string[];
  imports?: string[];
  unreachable?: boolean;
  'if-present'?: boolean;
}
