import type { Node } from '@remodel/python';
import { PlanError } from '@remodel/runtime';
import type { SourceModel, Unit } from './model.js';
import type { Placement, Target } from './placement.js';

/** The names one module now binds for the aggregator, read through its `__getattr__`. */
export interface ForwardBlock {
  target: Target;
  /** Sorted. */
  names: string[];
}

/**
 * How `__getattr__` reaches the modules of the table: `eager` when the aggregator imports every one of them at
 * import time (the table is keyed by those module objects), else `lazy` (keyed by module name, imported with
 * `importlib.import_module` on first use, below `__package__`; `lazy-root` for a module outside any package).
 */
export type ForwardMode = 'eager' | 'lazy' | 'lazy-root';

/** The name of the table the forwarder reads; a module already binding it is refused like one defining `__getattr__`. */
export const TABLE = '_MOVED';

/** What the aggregator knows of itself and of the new modules once the split is planned. */
export interface AggregatorFacts {
  /** Units whose text leaves the aggregator. */
  removed: Set<Unit>;
  /** Names the aggregator imports by name from a new module (re-exports, names its staying code reads). */
  imported: Set<string>;
  /** Names the code staying in the aggregator reads, owned names excepted (those become `<owner>.<name>`). */
  reads: Set<string>;
  /** Local names each new module binds at run time through an import copied from the aggregator. */
  copiedImports: Map<Target, Set<string>>;
  /** The aggregator's `__all__` (or the names given as such). */
  dunderAll: string[] | null;
  /** Local names the aggregator's run-time imports bind to a project module or to a name of one. */
  fromProject: Set<string>;
}

/**
 * The module's own API that the aggregator no longer binds — what it defined at top level (functions, classes,
 * assignments, module state) and what it imported from project modules (possible patch targets and re-exports) —
 * by the new module that binds it now, so that `from <module> import name`, `<module>.name` and patch targets of
 * those names keep resolving for code outside the project. Imports of stdlib and third-party names are not
 * forwarded: they never were the module's API. Names the aggregator keeps binding (imported back, still read,
 * guarded, in `__all__`, imported by other project modules) are not listed. `targets` gives the order of the blocks.
 * Refuses when the module already binds `__getattr__`, `__dir__` or the table's name: merging is left to the user.
 */
export function forwardedNames(source: SourceModel, placement: Placement, facts: AggregatorFacts, targets: Target[]): Map<Target, string[]> {
  const where = new Map<string, Target>();
  for (const u of facts.removed) {
    for (const n of u.names) {
      const at = placement.owner.get(n) ?? placement.home.get(u);
      if (at && !facts.imported.has(n)) where.set(n, at);
    }
  }
  for (const local of source.imports.keys()) {
    if (where.has(local) || !facts.fromProject.has(local) || !importDropped(source, placement, facts, local)) continue;
    const at = placement.owner.get(local) ?? importHolder(facts, local, targets);
    if (at) where.set(local, at);
  }
  const out = new Map<Target, string[]>();
  for (const t of targets) {
    const names = [...where].filter(([, at]) => at === t).map(([n]) => n).sort();
    if (names.length > 0) out.set(t, names);
  }
  const taken = ['__getattr__', '__dir__', TABLE].filter((n) => source.bound.has(n));
  if (out.size > 0 && taken.length > 0) {
    const names = [...where.keys()].sort();
    const shown = names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');
    throw new PlanError(
      'module-getattr',
      `split-router: ${source.file.path} already defines a module ${taken.join(' and ')}; ${source.module} would need its own to keep the ${names.length} moved names reachable (${shown}) — merge or remove it first`,
    );
  }
  return out;
}

/** The first new module (in `targets` order) holding a copy of the aggregator's import of `local`. */
export function importHolder(facts: AggregatorFacts, local: string, targets: Target[]): Target | null {
  return targets.find((t) => facts.copiedImports.get(t)?.has(local)) ?? null;
}

/**
 * The aggregator stops binding the import `local`: a run-time binding that the import planner will remove as unused
 * (unguarded, at the top level or under TYPE_CHECKING, not in `__all__`, read neither by staying code nor through
 * the module by other project files), or a guarded block that `droppedGuarded` removes.
 */
function importDropped(source: SourceModel, placement: Placement, facts: AggregatorFacts, local: string): boolean {
  const bindings = source.imports.get(local) ?? [];
  if (!bindings.some((b) => !b.typeChecking)) return false;
  if (facts.reads.has(local) || facts.dunderAll?.includes(local)) return false;
  if (source.refs.has(local) && !placement.owner.has(local)) return false;
  if (bindings.some((b) => b.guarded)) return droppedGuarded(source, facts).some((stmt) => bindings.some((b) => within(b.statement, stmt)));
  return bindings.every((b) => b.module !== '__future__' && (b.typeChecking || b.statement.parent?.type === 'module'));
}

/**
 * `try: import x / except ImportError: ...` blocks of the aggregator to remove (the import planner never removes
 * guarded imports): those whose names nothing staying reads and a new module binds now, so the names can be
 * forwarded there. A block no new module copied stays, even when nothing reads it.
 */
export function droppedGuarded(source: SourceModel, facts: AggregatorFacts): Node[] {
  const blocks = new Map<number, { node: Node; locals: Set<string> }>();
  for (const [local, bindings] of source.imports) {
    for (const b of bindings) {
      if (!b.guarded) continue;
      const stmt = topStatement(b.statement);
      const entry = blocks.get(stmt.startIndex) ?? { node: stmt, locals: new Set<string>() };
      entry.locals.add(local);
      blocks.set(stmt.startIndex, entry);
    }
  }
  const copied = new Set([...facts.copiedImports.values()].flatMap((s) => [...s]));
  return [...blocks.values()]
    .filter(({ locals }) => ![...locals].some((l) => facts.reads.has(l) || source.refs.has(l) || source.file.isPackage) && [...locals].every((l) => copied.has(l)))
    .map((b) => b.node);
}

/** The top-level statement containing `node`. */
export function topStatement(node: Node): Node {
  let stmt = node;
  while (stmt.parent && stmt.parent.type !== 'module') stmt = stmt.parent;
  return stmt;
}

function within(node: Node, outer: Node): boolean {
  return outer.startIndex <= node.startIndex && node.endIndex <= outer.endIndex;
}

/**
 * One table of the forwarded names by the module that binds them now, read by a module `__getattr__` (PEP 562) and
 * a module `__dir__`. `__getattr__` returns the name's current value in that module (never a copy taken at import
 * time; `from <module> import name` goes through it too) and raises the interpreter's usual `AttributeError` for any
 * other name; `__dir__` lists the forwarded names with the module's own. Laid out as black lays it out (88 columns).
 * `tail` is the text the aggregator ends with; the table follows it after two blank lines.
 */
export function forwarderText(blocks: ForwardBlock[], mode: ForwardMode, tail: string): string {
  const trailing = /\n*$/.exec(tail.replace(/\r\n/g, '\n').replace(/[ \t]+$/gm, ''))![0].length;
  let out = '\n'.repeat(Math.max(0, 3 - trailing));
  out += '# Names moved to these modules; still importable from here (PEP 562).\n';
  out += `${TABLE} = {\n`;
  for (const { target, names } of blocks) out += `${tupleEntry(mode === 'eager' ? target.stem : `"${target.stem}"`, names)}\n`;
  out += '}\n\n\n';
  const module = { eager: 'module', lazy: 'import_module(f"{__package__}.{module}")', 'lazy-root': 'import_module(module)' }[mode];
  out += 'def __getattr__(name):\n';
  // Imported here, not at the top: the forwarder adds no module-level name (nor a line among the module's imports).
  if (mode !== 'eager') out += '    from importlib import import_module\n\n';
  out += `    for module, names in ${TABLE}.items():\n`;
  out += '        if name in names:\n';
  out += `            return getattr(${module}, name)\n`;
  out += '    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")\n';
  out += '\n\ndef __dir__():\n';
  out += `    return sorted(set(globals()).union(*${TABLE}.values()))\n`;
  return out;
}

/** `    key: ("a", "b"),` or, past 88 columns, the tuple exploded one name a line (black always explodes literals). */
function tupleEntry(key: string, names: string[]): string {
  const quoted = names.map((n) => `"${n}"`);
  const line = `    ${key}: (${quoted.join(', ')}${quoted.length === 1 ? ',' : ''}),`;
  if (line.length <= 88) return line;
  return `    ${key}: (\n${quoted.map((q) => `        ${q},\n`).join('')}    ),`;
}
