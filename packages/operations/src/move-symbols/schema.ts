/** Spec fields of `move-symbols` (JSON Schema draft-07); the TypeScript type below mirrors it. */
export const moveSymbolsSchema = {
  type: 'object',
  required: ['from', 'to', 'symbols'],
  properties: {
    from: {
      type: 'string',
      minLength: 1,
      description: 'Module the symbols leave: a dotted module name (`app.services.users`) or a project-relative path (`app/services/users.py`).',
    },
    to: {
      type: 'string',
      minLength: 1,
      description:
        'Module the symbols go to, dotted or as a path. Created when missing; its package directory must already be a package (have `__init__.py`) unless it is the directory of `from`.',
    },
    symbols: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      description:
        'Top-level functions, classes and assigned constants of `from` to move. Comments directly above, decorators and docstrings travel with them; names assigned by the same statement (`a, b = ...`) move together.',
    },
    reexport: {
      type: 'boolean',
      default: true,
      description: 'Keep `from <to> import X` in `from` so old import paths keep working. Can be turned off only together with `update-importers`.',
    },
    'update-importers': {
      type: 'boolean',
      default: false,
      description:
        'Rewrite importers across the project, tests included: `from <from> import X`, `<alias>.X` attribute uses, and `mock.patch` / `monkeypatch` targets.',
    },
    'move-dependencies': {
      type: 'boolean',
      default: false,
      description:
        'Also move the top-level definitions of `from` that the moved code uses (transitively), instead of importing them back from `from`, which would make an import cycle.',
    },
  },
} as const;

/** Parameters of one `move-symbols` step, defaults not applied. */
export interface MoveSymbolsParams {
  from: string;
  to: string;
  symbols: string[];
  reexport?: boolean;
  'update-importers'?: boolean;
  'move-dependencies'?: boolean;
}
