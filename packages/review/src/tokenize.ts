/**
 * A Python tokenizer producing flat typed arrays and logical lines, the fast base of every review analysis.
 *
 * Why not walk the tree-sitter tree: every node visited through web-tree-sitter crosses the wasm boundary
 * (~1 µs each), so a full walk of a 90k-line project costs as much as parsing it. Every metric the review
 * needs (decision points, `self.x` accesses, names, statement shapes) is visible at token level once logical
 * lines and indentation are known, exactly as CPython's own tokenizer sees them.
 *
 * Guarantees: offsets are JS string indices into the text; lines are 1-based; comments and blank lines produce
 * no token; a logical line ends at a NEWLINE outside brackets (backslash continuations joined). f-string
 * replacement fields are tokenized too: their tokens follow the f-string's STRING token and carry `NESTED`.
 * Does not handle: PEP 701 (3.12) f-strings that reuse the enclosing quote inside a replacement field.
 */

/** Token kinds. */
export const NAME = 1;
export const NUMBER = 2;
export const STRING = 3;
export const OP = 4;

/** Token flag: inside an f-string replacement field. */
export const NESTED = 1;
/** Token flag: STRING token of an f-string. */
export const FSTRING = 2;

/** Zero entries after the last token in every token array (kind 0 is no token). */
export const PAD = 4;

/** The tokens of a file as parallel typed arrays. */
export interface Tokens {
  /** Number of tokens; the arrays are `PAD` entries longer, zero-filled. */
  count: number;
  kind: Uint8Array;
  flags: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  line: Int32Array;
}

/** A logical line (one statement, or a compound statement header) as a token range. */
export interface LogicalLine {
  /** First token index. */
  first: number;
  /** One past the last token index (nested f-string tokens included). */
  last: number;
  /** Indentation column (tabs advance to the next multiple of 8, as CPython does). */
  indent: number;
  /** Indentation level: 0 at module level, +1 per enclosing indented block. */
  depth: number;
  startLine: number;
  endLine: number;
}

/** The result of `tokenize`. */
export interface Tokenized {
  text: string;
  tokens: Tokens;
  lines: LogicalLine[];
  /** Number of physical lines. */
  physicalLines: number;
  /** First tokenizer problem (unterminated string, unbalanced bracket), if any. */
  problem: { line: number; message: string } | null;
}

const ID_START = /[\p{ID_Start}_]/u;
const ID_CONTINUE = /[\p{ID_Continue}]/u;

function isIdStart(c: number, ch: string): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  return ID_START.test(ch);
}

function isIdContinue(c: number, ch: string): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);
  return ID_CONTINUE.test(ch);
}

/** Length of the operator starting with char codes c, c1, c2 (1 to 3). */
function opLength(c: number, c1: number, c2: number): number {
  switch (c) {
    case 42: // *
    case 47: // /
      if (c1 === c) return c2 === 61 ? 3 : 2;
      return c1 === 61 ? 2 : 1;
    case 60: // <
    case 62: // >
      if (c1 === c) return c2 === 61 ? 3 : 2;
      return c1 === 61 || (c === 60 && c1 === 62) ? 2 : 1;
    case 46: // .
      return c1 === 46 && c2 === 46 ? 3 : 1;
    case 45: // -
      return c1 === 61 || c1 === 62 ? 2 : 1;
    case 61: // =
    case 33: // !
    case 43: // +
    case 37: // %
    case 38: // &
    case 124: // |
    case 94: // ^
    case 64: // @
    case 58: // :
      return c1 === 61 ? 2 : 1;
    default:
      return 1;
  }
}

/** `text[j, k)` (1 or 2 chars) is a string prefix: r, b, u, f, or rb/br/rf/fr in any case. */
function isStringPrefix(text: string, j: number, k: number): boolean {
  const a = text.charCodeAt(j) | 32;
  if (k - j === 1) return a === 114 || a === 98 || a === 117 || a === 102;
  const z = text.charCodeAt(j + 1) | 32;
  return (a === 114 && (z === 98 || z === 102)) || ((a === 98 || a === 102) && z === 114);
}

class Builder {
  count = 0;
  kind: Uint8Array;
  flags: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  line: Int32Array;

  /** `capacity`: expected token count (Python averages one token per 4-5 characters). */
  constructor(capacity: number) {
    const n = Math.max(64, capacity);
    this.kind = new Uint8Array(n);
    this.flags = new Uint8Array(n);
    this.start = new Int32Array(n);
    this.end = new Int32Array(n);
    this.line = new Int32Array(n);
  }

  push(kind: number, start: number, end: number, line: number, flags: number): void {
    if (this.count === this.kind.length) this.grow();
    const i = this.count++;
    this.kind[i] = kind;
    this.flags[i] = flags;
    this.start[i] = start;
    this.end[i] = end;
    this.line[i] = line;
  }

  private grow(): void {
    const n = this.kind.length * 2;
    const k = new Uint8Array(n); k.set(this.kind); this.kind = k;
    const f = new Uint8Array(n); f.set(this.flags); this.flags = f;
    const s = new Int32Array(n); s.set(this.start); this.start = s;
    const e = new Int32Array(n); e.set(this.end); this.end = e;
    const l = new Int32Array(n); l.set(this.line); this.line = l;
  }

  /** The arrays, with PAD zero entries after the last token (look-ahead reads stay in bounds). */
  finish(): Tokens {
    const n = this.count;
    while (this.kind.length < n + PAD) this.grow();
    for (let i = n; i < n + PAD; i++) this.kind[i] = this.flags[i] = this.start[i] = this.end[i] = this.line[i] = 0;
    return {
      count: n,
      kind: this.kind.subarray(0, n + PAD),
      flags: this.flags.subarray(0, n + PAD),
      start: this.start.subarray(0, n + PAD),
      end: this.end.subarray(0, n + PAD),
      line: this.line.subarray(0, n + PAD),
    };
  }
}

interface StringScan {
  end: number;
  /** Newlines inside the literal. */
  newlines: number;
  ok: boolean;
}

/** Scans a string literal whose opening quote is at `q` (after any prefix). */
function scanString(text: string, q: number, n: number): StringScan {
  const quote = text.charCodeAt(q);
  const triple = text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote;
  let i = q + (triple ? 3 : 1);
  let newlines = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      // backslash: skips the next char in raw strings too (a raw string cannot end in an odd backslash)
      if (text.charCodeAt(i + 1) === 10) newlines++;
      i += 2;
      continue;
    }
    if (c === 10) {
      if (!triple) return { end: i, newlines, ok: false };
      newlines++;
    } else if (c === quote) {
      if (!triple) return { end: i + 1, newlines, ok: true };
      if (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote) return { end: i + 3, newlines, ok: true };
    }
    i++;
  }
  return { end: n, newlines, ok: false };
}

/**
 * Finds the replacement fields `{expr}` of an f-string body [from, to) and calls `emit` with each expression range
 * (conversion `!r` and format spec removed; nested fields inside a format spec reported too).
 */
function fstringFields(text: string, from: number, to: number, emit: (a: number, b: number) => void): void {
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 123 /* { */) {
      if (text.charCodeAt(i + 1) === 123) { i += 2; continue; }
      i = field(text, i + 1, to, emit);
      continue;
    }
    i++;
  }
}

/** Scans one replacement field starting after `{`; returns the index after its closing `}`. */
function field(text: string, i: number, to: number, emit: (a: number, b: number) => void): number {
  const start = i;
  let depth = 0;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 39 || c === 34) {
      // a string inside the expression (quoted differently from the f-string)
      i = Math.min(scanString(text, i, to).end, to);
      continue;
    }
    if (c === 40 || c === 91 || c === 123) depth++;
    else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
    else if (depth === 0 && (c === 125 || c === 58 || (c === 33 && text.charCodeAt(i + 1) !== 61))) break;
    i++;
  }
  emit(start, i);
  if (i < to && text.charCodeAt(i) === 33) {
    // conversion: !r, !s, !a
    while (i < to && text.charCodeAt(i) !== 58 && text.charCodeAt(i) !== 125) i++;
  }
  if (i < to && text.charCodeAt(i) === 58) {
    // format spec: literal text with nested replacement fields, up to the closing }
    i++;
    while (i < to) {
      const d = text.charCodeAt(i);
      if (d === 123) { i = field(text, i + 1, to, emit); continue; }
      if (d === 125) return i + 1;
      i++;
    }
    return i;
  }
  return i < to ? i + 1 : i;
}

/** Tokenizes a Python module. Never throws: malformed input yields a `problem` and best-effort tokens. */
export function tokenize(text: string): Tokenized {
  return new Tokenizer(text).run();
}

/** One tokenizer run; small methods over shared state so V8 optimises each loop quickly. */
class Tokenizer {
  private readonly b: Builder;
  private readonly lines: LogicalLine[] = [];
  private readonly indents: number[] = [0];
  private problem: Tokenized['problem'] = null;
  private readonly n: number;
  private line = 1;
  private paren = 0;
  /** Newlines consumed inside the last scanned token (multi-line strings). */
  private newlines = 0;
  private current: LogicalLine | null = null;

  /** The text plus a few newlines of padding, so look-ahead reads never run past the end (V8 deopts on those). */
  private readonly text: string;

  constructor(private readonly source: string) {
    this.n = source.length;
    this.text = `${source}\n\n\n\n`;
    this.b = new Builder((source.length >> 2) + 16);
  }

  run(): Tokenized {
    const text = this.text;
    const n = this.n;
    let i = 0;
    let atLineStart = true;
    while (i < n) {
      if (atLineStart && this.paren === 0) {
        const next = this.lineStart(i);
        if (next < 0) break;
        if (this.current) atLineStart = false;
        i = next;
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 12 || c === 13) { i++; continue; }
      if (c === 10) {
        if (this.paren === 0) this.endLogical();
        atLineStart = this.paren === 0;
        this.line++;
        i++;
        continue;
      }
      if (c === 35) {
        const eol = text.indexOf('\n', i);
        i = eol < 0 ? n : eol;
        continue;
      }
      if (c === 92) {
        const d = text.charCodeAt(i + 1);
        if (d === 10 || (d === 13 && text.charCodeAt(i + 2) === 10)) {
          i += d === 13 ? 3 : 2;
          this.line++;
        } else i++;
        continue;
      }
      if (!this.current) {
        // content after a bracket closed on a continuation line that started no logical line (recovery)
        const depth = this.indents.length - 1;
        this.current = { first: this.b.count, last: this.b.count, indent: this.indents[depth], depth, startLine: this.line, endLine: this.line };
      }
      this.newlines = 0;
      i = this.scanToken(i, n, this.line, 0);
      this.line += this.newlines;
    }
    if (this.paren > 0 && !this.problem) this.problem = { line: this.line, message: 'unclosed bracket at end of file' };
    this.endLogical();
    let physicalLines = 0;
    if (n > 0) {
      physicalLines = 1;
      const src = this.source;
      for (let k = src.indexOf('\n'); k >= 0; k = src.indexOf('\n', k + 1)) physicalLines++;
      if (src.charCodeAt(n - 1) === 10) physicalLines--;
    }
    return { text: this.source, tokens: this.b.finish(), lines: this.lines, physicalLines, problem: this.problem };
  }

  /**
   * At the start of a physical line outside brackets: measures indentation and opens a logical line, or skips a
   * blank/comment line. Returns the next index, or -1 at end of input.
   */
  private lineStart(i: number): number {
    const text = this.text;
    const n = this.n;
    let col = 0;
    let j = i;
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 32) col++;
      else if (c === 9) col = (Math.floor(col / 8) + 1) * 8;
      else if (c === 12) col = 0;
      else break;
    }
    if (j >= n) return -1;
    const c = text.charCodeAt(j);
    if (c === 10 || c === 13 || c === 35) {
      const eol = text.indexOf('\n', j);
      this.line++;
      return eol < 0 ? n : eol + 1;
    }
    if (c === 92 && (text.charCodeAt(j + 1) === 10 || (text.charCodeAt(j + 1) === 13 && text.charCodeAt(j + 2) === 10))) {
      // a line that is only a continuation backslash joins the next line
      this.line++;
      return j + (text.charCodeAt(j + 1) === 13 ? 3 : 2);
    }
    const indents = this.indents;
    if (col > indents[indents.length - 1]) indents.push(col);
    else while (col < indents[indents.length - 1] && indents.length > 1) indents.pop();
    this.current = { first: this.b.count, last: this.b.count, indent: col, depth: indents.length - 1, startLine: this.line, endLine: this.line };
    return j;
  }

  private endLogical(): void {
    const cur = this.current;
    if (cur) {
      cur.last = this.b.count;
      cur.endLine = this.line;
      this.lines.push(cur);
      this.current = null;
    }
  }

  /** Scans one token at `j` (not whitespace), pushes it, returns the index after it; adds to `newlines`. */
  private scanToken(j: number, limit: number, ln: number, flags: number): number {
    const text = this.text;
    const c = text.charCodeAt(j);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 128 && isIdStart(c, text[j]))) {
      const k = this.scanName(j, limit);
      const q = text.charCodeAt(k);
      if ((q === 39 || q === 34) && k - j <= 2 && isStringPrefix(text, j, k)) return this.scanStringToken(j, k, limit, ln, flags);
      this.b.push(NAME, j, k, ln, flags);
      return k;
    }
    if (c === 39 || c === 34) return this.scanStringToken(j, j, limit, ln, flags);
    const c1 = text.charCodeAt(j + 1);
    if ((c >= 48 && c <= 57) || (c === 46 && c1 >= 48 && c1 <= 57)) {
      const k = this.scanNumber(j, limit);
      this.b.push(NUMBER, j, k, ln, flags);
      return k;
    }
    const len = opLength(c, c1, text.charCodeAt(j + 2));
    if (len === 1) {
      if (c === 40 || c === 91 || c === 123) this.paren++;
      else if (c === 41 || c === 93 || c === 125) {
        if (this.paren > 0) this.paren--;
        else if (!this.problem && !(flags & NESTED)) this.problem = { line: ln, message: `unmatched '${text[j]}'` };
      }
    }
    this.b.push(OP, j, j + len, ln, flags);
    return j + len;
  }

  private scanName(j: number, limit: number): number {
    const text = this.text;
    let k = j + 1;
    while (k < limit) {
      const d = text.charCodeAt(k);
      if (d < 128 ? !((d >= 97 && d <= 122) || (d >= 65 && d <= 90) || d === 95 || (d >= 48 && d <= 57)) : !isIdContinue(d, text[k])) break;
      k++;
    }
    return k;
  }

  private scanNumber(j: number, limit: number): number {
    const text = this.text;
    let k = j + 1;
    const hex = text.charCodeAt(j) === 48 && (text.charCodeAt(j + 1) | 32) === 120;
    while (k < limit) {
      const d = text.charCodeAt(k);
      if ((d >= 48 && d <= 57) || (d >= 97 && d <= 122) || (d >= 65 && d <= 90) || d === 95 || d === 46) k++;
      else if ((d === 43 || d === 45) && (text.charCodeAt(k - 1) | 32) === 101 && !hex) k++;
      else break;
    }
    return k;
  }

  private scanStringToken(j: number, q: number, limit: number, ln: number, flags: number): number {
    const text = this.text;
    const isF = isFPrefix(text, j, q);
    const s = scanString(text, q, this.n);
    const end = Math.min(s.end, limit);
    if (!s.ok && !this.problem) this.problem = { line: ln, message: 'unterminated string literal' };
    this.b.push(STRING, j, end, ln, flags | (isF ? FSTRING : 0));
    if (isF) {
      const quote = text.charCodeAt(q);
      const triple = text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote;
      const bodyStart = q + (triple ? 3 : 1);
      const bodyEnd = s.ok ? end - (triple ? 3 : 1) : end;
      const saved = this.newlines;
      fstringFields(text, bodyStart, bodyEnd, (a, z) => {
        let ln2 = ln;
        for (let k = j; k < a; k++) if (text.charCodeAt(k) === 10) ln2++;
        const savedParen = this.paren;
        this.scanNested(a, z, ln2);
        this.paren = savedParen;
      });
      this.newlines = saved;
    }
    this.newlines += s.newlines;
    return end;
  }

  /** Expression of an f-string field: newlines are whitespace; nested f-strings recurse. */
  private scanNested(from: number, to: number, startLine: number): void {
    const text = this.text;
    let j = from;
    let ln = startLine;
    while (j < to) {
      const c = text.charCodeAt(j);
      if (c === 10) { ln++; j++; continue; }
      if (c === 32 || c === 9 || c === 13 || c === 12 || c === 92) { j++; continue; }
      if (c === 35) { while (j < to && text.charCodeAt(j) !== 10) j++; continue; }
      this.newlines = 0;
      j = this.scanToken(j, to, ln, NESTED);
      ln += this.newlines;
    }
  }
}

/** The prefix `text[j, q)` of a string literal contains `f`. */
function isFPrefix(text: string, j: number, q: number): boolean {
  for (let k = j; k < q; k++) if ((text.charCodeAt(k) | 32) === 102) return true;
  return false;
}

/** The source text of token `t`. */
export function tokenText(tk: Tokenized, t: number): string {
  return tk.text.slice(tk.tokens.start[t], tk.tokens.end[t]);
}
