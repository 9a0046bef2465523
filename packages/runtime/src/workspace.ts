import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import ignore, { type Ignore } from 'ignore';
import { detectEol, hasFinalNewline, type Eol } from './eol.js';
import { WorkspaceError } from './errors.js';

/** One Python file as read from disk. `text` is decoded UTF-8 without the BOM; `bytes` are exactly what was read. */
export interface WorkspaceFile {
  /** Root-relative POSIX path (`app/users/service.py`). */
  path: string;
  text: string;
  bytes: Buffer;
  /** The file started with a UTF-8 BOM (stripped from `text`, put back on write). */
  bom: boolean;
  /** Dominant line ending. */
  eol: Eol;
  finalNewline: boolean;
  /** Permission bits, kept when the file is rewritten. */
  mode: number;
}

/** Which files `loadWorkspace` reads. */
export interface WorkspaceOptions {
  /** Globs relative to the root; default `['**\/*.py']`. Hidden directories are not searched. */
  include?: string[];
  /** Globs relative to the root to leave out, on top of the built-in exclusions. */
  exclude?: string[];
}

/** Directory names never searched (a `venv`/`env` holding an `__init__.py` is a package, not a virtualenv). */
const SKIPPED_DIRS = ['.git', '.venv', '.tox', 'site-packages', 'node_modules', '__pycache__'];
const VENV_NAMES = new Set(['venv', 'env']);
const READ_CONCURRENCY = 64;

/**
 * The project as read at the start of a run: every included file's original bytes and text.
 * Guarantees: files that are not valid UTF-8 are listed in `invalid` and have no entry in `files` (never rewritten);
 * symlinked files and directories are not followed (not listed). Does not watch the disk: the writer compares
 * `bytes` with the disk to refuse files changed since.
 */
export class Workspace {
  /** Absolute root as given (resolved). */
  readonly root: string;
  /** Files by root-relative POSIX path, sorted by path. */
  readonly files: ReadonlyMap<string, WorkspaceFile>;
  /** Root-relative paths of included files that are not valid UTF-8, sorted. */
  readonly invalid: readonly string[];

  constructor(root: string, files: WorkspaceFile[], invalid: string[] = []) {
    this.root = path.resolve(root);
    this.files = new Map([...files].sort((a, b) => cmp(a.path, b.path)).map((f) => [f.path, f]));
    this.invalid = [...invalid].sort(cmp);
  }

  /** `{ path, text }` of every file, sorted by path: the input of `new Project(...)`. */
  texts(): { path: string; text: string }[] {
    return [...this.files.values()].map(({ path: p, text }) => ({ path: p, text }));
  }

  /** The file at root-relative `rel`, if it was read. */
  file(rel: string): WorkspaceFile | undefined {
    return this.files.get(rel);
  }

  /** See the standalone `resolveInside`. */
  resolveInside(rel: string): string {
    return resolveInside(this.root, rel);
  }
}

/**
 * Absolute path of `rel` (root-relative, or absolute) after checking that it stays inside `root`: refuses `..`
 * escapes, absolute paths elsewhere, and paths whose nearest existing ancestor (the path itself if it exists)
 * resolves through a symlink to a place outside the root. Throws `WorkspaceError` code `outside-root`.
 * The check is made now; a symlink created later is not seen.
 */
export function resolveInside(root: string, rel: string): string {
  const base = path.resolve(root);
  const abs = path.resolve(base, rel);
  if (!isInside(base, abs)) {
    throw new WorkspaceError('outside-root', `${rel}: path is outside the project root ${base}`);
  }
  const realBase = realpathSync.native(base);
  for (let probe = abs; ; probe = path.dirname(probe)) {
    let real: string;
    try {
      real = realpathSync.native(probe);
    } catch {
      if (probe === base || path.dirname(probe) === probe) break;
      continue;
    }
    if (!isInside(realBase, real)) {
      throw new WorkspaceError('outside-root', `${rel}: path leads outside the project root ${base} through a symlink (to ${real})`);
    }
    break;
  }
  return abs;
}

/**
 * Reads the Python files of `root`: `include` globs (default every `**\/*.py`) minus `exclude`, minus `.git`,
 * virtualenvs (any directory holding `pyvenv.cfg`, plus `.venv`, `.tox`, `site-packages`, and `venv`/`env` without an
 * `__init__.py`), `node_modules`, `__pycache__`, hidden directories, and whatever `.gitignore` files (nested ones
 * too, plus `.git/info/exclude`) ignore. Throws `WorkspaceError` `bad-root` if `root` is not a directory and
 * `bad-glob` for a pattern that leaves the root.
 */
export async function loadWorkspace(root: string, options: WorkspaceOptions = {}): Promise<Workspace> {
  const base = path.resolve(root);
  let isDir = false;
  try {
    isDir = statSync(base).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new WorkspaceError('bad-root', `${root}: project root is not a directory`);
  const include = options.include?.length ? options.include : ['**/*.py'];
  const exclude = options.exclude ?? [];
  for (const pattern of [...include, ...exclude]) {
    if (path.isAbsolute(pattern) || pattern.split('/').includes('..')) {
      throw new WorkspaceError('bad-glob', `${pattern}: glob must be relative to the project root and stay inside it`);
    }
  }
  const candidates = await fg(include, {
    cwd: base,
    onlyFiles: true,
    followSymbolicLinks: false,
    dot: false,
    unique: true,
    ignore: [...exclude, ...SKIPPED_DIRS.map((d) => `**/${d}`)],
  });
  const filter = new DirectoryFilter(base);
  const kept = candidates.filter((rel) => !filter.excludes(rel)).sort(cmp);

  const files: WorkspaceFile[] = [];
  const invalid: string[] = [];
  await forEachLimited(kept, READ_CONCURRENCY, async (rel) => {
    const abs = path.join(base, rel);
    const [bytes, info] = await Promise.all([readFile(abs), stat(abs)]);
    const decoded = decodeUtf8(bytes);
    if (decoded === undefined) {
      invalid.push(rel);
      return;
    }
    files.push({
      path: rel,
      text: decoded.text,
      bytes,
      bom: decoded.bom,
      eol: detectEol(decoded.text),
      finalNewline: hasFinalNewline(decoded.text),
      mode: info.mode & 0o7777,
    });
  });
  return new Workspace(base, files, invalid);
}

/** Decodes UTF-8 strictly; undefined when the bytes are not valid UTF-8. A leading BOM is stripped and reported. */
export function decodeUtf8(bytes: Uint8Array): { text: string; bom: boolean } | undefined {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bom ? bytes.subarray(3) : bytes);
    return { text, bom };
  } catch {
    return undefined;
  }
}

/** Encodes `text` as UTF-8, with a BOM in front when `bom` is set. */
export function encodeUtf8(text: string, bom: boolean): Buffer {
  return Buffer.from(bom ? `\uFEFF${text}` : text, 'utf8');
}

/** Per-directory exclusion (virtualenvs, .gitignore), cached so each directory is examined once. */
class DirectoryFilter {
  private readonly venv = new Map<string, boolean>();
  private readonly gitignores = new Map<string, Ignore | null>();

  constructor(private readonly base: string) {
    const exclude = path.join(base, '.git', 'info', 'exclude');
    if (existsSync(exclude)) {
      this.gitignores.set('\0info', ignore({ allowRelativePaths: true }).add(readFileSync(exclude, 'utf8')));
    }
  }

  excludes(rel: string): boolean {
    const parts = rel.split('/');
    const dirs: string[] = [];
    for (let i = 0; i < parts.length - 1; i++) dirs.push(parts.slice(0, i + 1).join('/'));
    for (const dir of dirs) {
      if (this.isVenv(dir)) return true;
      if (this.ignored(`${dir}/`)) return true;
    }
    return this.ignored(rel);
  }

  private isVenv(dir: string): boolean {
    let answer = this.venv.get(dir);
    if (answer === undefined) {
      const abs = path.join(this.base, dir);
      answer =
        existsSync(path.join(abs, 'pyvenv.cfg')) ||
        (VENV_NAMES.has(path.posix.basename(dir)) && !existsSync(path.join(abs, '__init__.py')));
      this.venv.set(dir, answer);
    }
    return answer;
  }

  /** Git semantics: the deepest .gitignore with a rule for the path decides; `.git/info/exclude` decides last. */
  private ignored(rel: string): boolean {
    const parts = rel.replace(/\/$/, '').split('/');
    const owners = [''];
    for (let i = 0; i < parts.length - 1; i++) owners.push(parts.slice(0, i + 1).join('/'));
    for (const owner of owners.reverse()) {
      const matcher = this.matcher(owner);
      if (!matcher) continue;
      const result = matcher.test(owner === '' ? rel : rel.slice(owner.length + 1));
      if (result.ignored) return true;
      if (result.unignored) return false;
    }
    const info = this.gitignores.get('\0info');
    return info ? info.ignores(rel) : false;
  }

  private matcher(dir: string): Ignore | null {
    let matcher = this.gitignores.get(dir);
    if (matcher === undefined) {
      const file = path.join(this.base, dir, '.gitignore');
      matcher = existsSync(file) ? ignore({ allowRelativePaths: true }).add(readFileSync(file, 'utf8')) : null;
      this.gitignores.set(dir, matcher);
    }
    return matcher;
  }
}

function isInside(base: string, abs: string): boolean {
  const rel = path.relative(base, abs);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(workers);
}
