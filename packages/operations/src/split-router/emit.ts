import type { ImportBinding, Node, Reference } from '@remodel/python';
import { PlanError, type ImportRequest, type OperationContext } from '@remodel/runtime';
import { lineEnd, lineStart, removalRanges } from '../shared/text.js';
import { droppedGuarded, forwarderText, forwardedNames, importHolder, topStatement, type AggregatorFacts, type ForwardMode } from './forward.js';
import type { Group } from './groups.js';
import type { SourceModel, Unit } from './model.js';
import type { Placement, Target } from './placement.js';

interface Replacement {
  start: number;
  end: number;
  text: string;
}

/**
 * Records the split: creates every target module, rewrites the aggregator (moved code removed, sub-routers
 * imported and included in `order`, re-exports for names used elsewhere, unused imports dropped) and rewrites
 * references from other files to names that now have another owner (`mod._state = x`, `patch("mod.name")`).
 * The rest of the module's own API that leaves it (what it defined, what it imported from project modules) stays
 * reachable through it for code outside the project: one table, read by a module `__getattr__` that forwards each
 * name to the module binding it now and by a module `__dir__` that lists it. Stdlib and third-party imports are not
 * forwarded. `__name__`-dependent assignments (loggers) stay in the aggregator, besides their copies in the new modules.
 */
export function emit(ctx: OperationContext, source: SourceModel, placement: Placement, order: Group[]): void {
  const { home, owner } = placement;
  const path = source.file.path;
  const text = source.file.text;
  const removed = new Set<Unit>(source.units.filter((u) => home.get(u)));
  const starts = new Map<Unit, number>();
  for (const u of removed) starts.set(u, movedStart(source, u, removed));

  const copiedImports = new Map<Target, Set<string>>();
  for (const t of placement.targets) {
    const rendered = renderTarget(ctx, source, placement, t, starts);
    ctx.changes.create(t.path, rendered.text, ctx.origin);
    copiedImports.set(t, rendered.imports);
  }

  // The aggregator.
  const ranges = [...removed].map((u) => ({ start: starts.get(u)!, end: u.def.end }));
  for (const [start, end] of removalRanges(text, ranges)) ctx.changes.remove(path, start, end, ctx.origin);
  const byInclusion = [...placement.targets].sort((a, b) => rank(a) - rank(b));
  function rank(t: Target): number {
    return t.group ? order.indexOf(t.group) : order.length;
  }
  const reads = stayingReads(source, placement);
  const imported = new Map<string, Target>();
  for (const name of reads) {
    const unit = source.byName.get(name);
    const at = unit ? home.get(unit) : null;
    if (unit && at && !owner.has(name) && removed.has(unit)) imported.set(name, at);
  }
  for (const [name, at] of reexports(ctx, source, placement, removed)) imported.set(name, at);
  const facts: AggregatorFacts = {
    removed,
    imported: new Set(imported.keys()),
    reads: new Set([...reads].filter((n) => !owner.has(n))),
    copiedImports,
    dunderAll: ctx.project.index(path).all,
    fromProject: new Set(
      [...source.imports].filter(([, bs]) => bs.some((b) => !b.typeChecking && ctx.project.resolveImport(path, b).kind !== 'external')).map(([local]) => local),
    ),
  };
  const forwarded = forwardedNames(source, placement, facts, byInclusion);
  // Modules the aggregator imports at import time anyway; `__getattr__` imports any other one when first asked, so
  // forwarding adds no import-time edge (and so no cycle).
  const eager = new Set(byInclusion.filter((t) => t.kind === 'group' || needsModule(source, placement, t) || [...imported.values()].includes(t)));
  for (const t of byInclusion) if (t.kind === 'group' || needsModule(source, placement, t) || (forwarded.has(t) && eager.has(t))) ctx.imports.require(path, moduleRequest(source, t));
  const routerEnd = lineEnd(text, source.routerUnit.def.node.endIndex);
  const includes = order.map((g) => `${source.router}.include_router(${placement.targets.find((t) => t.group === g)!.stem}.router)\n`).join('');
  ctx.changes.insert(path, routerEnd, includes, ctx.origin);
  for (const u of source.units.filter((x) => !removed.has(x))) rewriteOwned(ctx, source, placement, u.reads);
  for (const o of source.others) rewriteOwned(ctx, source, placement, o.reads);
  for (const [name, at] of imported) ctx.imports.require(path, nameRequest(source, at, name));
  for (const local of source.imports.keys()) {
    // A run-time import no new module took (dead before the split) stays: no other module could forward it.
    const runtime = (source.imports.get(local) ?? []).some((b) => !b.typeChecking);
    if (!runtime || owner.has(local) || importHolder(facts, local, byInclusion)) ctx.imports.removeUnused(path, local);
  }
  for (const stmt of droppedGuarded(source, facts)) {
    let start = lineStart(text, stmt.startIndex);
    while (start > 0 && text.slice(lineStart(text, start - 1), start).trim() === '') start = lineStart(text, start - 1);
    ctx.changes.remove(path, start, lineEnd(text, stmt.endIndex), ctx.origin);
  }
  if (forwarded.size > 0) {
    const blocks = [...forwarded].map(([target, names]) => ({ target, names }));
    const mode: ForwardMode = blocks.every((b) => eager.has(b.target)) ? 'eager' : source.pkg ? 'lazy' : 'lazy-root';
    ctx.changes.insert(path, text.length, forwarderText(blocks, mode, ctx.changes.result(path) ?? ''), ctx.origin);
    ctx.note(`${path}: __getattr__ forwards ${blocks.map((b) => `${b.names.join(', ')} to ${b.target.module}${eager.has(b.target) ? '' : ' (imported on first use)'}`).join('; ')}`);
  }
  rewriteReferences(ctx, source, placement);
  ctx.note(`split ${path}: ${placement.targets.map((t) => `${t.path} (${t.units.length} definitions)`).join(', ')}; include order ${order.map((g) => g.index).join(', ')}`);
}

/** Names the code staying in the aggregator (loggers included) reads. */
function stayingReads(source: SourceModel, placement: Placement): Set<string> {
  const out = new Set<string>();
  for (const u of source.units) if (!placement.home.get(u)) for (const n of u.reads.keys()) out.add(n);
  for (const o of source.others) for (const n of o.reads.keys()) out.add(n);
  return out;
}

/** The aggregator reads a name owned by `t` (so it imports `t` as a module). */
function needsModule(source: SourceModel, placement: Placement, t: Target): boolean {
  const reads = stayingReads(source, placement);
  return [...placement.owner].some(([name, o]) => o === t && reads.has(name));
}

/** Start of a unit's text: its own range, plus comment blocks between it and a previous statement that leaves too. */
function movedStart(source: SourceModel, unit: Unit, removed: Set<Unit>): number {
  const text = source.file.text;
  let start = unit.def.start;
  let commentStart = start;
  let cursor = start;
  while (cursor > 0) {
    const prev = lineStart(text, cursor - 1);
    const line = text.slice(prev, cursor);
    if (line.trim() === '') cursor = prev;
    else if (line.startsWith('#')) commentStart = cursor = prev;
    else break;
  }
  if (commentStart === start) return start;
  const before = source.units.filter((u) => u.def.node.endIndex <= commentStart).sort((a, b) => b.def.node.endIndex - a.def.node.endIndex)[0];
  const otherBefore = source.others.some((o) => o.node.endIndex <= commentStart && (!before || o.node.endIndex > before.def.node.endIndex));
  if (before && removed.has(before) && !otherBefore) start = commentStart;
  return start;
}

/** Import requests of a new module, issued in the order the split module wrote them (then module imports). */
class Requests {
  private readonly list: { key: number; seq: number; request: ImportRequest }[] = [];
  readonly guarded: Node[] = [];
  /** Local names bound at run time by the imports copied from the split module. */
  readonly copied = new Set<string>();

  add(key: number, request: ImportRequest): void {
    this.list.push({ key, seq: this.list.length, request });
  }

  issue(ctx: OperationContext, path: string): void {
    for (const { request } of [...this.list].sort((a, b) => a.key - b.key || a.seq - b.seq)) ctx.imports.require(path, request);
  }
}

const LATE = Number.MAX_SAFE_INTEGER;

/** The text of new module `t`, and the names its copies of the split module's imports bind at run time. */
function renderTarget(ctx: OperationContext, source: SourceModel, placement: Placement, t: Target, starts: Map<Unit, number>): { text: string; imports: Set<string> } {
  const text = source.file.text;
  const reqs = new Requests();
  const bodyUnits = [...t.copies, ...t.units].sort((a, b) => a.def.start - b.def.start);
  const copies = bodyUnits.filter((u) => u.role === 'copy');
  const defs = bodyUnits.filter((u) => u.role !== 'copy');
  for (const u of bodyUnits) {
    for (const name of u.reads.keys()) requireFor(source, placement, t, u, name, reqs);
  }
  for (const [name, o] of placement.owner) {
    if (o === t && source.imports.has(name)) for (const b of source.imports.get(name)!) copyBinding(source, b, reqs);
  }
  // `from __future__ import annotations` changes how the moved code's annotations evaluate: every new module keeps it.
  for (const bindings of source.imports.values()) for (const b of bindings) if (b.module === '__future__' && b.level === 0) copyBinding(source, b, reqs);
  let header = '';
  if (t.kind === 'group') {
    const call = source.routerUnit.def.node.text.match(/=\s*([\w.]+)\s*\(/)?.[1] ?? 'APIRouter';
    for (const b of source.imports.get(call.split('.')[0]) ?? []) copyBinding(source, b, reqs);
    const routeClass = /\broute_class\s*=\s*([\w.]+)/.exec(source.routerUnit.def.node.text)?.[1];
    if (routeClass) {
      const rc = routeClass.split('.')[0];
      if (!source.imports.has(rc)) throw new PlanError('route-class-local', `split-router: route_class=${routeClass} of \`${source.router}\` is defined in ${source.file.path}; move it to its own module first`);
      for (const b of source.imports.get(rc)!) copyBinding(source, b, reqs);
    }
    header = `${source.router} = ${call}(${routeClass ? `route_class=${routeClass}` : ''})\n`;
  }
  reqs.issue(ctx, t.path);
  const imports = formatImports(ctx.imports.renderNewFile(t.path, t.module), source);
  const guardedText = reqs.guarded.sort((a, b) => a.startIndex - b.startIndex).map((n) => `\n${n.text}\n`).join('');
  const pieces = [`"""${t.docstring}"""\n`, `${imports}${guardedText}`];
  const assignments = [header, ...copies.map((u) => unitText(source, placement, t, u, u.def.start))].filter(Boolean).join('');
  if (assignments) pieces.push(assignments);
  let out = pieces.filter((p) => p.trim()).join('\n');
  defs.forEach((u, i) => {
    const start = starts.get(u) ?? u.def.start;
    const prev = defs[i - 1];
    const gap = prev ? text.slice(prev.def.end, start) : '';
    // Units that were neighbours keep their spacing (consecutive assignments stay together).
    out += prev && /^\s*$/.test(gap) ? gap.replace(/^\n*/, (m) => m.slice(0, 2)) : '\n\n';
    out += unitText(source, placement, t, u, start);
  });
  return { text: out, imports: reqs.copied };
}

function requireFor(source: SourceModel, placement: Placement, t: Target, u: Unit, name: string, reqs: Requests): void {
  const o = placement.owner.get(name);
  if (o && o !== t) {
    reqs.add(LATE, moduleRequest(source, o));
    return;
  }
  const unit = source.byName.get(name);
  if (unit) {
    if (unit.role === 'router') {
      if (t.kind !== 'group') throw new PlanError('router-in-helper', `split-router: ${u.def.name} uses \`${source.router}\` but goes to ${t.path}, which has no router`);
      const outsideDecorators = (u.reads.get(name) ?? []).some((n) => !insideDecorator(n));
      if (outsideDecorators) throw new PlanError('router-in-body', `split-router: ${u.def.name} uses \`${source.router}\` in its body; it would refer to the sub-router`);
      return;
    }
    if (unit.role === 'copy') return;
    const at = placement.home.get(unit);
    if (at === t || unit === u) return;
    if (!at) throw new PlanError('internal', `split-router: ${name} stays in ${source.file.path} but ${u.def.name} (moving to ${t.path}) uses it`);
    reqs.add(LATE, nameRequest(source, at, name));
    return;
  }
  const bindings = source.imports.get(name);
  if (bindings) {
    for (const b of bindings) copyBinding(source, b, reqs);
    return;
  }
  if (source.bound.has(name)) {
    throw new PlanError('unsupported-binding', `split-router: ${u.def.name} uses \`${name}\`, bound in ${source.file.path} by a statement split-router does not move`);
  }
}

function insideDecorator(node: Node): boolean {
  for (let cur: Node | null = node; cur; cur = cur.parent) if (cur.type === 'decorator') return true;
  return false;
}

function copyBinding(source: SourceModel, b: ImportBinding, reqs: Requests): void {
  if (b.guarded) {
    const stmt = topStatement(b.statement);
    if (reqs.guarded.some((g) => g.startIndex === stmt.startIndex)) return;
    reqs.guarded.push(stmt);
    for (const [local, bindings] of source.imports) {
      if (bindings.some((x) => !x.typeChecking && stmt.startIndex <= x.statement.startIndex && x.statement.endIndex <= stmt.endIndex)) reqs.copied.add(local);
    }
    return;
  }
  if (!b.typeChecking) reqs.copied.add(b.local);
  if (b.typeChecking) for (const tc of source.imports.get('TYPE_CHECKING') ?? []) if (!tc.typeChecking) copyBinding(source, tc, reqs);
  const request: ImportRequest = { module: b.module, level: b.level, typeChecking: b.typeChecking };
  if (b.name !== null) request.name = b.name;
  if (b.alias !== null) request.alias = b.alias;
  reqs.add(b.node.startIndex, request);
}

/** `from <pkg> import <stem>` (or `from . import <stem>` in relative style). */
function moduleRequest(source: SourceModel, t: Target): ImportRequest {
  if (source.relativeStyle) return { module: '', level: 1, name: t.stem };
  return source.pkg ? { module: source.pkg, name: t.stem } : { module: t.stem };
}

/** `from <pkg>.<stem> import <name>` (or `from .<stem> import <name>`). */
function nameRequest(source: SourceModel, t: Target, name: string): ImportRequest {
  return source.relativeStyle ? { module: t.stem, level: 1, name } : { module: t.module, name };
}

/** Text of a unit for module `t`: reads of names owned elsewhere become `<owner>.<name>`. */
function unitText(source: SourceModel, placement: Placement, t: Target, u: Unit, start: number): string {
  const text = source.file.text;
  const reps: Replacement[] = [];
  for (const [name, nodes] of u.reads) {
    const o = placement.owner.get(name);
    if (!o || o === t) continue;
    for (const n of nodes) reps.push(ownedAccess(source, n, name, o, u));
  }
  reps.sort((a, b) => a.start - b.start);
  let out = '';
  let pos = start;
  for (const r of reps) {
    out += text.slice(pos, r.start) + r.text;
    pos = r.end;
  }
  out += text.slice(pos, u.def.end);
  return `${out.replace(/^\n+/, '').replace(/\n*$/, '')}\n`;
}

function ownedAccess(source: SourceModel, n: Node, name: string, o: Target, u: Unit | null): Replacement {
  if (source.file.text.slice(n.startIndex, n.endIndex) !== name) {
    throw new PlanError('owned-in-string', `split-router: ${u?.def.name ?? source.file.path}: \`${name}\` is used where it cannot be rewritten to ${o.stem}.${name} (line ${n.startPosition.row + 1})`);
  }
  for (let cur = n.parent; cur; cur = cur.parent) {
    if (cur.type === 'global_statement' || cur.type === 'nonlocal_statement') {
      throw new PlanError('global-outside-owner', `split-router: ${u?.def.name ?? 'module code'} rebinds \`${name}\` through global but ${o.path} owns it; move that function to the state module`);
    }
  }
  return { start: n.startIndex, end: n.endIndex, text: `${o.stem}.${name}` };
}

/** Staying code (aggregator) reading owned names: rewritten in place to `<owner>.<name>`. */
function rewriteOwned(ctx: OperationContext, source: SourceModel, placement: Placement, reads: Map<string, Node[]>): void {
  for (const [name, nodes] of reads) {
    const o = placement.owner.get(name);
    if (!o) continue;
    ctx.imports.require(source.file.path, moduleRequest(source, o));
    for (const n of nodes) {
      const r = ownedAccess(source, n, name, o, null);
      ctx.changes.replace(source.file.path, r.start, r.end, r.text, ctx.origin);
    }
  }
}

/**
 * Names other code imports or reaches through the aggregator (`from routes import X`, `routes.X`, patch targets
 * below X, `__all__`) that moved: the aggregator imports each back from its new module, by name.
 */
function reexports(ctx: OperationContext, source: SourceModel, placement: Placement, removed: Set<Unit>): Map<string, Target> {
  const out = new Map<string, Target>();
  const listed = ctx.project.index(source.file.path).all ?? [];
  for (const name of new Set([...source.refs.keys(), ...listed])) {
    const unit = source.byName.get(name);
    if (!unit || !removed.has(unit) || placement.owner.has(name)) continue;
    const at = placement.home.get(unit);
    if (at) out.set(name, at);
  }
  if (out.size > 0) ctx.note(`${source.file.path} re-exports ${[...out.keys()].sort().join(', ')}`);
  return out;
}

/** References from other files to names with a new owner now point at the owner. */
function rewriteReferences(ctx: OperationContext, source: SourceModel, placement: Placement): void {
  for (const [name, o] of placement.owner) {
    for (const r of source.refs.get(name) ?? []) rewriteReference(ctx, source, o, name, r);
  }
}

function rewriteReference(ctx: OperationContext, source: SourceModel, o: Target, name: string, r: Reference): void {
  switch (r.kind) {
    case 'string': {
      const value = r.value ?? '';
      const prefix = `${source.module}.${name}`;
      if (value !== prefix && !value.startsWith(`${prefix}.`)) return;
      const content = r.node.namedChildren.find((c) => c?.type === 'string_content');
      if (!content || content.text !== value) {
        ctx.warn(`${r.path}:${r.line}: cannot rewrite "${value}" to ${o.module}.${name}`);
        return;
      }
      ctx.changes.replace(r.path, content.startIndex, content.endIndex, `${o.module}${value.slice(source.module.length)}`, ctx.origin);
      ctx.note(`${r.path}:${r.line}: "${value}" -> "${o.module}${value.slice(source.module.length)}"`);
      return;
    }
    case 'attribute': {
      const local = ownerLocal(ctx, source, o, r.path);
      ctx.changes.replace(r.path, r.node.startIndex, r.node.endIndex, `${local}.${name}`, ctx.origin);
      return;
    }
    case 'patch-object': {
      const args = r.node.parent;
      const target = args?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment')[0];
      if (!target || target.startIndex === r.node.startIndex) return;
      const local = ownerLocal(ctx, source, o, r.path);
      ctx.changes.replace(r.path, target.startIndex, target.endIndex, local, ctx.origin);
      return;
    }
    case 'import': {
      const binding = ctx.project.index(r.path).imports.find((b) => b.node.startIndex === r.node.startIndex);
      if (!binding) return;
      if (binding.topLevel) {
        ctx.imports.remove(r.path, binding.local);
        const request: ImportRequest = { module: o.module, name };
        if (binding.alias) request.alias = binding.alias;
        ctx.imports.require(r.path, request);
      } else {
        const moduleNode = binding.statement.childForFieldName('module_name');
        const names = binding.statement.namedChildren.filter((c) => c && c.startIndex > (moduleNode?.endIndex ?? 0));
        if (!moduleNode || names.length !== 1) {
          ctx.warn(`${r.path}:${r.line}: \`from ${source.module} import ${name}\` inside a function still imports the old, frozen value; import it from ${o.module}`);
          return;
        }
        ctx.changes.replace(r.path, moduleNode.startIndex, moduleNode.endIndex, o.module, ctx.origin);
      }
      return;
    }
    default:
  }
}

/** The local name under which `path` will reach the owner module (imports it when needed). */
function ownerLocal(ctx: OperationContext, source: SourceModel, o: Target, path: string): string {
  const pkg = source.pkg;
  ctx.imports.require(path, pkg ? { module: pkg, name: o.stem } : { module: o.stem });
  return o.stem;
}

/**
 * Lays out the import lines of a new module like the split module's header: a blank line wherever the module
 * the line imports from sat in another blank-line-separated block of the source (stdlib / third party / project),
 * and `from m import (...)` wrapped one name per line past 88 columns, as black does.
 */
function formatImports(rendered: string, source: SourceModel): string {
  const text = source.file.text;
  const statements = source.file.tree.rootNode.namedChildren.filter(
    (n): n is Node => !!n && (n.type === 'import_statement' || n.type === 'import_from_statement' || n.type === 'future_import_statement'),
  );
  const blocks: { module: string; block: number }[] = [];
  let block = 0;
  statements.forEach((st, i) => {
    if (i > 0 && /\n[ \t]*\n/.test(text.slice(statements[i - 1].endIndex, st.startIndex))) block++;
    const m = /^(?:from\s+(\S+)\s+import|import\s+([\w.]+))/.exec(st.text);
    blocks.push({ module: m?.[1] ?? m?.[2] ?? '', block });
  });
  const blockOf = (module: string): number => {
    const exact = blocks.find((b) => b.module === module);
    if (exact) return exact.block;
    let best = -1;
    let bestLen = 0;
    for (const b of blocks) {
      const a = b.module.split('.');
      const c = module.split('.');
      let n = 0;
      while (n < a.length && n < c.length && a[n] === c[n] && a[n] !== '') n++;
      if (n > bestLen) [best, bestLen] = [b.block, n];
    }
    return best >= 0 ? best : block + 1;
  };
  let out = '';
  let prev: number | null = null;
  for (const line of rendered.split('\n').filter((l) => l.length > 0)) {
    const m = /^(?:from\s+(\S+)\s+import|import\s+([\w.]+))/.exec(line);
    const continuation = /^[\s)]/.test(line);
    const b: number = m ? blockOf(m[1] ?? m[2]) : continuation ? (prev ?? 0) : -1;
    if (prev !== null && b !== prev && !continuation) out += '\n';
    prev = b;
    const wrap = /^(from\s+\S+\s+import\s+)(.+)$/.exec(line);
    if (line.length > 88 && wrap && !wrap[2].startsWith('(')) {
      out += `${wrap[1]}(\n${wrap[2].split(/,\s*/).map((n) => `    ${n},\n`).join('')})\n`;
    } else out += `${line}\n`;
  }
  return out;
}
