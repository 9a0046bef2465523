/** Module names of project files and resolution of (relative) import targets. */

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Dotted module name of a project-relative POSIX path (`a/b/c.py` -> `a.b.c`, `a/b/__init__.py` -> `a.b`), or null
 * when a path segment is not an identifier (then the file cannot be imported by name).
 */
export function moduleOfPath(path: string): string | null {
  if (!path.endsWith('.py')) return null;
  const parts = path.slice(0, -3).split('/');
  if (parts[parts.length - 1] === '__init__') parts.pop();
  if (parts.length === 0 || !parts.every((p) => IDENT.test(p))) return null;
  return parts.join('.');
}

/** True for test code as pytest finds it: `test_*.py`, `*_test.py`, `conftest.py`, or under a `tests`/`test` directory. */
export function isTestPath(path: string): boolean {
  const parts = path.split('/');
  const base = parts[parts.length - 1];
  if (base === 'conftest.py' || base.startsWith('test_') || base.endsWith('_test.py')) return true;
  return parts.slice(0, -1).some((p) => p === 'tests' || p === 'test');
}

/** Package relative imports of `module` start from: itself for a package (`__init__.py`), else its parent. */
export function packageOf(module: string | null, isPackage: boolean): string | null {
  if (module === null) return null;
  if (isPackage) return module;
  return module.includes('.') ? module.slice(0, module.lastIndexOf('.')) : '';
}

/**
 * Absolute module of a relative import: `level` dots from `packageName`, then `module`; null when the dots climb
 * above the top-level package or the file is in no package. Same rule as `resolveRelative` of @remodel/python
 * (kept here so facts can be extracted in a worker without loading the parser; a test checks they agree).
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
