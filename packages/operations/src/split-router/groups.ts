import { routesOverlap } from '@remodel/python';
import { PlanError } from '@remodel/runtime';
import type { SplitRouterGroup } from './schema.js';
import type { SourceModel, Unit } from './model.js';
import { wildcardRegExp } from '../shared/wildcards.js';

/** A group with the endpoint units it received, in source order. */
export interface Group {
  index: number;
  spec: SplitRouterGroup;
  endpoints: Unit[];
}

/**
 * Puts every endpoint in exactly one group: by name first, then by path pattern, then into the `rest` group.
 * Refuses unknown names, endpoints claimed twice and endpoints no group selects.
 */
export function assignGroups(source: SourceModel, specs: SplitRouterGroup[]): Group[] {
  const endpoints = source.units.filter((u) => u.role === 'endpoint');
  const groups: Group[] = specs.map((spec, index) => ({ index, spec, endpoints: [] }));
  const owner = new Map<Unit, number>();
  const rest = specs.map((s, i) => (s.rest ? i : -1)).filter((i) => i >= 0);
  if (rest.length > 1) throw new PlanError('two-rest-groups', `split-router: groups[${rest[0]}] and groups[${rest[1]}] both set rest: true`);
  for (const g of groups) {
    for (const name of g.spec.endpoints ?? []) {
      const unit = source.byName.get(name);
      if (!unit || unit.role !== 'endpoint') {
        throw new PlanError('unknown-endpoint', `split-router: groups[${g.index}].endpoints: "${name}" is not an endpoint of \`${source.router}\` in ${source.file.path}`);
      }
      const prev = owner.get(unit);
      if (prev !== undefined) throw new PlanError('endpoint-twice', `split-router: endpoint "${name}" is in groups[${prev}] and groups[${g.index}]`);
      owner.set(unit, g.index);
    }
  }
  for (const unit of endpoints) {
    if (owner.has(unit)) continue;
    const matches = groups.filter((g) =>
      (g.spec.paths ?? []).some((p) => {
        const re = wildcardRegExp(p, true);
        return unit.decoratorPaths.some((d) => re.test(d)) || unit.routes.some((r) => re.test(r.path));
      }),
    );
    if (matches.length > 1) {
      throw new PlanError('endpoint-twice', `split-router: endpoint "${unit.def.name}" matches the paths of groups[${matches[0].index}] and groups[${matches[1].index}]; name it in one group's endpoints`);
    }
    if (matches.length === 1) owner.set(unit, matches[0].index);
    else if (rest.length === 1) owner.set(unit, rest[0]);
  }
  const missing = endpoints.filter((u) => !owner.has(u)).map((u) => u.def.name);
  if (missing.length > 0) {
    throw new PlanError('endpoint-unassigned', `split-router: no group takes ${missing.join(', ')}; add them to a group (or set rest: true on one group)`);
  }
  for (const unit of endpoints) groups[owner.get(unit)!].endpoints.push(unit);
  const empty = groups.find((g) => g.endpoints.length === 0);
  if (empty) throw new PlanError('empty-group', `split-router: groups[${empty.index}] (${empty.spec.module}) selects no endpoint`);
  for (const unit of endpoints) {
    if (unit.decoratorPaths.includes('')) {
      throw new PlanError('empty-path', `split-router: ${unit.def.name} is declared with an empty path; a prefix-less sub-router cannot include it (FastAPI refuses)`);
    }
  }
  return groups;
}

/**
 * The order in which the aggregator includes the groups: for every two routes of different groups that can match
 * one request with a common method, the group of the earlier route comes first. Among free choices, the group whose
 * first route came first in the original table goes first, so groups that are contiguous runs of the original keep
 * the table exactly as it was. Refuses when the constraints form a cycle, naming the route pairs involved.
 */
export function includeOrder(source: SourceModel, groups: Group[]): Group[] {
  const groupOf = new Map<Unit, number>();
  for (const g of groups) for (const u of g.endpoints) groupOf.set(u, g.index);
  const routeGroup = source.routes.map((r) => {
    const unit = source.units.find((u) => u.routes.includes(r));
    return unit ? groupOf.get(unit)! : -1;
  });
  const before = new Map<number, Map<number, string>>();
  for (let i = 0; i < source.routes.length; i++) {
    for (let j = i + 1; j < source.routes.length; j++) {
      const gi = routeGroup[i];
      const gj = routeGroup[j];
      if (gi === gj || gi < 0 || gj < 0) continue;
      if (!routesOverlap(source.routes[i], source.routes[j])) continue;
      const edges = before.get(gi) ?? new Map<number, string>();
      if (!edges.has(gj)) edges.set(gj, `${describe(source.routes[i])} before ${describe(source.routes[j])}`);
      before.set(gi, edges);
    }
  }
  const firstRoute = groups.map((g) => routeGroup.indexOf(g.index));
  const indegree = groups.map(() => 0);
  for (const edges of before.values()) for (const to of edges.keys()) indegree[to]++;
  const out: Group[] = [];
  const done = new Set<number>();
  while (out.length < groups.length) {
    const next = groups
      .filter((g) => !done.has(g.index) && indegree[g.index] === 0)
      .sort((a, b) => firstRoute[a.index] - firstRoute[b.index] || a.index - b.index)[0];
    if (!next) {
      const stuck = groups.filter((g) => !done.has(g.index));
      const reasons: string[] = [];
      for (const g of stuck) {
        for (const [to, why] of before.get(g.index) ?? []) if (!done.has(to)) reasons.push(`${why} (groups[${g.index}] -> groups[${to}])`);
      }
      throw new PlanError('order-impossible', `split-router: no include order keeps overlapping routes in order: ${reasons.slice(0, 3).join('; ')}`);
    }
    done.add(next.index);
    out.push(next);
    for (const to of before.get(next.index)?.keys() ?? []) indegree[to]--;
  }
  return out;
}

function describe(r: { methods: string[]; path: string; name: string }): string {
  return `${r.methods.join(',')} ${r.path} (${r.name})`;
}
