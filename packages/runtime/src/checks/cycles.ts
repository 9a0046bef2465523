import type { Project } from '@remodel/python';
import type { Check, Problem } from './check.js';

type Graph = Map<string, Map<string, number>>;

/**
 * No new import-time cycle between project modules. Imports inside functions and under `if TYPE_CHECKING:` do not
 * count. A cycle (strongly connected component) of `after` is new when no cycle of `before` contains all its
 * modules; it is reported once, at the import line of an edge that `before` did not have, with the chain
 * `a -> b -> a`.
 */
export const cyclesCheck: Check = ({ before, after }) => {
  const graph = after.importGraph({ importTimeOnly: true });
  const oldGraph: Graph | null = before ? before.importGraph({ importTimeOnly: true }) : null;
  const oldCycles = before && oldGraph ? before.cycles(oldGraph).map((c) => new Set(c)) : [];
  const out: Problem[] = [];
  for (const cycle of after.cycles(graph)) {
    if (oldCycles.some((old) => cycle.every((m) => old.has(m)))) continue;
    const chain = cycleChain(graph, cycle, oldGraph);
    const [from, to] = chain;
    const file = after.fileOfModule(from);
    const line = graph.get(from)?.get(to) ?? 1;
    const label = before ? 'new import-time cycle' : 'import-time cycle';
    out.push({
      path: file?.path ?? from,
      line,
      message: `${label}: ${chain.join(' -> ')} (${from} imports ${to} at line ${line})`,
      check: 'cycles',
    });
  }
  return out;
};

/**
 * A concrete cycle through the strongly connected component `members`, as `[a, b, ..., a]`, starting with an edge
 * that `oldGraph` lacks when there is one (the edge the change added).
 */
export function cycleChain(graph: Graph, members: string[], oldGraph: Graph | null): string[] {
  const inside = new Set(members);
  const edges: [string, string][] = [];
  for (const m of [...members].sort()) {
    for (const to of [...(graph.get(m)?.keys() ?? [])].sort()) if (inside.has(to)) edges.push([m, to]);
  }
  const fresh = edges.find(([a, b]) => !oldGraph?.get(a)?.has(b)) ?? edges[0];
  if (!fresh) return [members[0], members[0]];
  const [start, next] = fresh;
  if (start === next) return [start, start];
  // Shortest path next -> start inside the component closes the cycle.
  const prev = new Map<string, string>([[next, next]]);
  const queue = [next];
  while (queue.length > 0) {
    const cur = queue.shift()!;
    if (cur === start) break;
    for (const to of [...(graph.get(cur)?.keys() ?? [])].sort()) {
      if (!inside.has(to) || prev.has(to)) continue;
      prev.set(to, cur);
      queue.push(to);
    }
  }
  const path: string[] = [];
  for (let cur = start; cur !== next; cur = prev.get(cur)!) {
    path.unshift(cur);
    if (!prev.has(cur)) break;
  }
  return [start, next, ...path];
}

/** Import-time cycles of `project` that `graph` (a modified copy of its import graph) would add. */
export function newCycles(project: Project, graph: Graph): string[][] {
  const base = project.importGraph({ importTimeOnly: true });
  const old = project.cycles(base).map((c) => new Set(c));
  return project
    .cycles(graph)
    .filter((cycle) => !old.some((o) => cycle.every((m) => o.has(m))))
    .map((cycle) => cycleChain(graph, cycle, base));
}
