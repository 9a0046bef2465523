import { PlanError } from '@remodel/runtime';
import type { SplitRouterParams } from './schema.js';
import type { Group } from './groups.js';
import { siblingModule, type SourceModel, type Unit } from './model.js';

/** A module the split creates. */
export interface Target {
  kind: 'group' | 'shared' | 'state';
  path: string;
  module: string;
  stem: string;
  docstring: string;
  group: Group | null;
  /** Units moving here, in source order (copies excluded). */
  units: Unit[];
  /** `__name__`-dependent assignments (loggers) re-created here. */
  copies: Unit[];
}

/** Where everything goes. `home` null = stays in the aggregator. */
export interface Placement {
  targets: Target[];
  home: Map<Unit, Target | null>;
  /** Names with exactly one owner module; every other module reads them as `<owner>.<name>`. */
  owner: Map<string, Target>;
}

/**
 * Decides the home of every unit: endpoints go to their group; state and the functions rebinding it to the state
 * module; a helper (function, class, constant) to the one group using it, to the shared module when several
 * destinations use it (transitively), or it stays when only the aggregator uses it. Loggers and other
 * `__name__`-dependent assignments are re-created in each module that reads them. Names rebound from outside or
 * patched whole get one owner. Refuses new modules that would import each other in a cycle.
 */
export function place(source: SourceModel, groups: Group[], params: SplitRouterParams): Placement {
  const stem = source.module.split('.').pop()!;
  const sibling = (name: string): string => (source.dir ? `${source.dir}/${name}.py` : `${name}.py`);
  const targets: Target[] = [];
  const taken = new Map<string, string>();
  const make = (kind: Target['kind'], value: string, field: string, group: Group | null, docstring: string): Target => {
    const m = siblingModule(source, value, field);
    if (m.path === source.file.path) throw new PlanError('target-is-source', `split-router: ${field}: ${value} is the module being split`);
    const prev = taken.get(m.path);
    if (prev) throw new PlanError('target-twice', `split-router: ${field} and ${prev} name the same module ${m.path}`);
    taken.set(m.path, field);
    const t: Target = { kind, ...m, docstring, group, units: [], copies: [] };
    targets.push(t);
    return t;
  };
  for (const g of groups) {
    const names = g.endpoints.map((u) => u.def.name);
    make('group', g.spec.module, `groups[${g.index}].module`, g, g.spec.docstring ?? `Endpoints of ${source.module}: ${names.join(', ')}.`);
  }
  let state: Target | null = null;
  let shared: Target | null = null;
  const stateTarget = (): Target =>
    (state ??= make('state', params.state ?? sibling(`${stem}_state`), 'state', null, `Module state of ${source.module}: its single owner (read it as \`<module>.<name>\`, never import the names).`));
  const sharedTarget = (): Target => (shared ??= make('shared', params.shared ?? sibling(`${stem}_common`), 'shared', null, `Helpers shared by the sub-routers of ${source.module}.`));

  const home = new Map<Unit, Target | null>();
  const groupTarget = (g: Group): Target => targets.find((t) => t.group === g)!;
  for (const g of groups) for (const u of g.endpoints) home.set(u, groupTarget(g));
  for (const u of source.units) {
    if (u.role === 'state' || u.role === 'state-fn') home.set(u, stateTarget());
    if (u.role === 'router') home.set(u, null);
  }

  // Helpers follow their users (fixpoint: a helper's destination is where every unit reading it can import it from).
  const users = new Map<Unit, Set<Target>>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const u of source.units) {
      const at = home.get(u);
      if (!at || u.role === 'copy') continue;
      for (const name of u.reads.keys()) {
        const h = source.byName.get(name);
        if (!h || h === u || h.role !== 'helper') continue;
        const set = users.get(h) ?? new Set<Target>();
        if (set.has(at)) continue;
        set.add(at);
        users.set(h, set);
        const next = set.size === 1 ? at : sharedTarget();
        if (home.get(h) !== next) {
          home.set(h, next);
          changed = true;
        }
      }
    }
  }
  for (const u of source.units) if (!home.has(u)) home.set(u, null);
  for (const t of targets) t.units = source.units.filter((u) => home.get(u) === t && u.role !== 'copy');
  for (const u of source.units) {
    if (u.role !== 'copy') continue;
    for (const t of targets) if (t.units.some((x) => x.reads.has(u.def.name))) t.copies.push(u);
  }

  const owner = new Map<string, Target>();
  for (const u of source.units) {
    const at = home.get(u);
    if (u.role === 'state' && at) for (const n of u.names) owner.set(n, at);
  }
  for (const name of source.replacedFromOutside) {
    if (owner.has(name)) continue;
    const unit = source.byName.get(name);
    if (unit) {
      const at = home.get(unit);
      if (at) owner.set(name, at);
      continue;
    }
    if (!source.imports.has(name)) continue;
    const readers = targets.filter((t) => [...t.units, ...t.copies].some((u) => u.reads.has(name)));
    if (readers.length === 1) owner.set(name, readers[0]);
    else if (readers.length > 1) owner.set(name, stateTarget());
  }
  checkCycles(source, targets, home, owner);
  return { targets, home, owner };
}

/** Refuses when the new modules would import each other in a cycle (e.g. an endpoint calling another group's endpoint). */
function checkCycles(source: SourceModel, targets: Target[], home: Map<Unit, Target | null>, owner: Map<string, Target>): void {
  const edges = new Map<Target, Map<Target, string>>();
  for (const t of targets) {
    const out = new Map<Target, string>();
    for (const u of [...t.units, ...t.copies]) {
      for (const name of u.reads.keys()) {
        const o = owner.get(name);
        const h = source.byName.get(name);
        const to = o ?? (h && h.role !== 'copy' ? home.get(h) : null);
        if (to && to !== t && !out.has(to)) out.set(to, `${u.def.name} uses ${name}`);
      }
    }
    edges.set(t, out);
  }
  const state = new Map<Target, number>();
  const stack: Target[] = [];
  const visit = (t: Target): void => {
    state.set(t, 1);
    stack.push(t);
    for (const [to] of edges.get(t) ?? []) {
      if (state.get(to) === 1) {
        const cycle = [...stack.slice(stack.indexOf(to)), to];
        const why = cycle.slice(0, -1).map((a, i) => `${a.stem} -> ${cycle[i + 1].stem} (${edges.get(a)!.get(cycle[i + 1])})`);
        throw new PlanError('module-cycle', `split-router: the new modules would import each other: ${why.join(', ')}; put those endpoints in one group`);
      }
      if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(t, 2);
  };
  for (const t of targets) if (!state.has(t)) visit(t);
}
