import { componentThrough, cycles, type ImportGraph } from './graph.js';
import { hasBareRelativeImport, importText, mentions } from './import-text.js';
import { moduleNames, resolveRelative, type ModuleName } from './modules.js';
import { parsePython, syntaxProblems, type SyntaxProblem, type Tree } from './parse.js';
import { buildReferenceIndex, fileReferences, refKey, sortReferences, type ReferenceSite } from './references.js';
import { hasDynamicGlobals, summaryIndex, summaryPatchStrings, summaryScopes, type FileSummary } from './summary.js';
import { patchStrings, type PatchString } from './patch-strings.js';
import { analyzeScopes, hasFullScopes, scopeModel, type ScopeModel } from './scopes.js';
import { indexModule } from './symbols.js';
import type { ImportBinding, ModuleIndex, Reference, ResolvedImport, ScopeAnalysis, SourceFile } from './types.js';

/** Reference queries answered by scanning file texts before `Project.references` builds the whole table. */
const FULL_INDEX_AFTER_QUERIES = 200;

/**
 * What a module is known to bind at top level, for `resolveImport`: `has(name)` is true when the name is bound
 * (defs, top-level imports, `__all__`, global writes, any module-level binding) or the module is open (star
 * import, module `__getattr__`, `globals()[...]` / `sys.modules[__name__]` writes: any name may exist). The
 * common case, a def or an import, is answered from the module index; the module-level bindings (a shallow scope
 * walk) are computed only for the other names.
 */
class Exports {
  private readonly known = new Set<string>();
  private all: Set<string> | null = null;
  private open = false;

  constructor(
    private readonly index: ModuleIndex,
    private readonly scopes: () => ScopeAnalysis,
    private readonly dynamic: () => boolean,
  ) {
    for (const n of index.defs.keys()) this.known.add(n);
    for (const b of index.imports) if (b.topLevel && b.local !== '*') this.known.add(b.local);
    for (const n of index.all ?? []) this.known.add(n);
  }

  has(name: string): boolean {
    if (this.known.has(name)) return true;
    if (!this.all) {
      const scopes = this.scopes();
      const names = scopes.moduleBindings();
      for (const n of this.known) names.add(n);
      for (const n of this.index.globalWrites.keys()) names.add(n);
      this.open = scopes.hasStarImport || names.has('__getattr__') || this.dynamic();
      this.all = names;
    }
    return this.open || this.all.has(name);
  }
}
const exportsCache = new WeakMap<SourceFile, Exports>();

/** The import statements' text of each file (see `importText`), shared by the projects that share the file. */
const importRegions = new WeakMap<SourceFile, string>();

function importRegion(file: SourceFile): string {
  let region = importRegions.get(file);
  if (region === undefined) importRegions.set(file, (region = importText(file.text)));
  return region;
}

/**
 * A project file whose tree is parsed on first use: most operations and checks read a handful of files, and
 * decide which ones from their text (every reference to a name contains it), so the rest are never parsed.
 */
class ParsedOnDemand implements SourceFile {
  constructor(
    readonly path: string,
    readonly module: string | null,
    readonly isPackage: boolean,
    readonly text: string,
    private readonly cell: { tree: Tree | null; summary: FileSummary | null } = { tree: null, summary: null },
  ) {}

  /** The same file under another module name (an `__init__.py` was added or removed), sharing its tree and summary. */
  static renamed(file: SourceFile, module: string | null): SourceFile {
    const shared = file instanceof ParsedOnDemand ? file.cell : { tree: file.tree, summary: null };
    return new ParsedOnDemand(file.path, module, file.isPackage, file.text, shared);
  }

  get tree(): Tree {
    return (this.cell.tree ??= parsePython(this.text));
  }

  /** True once the tree exists. */
  get parsed(): boolean {
    return this.cell.tree !== null;
  }

  /** The file's analyses computed ahead (see `loadProject`), or null. */
  get summary(): FileSummary | null {
    return this.cell.summary;
  }
}

/** A file of a new Project: its text, and optionally its tree and analyses computed ahead. */
export interface ProjectFileInput {
  path: string;
  text: string;
  /** Parsed from `text`. */
  tree?: Tree;
  /** Analysed from `text` (see `summarize`): index, scope and reference queries on the file then need no tree. */
  summary?: FileSummary;
}

/** The summary a file was loaded with, if any. */
function summaryOf(file: SourceFile): FileSummary | null {
  return file instanceof ParsedOnDemand ? file.summary : null;
}

const summaryIndexes = new WeakMap<FileSummary, ModuleIndex>();
const summaryScopeAnalyses = new WeakMap<FileSummary, ScopeAnalysis>();
const summaryPatchStringLists = new WeakMap<FileSummary, PatchString[]>();

/**
 * An analysis of a file: from its tree (the analysis caches per tree), or, for a file loaded with a summary, from
 * the summary (cached in `cache`), with nodes found in the tree when read.
 */
function analysis<T>(file: SourceFile, cache: WeakMap<FileSummary, T>, fromTree: (tree: Tree) => T, fromSummary: (summary: FileSummary, tree: () => Tree) => T): T {
  const summary = summaryOf(file);
  if (!summary) return fromTree(file.tree);
  let result = cache.get(summary);
  if (result === undefined) cache.set(summary, (result = fromSummary(summary, () => file.tree)));
  return result;
}

const indexOf = (file: SourceFile): ModuleIndex => analysis(file, summaryIndexes, indexModule, summaryIndex);
const scopesOf = (file: SourceFile): ScopeAnalysis => analysis(file, summaryScopeAnalyses, analyzeScopes, summaryScopes);

/** What a file's module binds at top level, for `resolveImport` (cached per file, shared by the projects holding it). */
function exportsOf(file: SourceFile): Exports {
  let e = exportsCache.get(file);
  if (!e) {
    const dynamic = (): boolean => summaryOf(file)?.dynamicGlobals ?? hasDynamicGlobals(file.text);
    exportsCache.set(file, (e = new Exports(indexOf(file), () => scopesOf(file), dynamic)));
  }
  return e;
}

/**
 * The Python files of a project, each parsed once, on first use; module names, import resolution, the import graph and
 * cross-module references. Immutable: {@link Project.withChanges} returns a new project that shares the parsed
 * files whose text did not change. `loadPython()` must have been awaited before construction.
 * Does not handle: namespace packages, `sys.path` manipulation, dynamic imports (`importlib`, `__import__`),
 * re-exports chased through other modules (a reference is to the module named in the import), `.pyi` stubs.
 */
export class Project {
  /** Project-relative POSIX path -> file. */
  readonly files: Map<string, SourceFile>;
  private readonly names: Map<string, ModuleName>;
  private readonly byModule = new Map<string, SourceFile>();
  /** First components of modules importable from the project root (imports under them can be `missing`). */
  private readonly roots = new Set<string>();
  private readonly resolved = new WeakMap<ImportBinding, ResolvedImport>();
  private readonly aliases = new Map<string, Map<string, string>>();
  /** Whole-project reference table, once built (see `references`). */
  private refIndex: Map<string, Reference[]> | null = null;
  /** References of the files analysed so far: path -> `module\0name` -> references. */
  private readonly fileRefs = new Map<string, Map<string, Reference[]>>();
  private refQueries = 0;
  private readonly importTimeEdges = new Map<string, Map<string, number>>();
  private readonly allEdges = new Map<string, Map<string, number>>();
  private readonly importers = new Map<string, string[]>();

  /**
   * Parses every file (`path` project-relative POSIX). `reuse` (used by `withChanges`) supplies earlier
   * SourceFiles: one whose text is unchanged keeps its tree, and the object itself when its module name is too.
   * Throws on a duplicate path.
   */
  constructor(files: ProjectFileInput[], reuse?: ReadonlyMap<string, SourceFile>) {
    this.files = new Map();
    this.names = moduleNames(files.map((f) => f.path));
    for (const { path, text, tree, summary } of files) {
      if (this.files.has(path)) throw new Error(`remodel: duplicate file ${path} in project`);
      const name = this.names.get(path)!;
      const prev = reuse?.get(path);
      const isPackage = path === '__init__.py' || path.endsWith('/__init__.py');
      let file: SourceFile;
      if (prev && prev.text === text) {
        file = prev.module === name.module ? prev : ParsedOnDemand.renamed(prev, name.module);
      } else {
        file = new ParsedOnDemand(path, name.module, isPackage, text, { tree: tree ?? null, summary: summary ?? null });
      }
      this.files.set(path, file);
      if (name.module) {
        this.byModule.set(name.module, file);
        if (name.depth === 0) this.roots.add(name.module.split('.')[0]);
      }
    }
  }

  /** The file at `path`; throws when the project has no such file. */
  file(path: string): SourceFile {
    const f = this.files.get(path);
    if (!f) throw new Error(`remodel: no file ${path} in project`);
    return f;
  }

  /** The file of a dotted module name (a package's `__init__.py`), if the project has it. */
  fileOfModule(module: string): SourceFile | undefined {
    return this.byModule.get(module);
  }

  /** Module index of a file (cached per parsed tree, or per summary: then nodes are found when read). */
  index(path: string): ModuleIndex {
    return indexOf(this.file(path));
  }

  /** Scope analysis of a file (cached per parsed tree, or per summary). */
  scopes(path: string): ScopeAnalysis {
    return scopesOf(this.file(path));
  }

  /** Syntax problems of a file (see `syntaxProblems`). */
  syntaxProblems(path: string): SyntaxProblem[] {
    const file = this.file(path);
    return summaryOf(file)?.syntax ?? syntaxProblems(file.tree);
  }

  /** Dotted target strings of patch-like calls in a file (see `patchStrings`). */
  patchStrings(path: string): PatchString[] {
    return analysis(this.file(path), summaryPatchStringLists, patchStrings, summaryPatchStrings);
  }

  /** The reference sites of a file loaded with a summary, or null (see `references`). */
  summarySites(path: string): ReferenceSite[] | null {
    return summaryOf(this.file(path))?.sites ?? null;
  }

  /** Scope analysis with its internals, for the analyses of this package. */
  scopeModel(path: string): ScopeModel {
    return scopeModel(this.file(path).tree);
  }

  /** Package a file's relative imports start from (the file's directory as a package), or null. */
  private packageOf(path: string): string | null {
    const file = this.file(path);
    const raw = this.names.get(path)?.raw ?? null;
    if (raw === null) return null;
    if (file.isPackage) return raw;
    const dot = raw.lastIndexOf('.');
    return dot === -1 ? null : raw.slice(0, dot);
  }

  /**
   * Absolute dotted module an import binding names (`from ..a import b` in `pkg/sub/m.py` -> `pkg.a`). A relative
   * import that cannot be resolved (climbs above the top-level package, or the file is in no package) is returned
   * as written, with its leading dots.
   */
  absoluteModule(path: string, binding: ImportBinding): string {
    if (binding.level === 0) return binding.module;
    return resolveRelative(this.packageOf(path), binding.level, binding.module) ?? '.'.repeat(binding.level) + binding.module;
  }

  /**
   * How an import binding resolves. `from M import x` is `module` when `M.x` is a project module, `symbol` when
   * M binds x at top level (defs, imports, `__all__`, global writes, any module-level binding), and also when M
   * has a star import, a module `__getattr__`, or writes `globals()[...]` / `sys.modules[__name__]` (a submodule
   * wins over a same-named binding of the package); `missing` when M (or `import a.b`'s module) is under a
   * project top-level package but absent, when M is a project module that binds x nowhere, or for a relative
   * import that cannot be resolved; `external` otherwise (and for `__future__`). Modules found only relative to a
   * sub-directory (loose test files) never yield `missing`: a real package of that name may shadow them.
   */
  resolveImport(path: string, binding: ImportBinding): ResolvedImport {
    let r = this.resolved.get(binding);
    if (!r) {
      r = this.resolveUncached(path, binding);
      this.resolved.set(binding, r);
    }
    return r;
  }

  private resolveUncached(path: string, b: ImportBinding): ResolvedImport {
    if (b.level === 0 && b.module === '__future__') return { kind: 'external', module: '__future__', name: b.name };
    const abs = this.absoluteModule(path, b);
    if (abs.startsWith('.')) return { kind: 'missing', module: abs, name: b.name };
    const target = this.byModule.get(abs);
    if (b.name === null) {
      return { kind: target ? 'module' : this.claims(abs) ? 'missing' : 'external', module: abs, name: null };
    }
    if (!target) return { kind: this.claims(abs) ? 'missing' : 'external', module: abs, name: b.name };
    if (b.name === '*') return { kind: 'symbol', module: abs, name: '*' };
    const sub = `${abs}.${b.name}`;
    if (this.byModule.has(sub)) return { kind: 'module', module: sub, name: b.name };
    if (exportsOf(target).has(b.name)) return { kind: 'symbol', module: abs, name: b.name };
    const strong = this.names.get(target.path)!.depth === 0;
    return { kind: strong ? 'missing' : 'external', module: abs, name: b.name };
  }

  /** True when a dotted module that is not a project file would live under a project top-level package. */
  private claims(module: string): boolean {
    return this.roots.has(module.split('.')[0]);
  }

  /**
   * Names bound by module-level imports (`topLevel`, also under TYPE_CHECKING / try) to project modules:
   * `import a.b` -> `a` => `a`, `import a.b as m` -> `m` => `a.b`, `from a import b` (b a submodule) -> `b` =>
   * `a.b`. Function-level imports are not included (references use scope analysis for those).
   */
  moduleAliases(path: string): Map<string, string> {
    let out = this.aliases.get(path);
    if (!out) {
      out = new Map();
      for (const b of this.index(path).imports) {
        if (!b.topLevel) continue;
        const m = this.aliasTarget(path, b);
        if (m) out.set(b.local, m);
      }
      this.aliases.set(path, out);
    }
    return out;
  }

  /**
   * The project module the local name of an import binding refers to, or null (not a module, external, star):
   * `import a.b` -> `a`, `import a.b as m` -> `a.b`, `from a import b` -> `a.b` when that is a module.
   */
  aliasTarget(path: string, b: ImportBinding): string | null {
    if (b.local === '*') return null;
    const r = this.resolveImport(path, b);
    if (r.kind !== 'module') return null;
    if (b.name === null && b.alias === null) {
      const top = r.module.split('.')[0];
      return this.byModule.has(top) ? top : null;
    }
    return r.module;
  }

  /**
   * Module import graph: module -> imported project module -> first line importing it. A `from M import x` edge
   * goes to `M.x` when that is a module, else to `M`; missing and external imports add no edge; parent packages
   * implicitly executed by `import a.b.c` add no edge. `importTimeOnly` skips imports inside def / class bodies
   * and under `if TYPE_CHECKING:`. Every project module is a key (possibly with no edges); files without a
   * module name are left out.
   */
  importGraph(options: { importTimeOnly?: boolean } = {}): Map<string, Map<string, number>> {
    const graph = new Map<string, Map<string, number>>();
    for (const module of this.byModule.keys()) graph.set(module, this.importsOf(module, options));
    return graph;
  }

  /** The edges of one module in {@link importGraph} (empty for a module the project does not have). Cached. */
  importsOf(module: string, options: { importTimeOnly?: boolean } = {}): Map<string, number> {
    const cache = options.importTimeOnly ? this.importTimeEdges : this.allEdges;
    let edges = cache.get(module);
    if (edges) return edges;
    edges = new Map<string, number>();
    const file = this.byModule.get(module);
    for (const b of file ? this.index(file.path).imports : []) {
      if (options.importTimeOnly && (!b.topLevel || b.typeChecking)) continue;
      const r = this.resolveImport(file!.path, b);
      if (r.kind !== 'module' && r.kind !== 'symbol') continue;
      const line = b.statementLine;
      const prev = edges.get(r.module);
      if (prev === undefined || line < prev) edges.set(r.module, line);
    }
    cache.set(module, edges);
    return edges;
  }

  /**
   * The import-time edges of `module` that end in `targets` (a subset of `importsOf(module, { importTimeOnly: true
   * })`). Resolves only the imports that could name a target, so modules outside `targets` are not parsed.
   */
  importsInto(module: string, targets: ReadonlySet<string>): Map<string, number> {
    const edges = new Map<string, number>();
    const file = this.byModule.get(module);
    for (const b of file ? this.index(file.path).imports : []) {
      if (!b.topLevel || b.typeChecking || !targets.has(this.edgeTarget(file!.path, b))) continue;
      const r = this.resolveImport(file!.path, b);
      if (r.kind !== 'module' && r.kind !== 'symbol') continue;
      const line = b.statementLine;
      const prev = edges.get(r.module);
      if (prev === undefined || line < prev) edges.set(r.module, line);
    }
    return edges;
  }

  /** Where an import's graph edge goes when it resolves: `M.x` for `from M import x` when that is a module, else `M`. */
  private edgeTarget(path: string, b: ImportBinding): string {
    const abs = this.absoluteModule(path, b);
    if (b.name && b.name !== '*' && this.byModule.has(`${abs}.${b.name}`)) return `${abs}.${b.name}`;
    return abs;
  }

  /**
   * False when the file at `path` certainly does not import `module` (nor a name from it), decided from its text
   * without parsing: its import statements neither name the module's last component nor hold a bare relative
   * import (`from . import x`).
   */
  mayImport(path: string, module: string): boolean {
    const region = importRegion(this.file(path));
    return mentions(region, module.slice(module.lastIndexOf('.') + 1)) || hasBareRelativeImport(region);
  }

  /**
   * Project modules that import `module` at import time (an edge of `importGraph({ importTimeOnly: true })`), sorted.
   * Parses only files whose import statements name the module's last component (`import a.b.c`, `from a.b import
   * c`, `from .c import x` all do), or, for a package, hold a bare relative import (`from . import x`).
   */
  importersOf(module: string): string[] {
    let out = this.importers.get(module);
    if (out) return out;
    out = [];
    for (const [m, file] of this.byModule) {
      if (this.mayImport(file.path, module) && this.importsInto(m, new Set([module])).has(module)) out.push(m);
    }
    out.sort();
    this.importers.set(module, out);
    return out;
  }

  /**
   * The import-time cycle through `module`: the sorted modules of its strongly connected component in
   * `importGraph({ importTimeOnly: true })` when that has an edge back to `module` (a self-import counts), else
   * empty. Indexes only the modules that import `module`, directly or not (see {@link importersOf}).
   */
  cycleThrough(module: string): string[] {
    return componentThrough(module, this);
  }


  /** Import cycles of `graph` (see {@link cycles}). */
  cycles(graph: ImportGraph): string[][] {
    return cycles(graph);
  }

  /**
   * Uses of top-level `name` of project module `module` in the project (see {@link Reference} for the kinds):
   * `from M import name` (also relative), `alias.name` through a module alias bound by an import (module level or
   * in a function, resolved with scopes), dotted strings in `patch(...)` / `mock.patch(...)` / `mocker.patch(...)`
   * / `patch.dict(...)` / `monkeypatch.setattr("M.name", ...)` / `monkeypatch.delattr(...)`, `patch.object(alias,
   * "name")` / `monkeypatch.setattr(alias, "name", ...)`, and entries of M's own literal `__all__`. The project is
   * indexed once, on the first call. Sorted by path, then offset. Does not find: uses through re-exports
   * (`from pkg import name` where pkg re-exports M.name counts for pkg), star imports, `getattr(m, "name")`,
   * `importlib.import_module`, `patch.multiple`, callees renamed on import (`from unittest.mock import patch as p`),
   * strings outside those calls.
   * Every reference's text contains `name`, so a query analyses only the files whose text does (each once per
   * project); when most files are already analysed, or after many queries, the whole table is built instead.
   */
  references(module: string, name: string): Reference[] {
    const key = refKey(module, name);
    if (!this.refIndex && this.wantsFullReferenceIndex()) this.refIndex = buildReferenceIndex(this, this.fileRefs);
    if (this.refIndex) return [...(this.refIndex.get(key) ?? [])];
    const out: Reference[] = [];
    const own = this.byModule.get(module);
    const leaf = module.slice(module.lastIndexOf('.') + 1);
    for (const file of this.files.values()) {
      if (!file.text.includes(name)) continue;
      // A reference also names the module (its last component: `from M import`, `alias = M`, "M.name"), except
      // in M's own `__all__` and through `from . import name`.
      if (file !== own && !file.text.includes(leaf) && !hasBareRelativeImport(importRegion(file))) continue;
      let refs = this.fileRefs.get(file.path);
      if (!refs) this.fileRefs.set(file.path, (refs = fileReferences(this, file)));
      const list = refs.get(key);
      if (list) out.push(...list);
    }
    return sortReferences(out);
  }

  /**
   * Whether to answer reference queries from one whole-project table: on the first query when nearly every file's
   * scopes are already analysed (building the table is then cheap), and after many queries (when scanning texts
   * per query would cost more).
   */
  private wantsFullReferenceIndex(): boolean {
    this.refQueries++;
    if (this.refQueries > FULL_INDEX_AFTER_QUERIES) return true;
    if (this.refQueries > 1) return false;
    let analysed = 0;
    for (const file of this.files.values()) {
      if (file instanceof ParsedOnDemand && (file.summary || (file.parsed && hasFullScopes(file.tree)))) analysed++;
    }
    return analysed >= this.files.size * 0.9;
  }

  /**
   * A new project with `changes` applied (path -> new text, or null to delete; new paths are added). Files whose
   * text is unchanged keep their parsed tree and analyses; the SourceFile object itself is reused unless adding
   * or deleting an `__init__.py` changed its module name.
   */
  withChanges(changes: ReadonlyMap<string, string | null>): Project {
    const files: ProjectFileInput[] = [];
    for (const [path, f] of this.files) {
      const text = changes.has(path) ? changes.get(path)! : f.text;
      if (text !== null) files.push({ path, text });
    }
    for (const [path, text] of changes) if (text !== null && !this.files.has(path)) files.push({ path, text });
    return new Project(files, this.files);
  }
}
