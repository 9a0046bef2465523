import { defineOperation } from '@remodel/runtime';
import { MovePlan } from './plan.js';
import { moveSymbolsSchema, type MoveSymbolsParams } from './schema.js';

export type { MoveSymbolsParams } from './schema.js';

/**
 * `move-symbols`: moves top-level functions, classes and constants from one module to another (new or existing).
 * Guarantees: the moved text is the exact original text (comments above, decorators, docstrings included), appended
 * to an existing module after two blank lines; the rest of the source module is byte-identical except the removed
 * ranges, its import lines and `__all__`; the target gets exactly the imports the moved code reads (aliases kept,
 * relative imports re-targeted), plus imports back from the source for names that stay there; the source re-exports
 * the moved names (`reexport`); importers and patch targets are rewritten with `update-importers`; without the
 * re-export, strings that are whole module paths of a moved name are rewritten and other mentions reported.
 * Without the re-export, A still imports moved names its remaining code reads (`globals()` counts as reading all)
 * and decorated ones whose decorator may register them at import time; lazy-import table entries are reported.
 * Relative imports inside moved code and copied guarded blocks are re-targeted from B.
 * Refuses (PlanError): unknown module or symbol, a bare annotation (`x: T`), moved code reading `globals()`, a new import-time cycle (unless `move-dependencies` moves the needed
 * definitions along), splitting module state rebound through `global`, a name the target already binds, a target
 * package directory without `__init__.py`. Running the same step again is a no-op with a note.
 * Does not handle: symbols defined inside `if`/`try` blocks, star imports of the moved code's own dependencies,
 * `getattr(A, "name")` and `importlib.import_module("A").name` (the string names A, which stays; the name is
 * looked up at run time).
 */
export const moveSymbols = defineOperation<MoveSymbolsParams>({
  name: 'move-symbols',
  description:
    'Move top-level functions, classes and constants from one module to another, keeping imports, re-exports, patch targets and __all__ working.',
  schema: moveSymbolsSchema as unknown as Record<string, unknown>,
  plan(ctx, params) {
    new MovePlan(ctx, params).run();
  },
});

export default moveSymbols;
