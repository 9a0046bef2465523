import { readConfigFiles } from '../shared/config-files.js';
import type { ImportBinding, Project, SourceFile, TopLevelDef } from '@remodel/python';
import { defineOperation, PlanError } from '@remodel/runtime';
import { removalRanges } from '../shared/text.js';
import { removeSymbolsSchema, type RemoveSymbolsParams } from './schema.js';
import { deadRuns } from './unreachable.js';
import { importBlocker } from './imports.js';
import { definitionBlocker, moduleBindings, usageBlocker } from './usage.js';

export type { RemoveSymbolsParams } from './schema.js';

/**
 * `remove-symbols`: deletes dead code from one module — named top-level functions, classes and constants (with the
 * comments directly above them and their decorators), named unused imports, and, with `unreachable`, statements
 * after a `return`/`raise`/`continue`/`break`. Imports that only the deleted code used go too. Everything else stays
 * byte-identical.
 * Refuses (one-line PlanError) when anything may still use a name: see `usageBlocker`, `definitionBlocker` and
 * `importBlocker` for the list (references, module reads, strings, config files, unresolved `.name` attributes,
 * registering decorators, discoverable classes, import-time effects, `__all__`, guarded/`__future__` imports,
 * side-effect imports of project modules). A missing module, symbol or import refuses too unless `if-present`, which
 * skips it with a note — so a second run of an `if-present` step changes nothing.
 * Does not handle: names used through `globals()`, `importlib` with computed names, or non-Python files other than
 * the config files it reads (templates, docs); unreachable code after `while True:` without `break`.
 */
export const removeSymbols = defineOperation<RemoveSymbolsParams>({
  name: 'remove-symbols',
  description: 'Delete dead top-level functions, classes, constants, unused imports and unreachable statements; refuse when anything may still use them.',
  schema: removeSymbolsSchema as unknown as Record<string, unknown>,
  plan(ctx, params) {
    const tolerant = params['if-present'] ?? false;
    const fail = (code: string, field: string, message: string): never => {
      throw new PlanError(code, `${ctx.origin.codemod}: steps[${ctx.origin.step}].${field}: ${message}`);
    };
    const file = resolve(ctx.project, params.module);
    if (!file) {
      if (tolerant) return ctx.note(`${params.module} is not in the project; nothing to do (if-present)`);
      return fail('module-not-found', 'module', `"${params.module}" is not a module of the project`);
    }
    if (!file.module) fail('module-not-importable', 'module', `${file.path} has no importable dotted name`);
    const index = ctx.project.index(file.path);
    const removed: [number, number][] = [];
    let did = 0;

    // Symbols: all present ones are checked together, so they may use each other.
    const listed = new Set(params.symbols ?? []);
    const defs: TopLevelDef[] = [];
    for (const name of params.symbols ?? []) {
      const def = index.defs.get(name);
      if (def) {
        if (!defs.includes(def)) defs.push(def);
        continue;
      }
      const imported = index.imports.find((b) => b.topLevel && b.local === name);
      if (imported) fail('not-a-definition', 'symbols', `\`${name}\` is imported in ${file.path} (line ${imported.line}), not defined there; list it under imports`);
      const nested = moduleBindings(file.tree.rootNode, name)[0];
      if (nested) fail('conditional-definition', 'symbols', `\`${name}\` is defined inside a block at ${file.path}:${nested.startPosition.row + 1}; remove the block by hand`);
      if (tolerant) ctx.note(`\`${name}\` is not defined in ${file.path}; nothing to do for it (if-present)`);
      else fail('symbol-not-found', 'symbols', `\`${name}\` not found in ${file.path}`);
    }
    for (const d of defs) removed.push([d.start, d.end]);
    const configs = readConfigFiles(ctx.root);
    for (const d of defs) {
      const problem = definitionBlocker(ctx.project, file, d, listed) ?? usageBlocker(ctx.project, file, d.name, removed, configs).blocker;
      if (problem) fail(problem.code, 'symbols', `${problem.reason}; not removing it from ${file.path}`);
    }
    for (const d of defs) {
      for (const where of usageBlocker(ctx.project, file, d.name, removed, configs).comments) ctx.warn(`\`${d.name}\` is mentioned in a comment at ${where}; update the comment`);
      ctx.note(`removed ${d.kind === 'assignment' ? 'constant' : d.kind} \`${d.name}\` from ${file.path} (lines ${lineOf(file, d.start)}-${lineOf(file, d.end - 1)})`);
      did++;
    }

    // Unreachable statements (before imports: a read inside them does not keep an import).
    if (params.unreachable) {
      for (const run of deadRuns(file)) {
        if (removed.some(([s, e]) => s <= run.start && run.end <= e)) continue;
        if (run.keep) {
          ctx.warn(`${file.path}:${run.line}-${run.endLine}: unreachable code after \`${run.after}\` (line ${run.afterLine}) kept: ${run.keep}`);
          continue;
        }
        removed.push([run.start, run.end]);
        ctx.note(`removed unreachable code after \`${run.after}\` in ${file.path} (lines ${run.line}-${run.endLine})`);
        did++;
      }
    }

    // Named imports.
    const dropped = new Set<string>();
    for (const local of params.imports ?? []) {
      const bindings = index.imports.filter((b) => b.topLevel && b.local === local);
      if (bindings.length === 0) {
        if (index.defs.has(local)) fail('not-an-import', 'imports', `\`${local}\` is defined in ${file.path}, not imported; list it under symbols`);
        if (tolerant) ctx.note(`\`${local}\` is not imported in ${file.path}; nothing to do for it (if-present)`);
        else fail('import-not-found', 'imports', `\`${local}\` is not imported at the top level of ${file.path}`);
        continue;
      }
      const problem = importBlocker(ctx.project, file, bindings[0], removed);
      if (problem) fail(problem.code, 'imports', `${problem.reason}; not removing it from ${file.path}`);
      dropped.add(local);
      ctx.note(`removed unused import \`${local}\` from ${file.path} (line ${bindings[0].line})`);
      did++;
    }
    // Imports only the deleted code read.
    for (const b of importsReadBy(ctx.project, file, removed)) {
      if (dropped.has(b.local)) continue;
      const problem = importBlocker(ctx.project, file, b, removed);
      if (problem?.code === 'used-in-module' || problem?.code === 'referenced') continue;
      if (problem) {
        ctx.note(`kept import \`${b.local}\` in ${file.path} although only deleted code read it: ${problem.reason}`);
        continue;
      }
      dropped.add(b.local);
      ctx.note(`removed import \`${b.local}\` from ${file.path}: only the deleted code read it`);
    }

    for (const [s, e] of removalRanges(file.text, removed.map(([start, end]) => ({ start, end })))) ctx.changes.remove(file.path, s, e, ctx.origin);
    for (const local of dropped) ctx.imports.remove(file.path, local);
    if (did === 0) ctx.note(`${file.path}: nothing to do`);
  },
});

export default removeSymbols;

function resolve(project: Project, module: string): SourceFile | undefined {
  if (module.endsWith('.py') || module.includes('/')) return project.files.get(module.replace(/^\.\//, ''));
  return project.fileOfModule(module);
}

function lineOf(file: SourceFile, offset: number): number {
  return file.text.slice(0, offset).split('\n').length;
}

/** Top-level import bindings some code inside `ranges` reads. */
function importsReadBy(project: Project, file: SourceFile, ranges: [number, number][]): ImportBinding[] {
  const reads = project.scopes(file.path).freeNames(file.tree.rootNode);
  const out: ImportBinding[] = [];
  for (const b of project.index(file.path).imports) {
    if (!b.topLevel) continue;
    const nodes = reads.get(b.local) ?? [];
    if (nodes.some((n) => ranges.some(([s, e]) => s <= n.startIndex && n.endIndex <= e))) out.push(b);
  }
  return out;
}

