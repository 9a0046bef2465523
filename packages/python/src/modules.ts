/** How one file maps to a dotted module name. */
export interface ModuleName {
  /** Dotted name, or null when not importable (bad identifier, duplicate of a stronger file, root `__init__.py`). */
  module: string | null;
  /** The name before duplicate resolution (used for relative imports); null when not importable at all. */
  raw: string | null;
  /** Depth (in directories) of the sys.path entry the name is relative to: 0 = the project root. */
  depth: number;
}

const IDENT = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/**
 * Module names of project files (project-relative POSIX paths). A directory is a package when it holds
 * `__init__.py`; a file's name is relative to the nearest ancestor directory that is not a package, so
 * `pkg/sub/m.py` (with `pkg/__init__.py`, `pkg/sub/__init__.py`) is `pkg.sub.m`, and `tests/test_x.py` without
 * `tests/__init__.py` is `test_x` (as pytest's rootdir insertion imports it). When several files get the same
 * name, the one relative to the shallowest directory keeps it and the others get null (all get null on a tie).
 * Does not model namespace packages (PEP 420), `src/` path configuration, `.pyi` stubs or `sys.path` edits.
 */
export function moduleNames(paths: Iterable<string>): Map<string, ModuleName> {
  const all = [...paths];
  const packages = new Set<string>();
  for (const p of all) {
    if (p === '__init__.py') packages.add('');
    else if (p.endsWith('/__init__.py')) packages.add(p.slice(0, -'/__init__.py'.length));
  }
  const out = new Map<string, ModuleName>();
  const byName = new Map<string, string[]>();
  for (const p of all) {
    const parts = p.split('/');
    const file = parts.pop()!;
    if (!file.endsWith('.py')) {
      out.set(p, { module: null, raw: null, depth: parts.length });
      continue;
    }
    const stem = file.slice(0, -3);
    const names = stem === '__init__' ? [] : [stem];
    while (parts.length && packages.has(parts.join('/'))) names.unshift(parts.pop()!);
    const ok = names.length > 0 && names.every((n) => IDENT.test(n));
    const raw = ok ? names.join('.') : null;
    out.set(p, { module: raw, raw, depth: parts.length });
    if (raw) {
      const list = byName.get(raw);
      if (list) list.push(p);
      else byName.set(raw, [p]);
    }
  }
  for (const list of byName.values()) {
    if (list.length < 2) continue;
    const min = Math.min(...list.map((p) => out.get(p)!.depth));
    const winners = list.filter((p) => out.get(p)!.depth === min);
    for (const p of list) if (winners.length > 1 || p !== winners[0]) out.get(p)!.module = null;
  }
  return out;
}

/**
 * Absolute module of a relative import: `level` dots from `packageName` (the importing file's package), then
 * `module`. Null when the dots climb above the top-level package or the file is in no package.
 */
export function resolveRelative(packageName: string | null, level: number, module: string): string | null {
  if (level === 0) return module;
  if (packageName === null || packageName === '') return null;
  const parts = packageName.split('.');
  if (level - 1 >= parts.length) return null;
  const base = parts.slice(0, parts.length - (level - 1));
  if (module) base.push(module);
  return base.join('.');
}
