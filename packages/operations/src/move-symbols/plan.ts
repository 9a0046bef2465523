import type { ImportBinding, Node, Project, SourceFile } from '@remodel/python';
import { PlanError, importHeader, newCycles, relativeFrom, type ImportRequest, type OperationContext } from '@remodel/runtime';
import { postponesAnnotations } from '../shared/annotations.js';
import { analyzeMove, annotationOnly, splitState, stillImportedByA, statementsOf, topLevelStatement, type MoveAnalysis } from './analysis.js';
import { updateImporters, patchTargets, type MoveContext } from './importers.js';
import { dottedMentions } from './strings.js';
import type { MoveSymbolsParams } from './schema.js';
import { dunderAll, dunderAllLike, lineEnd, lineStart, listAppend, listRemovals, removalRanges } from '../shared/text.js';

/** A module of the move: `from` (always existing) or `to` (possibly created). */
export interface ModuleRef {
  path: string;
  module: string;
  isPackage: boolean;
  file: SourceFile | null;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Plans one `move-symbols` step (see the operation's description in index.ts). */
export class MovePlan {
  private readonly project: Project;

  constructor(
    private readonly ctx: OperationContext,
    private readonly params: MoveSymbolsParams,
  ) {
    this.project = ctx.project;
  }

  /** A one-line PlanError naming the step, the field and the value. */
  fail(code: string, field: string, message: string): never {
    const { codemod, step } = this.ctx.origin;
    throw new PlanError(code, `${codemod}: steps[${step}].${field}: ${message}`);
  }

  run(): void {
    const { params, project, ctx } = this;
    const reexport = params.reexport ?? true;
    const update = params['update-importers'] ?? false;
    const moveDeps = params['move-dependencies'] ?? false;
    if (!Array.isArray(params.symbols) || params.symbols.length === 0) this.fail('no-symbols', 'symbols', 'list at least one symbol to move');
    if (!reexport && !update) {
      this.fail('reexport-needs-update', 'reexport', 'false needs `update-importers: true` (old import paths would break)');
    }
    const a = this.source(params.from);
    const b = this.target(params.to, a);
    const indexA = project.index(a.path);
    const indexB = b.file ? project.index(b.path) : null;

    // Which symbols move; a symbol already in B (and gone from A) is a finished earlier run.
    const moved = new Set<string>();
    const done: string[] = [];
    for (const name of params.symbols) {
      if (!IDENT.test(name)) this.fail('bad-symbol', 'symbols', `"${name}" is not a Python identifier`);
      const def = indexA.defs.get(name);
      if (def && annotationOnly(def)) {
        this.fail('annotation-only', 'symbols', `\`${name}\` is only annotated in ${a.path} (line ${def.node.startPosition.row + 1}); the statement binding its value is not a top-level definition`);
      }
      if (def) {
        moved.add(name);
        for (const s of def.siblings) moved.add(s);
      } else if (indexB?.defs.has(name)) done.push(name);
      else {
        const imported = indexA.imports.find((x) => x.topLevel && x.local === name);
        if (imported) this.fail('not-a-definition', 'symbols', `\`${name}\` is imported in ${a.path} (line ${imported.line}), not defined there`);
        this.fail('symbol-not-found', 'symbols', `\`${name}\` not found in ${a.path}`);
      }
    }
    if (moved.size === 0) {
      ctx.note(`nothing to do: ${done.map((n) => `\`${n}\``).join(', ')} already in ${b.path} and not in ${a.path}`);
      return;
    }
    for (const name of done) ctx.note(`\`${name}\` is already in ${b.path}; left as is`);
    for (const name of moved) {
      if (!params.symbols.includes(name)) ctx.note(`\`${name}\` moves too: it is assigned by the same statement`);
    }

    // Dependencies: with move-dependencies, A's definitions the moved code reads move along, transitively.
    // B postpones annotations when it has (or, new, gets A's) `from __future__ import annotations`.
    const lazy = postponesAnnotations(project, b.file ? b.path : a.path);
    let analysis = analyzeMove(project, a.path, moved, lazy);
    while (moveDeps) {
      const extra = [...analysis.stays.keys()].filter((n) => indexA.defs.has(n) && !moved.has(n));
      if (extra.length === 0) break;
      for (const n of extra) {
        ctx.note(`\`${n}\` moves too: ${analysis.stays.get(n)!.map((u) => `\`${u}\``).join(', ')} use${analysis.stays.get(n)!.length > 1 ? '' : 's'} it`);
        moved.add(n);
        for (const s of indexA.defs.get(n)!.siblings) moved.add(s);
      }
      analysis = analyzeMove(project, a.path, moved, lazy);
    }

    const split = splitState(project, a.path, moved);
    if (split) {
      this.fail(
        'split-state',
        'symbols',
        `moving ${split.moving.map((n) => `\`${n}\``).join(', ')} would split module state \`${split.state}\` of ${a.path} ` +
          `(rebound through \`global\`) from ${split.staying.map((n) => `\`${n}\``).join(', ')}; move the state and all its users together`,
      );
    }
    this.checkTarget(a, b, moved, analysis);
    const reader = analysis.namespaceReaders[0];
    if (reader) {
      this.fail(
        'namespace-read',
        'symbols',
        `\`${reader.owner}\` reads the namespace of ${a.path} through \`globals()\` / \`vars()\` (line ${reader.line}); in ${b.path} it would see other names`,
      );
    }

    const movedNames = [...moved].sort((x, y) => indexA.defs.get(x)!.start - indexA.defs.get(y)!.start || (x < y ? -1 : 1));
    const aReadsMoved = movedNames.filter((n) => stillImportedByA(analysis, n));
    const aNeedsB = reexport || aReadsMoved.length > 0;
    const mc: MoveContext = { plan: this, ctx, project, a, b, moved, movedNames, analysis, reexport, update, typeCheckingStays: new Set() };
    mc.typeCheckingStays = this.checkCycles(mc, aNeedsB);
    if (!reexport) this.checkStarImporters(a, movedNames);

    this.editSource(mc);
    this.editTarget(mc);
    this.editDunderAll(mc);
    if (update) updateImporters(mc);
    patchTargets(mc);
    dottedMentions(mc);
    for (const name of ['__name__', '__file__']) {
      const users = analysis.reads.get(name);
      if (!users) continue;
      const message = `${users.map((u) => `\`${u}\``).join(', ')} read${users.length > 1 ? '' : 's'} \`${name}\`, which is now ${name === '__name__' ? `"${b.module}"` : b.path}`;
      // Same directory: paths built from the file's parent (templates, data files) still resolve.
      const dir = (p: string): string => p.slice(0, Math.max(0, p.lastIndexOf('/')));
      if (name === '__file__' && dir(a.path) === dir(b.path)) ctx.note(`${message} (same directory: paths relative to it are unchanged)`);
      else ctx.warn(message);
    }
    ctx.note(`moved ${movedNames.map((n) => `\`${n}\``).join(', ')} from ${a.path} to ${b.path}${b.file ? '' : ' (new module)'}`);
    if (reexport) ctx.note(`${a.path} re-exports them from ${b.module}`);
  }

  /** Resolves `from`: a project path or a dotted module. */
  private source(value: string): ModuleRef {
    const file = this.lookup(value);
    if (!file) this.fail('module-not-found', 'from', `"${value}" is not a module of the project`);
    if (!file.module) this.fail('not-importable', 'from', `${file.path} has no importable module name`);
    return { path: file.path, module: file.module, isPackage: file.isPackage, file };
  }

  private lookup(value: string): SourceFile | undefined {
    const v = value.replace(/^\.\//, '');
    if (v.endsWith('.py') || v.includes('/')) return this.project.files.get(v);
    return this.project.fileOfModule(v);
  }

  /**
   * Resolves `to`. An existing module is used as is; a new one is created only inside an existing package (a
   * directory with `__init__.py`), in the directory of `from`, or at the root of `from`'s import tree.
   */
  private target(value: string, a: ModuleRef): ModuleRef {
    const existing = this.lookup(value);
    if (existing) {
      if (!existing.module) this.fail('not-importable', 'to', `${existing.path} has no importable module name`);
      if (existing.path === a.path) this.fail('same-module', 'to', `"${value}" is the module the symbols come from`);
      return { path: existing.path, module: existing.module, isPackage: existing.isPackage, file: existing };
    }
    const isPath = value.endsWith('.py') || value.includes('/');
    let path: string;
    let module: string;
    if (isPath) {
      path = value.replace(/^\.\//, '');
      if (!path.endsWith('.py')) this.fail('bad-target', 'to', `"${value}" is not a .py path`);
      const slash = path.lastIndexOf('/');
      const dir = slash === -1 ? '' : path.slice(0, slash);
      const stem = path.slice(slash + 1, -3);
      if (!IDENT.test(stem)) this.fail('bad-target', 'to', `"${stem}" is not a valid module name`);
      if (stem === '__init__') this.fail('no-package', 'to', `${dir || '.'}/ is not a package; create ${path} first`);
      const init = this.project.files.get(dir ? `${dir}/__init__.py` : '__init__.py');
      const aDir = a.path.includes('/') ? a.path.slice(0, a.path.lastIndexOf('/')) : '';
      if (init?.module) module = `${init.module}.${stem}`;
      else if (dir === aDir) module = a.isPackage ? `${a.module}.${stem}` : [...a.module.split('.').slice(0, -1), stem].join('.');
      else if (dir === this.rootOf(a)) module = stem;
      else this.fail('no-package', 'to', `${dir}/ is not a package (no __init__.py); create the package first`);
    } else {
      module = value;
      if (!module.split('.').every((p) => IDENT.test(p))) this.fail('bad-target', 'to', `"${value}" is not a dotted module name`);
      const dot = module.lastIndexOf('.');
      const parent = dot === -1 ? '' : module.slice(0, dot);
      const stem = module.slice(dot + 1);
      if (parent) {
        const pkg = this.project.fileOfModule(parent);
        if (!pkg || !pkg.isPackage) this.fail('no-package', 'to', `package "${parent}" does not exist; create it (with __init__.py) first`);
        path = `${pkg.path.slice(0, -'__init__.py'.length)}${stem}.py`;
      } else {
        const root = this.rootOf(a);
        path = root ? `${root}/${stem}.py` : `${stem}.py`;
      }
    }
    if (path === a.path) this.fail('same-module', 'to', `"${value}" is the module the symbols come from`);
    if (this.project.fileOfModule(module) || this.project.files.has(path)) {
      this.fail('bad-target', 'to', `"${value}" clashes with an existing module or file`);
    }
    return { path, module, isPackage: false, file: null };
  }

  /** Directory that `a`'s dotted name is relative to ('' for the project root). */
  private rootOf(a: ModuleRef): string {
    const dirs = a.path.split('/').slice(0, -1);
    const depth = a.module.split('.').length - (a.isPackage ? 0 : 1);
    return dirs.slice(0, dirs.length - depth).join('/');
  }

  /** Refuses names B already binds, B code that would read moved names before their definitions, alias self-imports. */
  private checkTarget(a: ModuleRef, b: ModuleRef, moved: ReadonlySet<string>, analysis: MoveAnalysis): void {
    for (const copy of analysis.copies) {
      if (copy.name === null || copy.alias === null || copy.alias === copy.name) continue;
      if (this.project.absoluteModule(a.path, copy) === b.module) {
        this.fail('alias-self-import', 'symbols', `the moved code calls \`${copy.name}\` of ${b.path} \`${copy.alias}\`; rename it first`);
      }
    }
    if (!b.file) return;
    const index = this.project.index(b.path);
    const scopes = this.project.scopes(b.path);
    for (const name of moved) {
      const def = index.defs.get(name);
      if (def) this.fail('already-defined', 'symbols', `\`${name}\` is already defined in ${b.path} (line ${def.node.startPosition.row + 1})`);
      const bindings = index.imports.filter((x) => x.topLevel && x.local === name);
      for (const binding of bindings) {
        const r = this.project.resolveImport(b.path, binding);
        if (!(r.kind === 'symbol' && r.module === a.module && binding.name === name)) {
          this.fail('name-taken', 'symbols', `\`${name}\` is already bound in ${b.path} (line ${binding.line})`);
        }
      }
      if (bindings.length === 0 && scopes.moduleBindings().has(name)) this.fail('name-taken', 'symbols', `\`${name}\` is already bound in ${b.path}`);
    }
    // Moved code is appended at the end of B: B's own import-time code must not read it.
    for (const s of statementsOf(this.project, b.path)) {
      for (const part of importTimeParts(s.node)) {
        for (const name of scopes.freeNames(part).keys()) {
          if (moved.has(name)) this.fail('used-at-import', 'symbols', `${b.path} uses \`${name}\` at import time (${s.label}), before the moved code that would be appended`);
        }
      }
    }
  }

  /**
   * Refuses a move whose import edges would close a new import-time cycle. B imports the names staying in A that
   * it reads only in unevaluated annotations under `if TYPE_CHECKING:` when a plain import would close a cycle;
   * returns those names.
   */
  private checkCycles(mc: MoveContext, aNeedsB: boolean): Set<string> {
    const { analysis } = mc;
    const runtimeStays = [...analysis.stays.keys()].filter((n) => !analysis.typeOnly.has(n));
    if (analysis.typeOnly.size === 0 || runtimeStays.length > 0) {
      this.checkCyclesWith(mc, aNeedsB, analysis.stays.size > 0);
      return new Set();
    }
    try {
      this.checkCyclesWith(mc, aNeedsB, true);
      return new Set();
    } catch (e) {
      if (!(e instanceof PlanError)) throw e;
      this.checkCyclesWith(mc, aNeedsB, false);
      return new Set(analysis.typeOnly);
    }
  }

  private checkCyclesWith(mc: MoveContext, aNeedsB: boolean, bNeedsA: boolean): void {
    const { project, a, b, analysis } = mc;
    // The modules whose import-time edges the move changes -> their edges after it.
    const changed = new Map<string, Map<string, number>>();
    const edit = (module: string): Map<string, number> => {
      let edges = changed.get(module);
      if (!edges) changed.set(module, (edges = new Map(project.importsOf(module, { importTimeOnly: true }))));
      return edges;
    };
    const bEdges = edit(b.module);
    if (b.file) {
      // B's imports of the moved names from A are dropped: the edge goes unless B imports something else from A.
      const fromA = project.index(b.path).imports.filter((x) => x.topLevel && !x.typeChecking && project.resolveImport(b.path, x).module === a.module);
      if (fromA.length > 0 && fromA.every((x) => mc.moved.has(x.local) && x.name === x.local)) bEdges.delete(a.module);
    }
    for (const copy of analysis.copies) {
      if (copy.typeChecking) continue;
      const r = project.resolveImport(a.path, copy);
      if ((r.kind === 'module' || r.kind === 'symbol') && r.module !== b.module) bEdges.set(r.module, 0);
    }
    for (const g of analysis.guarded) {
      for (const copy of project.index(a.path).imports.filter((x) => x.guarded && g.startIndex <= x.statement.startIndex && x.statement.endIndex <= g.endIndex)) {
        const r = project.resolveImport(a.path, copy);
        if ((r.kind === 'module' || r.kind === 'symbol') && r.module !== b.module) bEdges.set(r.module, 0);
      }
    }
    if (bNeedsA) bEdges.set(a.module, 0);
    const aEdges = edit(a.module);
    // Imports of A that only the moved code used go away (unless something else keeps them).
    const byTarget = new Map<string, ImportBinding[]>();
    for (const binding of project.index(a.path).imports) {
      if (!binding.topLevel || binding.typeChecking) continue;
      const r = project.resolveImport(a.path, binding);
      if (r.kind !== 'module' && r.kind !== 'symbol') continue;
      byTarget.set(r.module, [...(byTarget.get(r.module) ?? []), binding]);
    }
    for (const [target, bindings] of byTarget) {
      if (bindings.every((x) => this.importGoes(mc, x))) aEdges.delete(target);
    }
    if (aNeedsB) aEdges.set(b.module, 0);
    if (mc.update) {
      for (const name of mc.movedNames) {
        for (const ref of project.references(a.module, name)) {
          if (ref.kind !== 'import' && ref.kind !== 'attribute') continue;
          const file = project.files.get(ref.path);
          if (!file?.module || file.path === a.path || file.path === b.path) continue;
          const binding = project.index(ref.path).imports.find((x) => x.node.startIndex === ref.node.startIndex);
          if (ref.kind === 'import' && (!binding || !binding.topLevel || binding.typeChecking)) continue;
          edit(file.module).set(b.module, 0);
        }
      }
    }
    const cycles = newCycles(project, changed);
    if (cycles.length === 0) return;
    const chain = cycles[0].join(' -> ');
    const needs = [...analysis.stays.keys()].filter((n) => !analysis.typeOnly.has(n));
    if (needs.length > 0 && cycles[0].includes(a.module) && cycles[0].includes(b.module)) {
      const hint = needs.some((n) => project.index(a.path).defs.has(n)) && !(this.params['move-dependencies'] ?? false)
        ? 'add them to symbols or set move-dependencies: true'
        : 'they cannot move (not top-level definitions); move fewer symbols';
      this.fail(
        'import-cycle',
        'symbols',
        `the move would create an import cycle ${chain}: ${b.path} needs ${needs.map((n) => `\`${n}\``).join(', ')} from ${a.path}` +
          `${aNeedsB ? ` while ${a.path} imports from ${b.path}` : ''}; ${hint}`,
      );
    }
    this.fail('import-cycle', 'to', `the move would create an import cycle ${chain}`);
  }

  /** Whether the planner will drop A's import `binding` (only the moved code read it). */
  importGoes(mc: MoveContext, binding: ImportBinding): boolean {
    const { project, a, analysis } = mc;
    if (binding.guarded || binding.module === '__future__' || a.isPackage) return false;
    if (analysis.remainingReads.has(binding.local) || !analysis.reads.has(binding.local)) return false;
    if (project.index(a.path).all?.includes(binding.local)) return false;
    return !project.references(a.module, binding.local).some((r) => r.path !== a.path);
  }

  private checkStarImporters(a: ModuleRef, names: string[]): void {
    for (const [path, file] of this.project.files) {
      for (const binding of this.project.index(path).imports) {
        if (binding.name !== '*' || !file.module) continue;
        if (this.project.absoluteModule(path, binding) !== a.module) continue;
        this.fail('star-importer', 'reexport', `${path}:${binding.line} star-imports ${a.module}, which would lose ${names.map((n) => `\`${n}\``).join(', ')}; keep reexport: true`);
      }
    }
  }

  /** How module `fromRef` should import `target`: relative when `style` says so and possible, else absolute. */
  moduleFor(fromRef: { module: string; isPackage: boolean }, target: string, relative: boolean): { module: string; level: number } {
    if (relative) {
      const rel = relativeFrom(fromRef.module, fromRef.isPackage, target);
      if (rel) return rel;
    }
    return { module: target, level: 0 };
  }

  /**
   * True when `path` imports project modules relatively (its style for new imports). The module-level imports
   * decide; function-level (lazy) imports only when there is no module-level project import.
   */
  usesRelative(path: string): boolean {
    const all = this.project.index(path).imports.filter((b) => b.level > 0 || this.isProjectModule(b.module));
    const top = all.filter((b) => b.topLevel);
    const imports = top.length > 0 ? top : all;
    return imports.some((b) => b.level > 0) && !imports.some((b) => b.level === 0);
  }

  isProjectModule(module: string): boolean {
    const top = module.split('.')[0];
    for (const f of this.project.files.values()) if (f.module && (f.module === top || f.module.startsWith(`${top}.`))) return true;
    return false;
  }

  /** A: remove the moved ranges, re-export, drop imports only the moved code used. */
  private editSource(mc: MoveContext): void {
    const { ctx, a, b, analysis, movedNames, reexport } = mc;
    const text = a.file!.text;
    const relative = this.usesRelative(a.path);
    const target = this.moduleFor(a, b.module, relative);
    const needed = reexport ? movedNames : movedNames.filter((n) => stillImportedByA(analysis, n));
    const kept = reexport ? [] : analysis.registered.filter((n) => !analysis.remainingReads.has(n));
    if (kept.length > 0) {
      ctx.note(
        `${a.path} keeps importing ${kept.map((n) => `\`${n}\``).join(', ')} from ${b.module}: ${kept.length > 1 ? 'their decorators run' : 'its decorator runs'} on import, and importing ${a.module} must still run ${kept.length > 1 ? 'them' : 'it'}`,
      );
    }
    for (const [start, end] of removalRanges(text, analysis.defs, needed.length === 0)) ctx.changes.remove(a.path, start, end, ctx.origin);
    for (const name of needed) ctx.imports.require(a.path, { module: target.module, level: target.level, name });
    for (const binding of this.project.index(a.path).imports) {
      if (binding.topLevel && analysis.reads.has(binding.local)) ctx.imports.removeUnused(a.path, binding.local);
    }
  }

  /** B: imports for the moved code, then the moved text (a new file, or appended after two blank lines). */
  private editTarget(mc: MoveContext): void {
    const { ctx, project, a, b, analysis, moved } = mc;
    const textA = a.file!.text;
    const relative = this.usesRelative(a.path);
    const bRef = { module: b.module, isPackage: b.isPackage };
    if (!b.file) {
      // A new module keeps A's `from __future__` imports: they change how the moved code compiles.
      for (const binding of project.index(a.path).imports) {
        if (binding.module === '__future__' && binding.topLevel && binding.name) ctx.imports.require(b.path, { module: '__future__', name: binding.name });
      }
    } else if (project.index(a.path).imports.some((x) => x.module === '__future__' && x.name === 'annotations') && !project.index(b.path).imports.some((x) => x.module === '__future__' && x.name === 'annotations')) {
      ctx.warn(`${a.path} has \`from __future__ import annotations\` and ${b.path} does not: the moved annotations are now evaluated at definition time`);
    }
    // A new module groups its imports like A does (blank-line separated blocks of A's header).
    const groups = b.file ? null : this.importGroups(a);
    const sectionOf = (node: ImportBinding['statement']): number | undefined => groups?.get(topLevelStatement(node).id);
    const selfAliases = this.selfAliases(mc);
    for (const copy of analysis.copies) {
      if (!selfAliases.includes(copy)) ctx.imports.require(b.path, { ...this.copyRequest(a, bRef, copy), section: sectionOf(copy.statement) });
    }
    const staysFromA = this.moduleFor(bRef, a.module, relative);
    const projectGroup = project.index(a.path).imports.find((x) => x.topLevel && (x.level > 0 || this.isProjectModule(x.module)) && groups?.has(topLevelStatement(x.statement).id));
    const staysSection = projectGroup ? sectionOf(projectGroup.statement) : undefined;
    for (const name of analysis.stays.keys()) {
      const typeChecking = mc.typeCheckingStays.has(name) || undefined;
      ctx.imports.require(b.path, { module: staysFromA.module, level: staysFromA.level, name, section: staysSection, typeChecking });
    }
    if (b.file) {
      for (const name of moved) if (project.index(b.path).imports.some((x) => x.topLevel && x.local === name)) ctx.imports.remove(b.path, name);
    }

    // Definitions separated only by blank lines in A stay a block with A's spacing; blocks get two blank lines.
    const blocks: string[] = [];
    let prevEnd = -1;
    for (const d of analysis.defs) {
      const gap = prevEnd >= 0 && textA.slice(prevEnd, d.start).trim() === '' ? textA.slice(prevEnd, d.start) : null;
      const def = this.selfAliasFree(mc, selfAliases, d);
      if (gap !== null) blocks[blocks.length - 1] += gap + def;
      else blocks.push(def);
      prevEnd = d.end;
    }
    for (const [i, block] of blocks.entries()) blocks[i] = ensureNewline(block);
    const guardedText = analysis.guarded.map((g) => this.retargeted(mc, lineStart(textA, g.startIndex), lineEnd(textA, g.endIndex))).map(ensureNewline);
    const allA = dunderAll(a.file!);
    const exported = allA ? mc.movedNames.filter((n) => allA.entries.some((e) => e.value === n)) : [];
    if (!b.file || b.file.text.trim() === '') {
      const header = ctx.imports.renderNewFile(b.path, b.module, b.isPackage, (m) => this.isProjectModule(m));
      const allLine = exported.length > 0 ? dunderAllLike(textA, allA!.list, exported, allA!.entries[0]?.node.text.startsWith("'") ? "'" : '"') : '';
      const head = [header, guardedText.join('\n')].filter(Boolean).join('\n');
      let out = head;
      if (allLine) out += `${out ? '\n' : ''}${allLine}`;
      out += `${out ? '\n\n' : ''}${blocks.join('\n\n')}`;
      if (b.file) ctx.changes.insert(b.path, 0, out, ctx.origin);
      else ctx.changes.create(b.path, out, ctx.origin);
      return;
    }
    const textB = b.file.text;
    const existingGuards = guardedText.filter((g) => !textB.includes(g.trim()));
    const sep = textB.endsWith('\n') ? '\n\n' : '\n\n\n';
    const body = [...(existingGuards.length > 0 ? [existingGuards.join('\n')] : []), ...blocks].join('\n\n');
    ctx.changes.insert(b.path, textB.length, sep + body, ctx.origin);
  }

  /** Blank-line separated group index of each top-level import statement of A's header (by node id). */
  private importGroups(a: ModuleRef): Map<number, number> {
    const text = a.file!.text;
    const out = new Map<number, number>();
    let group = 0;
    let prev: Node | null = null;
    for (const node of importHeader(a.file!).statements) {
      if (prev && /\n[ \t]*\n/.test(text.slice(prev.endIndex, node.startIndex))) group++;
      out.set(node.id, group);
      prev = node;
    }
    return out;
  }

  /** A's imports the moved code reads that bind module B itself (`from app.core import security` moving into it). */
  private selfAliases(mc: MoveContext): ImportBinding[] {
    const { project, a, b, analysis } = mc;
    if (!b.file) return [];
    return analysis.copies.filter((c) => {
      const r = project.resolveImport(a.path, c);
      return r.kind === 'module' && r.module === b.module;
    });
  }

  /**
   * The text of the moved definition `def` with every `alias.name` through a module alias of B (see
   * {@link selfAliases}) written as `name`: in B the names are its own, and B must not import itself. Refuses an
   * alias used as a value, and a name the definition binds locally (it would shadow B's).
   */
  private selfAliasFree(mc: MoveContext, aliases: ImportBinding[], def: MoveAnalysis['defs'][number]): string {
    const { project, a, b } = mc;
    const text = a.file!.text;
    const edits: [number, number, string][] = this.relativeImportEdits(mc, def.start, def.end);
    if (aliases.length === 0 && edits.length === 0) return text.slice(def.start, def.end);
    const free = project.scopes(a.path).freeNames(def.node);
    for (const alias of aliases) {
      for (const node of free.get(alias.local) ?? []) {
        const parent = node.parent;
        const attr = parent?.type === 'attribute' && parent.childForFieldName('object')?.id === node.id ? parent.childForFieldName('attribute') : null;
        const line = node.startPosition.row + 1;
        if (!attr) {
          this.fail('self-alias', 'symbols', `\`${def.name}\` uses \`${alias.local}\` (${a.path}:${line}), an alias of ${b.module}, as a value; in ${b.path} it would name the module itself; use \`${alias.local}.<name>\` only`);
        }
        const local = def.node.descendantsOfType('identifier').some((id) => id !== null && id.text === attr.text && !(free.get(attr.text) ?? []).some((f) => f.id === id.id) && !isAttributeName(id));
        if (local) this.fail('self-alias', 'symbols', `\`${def.name}\` binds a local \`${attr.text}\` and reads \`${alias.local}.${attr.text}\` (${a.path}:${line}); in ${b.path} both would be \`${attr.text}\`; rename the local first`);
        edits.push([node.startIndex, attr.startIndex, '']);
      }
    }
    return spliced(text, def.start, def.end, edits);
  }

  /** A's text from `start` to `end` with its relative imports re-targeted from B (see {@link relativeImportEdits}). */
  private retargeted(mc: MoveContext, start: number, end: number): string {
    return spliced(mc.a.file!.text, start, end, this.relativeImportEdits(mc, start, end));
  }

  /**
   * Relative imports between `start` and `end` of A (lazy, function-level `from .x import y` in moved code, or in a
   * guarded block copied verbatim) re-targeted from B's location, as `[start, end, text]` edits of their module
   * part: copied verbatim they would name another module once B sits in another package.
   */
  private relativeImportEdits(mc: MoveContext, start: number, end: number): [number, number, string][] {
    const { project, a, b } = mc;
    const edits: [number, number, string][] = [];
    const seen = new Set<number>();
    for (const binding of project.index(a.path).imports) {
      if (binding.level === 0 || seen.has(binding.statement.id)) continue;
      if (binding.statement.startIndex < start || binding.statement.endIndex > end) continue;
      seen.add(binding.statement.id);
      const target = project.absoluteModule(a.path, binding);
      if (target.startsWith('.')) continue;
      const where = this.moduleFor({ module: b.module, isPackage: b.isPackage }, target, true);
      const moduleNode = binding.statement.childForFieldName('module_name');
      const text = `${'.'.repeat(where.level)}${where.module}`;
      if (moduleNode && moduleNode.text !== text) edits.push([moduleNode.startIndex, moduleNode.endIndex, text]);
    }
    return edits;
  }

  /** The request re-creating A's import `copy` in B (relative imports re-targeted from B's location). */
  private copyRequest(a: ModuleRef, b: { module: string; isPackage: boolean }, copy: ImportBinding): ImportRequest {
    const alias = copy.alias ?? undefined;
    const typeChecking = copy.typeChecking || undefined;
    if (copy.name === null) return { module: copy.module, alias, typeChecking };
    if (copy.level === 0) return { module: copy.module, name: copy.name, alias, typeChecking };
    const target = this.project.absoluteModule(a.path, copy);
    const where = this.moduleFor(b, target, true);
    return { module: where.module, level: where.level, name: copy.name, alias, typeChecking };
  }

  /** `__all__`: B lists the moved names A listed; A keeps them only while it re-exports them. */
  private editDunderAll(mc: MoveContext): void {
    const { ctx, a, b, movedNames, reexport } = mc;
    const allA = dunderAll(a.file!);
    if (!allA) return;
    const exported = movedNames.filter((n) => allA.entries.some((e) => e.value === n));
    if (exported.length === 0) return;
    if (!reexport) {
      const nodes = allA.entries.filter((e) => exported.includes(e.value)).map((e) => e.node);
      for (const [start, end, text] of listRemovals(a.file!.text, nodes)) ctx.changes.replace(a.path, start, end, text, ctx.origin);
    }
    if (b.file && b.file.text.trim() !== '') {
      const allB = dunderAll(b.file);
      if (!allB) return;
      const missing = exported.filter((n) => !allB.entries.some((e) => e.value === n));
      if (missing.length === 0) return;
      if (!allB.list) {
        ctx.warn(`${b.path}: \`__all__\` is not a literal list; add ${missing.map((n) => `"${n}"`).join(', ')} by hand`);
        return;
      }
      const { at, text } = listAppend(b.file.text, allB.list, missing);
      ctx.changes.insert(b.path, at, text, ctx.origin);
    }
  }
}

/** `x` in `obj.x` or in `f(x=...)`: a name that is not a variable. */
function isAttributeName(id: Node): boolean {
  const parent = id.parent;
  if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === id.id) return true;
  return parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === id.id;
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** Parts of a statement that run when the module is imported (function bodies excluded; class bodies included). */
function importTimeParts(node: Node): Node[] {
  if (node.type === 'decorated_definition') {
    const decorators = node.namedChildren.filter((c): c is Node => c?.type === 'decorator');
    const inner = node.childForFieldName('definition');
    return [...decorators, ...(inner ? importTimeParts(inner) : [])];
  }
  if (node.type === 'function_definition') return [];
  if (node.type === 'class_definition') {
    const bases = node.childForFieldName('superclasses');
    const body = node.childForFieldName('body');
    return [...(bases ? [bases] : []), ...(body?.namedChildren.filter((c): c is Node => c !== null).flatMap(importTimeParts) ?? [])];
  }
  return [node];
}

/** `text[start, end)` with the `[start, end, replacement]` edits (disjoint, inside the range) applied. */
function spliced(text: string, start: number, end: number, edits: [number, number, string][]): string {
  let out = '';
  let at = start;
  for (const [s, e, replacement] of [...edits].sort((x, y) => x[0] - y[0])) {
    out += text.slice(at, s) + replacement;
    at = e;
  }
  return out + text.slice(at, end);
}
