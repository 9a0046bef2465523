import { indexModule, parsePython, type ImportBinding, type Node, type Project, type SourceFile } from '@remodel/python';
import type { Changeset, Edit } from './changeset.js';
import { PlanError } from './errors.js';
import { classifyModule, compareImports, compareMembers, firstPartyRoots, SECTION_ORDER, sectionRank, type ImportSortKey } from './import-sections.js';
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
  /**
   * End offset of an existing top-level import statement this import was split from (an importer rewritten to a
   * new module): where the new statement goes when the file's imports give it no sorted place (groups that mix
   * sections or are not sorted), instead of after the last import.
   */
  after?: number;
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
 *   block (parenthesised multi-line lists stay so; a new name goes to its isort place when the names are in isort order, else last; a new statement lists its names in isort order); it is skipped when the file already binds
 *   the same name to the same thing, and when `m` is the file's own module;
 * - new statements go into the file's leading import block (docstring, comments, imports, guarded and `TYPE_CHECKING`
 *   blocks), so never after code and never before `from __future__`; never under `if TYPE_CHECKING:` unless
 *   requested. When the block's blank-line separated groups each hold one isort section (`__future__`, standard
 *   library, third party, first party = the project's top-level names, local = relative; see import-sections.ts)
 *   in that order, a statement joins its section's group, at isort's sorted place when the group is sorted the
 *   isort way (straight `import`s before `from` imports, by module, case-insensitively), else after the group's
 *   last statement; a missing section becomes a new group between its neighbours, one blank line around it. A
 *   block that mixes sections in a group (or orders groups otherwise) gets the new statements after its last
 *   import, as before. Existing lines are never moved; a new `if TYPE_CHECKING:` block goes after the whole block;
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
  /**
   * Where a first `from __future__` import goes: after the docstring and top comments, above module dunders
   * (`__all__ = ...`) that PEP 8 puts before the imports (a `__future__` import below them is a SyntaxError).
   */
  futureAt: number;
  /** Module dunder assignments of the leading block (`__all__ = ...`). */
  dunders: Node[];
}

/**
 * Finds the leading import block of `file` (docstring, comments, imports, guarded and TYPE_CHECKING blocks, and the
 * module dunders such as `__all__` or `__version__` that PEP 8 places between the docstring and the imports).
 */
export function importHeader(file: SourceFile): ImportHeader {
  const text = file.text;
  const statements: Node[] = [];
  const typeCheckingBlocks: Node[] = [];
  let anchor: Node | null = null;
  let docstring: Node | null = null;
  const dunders: Node[] = [];
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
    if (isDunderAssignment(child)) {
      dunders.push(child);
      continue;
    }
    break;
  }
  const futureAt = docstring ? lineEnd(text, docstring.endIndex) : headerCommentEnd(text);
  const last = anchor ?? dunders[dunders.length - 1];
  const insertAt = last ? lineEnd(text, last.endIndex) : futureAt;
  return { statements, typeCheckingBlocks, insertAt, futureAt, dunders };
}

/** `__all__ = [...]`, `__version__: str = "1.0"`, `__all__ += [...]`: module metadata, not code that needs imports. */
function isDunderAssignment(node: Node): boolean {
  if (node.type !== 'expression_statement' || node.namedChildCount !== 1) return false;
  const e = node.namedChild(0);
  if (e?.type !== 'assignment' && e?.type !== 'augmented_assignment') return false;
  const left = e.childForFieldName('left');
  return left?.type === 'identifier' && /^__\w+__$/.test(left.text);
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

function push<K, T>(map: Map<K, T[]>, key: K, value: T): void {
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

/** One rendered import statement: `from m import a, b` for every request of `m`, or `import m [as a]`. */
interface RenderedStatement {
  /** The first request of the statement (module, level, straight or `from`). */
  request: ImportRequest;
  /** The statement's lines, each ending with '\n'. */
  text: string;
}

/**
 * Requests as statements, one per module (`from m import a, b`), `__future__` first, with `indent`. `singleLine`:
 * one statement per imported name (`from m import a` / `from m import b`), for files written that way.
 */
function statementsOf(requests: ImportRequest[], indent: string, singleLine = false): RenderedStatement[] {
  const groups = new Map<string, ImportRequest[]>();
  const order: string[] = [];
  for (const r of requests) {
    const key = r.name ? `from:${'.'.repeat(r.level ?? 0)}${r.module}${singleLine ? `:${r.name}:${r.alias ?? ''}` : ''}` : `import:${r.module}:${r.alias ?? ''}`;
    if (!groups.has(key)) {
      groups.set(key, []);
      order.push(key);
    }
    groups.get(key)!.push(r);
  }
  order.sort((a, b) => Number(b === 'from:__future__') - Number(a === 'from:__future__'));
  const out: RenderedStatement[] = [];
  for (const key of order) {
    const group = groups.get(key)!;
    const first = group[0];
    if (!first.name) {
      out.push({ request: first, text: `${indent}${importText(first)}\n` });
      continue;
    }
    // isort's order of names (`from __future__` ones too); a sorted file stays sorted.
    const names = [...group].sort((a, b) => compareMembers(a.name!, b.name!)).map((r) => (r.alias && r.alias !== r.name ? `${r.name} as ${r.alias}` : r.name!));
    const line = `${indent}from ${'.'.repeat(first.level ?? 0)}${first.module} import ${names.join(', ')}`;
    // Past the usual line length, use the parenthesised one-name-per-line form (black / isort style).
    if (line.length > MAX_LINE && names.length > 1) {
      out.push({ request: first, text: `${indent}from ${'.'.repeat(first.level ?? 0)}${first.module} import (\n${names.map((n) => `${indent}    ${n},\n`).join('')}${indent})\n` });
    } else out.push({ request: first, text: `${line}\n` });
  }
  return out;
}

/** Renders requests as statements (see {@link statementsOf}). */
function renderStatements(requests: ImportRequest[], indent: string, singleLine = false): string {
  return statementsOf(requests, indent, singleLine).map((s) => s.text).join('');
}

/** isort sort key of a request's statement. */
function requestKey(r: ImportRequest): ImportSortKey {
  return { kind: r.name ? 'from' : 'import', module: r.module, level: r.level ?? 0 };
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
  private singleLineStyle: boolean | null = null;

  constructor(
    private readonly project: Project,
    private readonly changes: Changeset,
    private readonly origin: Origin,
    private readonly path: string,
    private readonly afterText: string,
  ) {
    this.file = project.file(path);
    // A copy: the planner records its own edits into the same changeset, and they are not the operation's.
    this.opEdits = [...changes.edits(path)];
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
    const moduleNames = this.file.isPackage ? this.project.scopes(this.path).moduleBindings() : null;
    for (const request of dedupe(requests)) {
      // In a package `__init__.py`, `from . import sub` that binds nothing yet names a submodule (possibly created
      // in this step), not the package's own definition: it is needed.
      const submodule = moduleNames !== null && request.name !== undefined && !moduleNames.has(request.name);
      if (!submodule && isSelfImport(request, this.file.module, this.file.isPackage)) continue;
      const local = request.alias ?? request.name ?? request.module.split('.')[0];
      if (kept.some((b) => this.satisfies(b, request))) continue;
      this.checkConflict(local, request, afterIndex, kept);
      const target = request.name ? this.mergeTarget(request, header) : undefined;
      if (target) this.statement(target).add.push(request.alias && request.alias !== request.name ? `${request.name} as ${request.alias}` : request.name!);
      else if (!fresh.some((f) => sameRequest(f, request))) fresh.push(request);
    }
    const edited = [...this.statementEdits.values()].map((e) => ({ statement: e.statement, out: editImportNames(this.file.text, e.statement, e.remove, e.add) }));
    const gone = new Set(edited.filter((e) => e.out === null).map((e) => e.statement.id));
    for (const { statement, out } of edited) this.emitStatement(statement, out, gone);
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

  /**
   * True when the file imports one name per `from` statement (isort's `force_single_line`, as in click): some module
   * is imported by two or more `from` statements, and no top-level `from` statement imports more than one name.
   * New names then get statements of their own instead of joining existing ones.
   */
  private singleLine(): boolean {
    if (this.singleLineStyle === null) {
      const names = new Map<number, { module: string; count: number }>();
      for (const b of this.project.index(this.path).imports) {
        if (!b.topLevel || b.name === null || b.name === '*' || b.module === '__future__') continue;
        const entry = names.get(b.statement.startIndex) ?? { module: `${'.'.repeat(b.level)}${b.module}`, count: 0 };
        entry.count++;
        names.set(b.statement.startIndex, entry);
      }
      const statements = [...names.values()];
      const modules = statements.map((e) => e.module);
      this.singleLineStyle = statements.every((e) => e.count === 1) && new Set(modules).size < modules.length;
    }
    return this.singleLineStyle;
  }

  /** An existing top-level `from <same module> import ...` of the header to append to (none in single-line files). */
  private mergeTarget(r: ImportRequest, header: ImportHeader): Node | undefined {
    if (this.singleLine()) return undefined;
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

  /** Writes a statement's new text (`out`), or removes it when `out` is null (`gone`: every statement removed). */
  private emitStatement(statement: Node, out: string | null, gone: ReadonlySet<number>): void {
    if (out === null) this.removeStatement(statement, gone);
    else if (out !== statement.text) this.changes.replace(this.path, statement.startIndex, statement.endIndex, out, this.origin);
  }

  /**
   * Removes a whole import statement with its line (`gone`: ids of every statement this plan removes). When the
   * removals empty a block: a top-level `if TYPE_CHECKING:` without `else` goes as a whole; any other block keeps a
   * `pass` in place of its first removed statement.
   */
  private removeStatement(statement: Node, gone: ReadonlySet<number>): void {
    const text = this.file.text;
    const start = lineStart(text, statement.startIndex);
    const end = lineEnd(text, statement.endIndex);
    const alone = text.slice(start, statement.startIndex).trim() === '' && /^\s*(#.*)?$/.test(text.slice(statement.endIndex, end).replace(/\n$/, ''));
    const block = statement.parent;
    const children = block?.type === 'block' ? block.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') : [];
    if (children.length > 0 && children.every((c) => gone.has(c.id))) {
      const holder = block!.parent;
      if (holder?.type === 'if_statement' && holder.parent?.type === 'module' && isTypeCheckingIf(holder) && !holder.childForFieldName('alternative')) {
        if (children[0].id === statement.id) this.lineRemovals.push([lineStart(text, holder.startIndex), lineEnd(text, holder.endIndex)]);
        return;
      }
      if (children[0].id === statement.id) {
        this.changes.replace(this.path, statement.startIndex, statement.endIndex, 'pass', this.origin);
        return;
      }
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
  private flushLineRemovals(insertAt: readonly number[]): void {
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
      const hosts = insertAt.some((at) => group[0] <= at && at <= group[1]);
      if (!precededByBlank || hosts) continue;
      if (blankAt(group[1]) && !this.removedByOp(group[1], lineEnd(text, group[1]))) group[1] = lineEnd(text, group[1]);
      else if (group[0] > 0 && blankAt(this.afterOpRemovals(group[1]))) {
        // The blank line below went with the operation's removal, and another one follows it: take the one above.
        group[0] = lineStart(text, group[0] - 1);
      }
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

  /** `at` moved past the operation's removals that start there (repeatedly: they may chain). */
  private afterOpRemovals(at: number): number {
    for (let again = true; again; ) {
      again = false;
      for (const e of this.opEdits) {
        if (e.kind !== 'insert' && e.text === '' && e.start === at && e.end > at) {
          at = e.end;
          again = true;
        }
      }
    }
    return at;
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

  /**
   * Inserts the new statements (`fresh`: requests no existing statement satisfies or takes). When the header's
   * blank-line separated groups of imports each hold one isort section, in isort's order, a statement joins the
   * group of its section (at its sorted place if the group is sorted as isort sorts, else after the group's last
   * statement) or starts a new group between the groups before and after its section. Otherwise (a group mixes
   * sections, or groups are out of order) everything goes after the last import of the header, as one block.
   */
  private emitFresh(fresh: ImportRequest[], header: ImportHeader, kept: ImportBinding[]): void {
    if (fresh.length === 0) {
      this.flushLineRemovals([]);
      return;
    }
    const text = this.file.text;
    const runtime = fresh.filter((r) => !r.typeChecking);
    const typing = fresh.filter((r) => r.typeChecking);
    let typingBlock = '';
    if (typing.length > 0) {
      const block = header.typeCheckingBlocks[0];
      if (block && !this.removedByOp(block.startIndex, block.endIndex)) {
        const body = block.childForFieldName('consequence') ?? block.namedChildren.find((c) => c?.type === 'block') ?? null;
        const first = body?.namedChildren.find((c) => c !== null);
        const indent = first ? text.slice(lineStart(text, first.startIndex), first.startIndex) : '    ';
        this.changes.insert(this.path, lineEnd(text, body!.endIndex), renderStatements(typing, indent, this.singleLine()), this.origin);
      } else {
        const hasTC = kept.some((b) => b.local === 'TYPE_CHECKING') || runtime.some((r) => (r.alias ?? r.name) === 'TYPE_CHECKING');
        if (!hasTC) runtime.push({ module: 'typing', name: 'TYPE_CHECKING', level: 0 });
        typingBlock = `if TYPE_CHECKING:\n${renderStatements(typing, '    ', this.singleLine())}`;
      }
    }
    const rank = (r: ImportRequest): number => sectionRank(classifyModule(r.module, r.level ?? 0, firstPartyRoots(this.project)));
    const layout = this.sectionLayout(header);
    if (layout === 'mixed' || layout.length === 0) {
      // Mixed sections: one block after the header's last import. No import group at all: the same place, the
      // block split into isort sections.
      const future = runtime.filter((r) => r.module === '__future__' && !r.level);
      if (layout.length === 0 && future.length > 0 && header.dunders.length > 0) {
        // Above the module dunders: a `__future__` import below `__all__ = ...` is a SyntaxError.
        // After the blank line below the docstring, if there is one; else a blank line of its own.
        const blank = header.futureAt < text.length && text.slice(header.futureAt, lineEnd(text, header.futureAt)).trim() === '';
        const at = blank ? lineEnd(text, header.futureAt) : header.futureAt;
        const lead = !blank && at > 0 ? '\n' : '';
        this.changes.insert(this.path, at, `${lead}${renderStatements(future, '', this.singleLine())}\n`, this.origin);
        runtime.splice(0, runtime.length, ...runtime.filter((r) => !future.includes(r)));
      }
      const near = layout === 'mixed' ? this.nearStatements(runtime, header) : new Map<number, ImportRequest[]>();
      const rest = runtime.filter((r) => ![...near.values()].some((list) => list.includes(r)));
      const statements = layout === 'mixed' ? renderStatements(rest, '', this.singleLine()) : renderSections(rest, rank, this.singleLine());
      this.flushLineRemovals([header.insertAt, ...near.keys()]);
      for (const [at, requests] of near) this.changes.insert(this.path, at, renderStatements(requests, '', this.singleLine()), this.origin);
      this.emitAfterHeader(statements + typingBlock, header);
      return;
    }
    const slots = this.planSlots(layout, runtime, rank, header);
    if (typingBlock) {
      // A new `if TYPE_CHECKING:` block still goes after the whole header, after a blank line.
      const at = header.insertAt;
      let slot = slots.get(at);
      if (!slot) {
        const before = layout.find((g) => g.live.some((s) => lineEnd(text, s.endIndex) === at));
        slots.set(at, (slot = { at, prevRank: before ? before.rank : null, nextRank: null, parts: [], takesPlace: false }));
      }
      slot.parts.push({ rank: SECTION_ORDER.length, text: typingBlock });
    }
    this.flushLineRemovals([...slots.keys()]);
    for (const slot of [...slots.values()].sort((a, b) => a.at - b.at)) this.place(slot, header);
  }

  /**
   * The header's groups of top-level import statements (runs without a blank line or another statement between),
   * each with its isort section; 'mixed' when a group mixes sections or the groups are not in section order.
   * Statements removed in this step count for nothing, except that a group whose statements are all removed stays
   * as a place for new imports of its section (a replaced import takes the old one's place).
   */
  private sectionLayout(header: ImportHeader): ImportGroup[] | 'mixed' {
    const text = this.file.text;
    const groups: { statements: Node[] }[] = [];
    let open: { statements: Node[] } | null = null;
    for (const s of header.statements) {
      if (!isImportStatement(s)) {
        open = null;
        continue;
      }
      const prev = open?.statements[open.statements.length - 1];
      if (!open || !prev || /\n[ \t\f]*\r?\n/.test(text.slice(prev.endIndex, lineStart(text, s.startIndex) + 1))) {
        groups.push((open = { statements: [] }));
      }
      open.statements.push(s);
    }
    const firstParty = firstPartyRoots(this.project);
    const rankOf = (nodes: Node[]): number | null | 'mixed' => {
      const ranks = new Set(nodes.flatMap((n) => statementModules(n).map((m) => sectionRank(classifyModule(m.module, m.level, firstParty)))));
      if (ranks.size === 0) return null;
      return ranks.size === 1 ? [...ranks][0] : 'mixed';
    };
    const found: ImportGroup[] = [];
    for (const g of groups) {
      const live = g.statements.filter((s) => !this.gone(s));
      const r = rankOf(live.length > 0 ? live : g.statements);
      if (r === 'mixed' && live.length > 0) return 'mixed';
      if (r === null || r === 'mixed') continue; // a removed mixed group gives no place
      found.push({ statements: g.statements, live, rank: r });
    }
    const live = found.filter((g) => g.live.length > 0);
    if (live.some((g, i) => i > 0 && live[i - 1].rank > g.rank)) return 'mixed';
    // A removed group is a place only where its section fits between the groups that stay.
    return found.filter((g, i) => {
      if (g.live.length > 0) return true;
      const before = found.slice(0, i).filter((x) => x.live.length > 0).pop();
      const after = found.slice(i + 1).find((x) => x.live.length > 0);
      return (!before || before.rank <= g.rank) && (!after || g.rank <= after.rank);
    });
  }

  /** True when the operation or the planner removes the whole statement in this step. */
  private gone(s: Node): boolean {
    const covers = ([a, b]: [number, number]): boolean => a <= s.startIndex && s.endIndex <= b;
    return this.removedByOp(s.startIndex, s.endIndex) || this.lineRemovals.some(covers) || this.ownRemovals.some(covers);
  }

  /** Where each new runtime statement goes in a file whose import groups follow isort's sections. */
  private planSlots(groups: ImportGroup[], runtime: ImportRequest[], rank: (r: ImportRequest) => number, header: ImportHeader): Map<number, Slot> {
    const text = this.file.text;
    const slots = new Map<number, Slot>();
    const add = (at: number, prevRank: number | null, nextRank: number | null, part: SlotPart, takesPlace = false): void => {
      let slot = slots.get(at);
      if (!slot) slots.set(at, (slot = { at, prevRank, nextRank, parts: [], takesPlace }));
      slot.parts.push(part);
    };
    const ranks = [...new Set(runtime.map(rank))].sort((a, b) => a - b);
    for (const r of ranks) {
      const statements = statementsOf(runtime.filter((x) => rank(x) === r), '', this.singleLine());
      const own = groups.filter((g) => g.rank === r);
      const target = own.filter((g) => g.live.length > 0).pop();
      if (target) {
        const keys = target.live.map(statementKey);
        const sorted = keys.every((k, i) => i === 0 || compareImports(keys[i - 1], k) <= 0);
        for (const st of statements) {
          const key = requestKey(st.request);
          if (!sorted) {
            // Next to the statement it was split from, else after the group's last statement.
            const near = target.live.find((s) => st.request.after !== undefined && s.endIndex === st.request.after);
            const at = near ?? target.live[target.live.length - 1];
            add(lineEnd(text, at.endIndex), r, at === target.live[target.live.length - 1] ? null : r, { rank: r, text: st.text });
            continue;
          }
          let after = -1;
          for (const [i, k] of keys.entries()) if (compareImports(k, key) <= 0) after = i;
          if (after >= 0) add(lineEnd(text, target.live[after].endIndex), r, after === keys.length - 1 ? null : r, { rank: r, key, text: st.text });
          else add(lineStart(text, target.live[0].startIndex), null, r, { rank: r, key, text: st.text });
        }
        continue;
      }
      const parts = statements.map((st): SlotPart => ({ rank: r, key: requestKey(st.request), text: st.text }));
      const lower = groups.filter((g) => g.rank < r && g.live.length > 0).pop();
      const higher = groups.find((g) => g.rank > r && g.live.length > 0);
      // Every statement of the section's group is removed (or of every group): the new ones take its place.
      const ghost = own.pop() ?? (!lower && !higher ? groups[0] : undefined);
      const firstImport = header.statements[0]?.startIndex ?? Infinity;
      if (r === 0 && !ghost && !lower && header.dunders.some((d) => d.startIndex < firstImport)) {
        // A first `__future__` import, in a file with module dunders above its imports: above the dunders.
        for (const p of parts) add(header.futureAt, null, null, p);
      } else if (ghost) {
        for (const p of parts) add(lineStart(text, ghost.statements[0].startIndex), null, null, p, true);
      } else if (lower) {
        for (const p of parts) add(lineEnd(text, lower.live[lower.live.length - 1].endIndex), lower.rank, null, p);
      } else if (higher) {
        // Above the next group and the comment lines on top of it (a section title), not above a file's top comments.
        let at = lineStart(text, higher.live[0].startIndex);
        let p = at;
        while (p > 0 && text.slice(lineStart(text, p - 1), p).trim().startsWith('#')) p = lineStart(text, p - 1);
        if (p > 0) at = p;
        for (const part of parts) add(at, null, at === lineStart(text, higher.live[0].startIndex) ? higher.rank : null, part);
      } else {
        for (const p of parts) add(header.insertAt, null, null, p);
      }
    }
    return slots;
  }

  /**
   * Inserts a slot's statements: sorted by section (then isort order where known), a blank line between sections
   * and between a new section and its neighbours, nothing between statements of one group.
   */
  private place(slot: Slot, header: ImportHeader): void {
    const text = this.file.text;
    const parts = slot.parts
      .map((p, i) => ({ ...p, i }))
      .sort((a, b) => a.rank - b.rank || (a.key && b.key ? compareImports(a.key, b.key) : 0) || a.i - b.i);
    let body = '';
    for (const [i, p] of parts.entries()) body += (i > 0 && p.rank !== parts[i - 1].rank ? '\n' : '') + p.text;
    const first = parts[0].rank;
    const last = parts[parts.length - 1].rank;
    const cuts = this.cuts();
    const { at, reopened } = outsideCuts(slot.at, cuts);
    let lead: string;
    if (slot.takesPlace) lead = ''; // what preceded the removed group stays as it was
    else if (slot.prevRank !== null) lead = first === slot.prevRank ? '' : '\n';
    else if (first === slot.nextRank) lead = '';
    else {
      let p = at;
      for (let again = true; again; ) {
        again = false;
        for (const [s0, e0] of cuts) {
          if (e0 === p && s0 < p) {
            p = s0;
            again = true;
          }
        }
      }
      lead = p === 0 || text.slice(lineStart(text, p - 1), p).trim() === '' ? '' : '\n';
    }
    const lineGone = this.ownRemovals.some(([s0, e0]) => e0 === at && (s0 === 0 || text[s0 - 1] === '\n'));
    if (at > 0 && text[at - 1] !== '\n' && !lineGone) lead = `\n${lead}`;
    let trail = '';
    if (slot.nextRank !== null) trail = last === slot.nextRank ? '' : '\n';
    else {
      const next = this.nextLine(at, cuts);
      if (next !== '' && !/^(import|from)\s/.test(next) && !(last === slot.prevRank && at < header.insertAt)) {
        // PEP 8: two blank lines before a top-level def / class, one before other code.
        trail = at >= header.insertAt && /^(def|class|async|@)/.test(next) ? '\n\n' : '\n';
      }
    }
    this.insertBefore(at, lead + body + trail, reopened);
  }

  /**
   * Requests with an `after` hint on a top-level import statement of the header, by the offset of the line after
   * that statement (where they go).
   */
  private nearStatements(requests: ImportRequest[], header: ImportHeader): Map<number, ImportRequest[]> {
    const out = new Map<number, ImportRequest[]>();
    for (const r of requests) {
      const statement = r.after === undefined ? undefined : header.statements.find((s) => s.endIndex === r.after && isImportStatement(s));
      if (statement) push(out, lineEnd(this.file.text, statement.endIndex), r);
    }
    return out;
  }

  /** Legacy placement: `insert` (statements ending with '\n') after the header's last import / docstring. */
  private emitAfterHeader(insert: string, header: ImportHeader): void {
    if (!insert) return;
    const text = this.file.text;
    // Removals (the operation's and the planner's own) spanning the insertion point: insert at their start instead.
    const cuts = this.cuts();
    const { at, reopened } = outsideCuts(header.insertAt, cuts);
    // Text before `at` must end a line, unless the planner removes it from a line start up to `at`.
    const lineGone = this.ownRemovals.some(([s0, e0]) => e0 === at && (s0 === 0 || text[s0 - 1] === '\n'));
    if (at > 0 && text[at - 1] !== '\n' && !lineGone) insert = `\n${insert}`;
    // After a docstring (no import above), keep a blank line between the two.
    if (header.statements.length === 0 && at > 0 && !reopened) insert = `\n${insert}`;
    // The line that will follow the new imports (skipping what is removed right there): code gets a blank line.
    const nextLine = this.nextLine(at, cuts);
    // PEP 8: two blank lines before a top-level def / class, one before other code.
    if (nextLine !== '' && !/^(import|from)\s/.test(nextLine)) insert += /^(def|class|async|@)/.test(nextLine) ? '\n\n' : '\n';
    this.insertBefore(at, insert, reopened);
  }

  /** Ranges removed in this step (by the operation and by the planner), as known now. */
  private cuts(): [number, number][] {
    return [...this.opEdits.filter((e) => e.kind !== 'insert').map((e): [number, number] => [e.start, e.end]), ...this.ownRemovals];
  }

  /** The (trimmed) line that will start at `at`, skipping what is removed right there; '' at the end. */
  private nextLine(at: number, cuts: [number, number][]): string {
    const text = this.file.text;
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
    return text.slice(probe, lineEnd(text, probe)).trim();
  }

  /** Inserts `insert` at `at`, before whatever the operation inserts at the same offset. */
  private insertBefore(at: number, insert: string, reopened: boolean): void {
    const text = this.file.text;
    if (!reopened && at > 0 && text[at - 1] === '\n' && this.opEdits.some((e) => e.kind === 'insert' && e.start === at)) {
      // The operation inserts code at the same offset (e.g. appends to a file that is only imports): go in before
      // the line break that ends the line above, so the imports come first whatever the call order.
      const eol = at > 1 && text[at - 2] === '\r' ? at - 2 : at - 1;
      this.changes.insert(this.path, eol, `\n${insert.slice(0, -1)}`, this.origin);
      return;
    }
    this.changes.insert(this.path, at, insert, this.origin);
  }
}

/** A blank-line separated group of top-level import statements of one isort section (see `sectionLayout`). */
interface ImportGroup {
  /** Every statement of the group, removed ones included. */
  statements: Node[];
  /** The statements this step keeps. */
  live: Node[];
  /** {@link sectionRank} of its section. */
  rank: number;
}

/** Statements inserted at one offset. */
interface Slot {
  at: number;
  /** Section of the import statement the slot follows directly (null: something else, read from the text). */
  prevRank: number | null;
  /** Section of the import statement that follows the slot directly (null: something else, read from the text). */
  nextRank: number | null;
  parts: SlotPart[];
  /** In the place of a group this step removes: the spacing above it stays as it was. */
  takesPlace: boolean;
}

interface SlotPart {
  /** Section rank ({@link SECTION_ORDER}.length for a new `if TYPE_CHECKING:` block). */
  rank: number;
  /** isort key, when the statement goes in isort order; parts without one keep request order. */
  key?: ImportSortKey;
  text: string;
}

/** Modules an import statement imports from (each `import a, b` name; the `from` module; `__future__`). */
function statementModules(node: Node): { module: string; level: number }[] {
  if (node.type === 'future_import_statement') return [{ module: '__future__', level: 0 }];
  if (node.type === 'import_from_statement') {
    const m = node.childForFieldName('module_name');
    if (!m) return [];
    const raw = m.text.replace(/\s+/g, '');
    const level = /^\.*/.exec(raw)![0].length;
    return [{ module: raw.slice(level), level }];
  }
  return importedNameNodes(node).map((n) => {
    const name = n.type === 'aliased_import' ? n.childForFieldName('name') ?? n : n;
    return { module: name.text.replace(/\s+/g, ''), level: 0 };
  });
}

/** isort sort key of an existing statement. */
function statementKey(node: Node): ImportSortKey {
  const m = statementModules(node)[0] ?? { module: '', level: 0 };
  return { kind: node.type === 'import_statement' ? 'import' : 'from', module: m.module, level: m.level };
}

/** New statements in isort sections, a blank line between sections, isort order inside each. */
function renderSections(requests: ImportRequest[], rank: (r: ImportRequest) => number, singleLine: boolean): string {
  const ranks = [...new Set(requests.map(rank))].sort((a, b) => a - b);
  return ranks
    .map((r) =>
      statementsOf(requests.filter((x) => rank(x) === r), '', singleLine)
        .sort((a, b) => compareImports(requestKey(a.request), requestKey(b.request)))
        .map((s) => s.text)
        .join(''),
    )
    .join('\n');
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
    const ws = multiline ? /^\s*/.exec(source.slice(lineStart(source, lastName.startIndex), lastName.startIndex))![0] : '';
    // Names kept in isort's order get the new ones at their sorted places; otherwise they go last.
    const keys = keep.map(memberName);
    const sorted = keys.every((k, i) => i === 0 || compareMembers(keys[i - 1], k) <= 0);
    const last: string[] = [];
    for (const a of sorted ? [...add].sort((x, y) => compareMembers(memberName(x), memberName(y))) : add) {
      const before = sorted ? keep.find((n) => compareMembers(memberName(a), memberName(n)) < 0) : undefined;
      if (!before) last.push(a);
      else pieces.push({ start: before.startIndex, end: before.startIndex, text: multiline ? `${a},\n${ws}` : `${a}, ` });
    }
    if (last.length > 0 && multiline) {
      const at = lastName.endIndex + (comma ? comma[0].length : 0);
      const lines = comma ? last.map((a) => `\n${ws}${a},`).join('') : last.map((a) => `,\n${ws}${a}`).join('');
      pieces.push({ start: at, end: at, text: lines });
    } else if (last.length > 0) {
      pieces.push({ start: lastName.endIndex, end: lastName.endIndex, text: `, ${last.join(', ')}` });
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

/** The imported name of a name node or of `name as alias` text (what isort sorts by). */
function memberName(n: Node | string): string {
  if (typeof n === 'string') return n.split(/\s+as\s+/)[0].trim();
  return (n.type === 'aliased_import' ? n.childForFieldName('name') ?? n : n).text;
}

/** Name nodes (dotted_name / aliased_import / wildcard) of an import statement, in order (the module excluded). */
export function importedNameNodes(statement: Node): Node[] {
  const moduleNode = statement.childForFieldName('module_name');
  return statement.namedChildren.filter(
    (c): c is Node => c !== null && (c.type === 'dotted_name' || c.type === 'aliased_import') && c.id !== moduleNode?.id,
  );
}

/** `at`, moved to the start of the removals that span it (repeatedly: removals may chain); `reopened` when moved. */
function outsideCuts(at: number, cuts: [number, number][]): { at: number; reopened: boolean } {
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
  return { at, reopened };
}
