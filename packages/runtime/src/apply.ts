import * as nodeFs from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { FILE_HEADERS_ONLY, formatPatch, structuredPatch, type StructuredPatch } from 'diff';
import pc from 'picocolors';
import { ApplyError, RemodelError, WorkspaceError } from './errors.js';
import { encodeUtf8, resolveInside, type Workspace } from './workspace.js';

/**
 * Unified diff (3 lines of context, `a/` and `b/` headers, `/dev/null` for created and deleted files) of every path
 * in `after` whose text differs from `before`, in path order. Coloured with ANSI codes only when `color` is set.
 * Files absent from `before` are shown as created; `null` in `after` as deleted.
 */
export function renderDiff(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string | null>,
  options: { color: boolean },
): string {
  let out = '';
  for (const [file, next] of sortedEntries(after)) {
    const prev = before.get(file);
    if (prev === next || (prev === undefined && next === null)) continue;
    const patch = formatPatch(filePatch(file, prev, next), FILE_HEADERS_ONLY);
    out += options.color ? colorize(patch) : patch;
  }
  return out;
}

/** The last patches computed: a dry run renders the diff and then summarises the same change. */
const recentPatches = new Map<string, { prev: string | undefined; next: string | null; patch: StructuredPatch }>();

/** The unified diff of one file (3 lines of context), computed once for the diff and the summary. */
function filePatch(file: string, prev: string | undefined, next: string | null): StructuredPatch {
  const hit = recentPatches.get(file);
  if (hit && hit.prev === prev && hit.next === next) return hit.patch;
  const patch = structuredPatch(
    prev === undefined ? '/dev/null' : `a/${file}`,
    next === null ? '/dev/null' : `b/${file}`,
    prev ?? '',
    next ?? '',
    undefined,
    undefined,
    { context: 3 },
  );
  if (recentPatches.size >= 64) recentPatches.delete(recentPatches.keys().next().value!);
  recentPatches.set(file, { prev, next, patch });
  return patch;
}

/** Per-file and total counts of a change. Lines are counted as a unified diff counts them. */
export interface ChangeSummary {
  files: { path: string; status: 'changed' | 'created' | 'deleted'; added: number; removed: number }[];
  filesChanged: number;
  filesCreated: number;
  filesDeleted: number;
  linesAdded: number;
  linesRemoved: number;
}

/** Counts what `after` changes relative to `before` (unchanged entries are left out). */
export function summarize(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string | null>): ChangeSummary {
  const summary: ChangeSummary = { files: [], filesChanged: 0, filesCreated: 0, filesDeleted: 0, linesAdded: 0, linesRemoved: 0 };
  for (const [file, next] of sortedEntries(after)) {
    const prev = before.get(file);
    if (prev === next || (prev === undefined && next === null)) continue;
    const status = prev === undefined ? 'created' : next === null ? 'deleted' : 'changed';
    let added = 0;
    let removed = 0;
    for (const hunk of filePatch(file, prev, next).hunks) {
      for (const line of hunk.lines) {
        if (line.startsWith('+')) added++;
        else if (line.startsWith('-')) removed++;
      }
    }
    summary.files.push({ path: file, status, added, removed });
    if (status === 'created') summary.filesCreated++;
    else if (status === 'deleted') summary.filesDeleted++;
    else summary.filesChanged++;
    summary.linesAdded += added;
    summary.linesRemoved += removed;
  }
  return summary;
}

/** One line: `3 files changed, 1 created, 1 deleted; +12 -4 lines` (or `no changes`). */
export function formatSummary(summary: ChangeSummary): string {
  const total = summary.filesChanged + summary.filesCreated + summary.filesDeleted;
  if (total === 0) return 'no changes';
  const parts = [`${summary.filesChanged} ${summary.filesChanged === 1 ? 'file' : 'files'} changed`];
  if (summary.filesCreated) parts.push(`${summary.filesCreated} created`);
  if (summary.filesDeleted) parts.push(`${summary.filesDeleted} deleted`);
  return `${parts.join(', ')}; +${summary.linesAdded} -${summary.linesRemoved} lines`;
}

/** The file-system calls `writeAtomically` makes; tests replace some to inject failures. */
export interface WriteFs {
  readFile(file: string): Promise<Buffer>;
  writeFile(file: string, data: Uint8Array, options: { flag: string }): Promise<void>;
  chmod(file: string, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, created: string): Promise<void>;
  unlink(file: string): Promise<void>;
  mkdir(dir: string, options: { recursive: true }): Promise<string | undefined>;
  rmdir(dir: string): Promise<void>;
  lstat(file: string): Promise<{ isFile(): boolean; isSymbolicLink(): boolean }>;
}

/** Test hooks and signal handling of `writeAtomically`. */
export interface WriteOptions {
  /** Replacement file-system calls (fault injection in tests). */
  fs?: Partial<WriteFs>;
  /** Signals deferred during the write; default SIGINT, SIGTERM, SIGHUP. */
  signals?: NodeJS.Signals[];
  /**
   * Called after the rollback (or after the commit, if the signal came later) with the deferred signal.
   * Default: re-raise it (the process then ends by the signal, as the shell shows exit 130 for SIGINT) when no
   * other listener is installed; otherwise `writeAtomically` throws `ApplyError` code `interrupted`.
   */
  onInterrupt?: (signal: NodeJS.Signals) => void;
}

/** What `writeAtomically` did. */
export interface WriteResult {
  /** Existing files rewritten, created and deleted (root-relative, sorted). */
  written: string[];
  created: string[];
  deleted: string[];
  /** Backups or temporaries that could not be removed after a successful write (normally empty). */
  leftovers: string[];
}

type Plan =
  | { kind: 'modify'; rel: string; abs: string; data: Buffer; original: Buffer; mode: number }
  | { kind: 'create'; rel: string; abs: string; data: Buffer }
  | { kind: 'delete'; rel: string; abs: string; original: Buffer };

class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
  }
}

/**
 * Writes `after` (root-relative path -> new text, null = delete) all-or-nothing. Guarantees:
 * - refuses before touching anything: paths outside the root (`WorkspaceError` outside-root), files not valid UTF-8,
 *   files changed on disk since `workspace` read them (`stale`), creations over an existing path (`exists`);
 * - each text is re-encoded with its file's original BOM and permission bits; new files get no BOM;
 * - new content goes to a temporary sibling `.<name>.remodel-tmp-<pid>` first, then every file is swapped in by
 *   rename (originals kept as hard-linked backups), new parent directories are created, deletions happen last;
 * - on any failure, or SIGINT/SIGTERM/SIGHUP arriving before the commit point, every file is restored byte for
 *   byte, temporaries and created directories are removed, and `ApplyError` (`write-failed`, `interrupted`, or
 *   `rollback-failed` if the restore itself failed, naming the paths to check) is thrown.
 * Does not fsync, and does not protect against another process writing the same files during the swap.
 */
export async function writeAtomically(
  root: string,
  after: ReadonlyMap<string, string | null>,
  workspace: Workspace,
  options: WriteOptions = {},
): Promise<WriteResult> {
  if (path.resolve(root) !== workspace.root) {
    throw new WorkspaceError('root-mismatch', `${root}: write root differs from the workspace root ${workspace.root}`);
  }
  const fs: WriteFs = { ...defaultFs, ...options.fs };
  let plans: Plan[];
  try {
    plans = await planWrites(root, after, workspace, fs);
  } catch (error) {
    if (error instanceof RemodelError) throw error;
    throw new ApplyError('read-failed', `cannot check the files to write (${error instanceof Error ? error.message : String(error)}); nothing was changed`, { cause: error });
  }
  const result: WriteResult = {
    written: plans.filter((p) => p.kind === 'modify').map((p) => p.rel),
    created: plans.filter((p) => p.kind === 'create').map((p) => p.rel),
    deleted: plans.filter((p) => p.kind === 'delete').map((p) => p.rel),
    leftovers: [],
  };
  if (plans.length === 0) return result;

  let pending: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    pending ??= signal;
  };
  const signals = options.signals ?? ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, onSignal);
  const undo: Journal = [];
  const cleanup: string[] = [];
  // Runs one file-system call; `revert` is journaled only once the call has succeeded, so a failed call never
  // leads the rollback to remove something remodel did not make.
  const step: Step = async (work, revert) => {
    if (pending) throw new Interrupted(pending);
    const value = await work();
    if (revert) undo.push(revert);
    if (pending) throw new Interrupted(pending);
    return value;
  };
  try {
    try {
      await prepare(plans, fs, undo, cleanup, step);
      await swap(plans, fs, cleanup, step);
    } catch (error) {
      const failed = await rollback(undo);
      throw failure(error, failed);
    }
    // Commit point passed: the new tree is in place; what is left is removing backups and temporaries.
    for (const file of cleanup) {
      try {
        await ignoreMissing(() => fs.unlink(file));
      } catch {
        result.leftovers.push(path.relative(workspace.root, file));
      }
    }
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
    if (pending) interrupt(pending, options.onInterrupt);
  }
  return result;
}

async function planWrites(
  root: string,
  after: ReadonlyMap<string, string | null>,
  workspace: Workspace,
  fs: WriteFs,
): Promise<Plan[]> {
  const plans: Plan[] = [];
  for (const [rel, text] of sortedEntries(after)) {
    const abs = resolveInside(root, rel);
    if (workspace.invalid.includes(rel)) throw new ApplyError('invalid-utf8', `${rel}: not valid UTF-8; remodel never rewrites it`);
    const file = workspace.file(rel);
    if (!file) {
      if (text === null) throw new ApplyError('not-in-workspace', `${rel}: cannot delete a file remodel did not read`);
      if (await exists(fs, abs)) throw new ApplyError('exists', `${rel}: cannot create, something already exists there`);
      plans.push({ kind: 'create', rel, abs, data: encodeUtf8(text, false) });
      continue;
    }
    await ensureUnchanged(fs, rel, abs, file.bytes);
    if (text === null) plans.push({ kind: 'delete', rel, abs, original: file.bytes });
    else {
      const data = encodeUtf8(text, file.bom);
      if (!data.equals(file.bytes)) plans.push({ kind: 'modify', rel, abs, data, original: file.bytes, mode: file.mode });
    }
  }
  return plans;
}

type Undo = { what: string; run: () => Promise<void> };
type Journal = Undo[];
type Step = <T>(work: () => Promise<T>, revert?: Undo) => Promise<T>;
const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS']);

/** Creates parent directories and writes every temporary file. Nothing visible changes yet. */
async function prepare(plans: Plan[], fs: WriteFs, undo: Journal, cleanup: string[], step: Step): Promise<void> {
  for (const plan of plans) {
    if (plan.kind === 'delete') continue;
    if (plan.kind === 'create') {
      // Journal the missing ancestors outermost first, so the rollback removes the deepest first.
      const missing: string[] = [];
      for (let d = path.dirname(plan.abs); !(await exists(fs, d)); d = path.dirname(d)) missing.unshift(d);
      for (const d of missing) undo.push({ what: `${d}/`, run: () => ignoreMissing(() => fs.rmdir(d)) });
      if (missing.length > 0) await step(() => fs.mkdir(missing[missing.length - 1], { recursive: true }));
    }
    const tmp = sibling(plan.abs, 'tmp');
    try {
      await step(() => fs.writeFile(tmp, plan.data, { flag: 'wx' }), removeFile(fs, tmp));
    } catch (error) {
      // A partly written temporary is ours; an existing one (EEXIST) is not.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' && !(error instanceof Interrupted)) undo.push(removeFile(fs, tmp));
      throw error;
    }
    if (plan.kind === 'modify') await step(() => fs.chmod(tmp, plan.mode));
    cleanup.push(tmp);
  }
}

/** Swaps every file in; deletions last. */
async function swap(plans: Plan[], fs: WriteFs, cleanup: string[], step: Step): Promise<void> {
  for (const plan of plans) {
    const tmp = sibling(plan.abs, 'tmp');
    if (plan.kind === 'modify') {
      const bak = sibling(plan.abs, 'bak');
      await step(() => backup(fs, plan.abs, bak, plan.original, plan.mode), removeFile(fs, bak));
      cleanup.push(bak);
      // The backup is what we are about to replace: prove it is still what the workspace read.
      const current = await step(() => fs.readFile(bak));
      if (!current.equals(plan.original)) throw new ApplyError('stale', `${plan.rel}: changed on disk while writing; nothing was changed`);
      await step(() => fs.rename(tmp, plan.abs), { what: plan.abs, run: () => fs.rename(bak, plan.abs) });
    } else if (plan.kind === 'create') {
      await step(() => createExclusive(fs, tmp, plan.abs), removeFile(fs, plan.abs));
    }
  }
  for (const plan of plans) {
    if (plan.kind !== 'delete') continue;
    const del = sibling(plan.abs, 'del');
    await step(() => fs.rename(plan.abs, del), { what: plan.abs, run: () => fs.rename(del, plan.abs) });
    cleanup.push(del);
  }
}

/** Hard-links the original to `bak` (same inode, so a restore is exact); copies its bytes where links are unsupported. */
async function backup(fs: WriteFs, abs: string, bak: string, original: Buffer, mode: number): Promise<void> {
  try {
    await fs.link(abs, bak);
  } catch (error) {
    if (!LINK_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    await fs.writeFile(bak, original, { flag: 'wx' });
    await fs.chmod(bak, mode);
  }
}

/** Puts `tmp` at `abs` without replacing anything there: link() refuses an existing target, unlike rename(). */
async function createExclusive(fs: WriteFs, tmp: string, abs: string): Promise<void> {
  try {
    await fs.link(tmp, abs);
  } catch (error) {
    if (!LINK_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    if (await exists(fs, abs)) throw error;
    await fs.rename(tmp, abs);
  }
}

function removeFile(fs: WriteFs, file: string): Undo {
  return { what: file, run: () => ignoreMissing(() => fs.unlink(file)) };
}

/** Runs the journal backwards; returns what could not be undone. */
async function rollback(undo: Journal): Promise<string[]> {
  const failed: string[] = [];
  for (const entry of undo.reverse()) {
    try {
      await entry.run();
    } catch {
      failed.push(entry.what);
    }
  }
  return failed;
}

function failure(error: unknown, failedUndo: string[]): RemodelError {
  const reason = error instanceof Interrupted ? error.message : error instanceof Error ? error.message : String(error);
  if (failedUndo.length > 0) {
    return new ApplyError('rollback-failed', `write failed (${reason}) and these could not be restored, check them: ${failedUndo.join(', ')}`, { cause: error });
  }
  if (error instanceof Interrupted) return new ApplyError('interrupted', `${reason}; nothing was changed`, { cause: error });
  if (error instanceof RemodelError) return error;
  return new ApplyError('write-failed', `write failed (${reason}); nothing was changed`, { cause: error });
}

function interrupt(signal: NodeJS.Signals, onInterrupt: WriteOptions['onInterrupt']): void {
  if (onInterrupt) return onInterrupt(signal);
  // With no other listener the re-raised signal ends the process; otherwise those listeners decide.
  const alone = process.listenerCount(signal) === 0;
  process.kill(process.pid, signal);
  if (alone) process.exit(128 + (osConstants.signals[signal] ?? 2));
}

async function ensureUnchanged(fs: WriteFs, rel: string, abs: string, original: Buffer): Promise<void> {
  let current: Buffer | undefined;
  try {
    const info = await fs.lstat(abs);
    if (info.isFile()) current = await fs.readFile(abs);
  } catch {
    // missing: reported below
  }
  if (!current || !current.equals(original)) {
    throw new ApplyError('stale', `${rel}: changed on disk since remodel read it; re-run to plan against the new text`);
  }
}

async function exists(fs: WriteFs, abs: string): Promise<boolean> {
  try {
    await fs.lstat(abs);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw error;
  }
}

/** Runs `work`, treating "nothing there" (ENOENT, ENOTDIR) as done. */
async function ignoreMissing(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
  }
}

function sibling(abs: string, tag: 'tmp' | 'bak' | 'del'): string {
  return path.join(path.dirname(abs), `.${path.basename(abs)}.remodel-${tag}-${process.pid}`);
}

function sortedEntries<V>(map: ReadonlyMap<string, V>): [string, V][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

// Forced on: the caller decides (--color / TTY); picocolors' own detection would ignore the request.
const colors = pc.createColors(true);

function colorize(patch: string): string {
  return patch
    .split('\n')
    .map((line, index) => {
      // The patch of one file: its first two lines are the `---`/`+++` headers, whatever the content looks like.
      if (index < 2) return colors.bold(line);
      if (line.startsWith('+')) return colors.green(line);
      if (line.startsWith('-')) return colors.red(line);
      if (line.startsWith('@@')) return colors.cyan(line);
      return line;
    })
    .join('\n');
}

const defaultFs: WriteFs = {
  readFile: (file) => nodeFs.readFile(file),
  writeFile: (file, data, options) => nodeFs.writeFile(file, data, options),
  chmod: (file, mode) => nodeFs.chmod(file, mode),
  rename: (from, to) => nodeFs.rename(from, to),
  link: (existing, created) => nodeFs.link(existing, created),
  unlink: (file) => nodeFs.unlink(file),
  mkdir: (dir, options) => nodeFs.mkdir(dir, options),
  rmdir: (dir) => nodeFs.rmdir(dir),
  lstat: (file) => nodeFs.lstat(file),
};
