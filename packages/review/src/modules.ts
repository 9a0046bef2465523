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
