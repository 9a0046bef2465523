import { indexModule, parsePython, type ImportBinding, type Node, type Project, type SourceFile } from '@remodel/python';
import type { Changeset, Edit } from './changeset.js';
import { PlanError } from './errors.js';
import type { Origin } from './operation.js';

/**
 * An import an operation needs in a file: `from <dots><module> import <name> [as <alias>]` when `name` is set,
 * otherwise `import <module> [as <alias>]`. `level` is the number of leading dots (relative import; `module` may
 * then be ''). `typeChecking` asks for the import under `if TYPE_CHECKING:`.
 */
export interface ImportRequest {
  module: string;
  name?: string;
  alias?: string;
  level?: number;
  typeChecking?: boolean;
  /**
   * For {@link ImportPlanner.renderNewFile}: the blank-line separated group the statement belongs to (groups are
   * rendered in ascending order). Requests without one are grouped as `__future__` / other / project modules.
   */
  section?: number;
}

/** Longest import line rendered on one line. */
const MAX_LINE = 88;

const PLANNER_ORIGIN: Origin = { codemod: '(imports)', step: 0, op: 'imports' };

/**
 * Collects the import changes of one planning step and applies them once per file (LibCST's AddImportsVisitor /
 * RemoveImportsVisitor split): operations never edit import lines themselves.
 *
 * Guarantees of {@link finalize}:
 * - a requested `from m import n` is merged into an existing top-level `from m import ...` of the leading import
 *   block (parenthesised multi-line lists stay so, names are appended); it is skipped when the file already binds
 *   the same name to the same thing, and when `m` is the file's own module;
 * - new statements go after the last import of the file's leading block (docstring, comments, imports, guarded and
 *   `TYPE_CHECKING` blocks), so never after code and never before `from __future__`; never under
 *   `if TYPE_CHECKING:` unless requested;
 * - `removeUnused` removes only the binding (the whole statement when it was the last name) and keeps `__future__`
 *   imports, imports guarded by `try/except ImportError` or nested in another top-level `if`, every import of an
 *   `__init__.py`, names in `__all__`, names still read after the step's edits (identifiers, or words in string
 *   annotations), and names other project modules import from this one;
 * - every edit is a range on the original text; a planner edit that lies inside a range the operation already
 *   removed is dropped, and all changes to one statement are merged into one edit.
 *
 * Does not handle: imports nested in `if` blocks other than `TYPE_CHECKING` (never merged into), star imports
 * (never merged into), files created in the same step (use {@link renderNewFile}).
 */
export class ImportPlanner {
  private readonly requests = new Map<string, ImportRequest[]>();
  private readonly removals = new Map<string, { local: string; unusedOnly: boolean }[]>();

  /** Ensures `path` imports what `request` describes. */
  require(path: string, request: ImportRequest): void {
    if (request.name === '*') throw new Error('ImportPlanner.require: star imports are not supported');
    push(this.requests, path, { ...request, level: request.level ?? 0 });
  }

  /** Removes the top-level import binding `local` from `path` if, after the step's edits, nothing needs it. */
  removeUnused(path: string, local: string): void {
    push(this.removals, path, { local, unusedOnly: true });
  }

  /** Removes the top-level import binding `local` from `path` unconditionally (e.g. the name is now defined there). */
  remove(path: string, local: string): void {
    push(this.removals, path, { local, unusedOnly: false });
  }

  /** Paths with pending requests or removals, sorted. */
  paths(): string[] {
    return [...new Set([...this.requests.keys(), ...this.removals.keys()])].sort();
  }

  /** Pending requests for `path` (read-only view). */
  requested(path: string): readonly ImportRequest[] {
    return this.requests.get(path) ?? [];
  }

  /**
   * Import block for a file created in this step (not in `project`): the pending requests for `path`, deduplicated,
   * one statement per module in request order, in sections separated by a blank line (`__future__`, other modules,
   * project modules as told by `isProject` and relative imports), then an `if TYPE_CHECKING:` block if requested.
   * `module` is the dotted name the new file will have (requests for it are skipped). Consumes the requests.
   * Ends with '\n' unless empty.
   */
  renderNewFile(path: string, module: string | null, isPackage = false, isProject: (module: string) => boolean = () => false): string {
    const requests = this.requests.get(path) ?? [];
    this.requests.delete(path);
    this.removals.delete(path);
    const wanted = dedupe(requests.filter((r) => !isSelfImport(r, module, isPackage)));
    const runtime = wanted.filter((r) => !r.typeChecking);
    const typing = wanted.filter((r) => r.typeChecking && !runtime.some((o) => sameRequest(o, r)));
    // `import typing as t` already there: the block reads `if t.TYPE_CHECKING:` (no second import of typing).
    const typingModule = runtime.find((r) => r.module === 'typing' && !r.name && !r.level);
    const guard = typingModule && !runtime.some((r) => (r.alias ?? r.name) === 'TYPE_CHECKING') ? `${typingModule.alias ?? 'typing'}.TYPE_CHECKING` : 'TYPE_CHECKING';
    if (typing.length > 0 && guard === 'TYPE_CHECKING' && !runtime.some((r) => (r.alias ?? r.name) === 'TYPE_CHECKING')) {
      // With given sections it joins `typing`'s section, else the first section of other (not project) modules.
      const other = runtime.filter((r) => r.section !== undefined && !r.level && r.module !== '__future__' && !isProject(r.module));
      const first = other.length > 0 ? Math.min(...other.map((r) => r.section!)) : undefined;
      const section = runtime.find((r) => r.module === 'typing' && !r.level)?.section ?? first;
      runtime.push({ module: 'typing', name: 'TYPE_CHECKING', level: 0, section });
    }
    const given = runtime.some((r) => r.section !== undefined);
    const top = Math.max(0, ...runtime.map((r) => r.section ?? 0));
    const section = (r: ImportRequest): number => {
      if (r.module === '__future__' && !r.level) return -1;
      if (given) return r.section ?? top + 1;
      return (r.level ?? 0) > 0 || isProject(r.module) ? 2 : 1;
    };
    const keys = [...new Set(runtime.map(section))].sort((x, y) => x - y);
    const blocks = keys.map((k) => renderStatements(runtime.filter((r) => section(r) === k), '')).filter(Boolean);
    let text = blocks.join('\n');
    if (typing.length > 0) text += `${text ? '\n' : ''}if ${guard}:\n${renderStatements(typing, '    ')}`;
    return text;
  }

  /** Applies every pending request to `changes` (edits on the original texts of `project`). Call once per step. */
  finalize(project: Project, changes: Changeset, origin: Origin = PLANNER_ORIGIN): void {
    for (const path of this.paths()) {
      const requests = this.requests.get(path) ?? [];
      const removals = this.removals.get(path) ?? [];
      if (!project.files.has(path)) {
        if (requests.length > 0) {
          throw new PlanError('import-new-file', `${origin.op} (step ${origin.step + 1}): cannot add imports to ${path}: not in the project (render them into the created file)`);
        }
        continue;
      }
      const after = changes.result(path);
      if (after === null) continue;
      new FilePlan(project, changes, origin, path, after ?? project.file(path).text).apply(requests, removals);
    }
    this.requests.clear();
    this.removals.clear();
  }
}

/** Absolute dotted module named by a relative import `level` dots + `module` in the file `fileModule`. */
export function importTarget(fileModule: string | null, isPackage: boolean, level: number, module: string): string {
  if (level === 0) return module;
  const parts = (fileModule ?? '').split('.').filter(Boolean);
  if (!isPackage) parts.pop();
  parts.splice(parts.length - (level - 1), level - 1);
  if (module) parts.push(...module.split('.'));
  return parts.join('.');
}

/**
 * How `fromModule` (a file; `isPackage` for `__init__.py`) can import the absolute module `target` relatively:
 * `{ level, module }`, or null when they share no top-level package.
 */
export function relativeFrom(fromModule: string, isPackage: boolean, target: string): { level: number; module: string } | null {
  const pkg = fromModule.split('.');
  if (!isPackage) pkg.pop();
  const t = target.split('.');
  if (pkg.length === 0 || t[0] !== pkg[0]) return null;
  let common = 0;
  while (common < pkg.length && common < t.length && pkg[common] === t[common]) common++;
  return { level: pkg.length - common + 1, module: t.slice(common).join('.') };
}

/** Source text of one import request (`from ..m import a as b` / `import m`). */
export function importText(r: ImportRequest): string {
  if (r.name) return `from ${'.'.repeat(r.level ?? 0)}${r.module} import ${r.alias && r.alias !== r.name ? `${r.name} as ${r.alias}` : r.name}`;
  return `import ${r.module}${r.alias ? ` as ${r.alias}` : ''}`;
}

/** The top-level statements forming a module's import header, and where new imports go. */
export interface ImportHeader {
  /** Top-level import statements (and guarded / TYPE_CHECKING blocks) of the leading block. */
  statements: Node[];
  /** The `if TYPE_CHECKING:` blocks of the leading block. */
  typeCheckingBlocks: Node[];
  /** Offset at which new import lines are inserted (start of a line). */
  insertAt: number;
}

/** Finds the leading import block of `file` (docstring, comments, imports, guarded and TYPE_CHECKING blocks). */
export function importHeader(file: SourceFile): ImportHeader {
  const text = file.text;
  const statements: Node[] = [];
  const typeCheckingBlocks: Node[] = [];
  let anchor: Node | null = null;
  let docstring: Node | null = null;
  const children = file.tree.rootNode.namedChildren.filter((c): c is Node => c !== null);
  for (const [i, child] of children.entries()) {
    if (child.type === 'comment') continue;
    if (i === firstNonComment(children) && isDocstring(child)) {
      docstring = child;
      continue;
    }
    if (isImportStatement(child) || (child.type === 'try_statement' && isGuardedImportBlock(child))) {
      statements.push(child);
      anchor = child;
      continue;
    }
    if (child.type === 'if_statement' && isTypeCheckingIf(child)) {
      typeCheckingBlocks.push(child);
      statements.push(child);
      anchor = child;
      continue;
    }
    break;
  }
  let insertAt: number;
  if (anchor) insertAt = lineEnd(text, anchor.endIndex);
  else if (docstring) insertAt = lineEnd(text, docstring.endIndex);
  else insertAt = headerCommentEnd(text);
  return { statements, typeCheckingBlocks, insertAt };
}

function firstNonComment(children: Node[]): number {
  return children.findIndex((c) => c.type !== 'comment');
}

function isDocstring(node: Node): boolean {
  return node.type === 'expression_statement' && node.namedChildCount === 1 && node.namedChild(0)?.type === 'string';
}

function isImportStatement(node: Node): boolean {
  return node.type === 'import_statement' || node.type === 'import_from_statement' || node.type === 'future_import_statement';
}

function isTypeCheckingIf(node: Node): boolean {
  const cond = node.childForFieldName('condition');
  return !!cond && /^(typing\.)?TYPE_CHECKING$/.test(cond.text.trim());
}

function isGuardedImportBlock(node: Node): boolean {
  const body = node.childForFieldName('body');
  if (!body) return false;
  const stmts = body.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  if (stmts.length === 0 || !stmts.every(isImportStatement)) return false;
  return node.namedChildren.some((c) => c?.type === 'except_clause' && /ImportError|ModuleNotFoundError/.test(c.text.split(':')[0]));
}

/** Offset just after the newline that ends the line containing `offset - 1` (or the end of text). */
function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

/** Offset of the start of the line containing `offset`. */
function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** After a header of comment lines (shebang, licence) that a blank line separates from the code; else 0. */
function headerCommentEnd(text: string): number {
  let pos = 0;
  let sawComment = false;
  while (pos < text.length) {
    const end = lineEnd(text, pos);
    const line = text.slice(pos, end).trim();
    if (line.startsWith('#')) {
      sawComment = true;
      pos = end;
      continue;
    }
    if (line === '' && sawComment) return end;
    break;
  }
  return 0;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function sameRequest(a: ImportRequest, b: ImportRequest): boolean {
  return a.module === b.module && (a.name ?? null) === (b.name ?? null) && (a.alias ?? null) === (b.alias ?? null) && (a.level ?? 0) === (b.level ?? 0);
}

function dedupe(requests: ImportRequest[]): ImportRequest[] {
  const out: ImportRequest[] = [];
  for (const r of requests) {
    const same = out.find((o) => sameRequest(o, r));
    if (!same) out.push({ ...r });
    else if (!r.typeChecking) same.typeChecking = false;
  }
  return out;
}

function isSelfImport(r: ImportRequest, module: string | null, isPackage: boolean): boolean {
  if (!module) return false;
  const target = importTarget(module, isPackage, r.level ?? 0, r.module);
  return target === module && (r.name !== undefined || !r.alias);
}

/** Renders requests as statements, one per module (`from m import a, b`), `__future__` first, with `indent`. */
function renderStatements(requests: ImportRequest[], indent: string): string {
  const groups = new Map<string, ImportRequest[]>();
  const order: string[] = [];
  for (const r of requests) {
    const key = r.name ? `from:${'.'.repeat(r.level ?? 0)}${r.module}` : `import:${r.module}:${r.alias ?? ''}`;
    if (!groups.has(key)) {
      groups.set(key, []);
      order.push(key);
    }
    groups.get(key)!.push(r);
  }
  order.sort((a, b) => Number(b === 'from:__future__') - Number(a === 'from:__future__'));
  let out = '';
  for (const key of order) {
    const group = groups.get(key)!;
    const first = group[0];
    if (!first.name) {
      out += `${indent}${importText(first)}\n`;
      continue;
    }
    const names = group.map((r) => (r.alias && r.alias !== r.name ? `${r.name} as ${r.alias}` : r.name!));
    const line = `${indent}from ${'.'.repeat(first.level ?? 0)}${first.module} import ${names.join(', ')}`;
    // Past the usual line length, use the parenthesised one-name-per-line form (black / isort style).
    if (line.length > MAX_LINE && names.length > 1) {
      out += `${indent}from ${'.'.repeat(first.level ?? 0)}${first.module} import (\n${names.map((n) => `${indent}    ${n},\n`).join('')}${indent})\n`;
    } else out += `${line}\n`;
  }
  return out;
}

/** Planned changes to one existing import statement. */
interface StatementEdit {
  statement: Node;
  remove: Set<number>;
  add: string[];
}

/** The import work for one file. */
class FilePlan {
  private readonly file: SourceFile;
  private readonly opEdits: readonly Edit[];
  private readonly statementEdits = new Map<number, StatementEdit>();
  private readonly ownRemovals: [number, number][] = [];
  private readonly lineRemovals: [number, number][] = [];

  constructor(
    private readonly project: Project,
    private readonly changes: Changeset,
    private readonly origin: Origin,
    private readonly path: string,
    private readonly afterText: string,
  ) {
    this.file = project.file(path);
    this.opEdits = changes.edits(path);
  }

  apply(requests: ImportRequest[], removals: { local: string; unusedOnly: boolean }[]): void {
    const index = this.project.index(this.path);
    const bindings = index.imports.filter((b) => b.topLevel && !this.removedByOp(b.statement.startIndex, b.statement.endIndex));
    const removed = new Set<ImportBinding>();
    let usage: Usage | null = null;
    for (const { local, unusedOnly } of removals) {
      for (const b of bindings.filter((x) => x.local === local)) {
        if (unusedOnly) {
          if (!this.removable(b, index.all)) continue;
          usage ??= new Usage(this.afterText);
          if (usage.uses(local)) continue;
          if (this.importedElsewhere(local)) continue;
        }
        removed.add(b);
        this.statement(b.statement).remove.add(b.node.id);
      }
    }
    const kept = bindings.filter((b) => !removed.has(b));
    const header = importHeader(this.file);
    const fresh: ImportRequest[] = [];
    const afterIndex = this.afterIndex();
    for (const request of dedupe(requests)) {
      if (isSelfImport(request, this.file.module, this.file.isPackage)) continue;
      const local = request.alias ?? request.name ?? request.module.split('.')[0];
      if (kept.some((b) => this.satisfies(b, request))) continue;
      this.checkConflict(local, request, afterIndex, kept);
      const target = request.name ? this.mergeTarget(request, header) : undefined;
      if (target) this.statement(target).add.push(request.alias && request.alias !== request.name ? `${request.name} as ${request.alias}` : request.name!);
      else if (!fresh.some((f) => sameRequest(f, request))) fresh.push(request);
    }
    for (const edit of this.statementEdits.values()) this.emitStatement(edit);
    this.flushLineRemovals(fresh.length > 0 ? header.insertAt : null);
    this.emitFresh(fresh, header, kept);
  }

  private statement(node: Node): StatementEdit {
    let edit = this.statementEdits.get(node.id);
    if (!edit) {
      edit = { statement: node, remove: new Set(), add: [] };
      this.statementEdits.set(node.id, edit);
    }
    return edit;
  }

  private removable(b: ImportBinding, all: string[] | null): boolean {
    if (b.statement.type === 'future_import_statement' || b.module === '__future__') return false;
    if (b.guarded || this.file.isPackage) return false;
    // Nested in a top-level `if` / `with` (version switches): chosen on purpose, and removing it could empty the block.
    if (!b.typeChecking && b.statement.parent?.type !== 'module') return false;
    if (all?.includes(b.local)) return false;
    return true;
  }

  /** Another project file imports `local` from this module (a re-export in use). */
  private importedElsewhere(local: string): boolean {
    const module = this.file.module;
    if (!module) return false;
    return this.project.references(module, local).some((r) => r.path !== this.path && !this.rewritten(r.path, r.node));
  }

  /** True when an edit of the step touches `node` (or, for an import name, its statement): a rewritten reference. */
  private rewritten(path: string, node: Node): boolean {
    let target: Node = node;
    for (let n: Node | null = node; n; n = n.parent) {
      if (n.type === 'import_from_statement' || n.type === 'import_statement') {
        target = n;
        break;
      }
    }
    return this.changes.edits(path).some((e) => e.kind !== 'insert' && e.start < target.endIndex && target.startIndex < e.end);
  }

  private satisfies(b: ImportBinding, r: ImportRequest): boolean {
    if (b.typeChecking && !r.typeChecking) return false;
    const local = r.alias ?? r.name ?? r.module.split('.')[0];
    if (b.local !== local) return false;
    if (r.name) {
      if (b.name !== r.name) return false;
      const target = importTarget(this.file.module, this.file.isPackage, r.level ?? 0, r.module);
      return this.project.absoluteModule(this.path, b) === target;
    }
    if (b.name !== null) return false;
    return b.module === r.module && (b.alias ?? null) === (r.alias ?? null);
  }

  private afterIndex(): ReturnType<typeof indexModule> | null {
    if (this.afterText === this.file.text) return this.project.index(this.path);
    try {
      return indexModule(parsePython(this.afterText));
    } catch {
      return null;
    }
  }

  /** Refuses to bind `local` when the file (after the step's edits) binds it to something else. */
  private checkConflict(local: string, request: ImportRequest, after: ReturnType<typeof indexModule> | null, kept: ImportBinding[]): void {
    if (!after) return;
    const def = after.defs.get(local);
    const other = kept.find((b) => b.local === local && !b.typeChecking);
    if (!def && !other) return;
    if (!request.name && other && other.name === null) return; // `import a.b` next to `import a.c` binds the same `a`
    const line = def ? def.node.startPosition.row + 1 : other!.line;
    throw new PlanError(
      'import-conflict',
      `${this.origin.op} (step ${this.origin.step + 1}): cannot add \`${importText(request)}\` to ${this.path}: \`${local}\` is already bound there (line ${line})`,
    );
  }

  /** An existing top-level `from <same module> import ...` of the header to append to. */
  private mergeTarget(r: ImportRequest, header: ImportHeader): Node | undefined {
    const target = importTarget(this.file.module, this.file.isPackage, r.level ?? 0, r.module);
    const index = this.project.index(this.path);
    for (const b of index.imports) {
      if (!b.topLevel || b.guarded || b.name === null || b.name === '*') continue;
      if (b.statement.type !== 'import_from_statement') continue;
      if (!!b.typeChecking !== !!r.typeChecking) continue;
      if (!header.statements.some((s) => s.startIndex <= b.statement.startIndex && b.statement.endIndex <= s.endIndex)) continue;
      if (this.removedByOp(b.statement.startIndex, b.statement.endIndex)) continue;
      if (this.project.absoluteModule(this.path, b) !== target) continue;
      if ((b.level > 0) !== ((r.level ?? 0) > 0)) continue;
      if (importedNameNodes(b.statement).some((n) => n.type === 'wildcard_import')) continue;
      return b.statement;
    }
    return undefined;
  }

  /** True when an edit of the operation removes or replaces a range containing `[start, end)`. */
  private removedByOp(start: number, end: number): boolean {
    return this.opEdits.some((e) => e.kind !== 'insert' && e.start <= start && end <= e.end);
  }

  private emitStatement(edit: StatementEdit): void {
    const { statement } = edit;
    const out = editImportNames(this.file.text, statement, edit.remove, edit.add);
    if (out === null) this.removeStatement(statement);
    else if (out !== statement.text) this.changes.replace(this.path, statement.startIndex, statement.endIndex, out, this.origin);
  }

  /** Removes a whole import statement with its line; `pass` when it was the only statement of a block. */
  private removeStatement(statement: Node): void {
    const text = this.file.text;
    const start = lineStart(text, statement.startIndex);
    const end = lineEnd(text, statement.endIndex);
    const alone = text.slice(start, statement.startIndex).trim() === '' && /^\s*(#.*)?$/.test(text.slice(statement.endIndex, end).replace(/\n$/, ''));
    const block = statement.parent;
    const siblings = block?.namedChildren.filter((c) => c !== null && c.type !== 'comment' && c.id !== statement.id) ?? [];
    if (block && block.type === 'block' && siblings.length === 0) {
      this.changes.replace(this.path, statement.startIndex, statement.endIndex, 'pass', this.origin);
      return;
    }
    if (alone && statement.parent?.type === 'module') this.lineRemovals.push([start, end]);
    else if (alone) this.removeClipped(start, end);
    else {
      // `import a; x = 1`: remove the statement and its `;`.
      const semi = /^\s*;\s*/.exec(text.slice(statement.endIndex));
      this.removeClipped(statement.startIndex, statement.endIndex + (semi ? semi[0].length : 0));
    }
  }

  /**
   * Applies the whole-line removals of top-level import statements: adjacent ones are merged, and a group that empties
   * a blank-line separated block of imports takes one of the surrounding blank lines with it (no blank-line runs
   * are left behind), unless new imports will be inserted in its place (`insertAt`).
   */
  private flushLineRemovals(insertAt: number | null): void {
    const text = this.file.text;
    const ranges = this.lineRemovals.sort((x, y) => x[0] - y[0]);
    const merged: [number, number][] = [];
    const blankAt = (offset: number): boolean => offset < text.length && text.slice(offset, lineEnd(text, offset)).trim() === '';
    for (const [s0, e0] of ranges) {
      const last = merged[merged.length - 1];
      if (last && s0 <= last[1]) last[1] = Math.max(last[1], e0);
      else merged.push([s0, e0]);
      // Extend the group over a following blank line when a blank line (or the file start) precedes it.
      const group = merged[merged.length - 1];
      const precededByBlank = group[0] === 0 || (group[0] > 0 && text.slice(lineStart(text, group[0] - 1), group[0]).trim() === '');
      // Not where new imports go: they take the emptied block's place, blank lines included.
      const hosts = insertAt !== null && group[0] <= insertAt && insertAt <= group[1];
      if (precededByBlank && !hosts && blankAt(group[1])) group[1] = lineEnd(text, group[1]);
    }
    // A group extended over a blank line may now touch the next one.
    const final: [number, number][] = [];
    for (const r of merged) {
      const last = final[final.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else final.push([...r]);
    }
    for (const [s0, e0] of final) this.removeClipped(s0, e0);
  }

  /**
   * Removes `[start, end)` minus what the operation already removes: when an op removal overlaps the end or the
   * start of the range (a symbol removed right next to an import line), the two removals are merged instead of
   * colliding.
   */
  private removeClipped(start: number, end: number): void {
    for (const e of this.opEdits) {
      if (e.kind === 'insert' || e.text !== '') continue;
      if (e.start <= start && end <= e.end) return;
      if (e.start > start && e.start < end && e.end >= end) end = e.start;
      else if (e.end > start && e.end < end && e.start <= start) start = e.end;
    }
    if (start < end) {
      this.changes.remove(this.path, start, end, this.origin);
      this.ownRemovals.push([start, end]);
    }
  }

  private emitFresh(fresh: ImportRequest[], header: ImportHeader, kept: ImportBinding[]): void {
    if (fresh.length === 0) return;
    const text = this.file.text;
    const runtime = fresh.filter((r) => !r.typeChecking);
    const typing = fresh.filter((r) => r.typeChecking);
    let insert = '';
    if (typing.length > 0) {
      const block = header.typeCheckingBlocks[0];
      if (block && !this.removedByOp(block.startIndex, block.endIndex)) {
        const body = block.childForFieldName('consequence') ?? block.namedChildren.find((c) => c?.type === 'block') ?? null;
        const first = body?.namedChildren.find((c) => c !== null);
        const indent = first ? text.slice(lineStart(text, first.startIndex), first.startIndex) : '    ';
        this.changes.insert(this.path, lineEnd(text, body!.endIndex), renderStatements(typing, indent), this.origin);
      } else {
        const hasTC = kept.some((b) => b.local === 'TYPE_CHECKING') || runtime.some((r) => (r.alias ?? r.name) === 'TYPE_CHECKING');
        if (!hasTC) runtime.push({ module: 'typing', name: 'TYPE_CHECKING', level: 0 });
        insert = `if TYPE_CHECKING:\n${renderStatements(typing, '    ')}`;
      }
    }
    insert = renderStatements(runtime, '') + insert;
    if (!insert) return;
    let at = header.insertAt;
    // Removals (the operation's and the planner's own) spanning the insertion point: insert at their start instead.
    const cuts: [number, number][] = [
      ...this.opEdits.filter((e) => e.kind !== 'insert').map((e): [number, number] => [e.start, e.end]),
      ...this.ownRemovals,
    ];
    let reopened = false;
    for (let again = true; again; ) {
      again = false;
      for (const [s0, e0] of cuts) {
        if (s0 < at && at < e0) {
          at = s0;
          reopened = true;
          again = true;
        }
      }
    }
    // Text before `at` must end a line, unless the planner removes it from a line start up to `at`.
    const lineGone = this.ownRemovals.some(([s0, e0]) => e0 === at && (s0 === 0 || text[s0 - 1] === '\n'));
    if (at > 0 && text[at - 1] !== '\n' && !lineGone) insert = `\n${insert}`;
    // After a docstring (no import above), keep a blank line between the two.
    if (header.statements.length === 0 && at > 0 && !reopened) insert = `\n${insert}`;
    // The line that will follow the new imports (skipping what is removed right there): code gets a blank line.
    let probe = at;
    for (let again = true; again; ) {
      again = false;
      for (const [s0, e0] of cuts) {
        if (s0 === probe && e0 > probe) {
          probe = e0;
          again = true;
        }
      }
    }
    const nextLine = text.slice(probe, lineEnd(text, probe)).trim();
    // PEP 8: two blank lines before a top-level def / class, one before other code.
    if (nextLine !== '' && !/^(import|from)\s/.test(nextLine)) insert += /^(def|class|async|@)/.test(nextLine) ? '\n\n' : '\n';
    if (!reopened && at > 0 && text[at - 1] === '\n' && this.opEdits.some((e) => e.kind === 'insert' && e.start === at)) {
      // The operation inserts code at the same offset (e.g. appends to a file that is only imports): go in before
      // the newline that ends the anchor line, so the imports come first whatever the call order.
      this.changes.insert(this.path, at - 1, `\n${insert.slice(0, -1)}`, this.origin);
      return;
    }
    this.changes.insert(this.path, at, insert, this.origin);
  }
}

/** Whether a name is still read in a module's text (conservative: any identifier outside import statements). */
class Usage {
  private readonly names = new Set<string>();
  private readonly strings: string[] = [];

  constructor(text: string) {
    const tree = parsePython(text);
    const visit = (node: Node): void => {
      if (node.type === 'import_statement' || node.type === 'import_from_statement' || node.type === 'future_import_statement') return;
      if (node.type === 'identifier') {
        const parent = node.parent;
        const isAttrName = parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === node.id;
        const isKeyword = parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === node.id;
        if (!isAttrName && !isKeyword) this.names.add(node.text);
        return;
      }
      if (node.type === 'string') {
        if (insideAnnotation(node)) this.strings.push(node.text);
        // f-string interpolations read names too.
        for (const child of node.namedChildren) if (child?.type === 'interpolation') visit(child);
        return;
      }
      for (const child of node.children) if (child) visit(child);
    };
    visit(tree.rootNode);
  }

  uses(local: string): boolean {
    if (this.names.has(local)) return true;
    const word = new RegExp(`(^|[^\\w.])${local.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w])`);
    return this.strings.some((s) => word.test(s));
  }
}

/** A string inside a type annotation (`x: "Foo"`, `-> "list[Foo]"`), which names types by text. */
function insideAnnotation(node: Node): boolean {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type === 'type') return true;
    if (n.type === 'block' || n.type === 'module') return false;
  }
  return false;
}

/**
 * New text of an import statement (`import ...` / `from m import ...`) of `source` with the names whose node ids are
 * in `remove` taken out and the `add` entries (`name` or `name as alias`) appended, keeping its layout: a
 * parenthesised multi-line list stays multi-line (one name per line, trailing comma kept), removed names take their
 * comma with them. Null when no name is left (remove the whole statement).
 */
export function editImportNames(source: string, statement: Node, remove: ReadonlySet<number>, add: readonly string[]): string | null {
  const names = importedNameNodes(statement);
  const keep = names.filter((n) => !remove.has(n.id));
  if (keep.length === 0 && add.length === 0) return null;
  const pieces: { start: number; end: number; text: string }[] = [];
  const lastKept = keep.length > 0 ? names.indexOf(keep[keep.length - 1]) : -1;
  for (const [i, n] of names.entries()) {
    if (remove.has(n.id) && i < lastKept) pieces.push({ start: n.startIndex, end: names[i + 1].startIndex, text: '' });
  }
  if (lastKept >= 0 && lastKept < names.length - 1) {
    pieces.push({ start: names[lastKept].endIndex, end: names[names.length - 1].endIndex, text: '' });
  }
  const lastName = names[names.length - 1];
  if (keep.length === 0) {
    // Every old name goes and new ones arrive: replace the whole name list.
    pieces.push({ start: names[0].startIndex, end: lastName.endIndex, text: add.join(', ') });
  } else if (add.length > 0) {
    const comma = /^\s*,/.exec(source.slice(lastName.endIndex, statement.endIndex));
    const close = statement.children.find((c) => c?.type === ')');
    const multiline = !!close && source.slice(names[0].startIndex, close.startIndex).includes('\n');
    if (multiline) {
      const ws = /^\s*/.exec(source.slice(lineStart(source, lastName.startIndex), lastName.startIndex))![0];
      const at = lastName.endIndex + (comma ? comma[0].length : 0);
      const lines = comma ? add.map((a) => `\n${ws}${a},`).join('') : add.map((a) => `,\n${ws}${a}`).join('');
      pieces.push({ start: at, end: at, text: lines });
    } else {
      pieces.push({ start: lastName.endIndex, end: lastName.endIndex, text: `, ${add.join(', ')}` });
    }
  }
  pieces.sort((a, b) => a.start - b.start);
  let out = '';
  let pos = statement.startIndex;
  for (const p of pieces) {
    out += source.slice(pos, p.start) + p.text;
    pos = p.end;
  }
  return out + source.slice(pos, statement.endIndex);
}

/** Name nodes (dotted_name / aliased_import / wildcard) of an import statement, in order (the module excluded). */
export function importedNameNodes(statement: Node): Node[] {
  const moduleNode = statement.childForFieldName('module_name');
  return statement.namedChildren.filter(
    (c): c is Node => c !== null && (c.type === 'dotted_name' || c.type === 'aliased_import') && c.id !== moduleNode?.id,
  );
}
