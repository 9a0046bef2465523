import type { ImportBinding, Node, Project, Reference } from '@remodel/python';
import { editImportNames, type OperationContext } from '@remodel/runtime';
import type { MoveAnalysis } from './analysis.js';
import type { ModuleRef, MovePlan } from './plan.js';
import { lineEnd, lineStart, stringValueRange } from '../shared/text.js';

/** Everything the importer and patch-target rewrites need to know about one move. */
export interface MoveContext {
  plan: MovePlan;
  ctx: OperationContext;
  project: Project;
  a: ModuleRef;
  b: ModuleRef;
  moved: ReadonlySet<string>;
  movedNames: string[];
  analysis: MoveAnalysis;
  reexport: boolean;
  update: boolean;
  /** Names staying in A that B imports under `if TYPE_CHECKING:` (read only in unevaluated annotations). */
  typeCheckingStays: Set<string>;
}

/**
 * Rewrites importers of the moved names across the project (tests included), in place so lazy (function-level) and
 * guarded imports stay where they are: `from A import X` -> `from B import X` (statements importing names that stay
 * are split in two), `alias.X` through a module alias of A -> an alias of B (adding `import B` when needed).
 */
export function updateImporters(mc: MoveContext): void {
  const { project, a, b, ctx } = mc;
  const statements = new Map<number, { path: string; statement: Node; moved: ImportBinding[] }>();
  let files = 0;
  const touched = new Set<string>();
  for (const name of mc.movedNames) {
    for (const ref of project.references(a.module, name)) {
      if (ref.path === a.path) continue;
      if (ref.kind === 'import') {
        const binding = project.index(ref.path).imports.find((x) => x.node.startIndex === ref.node.startIndex);
        if (!binding || binding.name !== name) continue;
        if (ref.path === b.path && binding.topLevel) continue; // B's own `from A import X` is dropped by the planner
        const entry = statements.get(binding.statement.id) ?? { path: ref.path, statement: binding.statement, moved: [] };
        entry.moved.push(binding);
        statements.set(binding.statement.id, entry);
        touched.add(ref.path);
      } else if (ref.kind === 'attribute') {
        rewriteAttribute(mc, ref, name);
        touched.add(ref.path);
      }
    }
  }
  for (const { path, statement, moved } of statements.values()) {
    const file = project.file(path);
    const all = project.index(path).imports.filter((x) => x.statement.id === statement.id);
    const level = all[0]?.level ?? 0;
    const target = level > 0 && file.module ? mc.plan.moduleFor({ module: file.module, isPackage: file.isPackage }, b.module, true) : { module: b.module, level: 0 };
    const moduleText = `${'.'.repeat(target.level)}${target.module}`;
    if (viaPlanner(file.text, statement, all)) {
      // A plain module-level import: the planner puts `from B import X` at its sorted place, or into an existing
      // `from B import ...`, and drops the old statement when nothing is left of it.
      for (const x of moved) {
        ctx.imports.remove(path, x.local);
        ctx.imports.require(path, { module: target.module, level: target.level, name: x.name!, alias: x.alias ?? undefined, after: statement.endIndex });
      }
      continue;
    }
    if (moved.length === all.length) {
      const moduleNode = statement.childForFieldName('module_name')!;
      ctx.changes.replace(path, moduleNode.startIndex, moduleNode.endIndex, moduleText, ctx.origin);
      continue;
    }
    const kept = editImportNames(file.text, statement, new Set(moved.map((x) => x.node.id)), [])!;
    const names = moved.map((x) => x.node.text.replace(/\s+/g, ' ')).join(', ');
    const before = file.text.slice(lineStart(file.text, statement.startIndex), statement.startIndex);
    const sep = before.trim() === '' ? `\n${before}` : '; ';
    ctx.changes.replace(path, statement.startIndex, statement.endIndex, `${kept}${sep}from ${moduleText} import ${names}`, ctx.origin);
  }
  files = touched.size;
  if (files > 0) ctx.note(`updated importers of ${mc.movedNames.map((n) => `\`${n}\``).join(', ')} in ${files} file${files > 1 ? 's' : ''}`);
}

/**
 * Whether an importer's statement is rewritten through the import planner rather than in place: a module-level
 * `from A import ...` outside `if` / `try` blocks, without a comment on its lines (a `# noqa` or `# type: ignore`
 * belongs to that statement, so it is edited where it stands). Lazy, guarded and `TYPE_CHECKING` imports stay put.
 */
function viaPlanner(text: string, statement: Node, bindings: ImportBinding[]): boolean {
  if (statement.parent?.type !== 'module') return false;
  if (bindings.some((x) => !x.topLevel || x.typeChecking || x.guarded || x.name === '*')) return false;
  return !text.slice(lineStart(text, statement.startIndex), lineEnd(text, statement.endIndex)).includes('#');
}

/**
 * Expression that denotes module B inside `path`: an existing alias; else, when `object` (the expression that named
 * A) is a name bound by `from P import a` with B in the same package P, `from P import b` in the same style (relative
 * or not); else `import B`, written out in full.
 */
function accessOf(mc: MoveContext, path: string, object?: Node): string {
  const { project, b } = mc;
  for (const [local, module] of project.moduleAliases(path)) if (module === b.module && local !== b.module.split('.')[0]) return local;
  const dot = b.module.lastIndexOf('.');
  if (object?.type === 'identifier' && dot > 0) {
    const leaf = b.module.slice(dot + 1);
    const binding = project.index(path).imports.find((x) => x.topLevel && !x.typeChecking && x.local === object.text && x.name !== null && x.name !== '*');
    const taken = project.scopes(path).moduleBindings().has(leaf);
    if (binding && !taken && project.absoluteModule(path, binding) === b.module.slice(0, dot)) {
      mc.ctx.imports.require(path, { module: binding.module, level: binding.level, name: leaf });
      return leaf;
    }
  }
  mc.ctx.imports.require(path, { module: b.module });
  return b.module;
}

function rewriteAttribute(mc: MoveContext, ref: Reference, name: string): void {
  const { ctx, b } = mc;
  if (ref.path === b.path) {
    ctx.changes.replace(ref.path, ref.node.startIndex, ref.node.endIndex, name, ctx.origin);
    return;
  }
  const object = ref.node.childForFieldName('object') ?? ref.node.firstNamedChild!;
  ctx.changes.replace(ref.path, object.startIndex, object.endIndex, accessOf(mc, ref.path, object), ctx.origin);
  // The alias of A may now be unused in this file; the planner keeps it if anything else reads it.
  const root = object.type === 'identifier' ? object.text : object.text.split('.')[0];
  ctx.imports.removeUnused(ref.path, root);
}

/**
 * Patch targets (`patch("A.N")`, `monkeypatch.setattr("A.N", ...)`, `patch.object(A, "N")`) patch where a name is
 * looked up. After the move, moved code reads its globals from B. The target is sent to where the code reading `N`
 * now lives: a moved `N` read by moved code or through `A.N` attributes (rewritten to `B.N`) becomes `B.N`, as does
 * `A.N.attr` (the object is shared); a name staying in A but read by moved code becomes `B.N` (B's binding). When
 * readers of `N` end up in both modules, the rewrite is reported with a warning: one target cannot reach both.
 * Without `update-importers`, every target that would stop reaching moved code is reported instead of rewritten.
 */
export function patchTargets(mc: MoveContext): void {
  const { project, a, b, analysis, moved, ctx, update } = mc;
  const candidates = new Set<string>([...mc.movedNames, ...[...analysis.reads.keys()].filter((n) => !moved.has(n))]);
  for (const name of candidates) {
    const all = project.references(a.module, name);
    const refs = all.filter((r) => r.kind === 'string' || r.kind === 'patch-object');
    if (refs.length === 0) continue;
    const isMoved = moved.has(name);
    const external = [...new Set(all.filter((r) => r.kind === 'attribute' && r.path !== a.path && r.path !== b.path).map((r) => r.path))];
    // Who looks `name` up where, once the step is applied.
    const inB = [...(analysis.reads.get(name) ?? []).filter((r) => r !== name), ...(isMoved && update ? external : [])];
    const inA = [...(analysis.remainingReads.get(name) ?? []), ...(isMoved && update ? [] : external)];
    for (const ref of refs) {
      const value = ref.kind === 'string' ? ref.value! : `${a.module}.${name}`;
      const prefix = `${a.module}.${name}`;
      if (ref.kind === 'string' && value !== prefix && !value.startsWith(`${prefix}.`)) continue;
      const rest = ref.kind === 'string' ? value.slice(prefix.length) : '';
      const where = `${ref.path}:${ref.line}`;
      const newValue = `${b.module}.${name}${rest}`;
      // `A.N.attr` patches an attribute of the object itself, shared by A and B: only a moved N changes path.
      if (rest !== '' && !isMoved) continue;
      const toB = rest !== '' || inB.length > 0 || (isMoved && inA.length === 0);
      if (!toB) continue;
      if (!update) {
        if (rest === '' && inB.length > 0) {
          ctx.warn(`${where}: patch target "${value}" no longer reaches ${list(inB)} (moved to ${b.path}); patch "${newValue}" instead (update-importers: true rewrites it)`);
        }
        continue;
      }
      if (ref.kind === 'string') {
        const range = stringValueRange(ref.node, value);
        if (!range) {
          ctx.warn(`${where}: patch target "${value}" is not a plain string; change it to "${newValue}" by hand`);
          continue;
        }
        ctx.changes.replace(ref.path, range[0], range[1], newValue, ctx.origin);
      } else {
        const call = ref.node.parent;
        const object = call?.namedChildren.find((c) => c !== null && c.type !== 'comment');
        if (!object || object.id === ref.node.id) continue;
        ctx.changes.replace(ref.path, object.startIndex, object.endIndex, accessOf(mc, ref.path, object), ctx.origin);
        ctx.imports.removeUnused(ref.path, object.text.split('.')[0]);
      }
      if (rest === '' && inA.length > 0) {
        ctx.warn(
          `${where}: patch target "${value}" now points to ${b.module}.${name}, read by ${list(inB.length > 0 ? inB : [name])}; ` +
            `${list(inA)} still read${inA.length > 1 ? '' : 's'} ${a.module}.${name}, which the patch no longer reaches`,
        );
      }
    }
  }
}

function list(names: string[]): string {
  return names.map((n) => `\`${n}\``).join(', ');
}
