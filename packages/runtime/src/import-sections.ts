import type { Project } from '@remodel/python';

/**
 * isort's sections, in file order (isort `sections` default `FUTURE, STDLIB, THIRDPARTY, FIRSTPARTY, LOCALFOLDER`;
 * ruff `lint.isort.section-order` default: future, standard-library, third-party, first-party, local-folder).
 */
export type ImportSection = 'future' | 'stdlib' | 'thirdparty' | 'firstparty' | 'local';

export const SECTION_ORDER: readonly ImportSection[] = ['future', 'stdlib', 'thirdparty', 'firstparty', 'local'];

/** Position of `section` in {@link SECTION_ORDER} (0 = `__future__`). */
export function sectionRank(section: ImportSection): number {
  return SECTION_ORDER.indexOf(section);
}

/**
 * Top-level standard-library module names: CPython 3.11's `sys.stdlib_module_names` (305 names), generated once with
 * `python3.11 -c "import sys; print(sorted(sys.stdlib_module_names))"` (Python 3.11.7). Like isort's and ruff's own
 * lists, it includes platform-specific modules (`winreg`, `msvcrt`, ...) and private ones (`_thread`).
 */
export const STDLIB_MODULES: ReadonlySet<string> = new Set([
  '__future__', '_abc', '_aix_support', '_ast', '_asyncio', '_bisect', '_blake2', '_bootsubprocess', '_bz2',
  '_codecs', '_codecs_cn', '_codecs_hk', '_codecs_iso2022', '_codecs_jp', '_codecs_kr', '_codecs_tw', '_collections',
  '_collections_abc', '_compat_pickle', '_compression', '_contextvars', '_crypt', '_csv', '_ctypes', '_curses',
  '_curses_panel', '_datetime', '_dbm', '_decimal', '_elementtree', '_frozen_importlib', '_frozen_importlib_external',
  '_functools', '_gdbm', '_hashlib', '_heapq', '_imp', '_io', '_json', '_locale', '_lsprof', '_lzma', '_markupbase',
  '_md5', '_msi', '_multibytecodec', '_multiprocessing', '_opcode', '_operator', '_osx_support', '_overlapped',
  '_pickle', '_posixshmem', '_posixsubprocess', '_py_abc', '_pydecimal', '_pyio', '_queue', '_random', '_scproxy',
  '_sha1', '_sha256', '_sha3', '_sha512', '_signal', '_sitebuiltins', '_socket', '_sqlite3', '_sre', '_ssl', '_stat',
  '_statistics', '_string', '_strptime', '_struct', '_symtable', '_thread', '_threading_local', '_tkinter',
  '_tokenize', '_tracemalloc', '_typing', '_uuid', '_warnings', '_weakref', '_weakrefset', '_winapi', '_zoneinfo',
  'abc', 'aifc', 'antigravity', 'argparse', 'array', 'ast', 'asynchat', 'asyncio', 'asyncore', 'atexit', 'audioop',
  'base64', 'bdb', 'binascii', 'bisect', 'builtins', 'bz2', 'cProfile', 'calendar', 'cgi', 'cgitb', 'chunk', 'cmath',
  'cmd', 'code', 'codecs', 'codeop', 'collections', 'colorsys', 'compileall', 'concurrent', 'configparser',
  'contextlib', 'contextvars', 'copy', 'copyreg', 'crypt', 'csv', 'ctypes', 'curses', 'dataclasses', 'datetime',
  'dbm', 'decimal', 'difflib', 'dis', 'distutils', 'doctest', 'email', 'encodings', 'ensurepip', 'enum', 'errno',
  'faulthandler', 'fcntl', 'filecmp', 'fileinput', 'fnmatch', 'fractions', 'ftplib', 'functools', 'gc', 'genericpath',
  'getopt', 'getpass', 'gettext', 'glob', 'graphlib', 'grp', 'gzip', 'hashlib', 'heapq', 'hmac', 'html', 'http',
  'idlelib', 'imaplib', 'imghdr', 'imp', 'importlib', 'inspect', 'io', 'ipaddress', 'itertools', 'json', 'keyword',
  'lib2to3', 'linecache', 'locale', 'logging', 'lzma', 'mailbox', 'mailcap', 'marshal', 'math', 'mimetypes', 'mmap',
  'modulefinder', 'msilib', 'msvcrt', 'multiprocessing', 'netrc', 'nis', 'nntplib', 'nt', 'ntpath', 'nturl2path',
  'numbers', 'opcode', 'operator', 'optparse', 'os', 'ossaudiodev', 'pathlib', 'pdb', 'pickle', 'pickletools',
  'pipes', 'pkgutil', 'platform', 'plistlib', 'poplib', 'posix', 'posixpath', 'pprint', 'profile', 'pstats', 'pty',
  'pwd', 'py_compile', 'pyclbr', 'pydoc', 'pydoc_data', 'pyexpat', 'queue', 'quopri', 'random', 're', 'readline',
  'reprlib', 'resource', 'rlcompleter', 'runpy', 'sched', 'secrets', 'select', 'selectors', 'shelve', 'shlex',
  'shutil', 'signal', 'site', 'smtpd', 'smtplib', 'sndhdr', 'socket', 'socketserver', 'spwd', 'sqlite3',
  'sre_compile', 'sre_constants', 'sre_parse', 'ssl', 'stat', 'statistics', 'string', 'stringprep', 'struct',
  'subprocess', 'sunau', 'symtable', 'sys', 'sysconfig', 'syslog', 'tabnanny', 'tarfile', 'telnetlib', 'tempfile',
  'termios', 'textwrap', 'this', 'threading', 'time', 'timeit', 'tkinter', 'token', 'tokenize', 'tomllib', 'trace',
  'traceback', 'tracemalloc', 'tty', 'turtle', 'turtledemo', 'types', 'typing', 'unicodedata', 'unittest', 'urllib',
  'uu', 'uuid', 'venv', 'warnings', 'wave', 'weakref', 'webbrowser', 'winreg', 'winsound', 'wsgiref', 'xdrlib', 'xml',
  'xmlrpc', 'zipapp', 'zipfile', 'zipimport', 'zlib', 'zoneinfo'
]);

const firstPartyCache = new WeakMap<Project, ReadonlySet<string>>();

/**
 * The project's own top-level names: every top-level directory holding Python files (a package, or a namespace
 * package such as a \`tests/\` folder without \`__init__.py\`) and every top-level module, also under \`src/\` — what
 * isort finds in its default \`src_paths\` (the root and \`src\`) and ruff in its default \`src\` (\`[".", "src"]\`).
 */
export function firstPartyRoots(project: Project): ReadonlySet<string> {
  let roots = firstPartyCache.get(project);
  if (!roots) {
    const found = new Set<string>();
    for (const path of project.files.keys()) {
      if (!path.endsWith('.py')) continue;
      const parts = path.split('/');
      for (const head of parts[0] === 'src' && parts.length > 1 ? [parts.slice(1), parts] : [parts]) {
        const name = head.length > 1 ? head[0] : head[0].slice(0, -'.py'.length);
        if (IDENTIFIER.test(name)) found.add(name);
      }
    }
    firstPartyCache.set(project, (roots = found));
  }
  return roots;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * isort's section of an import of `module` (`level` leading dots): relative imports are local, then `__future__`,
 * then the standard library (checked before the project's own modules, as isort's `known_standard_library` and
 * ruff's `is_known_standard_library` are), then `firstParty` top-level names, else third party.
 */
export function classifyModule(module: string, level: number, firstParty: ReadonlySet<string>): ImportSection {
  if (level > 0) return 'local';
  const top = module.split('.')[0];
  if (top === '__future__') return 'future';
  if (STDLIB_MODULES.has(top)) return 'stdlib';
  if (firstParty.has(top)) return 'firstparty';
  return 'thirdparty';
}

/** What decides an import statement's place inside its section. */
export interface ImportSortKey {
  /** `import m` (straight) or `from m import ...`. */
  kind: 'import' | 'from';
  /** Dotted module, without the leading dots of a relative import. */
  module: string;
  /** Leading dots (0 = absolute). */
  level: number;
}

/**
 * isort's default order inside one section (`force_sort_within_sections = false`, `from_first = false`,
 * `case_sensitive = false`, `reverse_relative = false`; ruff's defaults `force-sort-within-sections = false`,
 * `from-first = false`, `case-sensitive = false`, `relative-imports-order = "furthest-to-closest"` agree): every
 * `import m` line before every `from m import ...` line, each by module name compared case-insensitively in natural
 * order (`mod2` < `mod10`); relative modules as isort's `module_key` spells them (`from .. import` before
 * `from . import`, `from . import` before `from .a import`).
 */
export function compareImports(a: ImportSortKey, b: ImportSortKey): number {
  if (a.kind !== b.kind) return a.kind === 'import' ? -1 : 1;
  return naturalCompare(moduleKey(a), moduleKey(b));
}

/** isort's `module_key` of a module (`force_to_top` and `length_sort` at their defaults). */
function moduleKey(k: ImportSortKey): string {
  const name = k.level > 0 ? `${'.'.repeat(k.level)}_${k.module}` : k.module;
  return name.toLowerCase();
}

/** isort's `naturally`: digit runs compare as numbers, other runs as text (code points). */
export function naturalCompare(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    // Odd indexes are the digit runs.
    if (i % 2 === 1) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/**
 * isort's order of the names of one `from m import ...` statement (`order_by_type = true`, `case_sensitive = false`;
 * ruff's `order-by-type = true`, `case-sensitive = false` agree): CONSTANTS (all upper case, longer than one
 * character), then Classes (capitalised), then the rest, each compared case-insensitively in natural order; ties by
 * the exact text. `name` is the imported name (an alias does not count).
 */
export function compareMembers(a: string, b: string): number {
  const type = (n: string): number => (n.length > 1 && n === n.toUpperCase() && n !== n.toLowerCase() ? 0 : /^[A-Z]/.test(n) ? 1 : 2);
  return type(a) - type(b) || naturalCompare(a.toLowerCase(), b.toLowerCase()) || (a < b ? -1 : a > b ? 1 : 0);
}
