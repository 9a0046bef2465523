import MagicString from 'magic-string';
import { convertEol, detectEol, hasFinalNewline, lineAt } from './eol.js';
import { PlanError } from './errors.js';
import type { Origin } from './operation.js';

/** Original text of each file, by workspace-relative POSIX path: a function or a map. */
export type TextLookup = ((path: string) => string | undefined) | ReadonlyMap<string, string>;

/** One recorded text edit. Offsets are JS string indices into the file's ORIGINAL text; `end` is exclusive. */
export interface Edit {
  kind: 'replace' | 'insert' | 'remove';
  path: string;
  start: number;
  end: number;
  /** Replacement / inserted text, written with `\n` line endings ('' for `remove`). */
  text: string;
  origin: Origin;
  /** Call order within the changeset (0, 1, 2, ...). */
  seq: number;
}

/** A file creation or deletion recorded in the changeset. */
export interface FileChange {
  kind: 'create' | 'delete';
  path: string;
  /** Content of a created file (`\n` line endings); '' for a deletion. */
  text: string;
  origin: Origin;
  seq: number;
}

/**
 * Two recorded changes collide: overlapping ranges, an insertion strictly inside a replaced range, or an edit of a
 * file that is also deleted. The message names both: `overlapping edits in a/b.py: move-symbols (step 1) lines
 * 10-14 and move-symbols (step 1) lines 12-20` (steps are shown 1-based).
 */
export class OverlapError extends PlanError {
  readonly path: string;
  readonly first: Edit | FileChange;
  readonly second: Edit | FileChange;

  constructor(path: string, first: Edit | FileChange, second: Edit | FileChange, original: string | undefined) {
    super('overlap', `overlapping edits in ${path}: ${describe(first, original)} and ${describe(second, original)}`);
    this.path = path;
    this.first = first;
    this.second = second;
  }
}

/**
 * Edits for one planning step, recorded as ranges on the original text of each file (like magic-string) and applied
 * all at once. Guarantees:
 * - offsets always refer to the text given by the lookup, whatever else was recorded;
 * - `apply()` and `check()` refuse colliding edits before producing anything (`OverlapError`); insertions at the
 *   boundary of a replaced/removed range are allowed (at its start they land before the replacement, at its end
 *   after it); insertions at the same offset keep call order;
 * - inserted/replacement text uses `\n` and is converted to the file's dominant EOL, so a CRLF file stays CRLF;
 *   the presence or absence of a final newline in an existing (non-empty) file is preserved; created files use `\n`.
 * Bad arguments (unknown file, offsets out of range, creating an existing file) throw `PlanError` at once.
 * Does not re-parse or validate the resulting Python.
 */
export class Changeset {
  private readonly lookup: (path: string) => string | undefined;
  private readonly editsByPath = new Map<string, Edit[]>();
  private readonly fileOps = new Map<string, FileChange[]>();
  private seq = 0;

  constructor(lookup: TextLookup) {
    this.lookup = typeof lookup === 'function' ? lookup : (path) => lookup.get(path);
  }

  /** Replaces `[start, end)` of the original text of `path` with `text`. A zero-width replace is an insertion. */
  replace(path: string, start: number, end: number, text: string, origin: Origin): this {
    return this.record(start === end ? 'insert' : 'replace', path, start, end, text, origin);
  }

  /** Inserts `text` at `offset` of the original text; several insertions at one offset keep call order. */
  insert(path: string, offset: number, text: string, origin: Origin): this {
    return this.record('insert', path, offset, offset, text, origin);
  }

  /** Removes `[start, end)` of the original text of `path`. An empty range is ignored. */
  remove(path: string, start: number, end: number, origin: Origin): this {
    if (start === end) {
      this.range(path, start, end, origin);
      return this;
    }
    return this.record('remove', path, start, end, '', origin);
  }

  /** Creates `path` with `text`. Refused if the lookup knows `path` or another change already created it. */
  create(path: string, text: string, origin: Origin): this {
    if (this.lookup(path) !== undefined) {
      throw new PlanError('file-exists', `${origin.op} (step ${origin.step + 1}): cannot create ${path}: the file already exists`);
    }
    const earlier = this.fileOps.get(path)?.find((c) => c.kind === 'create');
    const change: FileChange = { kind: 'create', path, text, origin, seq: this.seq++ };
    if (earlier) throw new OverlapError(path, earlier, change, undefined);
    this.push(this.fileOps, path, change);
    return this;
  }

  /** Deletes `path` (must be known to the lookup). Editing a deleted file is refused by `check()`. */
  delete(path: string, origin: Origin): this {
    if (this.lookup(path) === undefined) {
      throw new PlanError('no-such-file', `${origin.op} (step ${origin.step + 1}): cannot delete ${path}: not in the project`);
    }
    this.push(this.fileOps, path, { kind: 'delete', path, text: '', origin, seq: this.seq++ });
    return this;
  }

  /** Paths with at least one edit, creation or deletion, sorted. */
  touched(): string[] {
    return [...new Set([...this.editsByPath.keys(), ...this.fileOps.keys()])].sort();
  }

  /** True when nothing was recorded. */
  isEmpty(): boolean {
    return this.editsByPath.size === 0 && this.fileOps.size === 0;
  }

  /** Edits recorded for `path` (or all paths), in call order. */
  edits(path?: string): readonly Edit[] {
    if (path !== undefined) return this.editsByPath.get(path) ?? [];
    return [...this.editsByPath.values()].flat().sort((a, b) => a.seq - b.seq);
  }

  /** Creations and deletions recorded, in call order. */
  fileChanges(): readonly FileChange[] {
    return [...this.fileOps.values()].flat().sort((a, b) => a.seq - b.seq);
  }

  /** The original text of `path` as the lookup gives it (undefined for unknown files). */
  original(path: string): string | undefined {
    return this.lookup(path);
  }

  /** Throws `OverlapError` for the first collision found (files in path order); otherwise does nothing. */
  check(): void {
    for (const path of this.touched()) this.checkFile(path);
  }

  /**
   * New text of every touched file (null = deleted); files whose text comes out unchanged are left out.
   * Checks every file for collisions before applying anything.
   */
  apply(): Map<string, string | null> {
    this.check();
    const out = new Map<string, string | null>();
    for (const path of this.touched()) {
      const original = this.lookup(path);
      const next = this.applyFile(path);
      if (next !== undefined && next !== original) out.set(path, next);
    }
    return out;
  }

  /** The text `path` would have after `apply()` (null if deleted, undefined if unknown). Checks that file first. */
  result(path: string): string | null | undefined {
    this.checkFile(path);
    return this.applyFile(path);
  }

  private record(kind: Edit['kind'], path: string, start: number, end: number, text: string, origin: Origin): this {
    this.range(path, start, end, origin);
    this.push(this.editsByPath, path, { kind, path, start, end, text, origin, seq: this.seq++ });
    return this;
  }

  private range(path: string, start: number, end: number, origin: Origin): void {
    const where = `${origin.op} (step ${origin.step + 1})`;
    const original = this.lookup(path);
    if (original === undefined) throw new PlanError('no-such-file', `${where}: cannot edit ${path}: not in the project`);
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > original.length) {
      throw new PlanError('edit-out-of-range', `${where}: edit range ${start}-${end} is outside ${path} (length ${original.length})`);
    }
  }

  private push<T>(map: Map<string, T[]>, path: string, item: T): void {
    const list = map.get(path);
    if (list) list.push(item);
    else map.set(path, [item]);
  }

  private checkFile(path: string): void {
    const original = this.lookup(path);
    const edits = this.editsByPath.get(path) ?? [];
    const changes = this.fileOps.get(path) ?? [];
    const deletes = changes.filter((c) => c.kind === 'delete');
    if (deletes.length > 1) throw new OverlapError(path, deletes[0], deletes[1], original);
    if (deletes.length === 1 && edits.length > 0) throw new OverlapError(path, edits[0], deletes[0], original);
    const ranges = edits.filter((e) => e.kind !== 'insert').sort((a, b) => a.start - b.start || a.seq - b.seq);
    for (let i = 1; i < ranges.length; i++) {
      if (ranges[i].start < ranges[i - 1].end) throw new OverlapError(path, ranges[i - 1], ranges[i], original);
    }
    // Ranges are now disjoint and sorted, so a binary search finds the one that could contain each insertion.
    for (const insert of edits.filter((e) => e.kind === 'insert')) {
      let lo = 0;
      let hi = ranges.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const r = ranges[mid];
        if (insert.start <= r.start) hi = mid - 1;
        else if (insert.start >= r.end) lo = mid + 1;
        else throw new OverlapError(path, r, insert, original);
      }
    }
  }

  private applyFile(path: string): string | null | undefined {
    const changes = this.fileOps.get(path) ?? [];
    if (changes.some((c) => c.kind === 'delete')) return null;
    const created = changes.find((c) => c.kind === 'create');
    if (created) return convertEol(created.text, '\n');
    const original = this.lookup(path);
    const edits = this.editsByPath.get(path);
    if (original === undefined || !edits) return original;
    const eol = detectEol(original);
    const s = new MagicString(original);
    // Ranges first: overwrite() drops text attached to the chunk it replaces, so insertions must come after.
    for (const e of edits) {
      if (e.kind === 'remove') s.remove(e.start, e.end);
      else if (e.kind === 'replace') {
        if (e.text === '') s.remove(e.start, e.end);
        else s.overwrite(e.start, e.end, convertEol(e.text, eol));
      }
    }
    for (const e of edits) if (e.kind === 'insert' && e.text !== '') s.appendLeft(e.start, convertEol(e.text, eol));
    return keepFinalNewline(original, s.toString(), eol);
  }
}

function keepFinalNewline(original: string, next: string, eol: string): string {
  if (original === '' || next === '') return next;
  const had = hasFinalNewline(original);
  const has = hasFinalNewline(next);
  if (had && !has) return next + eol;
  if (!had && has) return next.endsWith('\r\n') ? next.slice(0, -2) : next.slice(0, -1);
  return next;
}

function describe(change: Edit | FileChange, original: string | undefined): string {
  const who = `${change.origin.op} (step ${change.origin.step + 1})`;
  if (!('start' in change)) return `${who} ${change.kind === 'create' ? 'creates' : 'deletes'} the file`;
  if (original === undefined) return who;
  const first = lineAt(original, change.start);
  const last = change.end > change.start ? lineAt(original, change.end - 1) : first;
  return first === last ? `${who} line ${first}` : `${who} lines ${first}-${last}`;
}
