/**
 * Summaries of a project's files kept between runs, like ruff's or mypy's caches: one JSON pack per project root in
 * the user's cache directory, entries keyed by a hash of the file's text. A summary depends only on that text and on
 * the code that made it, so the pack records a hash of this package's modules and of the grammar: when either
 * changes the whole pack is dropped. A pack that cannot be read or parsed counts as empty; writing goes through a
 * temporary file renamed into place, so a reader never sees half a pack.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileSummary } from './summary.js';

const FORMAT = 1;

/** `REMODEL_CACHE_DIR`, else `$XDG_CACHE_HOME/remodel`, else `~/.cache/remodel`. */
export function defaultCacheDir(): string {
  return process.env.REMODEL_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'remodel');
}

let codeHash: string | null = null;

/** A hash of the modules that make summaries (this package) and of the grammar and runtime they parse with. */
function summarizerHash(): string {
  if (codeHash) return codeHash;
  const hash = createHash('sha1').update(String(FORMAT));
  const here = dirname(fileURLToPath(import.meta.url));
  for (const name of readdirSync(here).sort()) {
    if (/\.(js|ts)$/.test(name) && !/\.(test|d)\.ts$/.test(name)) hash.update(name).update(readFileSync(join(here, name)));
  }
  const require = createRequire(import.meta.url);
  hash.update(readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm')));
  hash.update(readFileSync(require.resolve('web-tree-sitter')));
  return (codeHash = hash.digest('hex'));
}

export function textKey(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}

interface Pack {
  format: number;
  code: string;
  entries: Record<string, FileSummary>;
}

/** The summaries cached for one project root. */
export class SummaryCache {
  private readonly entries: Map<string, FileSummary>;
  private readonly used = new Map<string, FileSummary>();
  private changed = false;

  private constructor(
    private readonly file: string,
    entries: Record<string, FileSummary>,
  ) {
    this.entries = new Map(Object.entries(entries));
  }

  /** Opens the pack of `root` in `dir` (absent, unreadable or made by other code: empty). */
  static open(dir: string, root: string): SummaryCache {
    const file = join(dir, `${createHash('sha1').update(root).digest('hex')}.json`);
    let entries: Record<string, FileSummary> = {};
    try {
      const pack = JSON.parse(readFileSync(file, 'utf8')) as Pack;
      if (pack.format === FORMAT && pack.code === summarizerHash() && pack.entries && typeof pack.entries === 'object') entries = pack.entries;
    } catch {
      // no pack yet, or one that cannot be read: start empty
    }
    return new SummaryCache(file, entries);
  }

  /** The summary cached for a text with key `key` (see {@link textKey}). */
  get(key: string): FileSummary | undefined {
    const s = this.entries.get(key);
    if (s) this.used.set(key, s);
    return s;
  }

  set(key: string, summary: FileSummary): void {
    this.used.set(key, summary);
    this.changed = true;
  }

  /**
   * Writes the pack with the entries used since opening (entries of files that changed or went away are dropped),
   * when anything was added or dropped. A failed write leaves the old pack and is not an error: the cache is an
   * optimisation.
   */
  save(): void {
    if (!this.changed && this.used.size === this.entries.size) return;
    const pack: Pack = { format: FORMAT, code: summarizerHash(), entries: Object.fromEntries(this.used) };
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(tmp, JSON.stringify(pack));
      renameSync(tmp, this.file);
    } catch {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // the directory is not there either
      }
    }
  }
}
