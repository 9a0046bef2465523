import type { ImportBinding, ModuleIndex, Node, Project, ScopeAnalysis, TopLevelDef } from '@remodel/python';
import { unevaluatedAnnotation } from '../shared/annotations.js';

/** What the code moving out of module A needs, and who reads what. */
export interface MoveAnalysis {
  /** Definitions that move, one per statement (siblings share one), in source order. */
  defs: TopLevelDef[];
  /** Import bindings of A that the moved code reads, to re-create in B (`typeChecking` ones under TYPE_CHECKING). */
  copies: ImportBinding[];
  /** Top-level `try: import ... except ImportError:` statements of A the moved code reads from, copied verbatim. */
  guarded: Node[];
  /** Names staying in A that the moved code reads -> the moved symbols reading them. */
  stays: Map<string, string[]>;
  /**
   * Names of `stays` that the moved code reads only in annotations Python never evaluates in B (see
   * `unevaluatedAnnotation`): an import under `if TYPE_CHECKING:` serves them without an import-time edge.
   */
  typeOnly: Set<string>;
  /** Every module-level name the moved code reads -> the moved symbols reading it. */
  reads: Map<string, string[]>;
  /** Every module-level name the rest of A reads -> labels of the statements reading it (`g`, `line 12`). */
  remainingReads: Map<string, string[]>;
  /**
   * Moved names whose definition carries a decorator that may act at import time (`@app.route(...)`,
   * `@registry.register`): importing A ran it, so A keeps importing them from B even without the re-export.
   */
  registered: string[];
  /** `globals()` (or module-level `vars()` / `locals()`) calls in the moved code: they read A's namespace by name. */
  namespaceReaders: { owner: string; line: number }[];
}

/** A top-level statement of A that is not an import: a definition (by name) or other module code (by line). */
interface Statement {
  node: Node;
  label: string;
  def: TopLevelDef | null;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

/** The top-level statements of A other than imports, with the definition each belongs to. */
export function statementsOf(project: Project, path: string): Statement[] {
  const index = project.index(path);
  const byStart = new Map<number, TopLevelDef>();
  for (const def of index.defs.values()) if (!byStart.has(def.node.startIndex)) byStart.set(def.node.startIndex, def);
  const out: Statement[] = [];
  for (const node of project.file(path).tree.rootNode.namedChildren) {
    if (!node || node.type === 'comment') continue;
    if (node.type === 'import_statement' || node.type === 'import_from_statement' || node.type === 'future_import_statement') continue;
    const def = byStart.get(node.startIndex) ?? null;
    out.push({ node, label: def ? def.name : `line ${node.startPosition.row + 1}`, def });
  }
  return out;
}

/** The top-level statement of the module containing `node`. */
export function topLevelStatement(node: Node): Node {
  let cur = node;
  while (cur.parent && cur.parent.type !== 'module') cur = cur.parent;
  return cur;
}

/**
 * Classifies the module-level names the moved definitions `moved` read: other moved names need nothing, imports of
 * A are copied (guarded blocks verbatim), everything else bound in A stays there and must be imported back.
 * Builtins and undefined names need nothing.
 */
export function analyzeMove(project: Project, path: string, moved: ReadonlySet<string>, lazyAnnotations = false): MoveAnalysis {
  const index: ModuleIndex = project.index(path);
  const scopes: ScopeAnalysis = project.scopes(path);
  const moduleNames = scopes.moduleBindings();
  const defs: TopLevelDef[] = [];
  const seen = new Set<number>();
  for (const name of moved) {
    const def = index.defs.get(name)!;
    if (seen.has(def.start)) continue;
    seen.add(def.start);
    defs.push(def);
  }
  defs.sort((a, b) => a.start - b.start);
  const copies: ImportBinding[] = [];
  const guarded: Node[] = [];
  const stays = new Map<string, string[]>();
  const reads = new Map<string, string[]>();
  const readNodes = new Map<string, Node[]>();
  const statements = statementsOf(project, path);
  const within = (node: Node, d: TopLevelDef): boolean => d.start <= node.startIndex && node.endIndex <= d.end;
  /** Classifies one module-level name read by moved code (or by a block copied for it) on behalf of `owner`. */
  const classify = (name: string, owner: string): void => {
    if (moved.has(name)) return;
    const def = index.defs.get(name);
    // `sniffio: Any` then `try: import sniffio except ...: sniffio = None`: the import block binds the value.
    const annotated = def && annotationOnly(def) && index.imports.some((b) => b.topLevel && b.local === name);
    if (def && !annotated) {
      push(stays, name, owner);
      return;
    }
    const bindings = index.imports.filter((b) => b.topLevel && b.local === name);
    if (bindings.length > 0) {
      // An import nested in a top-level `if` / `try` (version switches, optional dependencies) is copied with its
      // whole statement, verbatim: copied alone, `from typing import TypeIs` would fail where the `else` was meant.
      const plain = bindings.filter((b) => !b.guarded && (b.typeChecking || topLevelStatement(b.statement).id === b.statement.id));
      for (const b of plain) if (!copies.includes(b)) copies.push(b);
      for (const b of bindings) {
        if (plain.includes(b)) continue;
        const stmt = topLevelStatement(b.statement);
        if (guarded.some((g) => g.id === stmt.id)) continue;
        guarded.push(stmt);
        // What the copied block itself reads (`sys` in `if sys.version_info >= ...`) is needed too.
        const bound = new Set(index.imports.filter((x) => within(x.statement, { start: stmt.startIndex, end: stmt.endIndex } as TopLevelDef)).map((x) => x.local));
        for (const [n] of scopes.freeNames(stmt)) if (!bound.has(n)) classify(n, owner);
      }
      return;
    }
    if (moduleNames.has(name)) push(stays, name, owner);
  };
  for (const def of defs) {
    const owner = [def.name, ...def.siblings].find((n) => moved.has(n)) ?? def.name;
    // Every statement of the definition's range: `@overload` stubs and the implementation share one range.
    const parts = statements.filter((s) => within(s.node, def)).map((s) => s.node);
    for (const part of parts.length > 0 ? parts : [def.node]) {
      for (const [name, nodes] of scopes.freeNames(part)) {
        push(reads, name, owner);
        readNodes.set(name, [...(readNodes.get(name) ?? []), ...nodes]);
        classify(name, owner);
      }
    }
  }
  guarded.sort((a, b) => a.startIndex - b.startIndex);
  // B's imports follow A's order (statement by statement, name by name).
  copies.sort((a, b) => a.node.startIndex - b.node.startIndex);
  const remainingReads = new Map<string, string[]>();
  for (const s of statements) {
    if (defs.some((d) => within(s.node, d))) continue;
    for (const name of scopes.freeNames(s.node).keys()) push(remainingReads, name, s.label);
    // `"{x}".format(**globals())`, `globals()["x"]`: reads every name of A, the moved ones included.
    if (namespaceCalls(s.node).length > 0) for (const name of moved) push(remainingReads, name, s.label);
  }
  const namespaceReaders = defs.flatMap((d) => namespaceCalls(d.node).map((call) => ({ owner: d.name, line: call.startPosition.row + 1 })));
  const typeOnly = new Set([...stays.keys()].filter((n) => readNodes.get(n)!.every((node) => unevaluatedAnnotation(node, lazyAnnotations))));
  const registered = defs.filter((d) => sideEffectDecorators(d.node).length > 0).flatMap((d) => [d.name, ...d.siblings].filter((n) => moved.has(n)));
  return { defs, copies, guarded, stays, typeOnly, reads, remainingReads, namespaceReaders, registered };
}

/**
 * Module state rebound through `global` that the move would split: for each such name of A, every statement that
 * writes or reads it must stay or move together. Returns a description of the first split found, or null.
 */
export function splitState(project: Project, path: string, moved: ReadonlySet<string>): { state: string; moving: string[]; staying: string[] } | null {
  const index = project.index(path);
  const scopes = project.scopes(path);
  const statements = statementsOf(project, path);
  for (const [state, writes] of index.globalWrites) {
    const users = new Set<string>();
    const movingUsers = new Set<string>();
    const stayingUsers = new Set<string>();
    for (const s of statements) {
      const writesHere = writes.some((w) => s.node.startIndex <= w.startIndex && w.endIndex <= s.node.endIndex);
      const readsHere = scopes.freeNames(s.node).has(state);
      const defines = s.def && (s.def.name === state || s.def.siblings.includes(state));
      if (!writesHere && !readsHere && !defines) continue;
      users.add(s.label);
      const isMoving = !!s.def && [s.def.name, ...s.def.siblings].some((n) => moved.has(n));
      (isMoving ? movingUsers : stayingUsers).add(s.label);
    }
    if (movingUsers.size > 0 && stayingUsers.size > 0) {
      return { state, moving: [...movingUsers], staying: [...stayingUsers] };
    }
  }
  return null;
}

/**
 * Whether A keeps importing moved `name` from B without the re-export: its remaining code reads it, or importing A
 * must still run the name's registering decorator.
 */
export function stillImportedByA(analysis: MoveAnalysis, name: string): boolean {
  return analysis.remainingReads.has(name) || analysis.registered.includes(name);
}

/**
 * Calls under `node` that read the module namespace as a mapping: `globals()` anywhere, `vars()` / `locals()`
 * without arguments outside a function (a name read through them is invisible to scope analysis).
 */
export function namespaceCalls(node: Node): Node[] {
  return node.descendantsOfType('call').filter((call): call is Node => {
    if (!call) return false;
    const fn = call.childForFieldName('function');
    const args = call.childForFieldName('arguments');
    if (fn?.type !== 'identifier' || (args?.namedChildCount ?? 0) > 0) return false;
    if (fn.text === 'globals') return true;
    if (fn.text !== 'vars' && fn.text !== 'locals') return false;
    for (let p = call.parent; p; p = p.parent) if (p.type === 'function_definition' || p.type === 'lambda') return false;
    return true;
  });
}

/** A bare annotation `x: T` (no value): it binds nothing at run time. */
export function annotationOnly(def: TopLevelDef): boolean {
  if (def.kind !== 'assignment') return false;
  const assignment = def.node.type === 'expression_statement' ? def.node.firstNamedChild : null;
  return assignment?.type === 'assignment' && assignment.childForFieldName('type') !== null && assignment.childForFieldName('right') === null;
}

/** Decorators known to act only on the object they wrap (no registration anywhere), by their last dotted part. */
const PURE_DECORATORS = new Set([
  'staticmethod', 'classmethod', 'property', 'cached_property', 'wraps', 'dataclass', 'overload', 'final', 'override',
  'cache', 'lru_cache', 'total_ordering', 'contextmanager', 'asynccontextmanager', 'abstractmethod', 'runtime_checkable',
  'singledispatch', 'unique', 'no_type_check', 'deprecated', 'setter', 'getter', 'deleter',
]);

/** The decorators of a top-level definition that may have import-time effects beyond the wrapped object. */
export function sideEffectDecorators(node: Node): Node[] {
  if (node.type !== 'decorated_definition') return [];
  return node.namedChildren.filter((c): c is Node => {
    if (c?.type !== 'decorator') return false;
    let expr = c.namedChildren.find((x) => x !== null && x.type !== 'comment') ?? null;
    if (expr?.type === 'call') expr = expr.childForFieldName('function');
    const last = expr?.type === 'attribute' ? expr.childForFieldName('attribute')?.text : expr?.type === 'identifier' ? expr.text : undefined;
    return !last || !PURE_DECORATORS.has(last);
  });
}
