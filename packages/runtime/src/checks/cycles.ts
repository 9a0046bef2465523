import { componentThrough, type LazyGraph, type Project } from '@remodel/python';
import { readsWhole, type Check, type Problem } from './check.js';

type Graph = Map<string, Map<string, number>>;

/**
 * No new import-time cycle between project modules. Imports inside functions and under `if TYPE_CHECKING:` do not
 * count. A cycle (strongly connected component) of `after` is new when no cycle of `before` contains all its
 * modules; it is reported once, at the import line of an edge that `before` did not have, with the chain
 * `a -> b -> a`.
 * A new cycle has an edge `before` lacks, and such an edge leaves a touched module or enters one (an untouched
 * file's import resolves differently only when its target changed), so only the cycles through touched modules are
 * computed, each from the modules that import it (see `Project.cycleThrough`). Without a `before`, or when the change
 * reshapes the module tree (see `readsWhole`), the whole graph is used.
 */
export const cyclesCheck: Check = (input) => {
  const { before, after, touched } = input;
  if (!before || readsWhole(input)) return wholeGraphCycles(before, after);
  const seeds = new Set<string>();
  for (const path of touched) {
    const module = after.files.get(path)?.module;
    if (module) seeds.add(module);
    const gone = after.files.has(path) ? null : before.files.get(path)?.module;
    // `from pkg import m` resolves to the package itself once the module pkg.m is gone.
    if (gone && gone.includes('.')) seeds.add(gone.slice(0, gone.lastIndexOf('.')));
  }
  const out = cyclesThrough(seeds, after, before).map(({ cycle, edges, oldEdges }) =>
    cycleProblem(after, edges, cycle, oldEdges, 'new import-time cycle'),
  );
  return out.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
};

function wholeGraphCycles(before: Project | null, after: Project): Problem[] {
  const graph = after.importGraph({ importTimeOnly: true });
  const oldGraph: Graph | null = before ? before.importGraph({ importTimeOnly: true }) : null;
  const oldCycles = before && oldGraph ? before.cycles(oldGraph).map((c) => new Set(c)) : [];
  const out: Problem[] = [];
  for (const cycle of after.cycles(graph)) {
    if (oldCycles.some((old) => cycle.every((m) => old.has(m)))) continue;
    if (before) out.push(cycleProblem(after, graph, cycle, oldGraph, 'new import-time cycle'));
    else out.push({ ...cycleProblem(after, graph, cycle, oldGraph, 'import-time cycle'), severity: 'warning' });
  }
  return out;
}

function cycleProblem(after: Project, graph: Graph, cycle: string[], oldGraph: Graph | null, label: string): Problem {
  const chain = cycleChain(graph, cycle, oldGraph);
  const [from, to] = chain;
  const line = graph.get(from)?.get(to) ?? 1;
  return {
    path: after.fileOfModule(from)?.path ?? from,
    line,
    message: `${label}: ${chain.join(' -> ')} (${from} imports ${to} at line ${line})`,
    check: 'cycles',
  };
}

/** The import-time edges among `modules` (those the project has). */
function subgraph(project: Project, modules: string[]): Graph {
  const inside = new Set(modules);
  const graph: Graph = new Map();
  for (const m of modules) {
    if (!project.fileOfModule(m)) continue;
    graph.set(m, project.importsInto(m, inside));
  }
  return graph;
}

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

/**
 * Import-time cycles that replacing the edges of some modules (`changed`: module -> its new import-time edges)
 * would add to `project`, each as a chain `[a, b, ..., a]`. A new cycle goes through a changed module, so only the
 * cycles through those are computed, reading only the modules that reach them.
 */
export function newCycles(project: Project, changed: Graph): string[][] {
  const graph: LazyGraph = {
    importersOf: (module) => [
      ...project.importersOf(module).filter((m) => !changed.has(m)),
      ...[...changed].filter(([, edges]) => edges.has(module)).map(([m]) => m),
    ],
    importsInto: (module, targets) => {
      const edges = changed.get(module);
      return edges ? new Map([...edges].filter(([to]) => targets.has(to))) : project.importsInto(module, targets);
    },
  };
  return cyclesThrough(changed.keys(), graph, project).map(({ cycle, edges, oldEdges }) => cycleChain(edges, cycle, oldEdges));
}

/**
 * The cycles of `graph` through the `seeds` (each once, in seed order) that no cycle of `base` contains, with the
 * edges among their modules in `graph` and in `base`.
 */
function cyclesThrough(seeds: Iterable<string>, graph: LazyGraph, base: Project): { cycle: string[]; edges: Graph; oldEdges: Graph }[] {
  const out: { cycle: string[]; edges: Graph; oldEdges: Graph }[] = [];
  const seen = new Set<string>();
  for (const seed of [...seeds].sort()) {
    const cycle = componentThrough(seed, graph);
    if (cycle.length === 0 || seen.has(cycle.join(' '))) continue;
    seen.add(cycle.join(' '));
    const old = base.fileOfModule(cycle[0]) ? new Set(base.cycleThrough(cycle[0])) : new Set<string>();
    if (cycle.every((m) => old.has(m))) continue;
    const inside = new Set(cycle);
    out.push({ cycle, edges: new Map(cycle.map((m) => [m, graph.importsInto(m, inside)])), oldEdges: subgraph(base, cycle) });
  }
  return out;
}
