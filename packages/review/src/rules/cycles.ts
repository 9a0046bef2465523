/** Import-time cycles between project modules. */
import { cycles } from '@remodel/python';
import { cmp } from '../util.js';
import { code, makeFinding, type AnalysisContext } from '../context.js';
import type { FileFacts } from '../facts.js';
import type { Finding, Priority } from '../types.js';

/**
 * Import-time graph from the facts, with the semantics of `Project.importGraph({ importTimeOnly: true })`: module ->
 * imported project module -> first line. `from M import x` goes to `M.x` when that is a module, else to `M`;
 * function/class-level and TYPE_CHECKING imports are left out; parent packages run implicitly add no edge.
 */
export function importGraph(facts: FileFacts[], byModule: Map<string, FileFacts>): Map<string, Map<string, number>> {
  const graph = new Map<string, Map<string, number>>();
  for (const f of facts) {
    if (!f.module) continue;
    const edges = new Map<string, number>();
    graph.set(f.module, edges);
    for (const imp of f.imports) {
      if (!imp.topLevel || imp.typeChecking || imp.future || !imp.target) continue;
      let to: string | null = null;
      // `import m` and `from m import *`: the target is the module itself
      if (imp.name === null || imp.name === '*') to = byModule.has(imp.target) ? imp.target : null;
      else if (byModule.has(imp.target)) to = imp.target;
      else {
        const mod = imp.target.slice(0, imp.target.lastIndexOf('.'));
        if (byModule.has(mod)) to = mod;
      }
      if (!to) continue;
      const prev = edges.get(to);
      if (prev === undefined || imp.statementLine < prev) edges.set(to, imp.statementLine);
    }
  }
  return graph;
}

export { cycles };

/** A shortest cycle through `start` inside the component (BFS), as a module list ending where it started. */
function shortestCycle(graph: Map<string, Map<string, number>>, members: Set<string>, start: string): string[] {
  const prev = new Map<string, string>();
  const queue = [start];
  const seen = new Set([start]);
  while (queue.length) {
    const n = queue.shift()!;
    for (const m of [...(graph.get(n)?.keys() ?? [])].sort()) {
      if (!members.has(m)) continue;
      if (m === start) {
        const path = [start];
        for (let x = n; x !== start; x = prev.get(x)!) path.splice(1, 0, x);
        path.push(start);
        return path;
      }
      if (!seen.has(m)) {
        seen.add(m);
        prev.set(m, n);
        queue.push(m);
      }
    }
  }
  return [start, start];
}

/** One `cycles/import-cycle` finding per strongly connected component, with a shortest cycle and every edge. */
export function cycleFindings(ctx: AnalysisContext): Finding[] {
  const graph = ctx.project ? ctx.project.importGraph({ importTimeOnly: true }) : importGraph(ctx.facts, ctx.byModule);
  const sccs = cycles(graph);
  const pathOf = (m: string): string | undefined => ctx.byModule.get(m)?.path ?? ctx.project?.fileOfModule(m)?.path;
  const out: Finding[] = [];
  for (const scc of sccs) {
    const members = new Set(scc);
    const start = scc[0];
    const loop = shortestCycle(graph, members, start);
    const edges: { from: string; to: string; path: string; line: number }[] = [];
    for (const from of scc) {
      for (const [to, line] of [...(graph.get(from) ?? new Map<string, number>())].sort((a, b) => cmp(a[0], b[0]))) {
        if (members.has(to)) edges.push({ from, to, path: pathOf(from) ?? from, line });
      }
    }
    const first = edges.find((e) => e.from === loop[0] && e.to === loop[1]) ?? edges[0];
    const priority: Priority = scc.length >= 4 ? 'high' : 'medium';
    out.push(makeFinding('cycles/import-cycle', {
      path: first.path, startLine: first.line, endLine: first.line, symbol: null,
      key: scc.join('|'),
      metric: { name: 'modules', value: scc.length, threshold: null },
      priority,
      message: `Import cycle${scc.length > 2 ? ` among ${scc.length} modules` : ''}: ${loop.map(code).join(' → ')}${scc.length > loop.length - 1 ? ` (component: ${scc.join(', ')})` : ''}.`,
      recommendation: 'Move the names both sides need into a module that imports neither (or import lazily inside the function that needs it), so no module needs the other half-initialised.',
      related: edges.map((e) => ({ path: e.path, startLine: e.line, endLine: e.line, symbol: `${e.from} → ${e.to}` })),
      details: { kind: 'cycle', modules: scc, edges },
    }));
  }
  return out;
}
