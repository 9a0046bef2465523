import type { Node, Tree } from './parse.js';

/** One Python file of a project, parsed once and shared by every analysis and operation. */
export interface SourceFile {
  /** Project-relative POSIX path, e.g. `venom_core/core/orchestrator.py`. */
  path: string;
  /** Dotted module name (`venom_core.core.orchestrator`; a package's `__init__.py` is the package name); null when the file is not importable by a dotted name. */
  module: string | null;
  /** True for `__init__.py`. */
  isPackage: boolean;
  text: string;
  tree: Tree;
}

/** A top-level definition of a module. */
export interface TopLevelDef {
  name: string;
  kind: 'function' | 'class' | 'assignment';
  /** The statement node (the `decorated_definition` when decorated). */
  node: Node;
  /** The node naming the symbol (identifier). */
  nameNode: Node;
  /**
   * Range the symbol occupies when it is moved or removed: from the start of its first line, including
   * comment lines directly above it (no blank line between) and decorators, to the end of its last line
   * including the newline. JS string offsets.
   */
  start: number;
  end: number;
  /** Other names bound by the same statement (`a, b = ...`): moving one moves all. */
  siblings: string[];
}

/** One name bound by an import statement. */
export interface ImportBinding {
  /** Name bound in the importing scope (`c` in `import a.b as c`, `a` in `import a.b`). */
  local: string;
  /** Module text as written, without the leading dots (`a.b`, or `` for `from . import x`). */
  module: string;
  /** Number of leading dots of a relative import (0 for absolute). */
  level: number;
  /** Imported name for `from m import name`; null for `import m`. `*` for star imports. */
  name: string | null;
  alias: string | null;
  /** The import statement node (`import_statement` / `import_from_statement` / `future_import_statement`). */
  statement: Node;
  /** The `dotted_name` / `aliased_import` node of this binding inside the statement. */
  node: Node;
  /** Inside `if TYPE_CHECKING:` (or `if typing.TYPE_CHECKING:`). */
  typeChecking: boolean;
  /** Inside the body of a `try:` whose handlers catch ImportError / ModuleNotFoundError (or an except branch of one). */
  guarded: boolean;
  /** At module level (possibly nested in if/try), i.e. executed at import time; false inside def/class bodies. */
  topLevel: boolean;
  line: number;
  /** First line of the import statement. */
  statementLine: number;
}

/** What a module binds at top level and imports. */
export interface ModuleIndex {
  defs: Map<string, TopLevelDef>;
  imports: ImportBinding[];
  /** Literal names of `__all__`, or null when the module has no `__all__` (or it is not a literal list/tuple). */
  all: string[] | null;
  /** Module-level names that some function rebinds through `global`. */
  globalWrites: Map<string, Node[]>;
}

/** Result of scope analysis of one module (LibCST-style: module, class, function, lambda, comprehension scopes). */
export interface ScopeAnalysis {
  /**
   * Names that code inside `node` reads from module scope or that are bound nowhere (module globals,
   * builtins, undefined), with every identifier node reading them. Names bound inside `node` (locals,
   * parameters, comprehension targets, nested defs) are excluded; names declared `global` inside count
   * as module reads (and writes, see `globalWrites`). Class-body names are not visible in methods.
   */
  freeNames(node: Node): Map<string, Node[]>;
  /** Reads of names bound in no enclosing scope, not builtins, and not covered by a star import. */
  undefinedNames(): { name: string; node: Node; line: number }[];
  /** Names bound at module scope (defs, classes, assignments, imports, for/with targets, walrus, global writes, ...). */
  moduleBindings(): Set<string>;
  /** True when the module has a star import (then undefined-name checks are not reliable). */
  hasStarImport: boolean;
}

/** Where a project module's top-level name is used from other code. */
export interface Reference {
  /** File containing the reference. */
  path: string;
  /**
   * `import`: a `from M import name` binding (node = the name / aliased_import node);
   * `attribute`: `alias.name` where alias is bound to module M (node = the attribute node);
   * `string`: a dotted string naming `M.name[.more]` in `patch(...)`, `monkeypatch.setattr(...)`, etc. (node = string node);
   * `patch-object`: `patch.object(alias, "name")` / `monkeypatch.setattr(alias, "name", ...)` (node = string node);
   * `all`: an entry of M's own `__all__`.
   */
  kind: 'import' | 'attribute' | 'string' | 'patch-object' | 'all';
  node: Node;
  /** For `string`: the string's value without quotes. */
  value?: string;
  line: number;
}

/** How an import binding resolves inside the project. */
export interface ResolvedImport {
  /** `module`: binds a project module; `symbol`: a name of a project module; `external`: not a project module; `missing`: names a project package/module path or symbol that does not exist. */
  kind: 'module' | 'symbol' | 'external' | 'missing';
  /** Absolute dotted module (the target module, or the module holding the symbol). */
  module: string;
  name: string | null;
}
