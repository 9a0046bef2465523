import { findRouters, formatRoute, routesOverlap, routeTables, type FastApiRoute, type Project, type RouteTable } from '@remodel/python';
import { changedModules, readsWhole, type Check, type Problem } from './check.js';

/**
 * FastAPI routes survive the change: for every app and router of `before` (module-level `FastAPI(...)` /
 * `APIRouter(...)`), the route table read statically from `after` has the same routes (methods, path, name, status
 * code, response model, tags, dependencies, summary, docstring, other decorator options, `if` conditions) and every
 * two routes that can match one URL with a common method keep their relative order. Response models and
 * dependencies are compared without module qualifiers (`schemas.Item` == `Item`), so moving a class is not a
 * change. A table that can no longer be read completely (an include or path the extractor cannot follow, which it
 * could before) is a problem too. Each difference is reported once, route by route, even when several tables
 * (the app and its routers) show it. On a tree check (`before` null): routes that can never be reached because an
 * earlier route has the same methods and path.
 * Does not see routers built inside functions (see `routeTable`).
 */
export const routesCheck: Check = (input) => {
  const { before, after, touched } = input;
  if (!before) return unreachableRoutes(after);
  const roots = findRouters(before);
  if (roots.length === 0) return [];
  const order = [...roots.filter((r) => r.kind === 'app'), ...roots.filter((r) => r.kind === 'router')];
  const consulted = new Set<string>();
  const old = routeTables(before, order, consulted);
  // The tables read only the consulted modules: when the change touched none of them, nothing can differ.
  const changed = changedModules(before, after, touched);
  if (!readsWhole(input) && ![...changed].some((m) => consulted.has(m))) return [];
  const now = routeTables(after, order);
  const out: Problem[] = [];
  const reported = new Set<string>();
  const report = (key: string, problem: Problem): void => {
    if (reported.has(key)) return;
    reported.add(key);
    out.push(problem);
  };
  for (const root of order) {
    const key = `${root.module}:${root.name}`;
    const a = old.get(key);
    const b = now.get(key);
    if (!a || a.routes.length === 0) continue;
    if (!b) {
      const file = after.fileOfModule(root.module)?.path ?? root.file;
      report(`gone:${key}`, { path: file, line: root.line, message: `\`${key}\` (${a.routes.length} routes) is no longer an APIRouter/FastAPI object`, check: 'routes' });
      continue;
    }
    for (const { key: k, problem } of compareRouteTables(a, b)) report(k, problem);
  }
  const oldWarnings = new Set([...old.values()].flatMap((t) => t?.warnings ?? []).map(stripWhere));
  const newWarnings = [...now.values()].find((t) => t)?.warnings ?? [];
  for (const w of newWarnings) {
    if (oldWarnings.has(stripWhere(w))) continue;
    const [, path, line, message] = /^(.*?):(\d+): (.*)$/.exec(w) ?? [null, '?', '1', w];
    report(`warn:${w}`, { path, line: Number(line), message: `route table cannot be fully read after the change: ${message}`, check: 'routes' });
  }
  return out;
};

/** A route's identity for matching: kind, methods and path (the rest is compared as details). */
function signature(r: FastApiRoute): string {
  return `${r.kind === 'http' ? r.methods.join(',') : r.kind.toUpperCase()} ${r.path}`;
}

function unqualify(text: string | null): string | null {
  return text === null ? null : text.replace(/\b(?:[A-Za-z_]\w*\.)+([A-Za-z_]\w*)/g, '$1');
}

/** The compared attributes of a route, each as comparable text. */
function details(r: FastApiRoute): [string, string][] {
  return [
    ['name', r.name],
    ['status_code', String(r.statusCode)],
    ['response_model', String(unqualify(r.responseModel))],
    ['tags', JSON.stringify(r.tags)],
    ['dependencies', JSON.stringify(r.dependencies.map(unqualify))],
    ['summary', String(r.summary)],
    ['docstring', String(r.docstring)],
    ['options', JSON.stringify(Object.entries(r.options).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => [k, unqualify(v)]))],
    ['conditions', JSON.stringify(r.conditions)],
  ];
}

/**
 * Differences between two tables of the same root: removed, added and changed routes, and overlapping routes
 * whose relative order changed. Routes are paired by methods + path, in order (the n-th occurrence with the
 * n-th occurrence). Each difference carries a de-duplication key and a Problem.
 */
export function compareRouteTables(before: RouteTable, after: RouteTable): { key: string; problem: Problem }[] {
  const out: { key: string; problem: Problem }[] = [];
  const label = `${before.root.module}:${before.root.name}`;
  const pending = new Map<string, number[]>();
  after.routes.forEach((r, i) => {
    const list = pending.get(signature(r)) ?? [];
    list.push(i);
    pending.set(signature(r), list);
  });
  const position: (number | null)[] = before.routes.map((r) => {
    const list = pending.get(signature(r));
    return list && list.length > 0 ? list.shift()! : null;
  });
  before.routes.forEach((r, i) => {
    const j = position[i];
    if (j === null) {
      out.push({
        key: `removed:${signature(r)}:${r.name}`,
        problem: { path: r.file, line: r.line, message: `route removed: ${formatRoute(r)} (from ${label})`, check: 'routes' },
      });
      return;
    }
    const now = after.routes[j];
    const was = details(r);
    const is = details(now);
    const changed = was.flatMap(([k, v], n) => (is[n][1] !== v ? [`${k} ${v} -> ${is[n][1]}`] : []));
    if (changed.length > 0) {
      out.push({
        key: `changed:${signature(r)}:${r.name}:${changed.join(';')}`,
        problem: { path: now.file, line: now.line, message: `route changed: ${signature(r)} ${r.name}: ${changed.join('; ')}`, check: 'routes' },
      });
    }
  });
  for (const [, rest] of pending) {
    for (const j of rest) {
      const r = after.routes[j];
      out.push({
        key: `added:${signature(r)}:${r.name}`,
        problem: { path: r.file, line: r.line, message: `route added: ${formatRoute(r)} (to ${label})`, check: 'routes' },
      });
    }
  }
  for (let i = 0; i < before.routes.length; i++) {
    for (let k = i + 1; k < before.routes.length; k++) {
      const pi = position[i];
      const pk = position[k];
      if (pi === null || pk === null || pi < pk) continue;
      const first = before.routes[i];
      const second = before.routes[k];
      if (!routesOverlap(first, second)) continue;
      const moved = after.routes[pi];
      out.push({
        key: `order:${signature(first)}:${signature(second)}`,
        problem: {
          path: moved.file,
          line: moved.line,
          message: `route order changed: ${signature(first)} (${first.name}) must come before ${signature(second)} (${second.name}); both can match the same request`,
          check: 'routes',
        },
      });
    }
  }
  return out;
}

/** Routes no request can reach: an earlier route of the same table has the same methods and path. */
function unreachableRoutes(project: Project): Problem[] {
  const roots = findRouters(project).filter((r) => r.kind === 'app');
  if (roots.length === 0) return [];
  const out: Problem[] = [];
  for (const table of routeTables(project, roots).values()) {
    if (!table) continue;
    const seen = new Map<string, FastApiRoute>();
    for (const r of table.routes) {
      const key = `${r.conditions.join('&')}|${signature(r)}`;
      const first = seen.get(key);
      if (!first) {
        seen.set(key, r);
        continue;
      }
      out.push({ path: r.file, line: r.line, message: `route ${signature(r)} (${r.name}) is never reached: ${first.name} at ${first.file}:${first.line} has the same methods and path`, check: 'routes' });
    }
  }
  return out;
}

function stripWhere(warning: string): string {
  return warning.replace(/^.*?:\d+: /, '').replace(/\([^()]*:\d+\)/g, '');
}
