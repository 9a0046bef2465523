/** Module import graph: module -> imported module -> first line importing it. */
export type ImportGraph = Map<string, Map<string, number>>;

/**
 * Import cycles: strongly connected components with more than one module, plus modules importing themselves
 * (Tarjan, iterative). Each cycle's modules are sorted; cycles are sorted by their first module.
 */
export function cycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { node: string; iter: Iterator<string> }[] = [];
    const enter = (n: string): void => {
      index.set(n, counter);
      low.set(n, counter);
      counter++;
      stack.push(n);
      onStack.add(n);
      work.push({ node: n, iter: (graph.get(n)?.keys() ?? [].values()) as Iterator<string> });
    };
    enter(root);
    while (work.length) {
      const top = work[work.length - 1];
      const next = top.iter.next();
      if (!next.done) {
        const m = next.value;
        if (!index.has(m)) enter(m);
        else if (onStack.has(m)) low.set(top.node, Math.min(low.get(top.node)!, index.get(m)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const scc: string[] = [];
        let m: string;
        do {
          m = stack.pop()!;
          onStack.delete(m);
          scc.push(m);
        } while (m !== top.node);
        if (scc.length > 1 || graph.get(top.node)?.has(top.node)) out.push(scc.sort());
      }
    }
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** A graph read one module at a time, so that only the part a question needs is built. */
export interface LazyGraph {
  /** Modules with an edge to `module`. */
  importersOf(module: string): Iterable<string>;
  /** The edges of `module` that end in `targets`. */
  importsInto(module: string, targets: ReadonlySet<string>): Map<string, number>;
}

/**
 * The cycle through `module`: the sorted modules of its strongly connected component when that has an edge back to
 * `module` (a self-import counts), else empty. Reads only the modules that reach `module`: every module on a cycle
 * through it does.
 */
export function componentThrough(module: string, graph: LazyGraph): string[] {
  const reaching = new Set([module]);
  for (const queue = [module]; queue.length > 0; ) {
    for (const m of graph.importersOf(queue.shift()!)) {
      if (reaching.has(m)) continue;
      reaching.add(m);
      queue.push(m);
    }
  }
  // A module reached from `module` that also reaches it is on a cycle with it; so is `module` once reached.
  const reached = new Set<string>();
  for (const stack = [module]; stack.length > 0; ) {
    for (const to of graph.importsInto(stack.pop()!, reaching).keys()) {
      if (reached.has(to)) continue;
      reached.add(to);
      stack.push(to);
    }
  }
  return reached.has(module) ? [...reached].sort() : [];
}
