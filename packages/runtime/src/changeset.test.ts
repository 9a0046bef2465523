import { Changeset, OverlapError, type Edit } from './changeset.js';
import { convertEol, detectEol } from './eol.js';
import { PlanError, RemodelError } from './errors.js';
import type { Origin } from './operation.js';

const move: Origin = { codemod: 'split-users', step: 0, op: 'move-symbols' };
const extract: Origin = { codemod: 'split-users', step: 1, op: 'extract-members' };

function lines(n: number): string {
  return Array.from({ length: n }, (_, i) => `line${i + 1}\n`).join('');
}
/** Offset of the start of 1-based line `n` in `lines(...)` text. */
function lineStart(text: string, n: number): number {
  let offset = 0;
  for (let i = 1; i < n; i++) offset = text.indexOf('\n', offset) + 1;
  return offset;
}

// --- Reference model (independent of magic-string), used by the integrity-checking wrapper. ---
type RefEdit = { start: number; end: number; text: string; seq: number };

function refOverlap(edits: RefEdit[]): boolean {
  for (const a of edits) {
    for (const b of edits) {
      if (a === b) continue;
      if (a.start < a.end && b.start < b.end && a.start < b.end && b.start < a.end) return true;
      if (a.start === a.end && b.start < a.start && a.start < b.end) return true;
    }
  }
  return false;
}

function refApply(original: string, edits: RefEdit[]): string {
  const eol = detectEol(original);
  const ranges = edits.filter((e) => e.start < e.end);
  const inserts = edits.filter((e) => e.start === e.end).sort((a, b) => a.seq - b.seq);
  let out = '';
  let p = 0;
  while (p <= original.length) {
    for (const e of inserts) if (e.start === p) out += convertEol(e.text, eol);
    const range = ranges.find((r) => r.start === p);
    if (range) {
      out += convertEol(range.text, eol);
      p = range.end; // insertions at range.end are emitted by the next iteration
      continue;
    }
    if (p < original.length) out += original[p];
    p++;
  }
  if (original !== '' && out !== '') {
    if (original.endsWith('\n') && !out.endsWith('\n')) out += eol;
    else if (!original.endsWith('\n') && out.endsWith('\n')) out = out.endsWith('\r\n') ? out.slice(0, -2) : out.slice(0, -1);
  }
  return out;
}

/**
 * Re-checks the changeset's invariants after every call (STYLE.md §11): `check()` throws exactly when the
 * reference model finds a collision, and otherwise `apply()` equals the reference splice of the original text.
 */
class IntegrityCheckingChangeset extends Changeset {
  private readonly texts: Map<string, string>;
  readonly recorded = new Map<string, RefEdit[]>();
  private n = 0;

  constructor(texts: Map<string, string>) {
    super(texts);
    this.texts = texts;
  }
  override replace(path: string, start: number, end: number, text: string, origin: Origin): this {
    super.replace(path, start, end, text, origin);
    return this.track(path, { start, end, text, seq: this.n++ });
  }
  override insert(path: string, offset: number, text: string, origin: Origin): this {
    super.insert(path, offset, text, origin);
    return this.track(path, { start: offset, end: offset, text, seq: this.n++ });
  }
  override remove(path: string, start: number, end: number, origin: Origin): this {
    super.remove(path, start, end, origin);
    if (start === end) return this.verify();
    return this.track(path, { start, end, text: '', seq: this.n++ });
  }
  private track(path: string, edit: RefEdit): this {
    const list = this.recorded.get(path) ?? [];
    list.push(edit);
    this.recorded.set(path, list);
    return this.verify();
  }
  private verify(): this {
    const colliding = [...this.recorded.values()].some(refOverlap);
    if (colliding) {
      expect(() => this.check()).toThrow(OverlapError);
      return this;
    }
    expect(() => this.check()).not.toThrow();
    const applied = this.apply();
    for (const [path, edits] of this.recorded) {
      const expected = refApply(this.texts.get(path)!, edits);
      expect(applied.get(path) ?? this.texts.get(path)).toBe(expected);
    }
    return this;
  }
}

/** Deterministic PRNG (mulberry32) so a failing random case can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('replace', () => {
  it('replaces a range of the original text', () => {
    const cs = new IntegrityCheckingChangeset(new Map([['a.py', 'x = 1\ny = 2\n']]));
    cs.replace('a.py', 4, 5, '10', move);
    expect(cs.apply()).toEqual(new Map([['a.py', 'x = 10\ny = 2\n']]));
  });

  it('keeps offsets on the original text after earlier edits', () => {
    const cs = new IntegrityCheckingChangeset(new Map([['a.py', 'aaa bbb ccc\n']]));
    cs.replace('a.py', 0, 3, 'AAAAAAAA', move);
    cs.replace('a.py', 8, 11, 'C', move);
    cs.replace('a.py', 4, 7, '', move);
    expect(cs.apply().get('a.py')).toBe('AAAAAAAA  C\n');
  });

  it('allows adjacent ranges', () => {
    const cs = new IntegrityCheckingChangeset(new Map([['a.py', '0123456789\n']]));
    cs.replace('a.py', 2, 5, 'X', move);
    cs.replace('a.py', 5, 7, 'Y', extract);
    expect(cs.apply().get('a.py')).toBe('01XY789\n');
  });

  it('treats a zero-width replace as an insertion', () => {
    const cs = new Changeset(new Map([['a.py', 'ab\n']]));
    cs.replace('a.py', 1, 1, '-', move);
    expect(cs.edits('a.py')[0].kind).toBe('insert');
    expect(cs.apply().get('a.py')).toBe('a-b\n');
  });

  it('counts offsets as JS string indices (surrogate pairs are two units)', () => {
    const text = 's = "😀é"\nt = 1\n';
    const cs = new Changeset(new Map([['a.py', text]]));
    const at = text.indexOf('é');
    expect(at).toBe(7);
    cs.replace('a.py', at, at + 1, 'e', move);
    expect(cs.apply().get('a.py')).toBe('s = "😀e"\nt = 1\n');
  });
});

describe('insert', () => {
  it('keeps call order for insertions at the same offset', () => {
    const cs = new IntegrityCheckingChangeset(new Map([['a.py', 'x\n']]));
    cs.insert('a.py', 0, 'first\n', move);
    cs.insert('a.py', 0, 'second\n', extract);
    cs.insert('a.py', 2, 'last\n', move);
    cs.insert('a.py', 0, 'third\n', move);
    expect(cs.apply().get('a.py')).toBe('first\nsecond\nthird\nx\nlast\n');
  });

  it('allows insertion at both boundaries of a removed range', () => {
    const cs = new IntegrityCheckingChangeset(new Map([['a.py', 'keep\ndrop\nkeep2\n']]));
    cs.insert('a.py', 10, '[end]', move);
    cs.remove('a.py', 5, 10, move);
    cs.insert('a.py', 5, '[start]', extract);
    expect(cs.apply().get('a.py')).toBe('keep\n[start][end]keep2\n');
  });

  it('puts an insertion at the start of a replaced range before the replacement and one at its end after it', () => {
    const cs = new IntegrityCheckingChangeset(new Map([['a.py', '0123456789\n']]));
    cs.insert('a.py', 3, '<', move);
    cs.replace('a.py', 3, 6, 'R', move);
    cs.insert('a.py', 6, '>', move);
    expect(cs.apply().get('a.py')).toBe('012<R>6789\n');
  });

  it('refuses an insertion strictly inside a replaced range', () => {
    const text = lines(5);
    const cs = new Changeset(new Map([['pkg/a.py', text]]));
    cs.replace('pkg/a.py', lineStart(text, 2), lineStart(text, 4), 'x\n', move);
    cs.insert('pkg/a.py', lineStart(text, 3), 'y\n', extract);
    expect(() => cs.apply()).toThrow(
      'overlapping edits in pkg/a.py: move-symbols (step 1) lines 2-3 and extract-members (step 2) line 3',
    );
  });
});

describe('remove', () => {
  it('removes a range and ignores an empty one', () => {
    const cs = new IntegrityCheckingChangeset(new Map([['a.py', 'import os\nimport sys\n']]));
    cs.remove('a.py', 0, 10, move);
    cs.remove('a.py', 3, 3, move);
    expect(cs.apply()).toEqual(new Map([['a.py', 'import sys\n']]));
  });
});

describe('overlap', () => {
  it('names both edits with operation, step, file and line ranges', () => {
    const text = lines(25);
    const cs = new Changeset(new Map([['a/b.py', text]]));
    cs.replace('a/b.py', lineStart(text, 12), lineStart(text, 21), 'z\n', move);
    cs.remove('a/b.py', lineStart(text, 10), lineStart(text, 15), move);
    let error: unknown;
    try {
      cs.apply();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OverlapError);
    expect(error).toBeInstanceOf(PlanError);
    const overlap = error as OverlapError;
    expect(overlap.message).toBe(
      'overlapping edits in a/b.py: move-symbols (step 1) lines 10-14 and move-symbols (step 1) lines 12-20',
    );
    expect(overlap.code).toBe('overlap');
    expect(overlap.exitCode).toBe(1);
    expect(overlap.path).toBe('a/b.py');
    expect([(overlap.first as Edit).kind, (overlap.second as Edit).kind]).toEqual(['remove', 'replace']);
  });

  it('refuses identical ranges from two operations', () => {
    const cs = new Changeset(new Map([['a.py', 'x = 1\n']]));
    cs.replace('a.py', 0, 1, 'y', move);
    cs.replace('a.py', 0, 1, 'y', extract);
    expect(() => cs.check()).toThrow('overlapping edits in a.py: move-symbols (step 1) line 1 and extract-members (step 2) line 1');
  });

  it('checks every file before producing any text', () => {
    const cs = new Changeset(new Map([['a.py', 'a\n'], ['b.py', 'bbbb\n']]));
    cs.replace('a.py', 0, 1, 'A', move);
    cs.replace('b.py', 0, 3, 'B', move);
    cs.replace('b.py', 2, 4, 'C', extract);
    expect(() => cs.apply()).toThrow(OverlapError);
  });

  it('refuses edits to a file that is also deleted', () => {
    const cs = new Changeset(new Map([['a.py', 'a\n']]));
    cs.delete('a.py', extract);
    cs.insert('a.py', 0, 'x', move);
    expect(() => cs.apply()).toThrow('overlapping edits in a.py: move-symbols (step 1) line 1 and extract-members (step 2) deletes the file');
  });
});

describe('create and delete', () => {
  it('creates files with \\n line endings and deletes files as null', () => {
    const cs = new Changeset((p) => (p === 'old.py' ? 'x\n' : undefined));
    cs.create('pkg/new.py', 'a = 1\r\nb = 2\n', move);
    cs.delete('old.py', move);
    expect(cs.apply()).toEqual(new Map([['old.py', null], ['pkg/new.py', 'a = 1\nb = 2\n']]));
    expect(cs.touched()).toEqual(['old.py', 'pkg/new.py']);
  });

  it('refuses to create a file the lookup knows', () => {
    const cs = new Changeset(new Map([['a.py', '']]));
    expect(() => cs.create('a.py', 'x', move)).toThrow('move-symbols (step 1): cannot create a.py: the file already exists');
  });

  it('refuses to create the same file twice', () => {
    const cs = new Changeset(new Map());
    cs.create('n.py', 'x', move);
    expect(() => cs.create('n.py', 'y', extract)).toThrow(
      'overlapping edits in n.py: move-symbols (step 1) creates the file and extract-members (step 2) creates the file',
    );
  });

  it('refuses to delete or edit an unknown file, and offsets out of range', () => {
    const cs = new Changeset(new Map([['a.py', 'abc\n']]));
    expect(() => cs.delete('zz.py', move)).toThrow('move-symbols (step 1): cannot delete zz.py: not in the project');
    expect(() => cs.insert('zz.py', 0, 'x', move)).toThrow('move-symbols (step 1): cannot edit zz.py: not in the project');
    expect(() => cs.replace('a.py', 2, 9, 'x', move)).toThrow('move-symbols (step 1): edit range 2-9 is outside a.py (length 4)');
    expect(() => cs.remove('a.py', 3, 1, move)).toThrow(PlanError);
    expect(() => cs.insert('a.py', 1.5, 'x', move)).toThrow(RemodelError);
    expect(cs.isEmpty()).toBe(true);
  });
});

describe('line endings', () => {
  it('converts inserted and replacement text to CRLF in a CRLF file', () => {
    const original = 'import os\r\n\r\ndef f():\r\n    pass\r\n';
    const cs = new IntegrityCheckingChangeset(new Map([['a.py', original]]));
    cs.insert('a.py', 11, 'import sys\n', move);
    cs.replace('a.py', original.indexOf('pass'), original.indexOf('pass') + 4, 'x = 1\n    return x', move);
    expect(cs.apply().get('a.py')).toBe('import os\r\nimport sys\r\n\r\ndef f():\r\n    x = 1\r\n    return x\r\n');
  });

  it('normalises CRLF text inserted into an LF file', () => {
    const cs = new Changeset(new Map([['a.py', 'a\n']]));
    cs.insert('a.py', 2, 'b\r\nc\r\n', move);
    expect(cs.apply().get('a.py')).toBe('a\nb\nc\n');
  });

  it('keeps a missing final newline missing', () => {
    const cs = new IntegrityCheckingChangeset(new Map([['a.py', 'x = 1']]));
    cs.insert('a.py', 5, '\n\ndef f():\n    pass\n', move);
    expect(cs.apply().get('a.py')).toBe('x = 1\n\ndef f():\n    pass');
  });

  it('keeps a final newline when an edit at the end drops it', () => {
    const cs = new IntegrityCheckingChangeset(new Map([['a.py', 'x = 1\r\ny = 2\r\n']]));
    cs.replace('a.py', 7, 14, 'y = 3', move);
    expect(cs.apply().get('a.py')).toBe('x = 1\r\ny = 3\r\n');
  });

  it('writes inserted text as given into an empty file', () => {
    const cs = new Changeset(new Map([['pkg/__init__.py', '']]));
    cs.insert('pkg/__init__.py', 0, 'from .a import b\n', move);
    expect(cs.apply().get('pkg/__init__.py')).toBe('from .a import b\n');
  });
});

describe('touched, result and unchanged files', () => {
  it('leaves files whose text does not change out of apply()', () => {
    const cs = new Changeset(new Map([['a.py', 'x = 1\n'], ['b.py', 'y\n']]));
    cs.replace('a.py', 0, 1, 'x', move);
    cs.insert('b.py', 0, '# hi\n', move);
    expect(cs.touched()).toEqual(['a.py', 'b.py']);
    expect([...cs.apply().keys()]).toEqual(['b.py']);
    expect(cs.result('a.py')).toBe('x = 1\n');
    expect(cs.result('b.py')).toBe('# hi\ny\n');
    expect(cs.result('other.py')).toBeUndefined();
  });
});

describe('random edits against the reference model', () => {
  it('agrees with the reference splice and overlap rules on 400 random plans', () => {
    const random = rng(20240601);
    const pick = (n: number) => Math.floor(random() * n);
    const words = ['', 'x', 'def f():\n    pass\n', '\n', 'é😀', 'a\nb'];
    let collisions = 0;
    for (let round = 0; round < 400; round++) {
      const base = Array.from({ length: 1 + pick(6) }, () => `${'abc'.slice(0, 1 + pick(3))}\n`).join('');
      const text = random() < 0.3 ? base.replace(/\n/g, '\r\n') : random() < 0.2 ? base.slice(0, -1) : base;
      const cs = new IntegrityCheckingChangeset(new Map([['f.py', text]]));
      for (let i = 0, n = 1 + pick(4); i < n; i++) {
        const a = pick(text.length + 1);
        const b = pick(text.length + 1);
        const kind = pick(3);
        if (kind === 0) cs.insert('f.py', a, words[pick(words.length)], move);
        else if (kind === 1) cs.replace('f.py', Math.min(a, b), Math.max(a, b), words[pick(words.length)], move);
        else cs.remove('f.py', Math.min(a, b), Math.max(a, b), move);
      }
      if (refOverlap(cs.recorded.get('f.py') ?? [])) collisions++;
    }
    // Both outcomes must have been exercised for the comparison to mean anything.
    expect(collisions).toBeGreaterThan(20);
    expect(collisions).toBeLessThan(380);
  });
});
