import type { Node, Project, SourceFile } from '@remodel/python';
import { defineOperation, type ImportRequest, type OperationContext } from '@remodel/runtime';
import { checkClassBodyNames, checkDelegateInit, checkMovable } from './checks.js';
import type { BodyStatement, ClassModel } from './class-model.js';
import { planDelegate, stubFor, type DelegatePlan } from './delegate.js';
import { planDependencies, type Dependencies } from './dependencies.js';
import { alreadyExtracted, bindMembers, initOf, refuse, resolveClass, resolveGroups, resolveSource, type Group } from './groups.js';
import { retargetEdits } from './patches.js';
import { classText, constructionLine, definitionsText, memberText, moduleText, unitOf } from './render.js';
import { extractMembersSchema, type ExtractMembersParams } from './schema.js';
import { lineEnd, lineStart } from '../shared/text.js';
import { indentAt, nextContentLine, previousContentLineEnd, type LocalEdit } from './text.js';

/**
 * `extract-members`: moves members of a class into new classes in other modules, as mixins the class inherits from
 * or as collaborators it builds in `__init__` and delegates to. The class keeps its name, module and API; code that
 * imports or patches the source module keeps working (see `planDependencies`). Refuses (PlanError) instead of
 * guessing: name mangling, `super()` whose lookup would change, class-body names out of reach, unknown members,
 * import-time cycles, star imports. Running it again on its own result changes nothing.
 */
export default defineOperation<ExtractMembersParams>({
  name: 'extract-members',
  description: 'Split a class: move groups of members into mixins or delegated collaborators in other modules.',
  schema: extractMembersSchema as unknown as Record<string, unknown>,
  plan(ctx, params) {
    const { project } = ctx;
    const source = resolveSource(project, params.module);
    const model = resolveClass(project, source, params.class);
    const all = resolveGroups(project, source, params);
    const groups = all.filter((g) => {
      if (!alreadyExtracted(project, model, g)) return true;
      ctx.note(`${g.name} is already extracted into ${g.path}; nothing to do for groups[${g.index}]`);
      return false;
    });
    if (groups.length === 0) return;
    bindMembers(model, groups, source.path);
    checkMovable(model, groups);
    checkClassBodyNames(model, groups);
    checkDelegateInit(model, groups);
    const deps = planDependencies(project, source, groups);
    checkCycles(project, source, groups, deps);
    const delegates = new Map<Group, DelegatePlan>();
    for (const g of groups) if (g.style === 'delegate') delegates.set(g, planDelegate(project, source.path, source.text, model, g));
    warnNewInstances(project, model, delegates, ctx);

    writeTargets(ctx, source, model, groups, deps, delegates);
    editSource(ctx, source, model, groups, deps, delegates);
    for (const { ref, to } of deps.retargets) {
      for (const e of retargetEdits(ref, to)) ctx.changes.replace(ref.path, e.start, e.end, e.text, ctx.origin);
    }
    for (const g of groups) {
      const why = g.spec.rationale ? `: ${g.spec.rationale.trim()}` : '';
      ctx.note(`${g.style} ${g.name} (${g.module}) takes ${g.spec.members.map((m) => `\`${m}\``).join(', ')} from ${model.name}${why}`);
      for (const line of delegates.get(g)?.notes ?? []) ctx.note(line);
    }
    for (const line of deps.notes) ctx.note(line);
  },
});

/**
 * Refuses when a new module would reach the source module through import-time imports (the source imports the new
 * module, so that would be a cycle). Walks backwards from the source through `Project.importersOf` (which reads only
 * the files whose import statements may name the module at hand).
 */
function checkCycles(project: Project, source: SourceFile, groups: Group[], deps: Dependencies): void {
  const target = source.module!;
  const next = new Map<string, string | null>([[target, null]]);
  const queue = [target];
  while (queue.length > 0) {
    const m = queue.shift()!;
    for (const importer of project.importersOf(m)) {
      if (next.has(importer)) continue;
      next.set(importer, m);
      queue.push(importer);
    }
  }
  for (const g of groups) {
    for (const { request: r } of deps.needs.get(g)!.imports) {
      if (r.typeChecking) continue;
      const module = absolute(g.module, r);
      const sub = r.name ? `${module}.${r.name}` : module;
      const start = project.fileOfModule(sub) ? sub : module;
      if (!next.has(start)) continue;
      const chain: string[] = [];
      for (let cur: string | null = start; cur; cur = next.get(cur) ?? null) chain.push(cur);
      refuse('import-cycle', `groups[${g.index}]: ${g.module} would import ${chain.join(' -> ')} at import time, and ${target} imports ${g.module}: an import cycle`);
    }
  }
}

function absolute(fromModule: string, r: ImportRequest): string {
  const level = r.level ?? 0;
  if (level === 0) return r.module;
  const parts = fromModule.split('.').slice(0, -1);
  const base = parts.slice(0, parts.length - (level - 1));
  return [...base, ...(r.module ? [r.module] : [])].join('.');
}

function warnNewInstances(project: Project, model: ClassModel, delegates: Map<Group, DelegatePlan>, ctx: OperationContext): void {
  if (delegates.size === 0) return;
  const needle = `${model.name}.__new__(`;
  for (const file of project.files.values()) {
    const at = file.text.indexOf(needle);
    if (at === -1) continue;
    const line = file.text.slice(0, at).split('\n').length;
    const names = [...delegates.keys()].map((g) => g.name).join(', ');
    ctx.warn(`${file.path}:${line} builds ${model.name} without __init__; its delegated members would fail there (no ${names})`);
  }
}

/** Creates (or extends) each target module. */
function writeTargets(
  ctx: OperationContext,
  source: SourceFile,
  model: ClassModel,
  groups: Group[],
  deps: Dependencies,
  delegates: Map<Group, DelegatePlan>,
): void {
  const futures = ctx.project.index(source.path).imports.filter((b) => b.module === '__future__' && b.name);
  const byPath = new Map<string, Group[]>();
  for (const g of groups) byPath.set(g.path, [...(byPath.get(g.path) ?? []), g]);
  for (const [path, list] of byPath) {
    const existing = ctx.project.files.get(path);
    const indent = existing ? (detectIndent(existing) ?? model.indent) : model.indent;
    const classes = list.map((g) => {
      const plan = delegates.get(g) ?? null;
      const needs = deps.needs.get(g)!;
      const members = g.statements.map((s, i) => {
        const prev = g.statements[i - 1];
        const tight = !!prev && prev.index + 1 === s.index && prev.end === s.start;
        const text = memberText(source, s, plan?.edits.get(s) ?? [], needs.lazy.get(s), model.indent, indent);
        return { text, tight, attribute: s.kind === 'attribute' };
      });
      return classText(g, model, members, indent, plan);
    });
    const defs = list.flatMap((g) => [...deps.needs.get(g)!.copied, ...deps.needs.get(g)!.moved]);
    const constants = definitionsText(source, defs);
    const wanted = [
      ...futures.map((f) => ({ request: { module: '__future__', name: f.name!, level: 0 }, at: f.statement.startIndex })),
      ...list.flatMap((g) => deps.needs.get(g)!.imports),
    ].sort((a, b) => a.at - b.at);
    if (!existing) {
      // One block per blank-line-separated paragraph of the source's imports (stdlib / third party / project).
      for (const w of wanted) ctx.imports.require(path, { ...w.request, section: paragraphOf(source.text, w.at) });
      const imports = ctx.imports.renderNewFile(path, list[0].module);
      const doc = `${list.map((g) => g.name).join(', ')}: members of ${model.name} (${source.module}).`;
      ctx.changes.create(path, moduleText(doc, imports, constants, classes), ctx.origin);
      continue;
    }
    for (const w of wanted) ctx.imports.require(path, w.request);
    for (const g of list) {
      if (ctx.project.index(path).defs.has(g.name)) refuse('name-taken', `groups[${g.index}].name: "${g.name}" is already bound in ${path}`);
    }
    const text = existing.text;
    const lead = text.length === 0 || text.endsWith('\n') ? '' : '\n';
    const body = (constants ? `\n\n${constants}` : '') + classes.map((c) => `\n\n${c}`).join('');
    ctx.changes.insert(path, text.length, lead + body, ctx.origin);
  }
}

/** Number of blank-line breaks between the first import of the source and offset `at`. */
function paragraphOf(text: string, at: number): number {
  const first = /^(from|import)\s/m.exec(text);
  if (!first || first.index >= at) return 0;
  return (text.slice(first.index, at).match(/\n[ \t]*\n/g) ?? []).length;
}

function detectIndent(file: SourceFile): string | null {
  const m = /\n([ \t]+)\S/.exec(file.text);
  return m ? m[1] : null;
}

/** Edits of the source module: members removed or replaced by delegating members, bases, `__init__`, imports. */
function editSource(
  ctx: OperationContext,
  source: SourceFile,
  model: ClassModel,
  groups: Group[],
  deps: Dependencies,
  delegates: Map<Group, DelegatePlan>,
): void {
  const text = source.text;
  const path = source.path;
  const unit = unitOf(model.indent);
  const groupOf = new Map<BodyStatement, Group>();
  for (const g of groups) for (const s of g.statements) groupOf.set(s, g);

  const removals: LocalEdit[] = [];
  const stmts = model.statements;
  for (const [i, s] of stmts.entries()) {
    const g = groupOf.get(s);
    if (!g) continue;
    if (g.style === 'delegate') {
      const stub = s.def ? stubFor(text, s, g, unit) : s.names.map((n) => `${indentAt(text, s.node.startIndex)}${n} = ${g.name}.${n}\n`).join('');
      ctx.changes.replace(path, s.start, s.end, stub, ctx.origin);
      continue;
    }
    if (i < stmts.length - 1) removals.push({ start: s.start, end: nextContentLine(text, s.end), text: '' });
    else removals.push({ start: previousContentLineEnd(text, s.start), end: s.end, text: '' });
  }
  const kept = stmts.filter((s) => !groupOf.has(s) || groupOf.get(s)!.style === 'delegate');
  if (kept.length === 0 && !model.docstring) {
    ctx.changes.replace(path, lineStart(text, stmts[0].start), stmts[stmts.length - 1].end, `${model.indent}pass\n`, ctx.origin);
  } else {
    for (const r of mergeRanges(removals)) ctx.changes.remove(path, r.start, r.end, ctx.origin);
  }

  const mixins = groups.filter((g) => g.style === 'mixin').map((g) => g.name);
  if (mixins.length > 0) {
    const bases = model.node.childForFieldName('superclasses');
    const nameNode = model.node.childForFieldName('type_parameters') ?? model.node.childForFieldName('name')!;
    const old = bases ? bases.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment').map((c) => c.text) : [];
    const colon = model.node.children.find((c) => c?.type === ':')!;
    const header = text.slice(lineStart(text, model.node.startIndex), nameNode.endIndex) + `(${[...mixins, ...old].join(', ')})` + text.slice(colon.startIndex, lineEnd(text, colon.endIndex)).replace(/\n$/, '');
    const oneLine = !bases || !bases.text.includes('\n');
    if (header.length > 88 && oneLine && !bases?.text.includes('#')) {
      // Too long for one line: one base per line, like black.
      const inner = indentAt(text, model.node.startIndex) + unit;
      const list = [...mixins, ...old].map((b) => `${inner}${b},`).join('\n');
      ctx.changes.replace(path, nameNode.endIndex, bases ? bases.endIndex : nameNode.endIndex, `(\n${list}\n${indentAt(text, model.node.startIndex)})`, ctx.origin);
    } else if (!bases) {
      const after = model.node.childForFieldName('type_parameters') ?? model.node.childForFieldName('name')!;
      ctx.changes.insert(path, after.endIndex, `(${mixins.join(', ')})`, ctx.origin);
    } else {
      const open = bases.children.find((c) => c?.type === '(')!;
      const hasArgs = bases.namedChildren.some((c) => c !== null && c.type !== 'comment');
      ctx.changes.insert(path, open.endIndex, hasArgs ? `${mixins.join(', ')}, ` : mixins.join(', '), ctx.origin);
    }
  }

  const init = initOf(model);
  if (delegates.size > 0 && init?.def) {
    const body = init.def.childForFieldName('body')!;
    const last = body.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment').pop()!;
    const indent = indentAt(text, last.startIndex);
    const at = lineEnd(text, last.endIndex);
    for (const [g, plan] of delegates) ctx.changes.insert(path, at, constructionLine(g, plan, indent, unit), ctx.origin);
  }

  for (const g of groups) ctx.imports.require(path, { ...importStyle(ctx.project, source, g), name: g.name });
  const moved: LocalEdit[] = [];
  for (const g of groups) {
    const needs = deps.needs.get(g)!;
    const relative = importStyle(ctx.project, source, g);
    for (const d of needs.moved) {
      moved.push({ start: d.start, end: d.end, text: '' });
      ctx.imports.require(path, { ...relative, name: d.name });
    }
  }
  for (const r of mergeRanges(moved)) removeDefinition(ctx, source, r.start, r.end);
  for (const local of deps.sourceImports) ctx.imports.remove(path, local);
}

/** `from .sibling import X` when the source already imports siblings relatively, else absolute. */
function importStyle(project: Project, source: SourceFile, g: Group): { module: string; level: number } {
  const pkg = source.module!.split('.').slice(0, -1).join('.');
  const targetPkg = g.module.split('.').slice(0, -1).join('.');
  const relative = project.index(source.path).imports.some((b) => b.topLevel && b.level === 1);
  if (relative && pkg === targetPkg && pkg !== '' && !source.isPackage) return { module: g.module.slice(pkg.length + 1), level: 1 };
  return { module: g.module, level: 0 };
}

function removeDefinition(ctx: OperationContext, source: SourceFile, start: number, end: number): void {
  const text = source.text;
  const before = start === 0 || text.slice(lineStart(text, start - 1), start).trim() === '';
  const after = end >= text.length || text.slice(end, lineEnd(text, end)).trim() === '';
  const stop = before && after && end < text.length ? lineEnd(text, end) : end;
  ctx.changes.remove(source.path, start, stop, ctx.origin);
}

function mergeRanges(ranges: LocalEdit[]): LocalEdit[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: LocalEdit[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}
