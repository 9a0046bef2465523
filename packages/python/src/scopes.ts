import { PYTHON_BUILTINS } from './builtins.js';
import { sourceText, type Node, type Tree } from './parse.js';
import { importSites, isStarImport } from './statements.js';
import { hasGlobalKeyword, Walker, type Access, type ImportSite, type Scope } from './scope-walker.js';
import { push } from './syntax.js';
import type { ScopeAnalysis } from './types.js';

export { catchesImportError, isTypeChecking, type Access, type ImportSite, type Scope, type ScopeKind } from './scope-walker.js';

/**
 * The scope model of one file. `accesses` (sorted by offset) and `module` are exposed for the other analyses of
 * this package (references); operations should use the {@link ScopeAnalysis} methods.
 * Lazy: the full walk runs on the first use of anything that needs it (reads, free / undefined names, the scope
 * tree). `moduleBindings()` and `hasStarImport` are answered from cheaper passes while the full walk has not run
 * (a shallow walk that skips function and class bodies, and the file's import statements), with the same results.
 */
export class ScopeModel implements ScopeAnalysis {
  private walker: Walker | null = null;
  private shallowBindings: Set<string> | null = null;

  constructor(private readonly tree: Tree) {}

  /** The full walk (run once). */
  private full(): Walker {
    if (!this.walker) {
      const walker = new Walker(this.tree);
      walker.run();
      this.walker = walker;
    }
    return this.walker;
  }

  /** True once the full walk has run. */
  get walked(): boolean {
    return this.walker !== null;
  }

  /** True when the file has a star import anywhere (then undefined-name checks are not reliable). */
  get hasStarImport(): boolean {
    if (this.walker) return this.walker.hasStarImport;
    return importSites(this.tree).some((site) => isStarImport(site.statement));
  }

  get module(): Scope {
    return this.full().module;
  }

  get accesses(): Access[] {
    return this.full().accesses;
  }

  /** Module-level names rebound through `global` inside functions -> the binding identifiers. */
  get globalWrites(): Map<string, Node[]> {
    return this.full().globalWrites;
  }

  /** Every import statement in source order, with its TYPE_CHECKING / guard / module-level context. */
  get importSites(): ImportSite[] {
    return this.full().importSites;
  }

  /** Module-level expression statements starting with `__all__` (assignments, `+=`, `.extend`, ...). */
  get allStatements(): Node[] {
    return this.full().allStatements;
  }

  freeNames(node: Node): Map<string, Node[]> {
    const out = new Map<string, Node[]>();
    const start = node.startIndex;
    const end = node.endIndex;
    const list = this.accesses;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].start < start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < list.length && list[i].start < end; i++) {
      const a = list[i];
      if (a.resolved === null || a.resolved === this.module) push(out, a.name, a.node);
    }
    return out;
  }

  undefinedNames(): { name: string; node: Node; line: number }[] {
    if (this.hasStarImport) return [];
    const out: { name: string; node: Node; line: number }[] = [];
    for (const a of this.accesses) {
      if (a.resolved === null && !a.write && !PYTHON_BUILTINS.has(a.name)) out.push({ name: a.name, node: a.node, line: a.node.startPosition.row + 1 });
    }
    return out;
  }

  moduleBindings(): Set<string> {
    if (this.walker || hasGlobalKeyword(sourceText(this.tree))) return new Set(this.full().module.names());
    if (!this.shallowBindings) {
      const walker = new Walker(this.tree, true);
      walker.run();
      this.shallowBindings = new Set(walker.module.names());
    }
    return new Set(this.shallowBindings);
  }
}

const cache = new WeakMap<Tree, ScopeModel>();

/**
 * Scope analysis of a module, LibCST-style, computed in one walk and cached per tree (do not mutate the result).
 * Handles: module / class / function / lambda / comprehension scopes; class-body names invisible in methods;
 * defaults, annotations, decorators, base classes and a comprehension's first iterable evaluated in the enclosing
 * scope; `global` / `nonlocal`; walrus binding in the nearest non-comprehension scope; `match` captures, `as`
 * targets, `except ... as`, `with ... as`, `for` targets, imports in functions, f-string interpolations, plain
 * string annotations (not inside `Literal[...]` / `Annotated` metadata), implicit `__class__`, `__module__`,
 * `__qualname__`; reads resolved after the whole file is walked (flow-insensitive: a name bound anywhere in a
 * scope is local to all of it). Does not handle: names provided by star imports (see `hasStarImport`),
 * `globals()` / `locals()` / `exec` / `setattr(module, ...)` bindings, `del` as an unbinding, string type
 * expressions outside annotations (`cast("T", x)`, `TypeVar(bound="T")`), PEP 695 annotation scopes (type
 * parameters are bound in the function / class scope).
 */
export function analyzeScopes(tree: Tree): ScopeAnalysis {
  return scopeModel(tree);
}

/** True when the full scope walk of `tree` has already run (its reads and scopes are at hand). */
export function hasFullScopes(tree: Tree): boolean {
  return cache.get(tree)?.walked ?? false;
}

/** {@link analyzeScopes} with the internals (`accesses`, `module` scope) the other analyses of this package use. */
export function scopeModel(tree: Tree): ScopeModel {
  let model = cache.get(tree);
  if (!model) {
    model = new ScopeModel(tree);
    cache.set(tree, model);
  }
  return model;
}
