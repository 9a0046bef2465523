import type { Node, Project, SourceFile } from '@remodel/python';
import { defineOperation, PlanError, type OperationContext } from '@remodel/runtime';
import { lineStart } from '../shared/text.js';
import { wildcardRegExp } from '../shared/wildcards.js';
import { cloneSet, memberOf, type CloneSet, type Member } from './clones.js';
import { extractSharedHelperSchema, type ExtractSharedHelperParams, type SharedHelperSpec } from './schema.js';

function resolveFile(project: Project, value: string, field: string): SourceFile {
  const file = value.endsWith('.py') ? project.files.get(value) : project.fileOfModule(value);
  if (!file) throw new PlanError('no-module', `extract-shared-helper: ${field}: no module ${value} in the project`);
  return file;
}

/** Every `function` and `Class.method` of a module (top level and one class level), with its node. */
function functionsOf(file: SourceFile): Map<string, Node> {
  const out = new Map<string, Node>();
  const unwrap = (n: Node): Node => (n.type === 'decorated_definition' ? n.childForFieldName('definition')! : n);
  for (const stmt of file.tree.rootNode.namedChildren) {
    if (!stmt) continue;
    const def = unwrap(stmt);
    const name = def.childForFieldName('name')?.text;
    if (!name) continue;
    if (def.type === 'function_definition') out.set(name, stmt);
    if (def.type !== 'class_definition') continue;
    for (const member of def.childForFieldName('body')?.namedChildren ?? []) {
      if (!member) continue;
      const m = unwrap(member);
      const mname = m.childForFieldName('name')?.text;
      if (m.type === 'function_definition' && mname) out.set(`${name}.${mname}`, member);
    }
  }
  return out;
}

function select(file: SourceFile, spec: SharedHelperSpec, index: number): Member[] {
  const all = functionsOf(file);
  let names: string[];
  if (spec.functions) {
    for (const n of spec.functions) {
      if (!all.has(n)) throw new PlanError('unknown-function', `extract-shared-helper: helpers[${index}].functions: "${n}" is not a function or method of ${file.path}`);
    }
    names = spec.functions;
  } else {
    const re = wildcardRegExp(spec.match!, false);
    names = [...all.keys()].filter((n) => re.test(n));
    if (names.length < 2) throw new PlanError('too-few-matches', `extract-shared-helper: helpers[${index}].match "${spec.match}" selects ${names.length} function(s) in ${file.path}; need at least 2`);
  }
  return names.map((n) => memberOf(n, all.get(n)!)).sort((a, b) => a.fn.startIndex - b.fn.startIndex);
}

/** The helper's body is already what each member calls (a previous run): nothing to do. */
function alreadyExtracted(file: SourceFile, members: Member[], name: string): boolean {
  const defined = file.tree.rootNode.namedChildren.some((s) => s?.type === 'function_definition' && s.childForFieldName('name')?.text === name);
  if (!defined) return false;
  return members.every((m) => m.statements.length === 1 && new RegExp(`^return\\s+(await\\s+)?${name}\\(`).test(m.statements[0].text));
}

/**
 * Text of the body of `m` (statements after the docstring) re-indented to `indent`, with `replace` applied
 * (literal node -> text). Lines inside multi-line string literals keep their text.
 */
function bodyText(file: SourceFile, m: Member, indent: string, replace: Map<number, string>, literals: Node[]): string {
  const text = file.text;
  const start = lineStart(text, m.statements[0].startIndex);
  const end = m.block.endIndex;
  const prefix = text.slice(start, m.statements[0].startIndex);
  const protectedRanges = stringRanges(m.block).filter((r) => !literals.some((l) => l.startIndex === r[0] && replace.has(l.startIndex)));
  const edits: [number, number, string][] = [];
  for (let pos = start; pos < end; pos = text.indexOf('\n', pos) + 1 || end) {
    if (protectedRanges.some(([s, e]) => s < pos && pos < e)) continue;
    const line = text.slice(pos, text.indexOf('\n', pos) === -1 ? end : text.indexOf('\n', pos));
    if (line.trim() === '') continue;
    if (line.startsWith(prefix)) edits.push([pos, pos + prefix.length, indent]);
    else throw new PlanError('indentation', `extract-shared-helper: ${m.qualname}: inconsistent indentation at line ${text.slice(0, pos).split('\n').length}`);
  }
  for (const l of literals) if (replace.has(l.startIndex)) edits.push([l.startIndex, l.endIndex, replace.get(l.startIndex)!]);
  edits.sort((a, b) => a[0] - b[0]);
  let out = '';
  let cur = start;
  for (const [s, e, t] of edits) {
    out += text.slice(cur, s) + t;
    cur = e;
  }
  return `${out}${text.slice(cur, end)}\n`;
}

/** One indentation level as the member's file writes it (four spaces, two, a tab...). */
function indentUnit(file: SourceFile, m: Member): string {
  const text = file.text;
  const body = text.slice(lineStart(text, m.statements[0].startIndex), m.statements[0].startIndex);
  const def = text.slice(lineStart(text, m.fn.startIndex), m.fn.startIndex);
  return body.startsWith(def) && body.length > def.length ? body.slice(def.length) : '    ';
}

function stringRanges(node: Node): [number, number][] {
  const out: [number, number][] = [];
  const visit = (n: Node): void => {
    if (n.type === 'string') {
      if (n.text.includes('\n')) out.push([n.startIndex, n.endIndex]);
      return;
    }
    for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(node);
  return out;
}

/**
 * `head + args + tail` as one line when it fits in 88 columns after `indent`, else black's layouts: the arguments
 * on one indented line, or one per line with a trailing comma. Returns the text without the leading indent.
 */
export function wrapCall(indent: string, head: string, args: string[], tail: string): string {
  const flat = `${head}${args.join(', ')}${tail}`;
  if (indent.length + flat.length <= 88 && !flat.includes('\n')) return flat;
  const inner = `${indent}    `;
  const joined = args.join(', ');
  if (inner.length + joined.length <= 88 && !joined.includes('\n')) return `${head}\n${inner}${joined}\n${indent}${tail}`;
  return `${head}\n${args.map((a) => `${inner}${a},\n`).join('')}${indent}${tail}`;
}

function renderParam(m: Member, i: number): string {
  const p = m.params[i];
  if (p.kind === 'star') return `*${p.name}`;
  if (p.kind === 'double-star') return `**${p.name}`;
  return p.name;
}

function planHelper(ctx: OperationContext, file: SourceFile, spec: SharedHelperSpec, index: number, members: Member[], anchor: number): void {
  const set: CloneSet = cloneSet(ctx.project, file.path, members, spec.parameters);
  const [first] = members;
  if (ctx.project.scopes(file.path).moduleBindings().has(spec.name)) {
    throw new PlanError('helper-name-taken', `extract-shared-helper: helpers[${index}].name: \`${spec.name}\` is already bound in ${file.path}`);
  }
  const slotOf = (k: number): string | undefined => set.slots.find((s) => s.positions.includes(k))?.name;
  const replace = new Map<number, string>();
  set.literals[0].forEach((lit, k) => {
    const name = slotOf(k);
    if (name) replace.set(lit.startIndex, name);
  });
  const params = [...set.usedParams.map((i) => (first.params[i].kind === 'positional' || first.params[i].kind === 'keyword' ? first.params[i].name : renderParam(first, i))), ...set.slots.map((s) => s.name)];
  const helper = `${wrapCall('', `${first.isAsync ? 'async ' : ''}def ${spec.name}(`, params, '):')}\n${bodyText(file, first, indentUnit(file, first), replace, set.literals[0])}`;
  ctx.changes.insert(file.path, anchor, `${helper}\n\n`, ctx.origin);
  members.forEach((m, mi) => {
    const args = [...set.usedParams.map((i) => renderParam(m, i)), ...set.slots.map((s) => set.literals[mi][s.positions[0]].text)];
    const indent = file.text.slice(lineStart(file.text, m.statements[0].startIndex), m.statements[0].startIndex);
    const call = wrapCall(indent, `return ${m.isAsync ? 'await ' : ''}${spec.name}(`, args, ')');
    const dropped = m.block.namedChildren.filter((c) => c?.type === 'comment' && c.startIndex > m.statements[0].startIndex);
    if (dropped.length > 0) ctx.warn(`${file.path}: ${m.qualname}: ${dropped.length} comment(s) inside the replaced body dropped`);
    ctx.changes.replace(file.path, m.statements[0].startIndex, m.block.endIndex, call, ctx.origin);
  });
  ctx.note(`${file.path}: ${members.map((m) => m.qualname).join(', ')} now call ${spec.name}(${params.join(', ')})`);
}

/** Start of the top-level statement holding `node`, with the comment lines attached above it. */
function topLevelStart(project: Project, file: SourceFile, node: Node): number {
  let top = node;
  while (top.parent && top.parent.type !== 'module') top = top.parent;
  const def = [...project.index(file.path).defs.values()].find((d) => d.node.startIndex === top.startIndex);
  return def ? def.start : lineStart(file.text, top.startIndex);
}

/**
 * `extract-shared-helper`: replaces function or method bodies that are the same up to names (and, with
 * `parameters`, up to literals) with calls to one module-level helper. See schema.ts.
 */
export const extractSharedHelper = defineOperation<ExtractSharedHelperParams>({
  name: 'extract-shared-helper',
  description:
    'Replace duplicated function or method bodies (the same up to names, optionally up to literals) with calls to one helper function; each method keeps its place, decorators, signature, docstring and literals.',
  schema: extractSharedHelperSchema as unknown as Record<string, unknown>,
  plan(ctx, params) {
    const file = resolveFile(ctx.project, params.module, 'module');
    const claimed = new Map<string, number>();
    const todo: { spec: SharedHelperSpec; index: number; members: Member[] }[] = [];
    params.helpers.forEach((spec, index) => {
      const members = select(file, spec, index);
      for (const m of members) {
        const prev = claimed.get(m.qualname);
        if (prev !== undefined) throw new PlanError('function-twice', `extract-shared-helper: ${m.qualname} is in helpers[${prev}] and helpers[${index}]`);
        claimed.set(m.qualname, index);
      }
      if (alreadyExtracted(file, members, spec.name)) ctx.note(`${file.path}: ${spec.name} already extracted, nothing to do`);
      else todo.push({ spec, index, members });
    });
    if (todo.length === 0) return;
    // Every helper of the step goes before the first statement holding a duplicate, in spec order.
    const first = todo.flatMap((t) => t.members).sort((a, b) => a.fn.startIndex - b.fn.startIndex)[0];
    const anchor = topLevelStart(ctx.project, file, first.fn);
    for (const t of todo) planHelper(ctx, file, t.spec, t.index, t.members, anchor);
  },
});

export default extractSharedHelper;
