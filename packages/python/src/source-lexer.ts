/**
 * Reads the names of Python expressions and simple statements from the source text.
 *
 * web-tree-sitter makes every node and node type through WebAssembly, so walking an expression node by node costs
 * far more than reading its text. For a tree without syntax errors, {@link SourceLexer} reads the names of an
 * expression (or of a simple statement, a block of them, or a function header) from the source text when its tokens
 * show nothing that binds a name or opens a scope: names, numbers, strings (f-string interpolations included),
 * brackets, operators and the keywords KEYWORDS allows. Every identifier of such an expression is then a read in the
 * scope the expression is in, except attribute names (`a.b`) and keyword argument names (`f(b=1)`), and the bare
 * names of assignment targets are bindings. Anything else (a lambda, a comprehension, a walrus, `yield`, a non-ASCII
 * name, a string annotation, ...) makes it give up, and the caller walks the node instead.
 *
 * The lexer only yields offsets: start / end pairs of the identifiers read ({@link SourceLexer.reads}) and bound
 * ({@link SourceLexer.binds}). It knows nothing of scopes or tree nodes; the scope walk (scope-walker.ts) binds and
 * resolves them.
 */

/**
 * Python's keywords by their first character: the words, and 1 for those an expression may hold (and `await`
 * before a name) or 0.
 */
const KEYWORDS = new Map<number, { words: string[]; ok: number[] }>();
for (const [word, ok] of [
  ['False', 1], ['None', 1], ['True', 1], ['and', 1], ['as', 0], ['assert', 0], ['async', 0], ['await', 0],
  ['break', 0], ['class', 0], ['continue', 0], ['def', 0], ['del', 0], ['elif', 0], ['else', 1], ['except', 0],
  ['finally', 0], ['for', 0], ['from', 0], ['global', 0], ['if', 1], ['import', 0], ['in', 1], ['is', 1],
  ['lambda', 0], ['nonlocal', 0], ['not', 1], ['or', 1], ['pass', 0], ['raise', 0], ['return', 0], ['try', 0],
  ['while', 0], ['with', 0], ['yield', 0],
] as const) {
  const c = word.charCodeAt(0);
  if (!KEYWORDS.has(c)) KEYWORDS.set(c, { words: [], ok: [] });
  KEYWORDS.get(c)!.words.push(word);
  KEYWORDS.get(c)!.ok.push(ok);
}

// What a statement of a block is, from its first word (SourceLexer.statement).
/** An expression statement (or an assignment): lexed to the end of its line. */
const S_EXPRESSION = 0;
/** `return`, `assert`, `del`: lexed past the keyword. */
const S_KEYWORD = 1;
/** `pass`, `break`, `continue`: nothing to read. */
const S_NOTHING = 2;
/** Anything else (compound statements, imports, `global`, decorators, soft keywords...): walked node by node. */
const S_OTHER = 3;
/** `raise`: lexed past the keyword, with its `from` clause. */
const S_RAISE = 4;
/** The first words that decide a statement's kind (other keywords start S_OTHER statements). */
const STATEMENT_WORDS: [string, number][] = [
  ['return', S_KEYWORD], ['assert', S_KEYWORD], ['del', S_KEYWORD], ['raise', S_RAISE], ['pass', S_NOTHING], ['break', S_NOTHING],
  ['continue', S_NOTHING], ['await', S_EXPRESSION], ['not', S_EXPRESSION], ['None', S_EXPRESSION],
  ['True', S_EXPRESSION], ['False', S_EXPRESSION], ['match', S_OTHER], ['case', S_OTHER], ['type', S_OTHER],
  ['print', S_OTHER], ['exec', S_OTHER],
];

/** The kind of the statement whose first word is `src[i, j)`. */
function statementKind(src: string, i: number, j: number): number {
  if (j - i < 2 || j - i > 8) return S_EXPRESSION;
  for (let k = 0; k < STATEMENT_WORDS.length; k++) {
    const word = STATEMENT_WORDS[k][0];
    if (word.length === j - i && src.startsWith(word, i)) return STATEMENT_WORDS[k][1];
  }
  return keywordAt(src, i, j) >= 0 ? S_OTHER : S_EXPRESSION;
}

/** The keyword `src[i, j)` is: 1 for one an expression may hold, 0 for another, -1 for none. */
function keywordAt(src: string, i: number, j: number): number {
  const first = KEYWORDS.get(src.charCodeAt(i));
  if (first) {
    const { words, ok } = first;
    for (let k = 0; k < words.length; k++) if (words[k].length === j - i && src.startsWith(words[k], i)) return ok[k];
  }
  return -1;
}
const NUMBER = /(?:0[xX](?:_?[0-9a-fA-F])+|0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?)[jJlL]?/y;
const STRING_PREFIX = /^[rRbBuUfF]{0,3}$/;

/** 1 for ASCII characters that start a name, 2 for the other ASCII characters of names. */
const NAME_CHARS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) NAME_CHARS[c] = 1;
  else if (c >= 48 && c <= 57) NAME_CHARS[c] = 2;
}
function isNameStart(c: number): boolean {
  return NAME_CHARS[c] === 1;
}
function isNameChar(c: number): boolean {
  return NAME_CHARS[c] > 0;
}

// The bodies of string literals after their opening quote(s), through the closing one(s); a backslash escapes the
// next character (a line break too); a one-line string cannot hold a line break.
const DOUBLE_BODY = /[^"\\\r\n]*(?:\\(?:\r\n|[^])[^"\\\r\n]*)*"/y;
const SINGLE_BODY = /[^'\\\r\n]*(?:\\(?:\r\n|[^])[^'\\\r\n]*)*'/y;
const TRIPLE_DOUBLE_BODY = /[^"\\]*(?:(?:\\[^]|"(?!""))[^"\\]*)*"""/y;
const TRIPLE_SINGLE_BODY = /[^'\\]*(?:(?:\\[^]|'(?!''))[^'\\]*)*'''/y;

/** End of the plain string literal whose quote is at `q`, or -1 when it does not end before `end`. */
function stringEnd(src: string, q: number, end: number): number {
  const quote = src.charCodeAt(q);
  const triple = src.charCodeAt(q + 1) === quote && src.charCodeAt(q + 2) === quote;
  const body = triple ? (quote === 34 ? TRIPLE_DOUBLE_BODY : TRIPLE_SINGLE_BODY) : quote === 34 ? DOUBLE_BODY : SINGLE_BODY;
  body.lastIndex = triple ? q + 3 : q + 1;
  if (!body.test(src) || body.lastIndex > end) return -1;
  return body.lastIndex;
}

// Modes of SourceLexer.run (flags).
/** A statement: stop at the end of its line (a `;` gives up). */
const TO_EOL = 1;
/** In a statement, `=` (and `op=`, or the `:` of an annotated assignment) at depth 0 end assignment targets. */
const TARGETS = 2;
/** An f-string interpolation: stop at `}`, `!`, `:` or `=` at depth 0; a newline, comment or backslash gives up. */
const INTERPOLATION = 4;
/** A string literal gives up (in an annotation, a string is a type expression). */
const NO_STRINGS = 8;
/** An item of a parameter list: stop at `,`, `)` or `=` at depth 0. */
const LIST_ITEM = 16;
/** A return annotation: stop at `:` at depth 0. */
const TO_COLON = 32;
/** A `raise` statement: one `from` at depth 0 after its exception. */
const RAISE_FROM = 64;

/** The mode of SourceLexer.run for the statement of kind `kind` (S_EXPRESSION, S_KEYWORD or S_RAISE). */
function statementMode(kind: number): number {
  if (kind === S_EXPRESSION) return TO_EOL | TARGETS;
  return kind === S_RAISE ? TO_EOL | RAISE_FROM : TO_EOL;
}

// The previous token, for SourceLexer.run.
const T_NONE = 0;
const T_NAME = 1;
const T_DOT = 2;
const T_OPEN = 3;
const T_COMMA = 4;
const T_OTHER = 5;

// An assignment target item (comma-separated at depth 0), for SourceLexer.run: a bare name is bound; the reads of an
// item starting with a name (`a.b`, `a[i]`) stay; any other item gives up.
const ITEM_READS = -1;
const ITEM_OTHER = -2;

/** The kind of an assignment target item: the index of its bare name in SourceLexer.reads, ITEM_READS or ITEM_OTHER. */
function itemKind(tokens: number, first: number, star: boolean, name: number): number {
  if (name >= 0 && (tokens === 1 || (tokens === 2 && star))) return name;
  return first === T_NAME && !star ? ITEM_READS : ITEM_OTHER;
}

/**
 * A snippet with every kind of token and statement the lexer reads (see {@link SourceLexer.prime}).
 */
const PRIMER = [
  'a = b.c(d, e=f, *g, **h)[i:j, ::2] + -k ** l // m @ n % o & p | q ^ ~r << s >> t < u > v <= w >= x == y != z',
  'a += 1',
  'b.c[d] -= 2',
  'c, *d = e if f else g or not h and i in j is not k',
  'l[m] = n.o = (p, [q], {r: s}, {t}, ())',
  'u = 0x1F + 1.5e-3 + .5 + 1j + 1_000 + ... + None + True + False',
  'v = "x" \'y\' """z""" r"\\d" b\'e\' f"{w!r:>{x}} {y=} {{z}}" f\'\'\'{aa}\'\'\'',
  'await dd.ee(ff)  # comment',
  'return gg, (hh,\n    ii)',
  'del jj[0], kk',
  'assert ll, "mm"',
  'raise nn(oo) from pp',
  'raise',
  'qq.rr: ss[tt] = "uu"',
  'vv: ww',
  'pass',
  'def nn(oo, pp: int = 1, *qq: rr, ss=tt, **uu) -> vv:',
  '',
].join('\n');

/**
 * Reads the names of expressions, simple statements, blocks of them and function headers from the text of a file
 * that parses without syntax errors (see above): its entry points take offsets into that text, which a caller gets
 * from the tree, and it trusts the parse where it does not check.
 */
export class SourceLexer {
  private static primed = false;

  /**
   * Lexes {@link PRIMER} once per process, before the first file. V8 optimises {@link SourceLexer.run} after a few
   * statements and deoptimises it at the first use of each rarer token; on the Venom tree that made eight
   * recompilations of ~40 ms each (on threads the walk competes with). Lexing every kind of token first gives the
   * optimised code what it needs. Nothing of it is kept.
   */
  static prime(): void {
    if (SourceLexer.primed) return;
    SourceLexer.primed = true;
    const lexer = new SourceLexer(PRIMER);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < PRIMER.length; i = PRIMER.indexOf('\n', i) + 1) {
        lexer.reset();
        if (PRIMER.startsWith('def ', i)) lexer.header(i, PRIMER.length);
        else lexer.statement(i);
        if (PRIMER.indexOf('\n', i) < 0) break;
      }
    }
  }

  // What the last entry point read (each one starts afresh). Its callers read these after it returned true (or
  // a block's statements before the one it stopped at).
  /** Start / end offset pairs of the identifiers read; a pair whose start is -1 was turned into a binding. */
  readonly reads: number[] = [];
  /** Start / end offset pairs of the identifiers bound by assignment targets (or parameters), in order. */
  readonly binds: number[] = [];
  /** Start / end offsets of the function's name, after {@link functionHeader}. */
  name = 0;
  nameEnd = 0;

  constructor(private readonly src: string) {}

  /** Forgets what was read. */
  reset(): void {
    this.reads.length = 0;
    this.binds.length = 0;
  }

  // ---- Entry points: each resets, lexes, and says whether it could read what it was given.

  /** The expression `src[start, end)`. False when the lexer gives up. */
  expression(start: number, end: number): boolean {
    this.reset();
    return this.run(start, end, 0) >= 0;
  }

  /** The annotation `src[start, end)`: an expression in which a string gives up (there it is a type expression). */
  annotation(start: number, end: number): boolean {
    this.reset();
    return this.run(start, end, NO_STRINGS) >= 0;
  }

  /**
   * The expression statement (or assignment) at `start`, to the end of its line: its reads, and the bare names of
   * its assignment targets as binds.
   */
  expressionStatement(start: number): boolean {
    this.reset();
    return this.run(start, this.src.length, TO_EOL | TARGETS) >= 0;
  }

  /** The statement at `start` (`return`, `assert`, `del`, `raise`) past its keyword. False for another statement. */
  keywordStatement(start: number): boolean {
    const src = this.src;
    let i = start;
    while (isNameChar(src.charCodeAt(i))) i++;
    const kind = statementKind(src, start, i);
    if (kind !== S_KEYWORD && kind !== S_RAISE) return false;
    this.reset();
    return this.run(i, src.length, statementMode(kind)) >= 0;
  }

  /**
   * The function header at `start` (see {@link header}): its name (`name`, `nameEnd`), its parameters as binds,
   * the reads of its annotations and defaults.
   */
  functionHeader(start: number): boolean {
    this.reset();
    return this.header(start, this.src.length) >= 0;
  }

  /**
   * The statements of a block from `start` to `end` (with the blank space and comments between them), up to the
   * first one {@link statement} cannot read or that starts with `stopBefore`. Returns where that one starts (what
   * was read holds the statements before it), or -1 when all were read.
   */
  statements(start: number, end: number, stopBefore: string | null): number {
    const src = this.src;
    this.reset();
    for (let at = start; ; ) {
      at = this.blank(at, end);
      if (at >= end) return -1;
      const next = stopBefore !== null && src.startsWith(stopBefore, at) ? -1 : this.statement(at);
      if (next < 0) return at;
      at = next;
    }
  }

  /** Skips spaces, line breaks and comments (between statements). */
  private blank(i: number, end: number): number {
    const src = this.src;
    while (i < end) {
      const c = src.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12) i++;
      else if (c === 35) while (i < end && src.charCodeAt(i) !== 10 && src.charCodeAt(i) !== 13) i++;
      else break;
    }
    return i;
  }

  /**
   * Lexes the statement that starts at `i` (a statement of a block, in a tree without syntax errors) and returns
   * its end; -1 when it is not an expression statement, `return` / `assert` / `del` / `raise` or `pass` / `break` /
   * `continue` the lexer can read (what it had recorded for it is then dropped).
   */
  private statement(i: number): number {
    const src = this.src;
    let j = i;
    while (isNameChar(src.charCodeAt(j))) j++;
    const c = src.charCodeAt(j);
    let kind = S_EXPRESSION;
    if (j > i && !isNameStart(src.charCodeAt(i))) return -1;
    if (j > i) {
      if (c > 127) return -1;
      kind = statementKind(src, i, j);
    } else if (c === 64) return -1; // @decorator
    if (kind === S_OTHER) return -1;
    if (kind === S_NOTHING) {
      while (src.charCodeAt(j) === 32 || src.charCodeAt(j) === 9) j++;
      const d = src.charCodeAt(j);
      return j >= src.length || d === 10 || d === 13 || d === 35 ? j : -1;
    }
    const reads = this.reads.length;
    const binds = this.binds.length;
    const end = this.run(kind === S_EXPRESSION ? i : j, src.length, statementMode(kind));
    if (end < 0) {
      this.reads.length = reads;
      this.binds.length = binds;
    }
    return end;
  }

  /**
   * Lexes from `start` (to `end`, or as `mode` says) and returns where it stopped, or -1 when it gives up.
   * `quote` is the quote of the f-string around an interpolation.
   */
  private run(start: number, end: number, mode: number, quote = 0): number {
    const src = this.src;
    const reads = this.reads;
    const brackets: number[] = [];
    let prev = T_NONE;
    let beforeName = T_NONE;
    // Assignment targets: the items of the current segment, then the current item.
    let items: number[] | null = null;
    let assigned = false;
    let augmented = false;
    /** After `target:` of an annotated assignment (its annotation is lexed without strings, up to `=`). */
    let annotated = false;
    /** After the `from` of a `raise` statement. */
    let raiseFrom = false;
    let itemTokens = 0;
    let itemFirst = T_NONE;
    let itemStar = false;
    let itemName = -1;
    let i = start;
    for (;;) {
      if (i >= end) {
        if (mode & (INTERPOLATION | LIST_ITEM | TO_COLON)) return -1;
        break;
      }
      const c = src.charCodeAt(i);
      if (c === 32 || c === 9 || c === 12) {
        i++;
        continue;
      }
      if (c === 10 || c === 13 || c === 35) {
        // newline, or # comment
        if (mode & INTERPOLATION) return -1;
        if (brackets.length === 0 && mode & TO_EOL) break;
        if (c === 35) while (i < end && src.charCodeAt(i) !== 10 && src.charCodeAt(i) !== 13) i++;
        else i++;
        continue;
      }
      if (c === 92) {
        // \ line continuation
        const d = src.charCodeAt(i + 1);
        if (mode & INTERPOLATION) return -1;
        if (d === 10) i += 2;
        else if (d === 13) i += src.charCodeAt(i + 2) === 10 ? 3 : 2;
        else return -1;
        continue;
      }
      // A token.
      const first = itemTokens++ === 0;
      if (NAME_CHARS[c] === 1) {
        let j = i + 1;
        while (j < end && NAME_CHARS[src.charCodeAt(j)] > 0) j++;
        const q = j < end ? src.charCodeAt(j) : 0;
        if (q === 34 || q === 39) {
          // a prefixed string
          if (prev === T_DOT) return -1;
          i = this.string(i, j, end, mode, quote);
          if (i < 0) return -1;
          if (first) itemFirst = T_OTHER;
          prev = T_OTHER;
          continue;
        }
        if (q > 127) return -1;
        const keyword = j - i > 1 && j - i < 9 ? keywordAt(src, i, j) : -1;
        if (keyword >= 0) {
          if (prev === T_DOT) return -1;
          if (keyword === 0) {
            if (mode & RAISE_FROM && !raiseFrom && j - i === 4 && src.startsWith('from', i) && brackets.length === 0) {
              // `raise exception from cause`
              if (prev === T_NONE) return -1;
              raiseFrom = true;
            } else {
              // `await name...` only: before anything else `await` may be parsed as a name
              if (j - i !== 5 || !src.startsWith('await', i)) return -1;
              let k = j;
              while (src.charCodeAt(k) === 32) k++;
              if (k >= end || !isNameStart(src.charCodeAt(k))) return -1;
            }
          }
          if (first) itemFirst = T_OTHER;
          prev = T_OTHER;
        } else if (prev === T_DOT) {
          prev = T_OTHER; // an attribute name
        } else {
          if (first) {
            itemFirst = T_NAME;
            itemName = reads.length;
          } else if (itemTokens === 2 && itemStar) itemName = reads.length;
          reads.push(i, j);
          beforeName = prev;
          prev = T_NAME;
        }
        i = j;
        continue;
      }
      if ((c >= 48 && c <= 57) || (c === 46 && src.charCodeAt(i + 1) >= 48 && src.charCodeAt(i + 1) <= 57)) {
        if (prev === T_DOT) return -1;
        NUMBER.lastIndex = i;
        if (!NUMBER.test(src) || NUMBER.lastIndex > end) return -1;
        i = NUMBER.lastIndex;
        if (i < end) {
          const d = src.charCodeAt(i);
          if (isNameChar(d) || d === 46 || d > 127) return -1;
        }
        if (first) itemFirst = T_OTHER;
        prev = T_OTHER;
        continue;
      }
      if (prev === T_DOT && c !== 46) return -1;
      if (first) itemFirst = T_OTHER;
      switch (c) {
        case 34: // "
        case 39: // '
          i = this.string(i, i, end, mode, quote);
          if (i < 0) return -1;
          prev = T_OTHER;
          continue;
        case 40: // (
        case 91: // [
        case 123: // {
          brackets.push(c);
          prev = T_OPEN;
          i++;
          continue;
        case 41: // )
        case 93: // ]
        case 125: {
          // }
          if (brackets.length === 0 && ((c === 125 && mode & INTERPOLATION) || (c === 41 && mode & LIST_ITEM))) return i;
          if (brackets.pop() !== (c === 41 ? 40 : c - 2)) return -1;
          prev = T_OTHER;
          i++;
          continue;
        }
        case 44: // ,
          if (brackets.length === 0 && mode & LIST_ITEM) return i;
          if (brackets.length === 0 && mode & TARGETS) {
            if (--itemTokens > 0) (items ??= []).push(itemKind(itemTokens, itemFirst, itemStar, itemName));
            itemTokens = 0;
            itemFirst = T_NONE;
            itemStar = false;
            itemName = -1;
          }
          prev = T_COMMA;
          i++;
          continue;
        case 46: // . or ...
          if (prev === T_DOT) return -1;
          if (src.charCodeAt(i + 1) === 46 && src.charCodeAt(i + 2) === 46) {
            i += 3;
            prev = T_OTHER;
          } else {
            i++;
            prev = T_DOT;
          }
          continue;
        case 58: // : in dict entries and slices; a format spec; an annotated assignment; a walrus gives up
          if (src.charCodeAt(i + 1) === 61) return -1;
          if (brackets.length === 0) {
            if (mode & (INTERPOLATION | TO_COLON)) return i;
            if (!(mode & TARGETS) || assigned || augmented || annotated || items !== null || --itemTokens === 0) return -1;
            // `target: annotation [= value]`: one target, then an annotation without strings
            const item = itemKind(itemTokens, itemFirst, itemStar, itemName);
            if (item === ITEM_OTHER || itemStar) return -1;
            if (item >= 0) {
              this.binds.push(reads[item], reads[item + 1]);
              reads[item] = -1;
            }
            itemTokens = 0;
            itemFirst = T_NONE;
            itemStar = false;
            itemName = -1;
            annotated = true;
            mode |= NO_STRINGS;
            prev = T_OTHER;
            i++;
            continue;
          }
          prev = T_OTHER;
          i++;
          continue;
        case 61: {
          // = : `==`, a keyword argument `f(a, b=1)`, an assignment, an f-string `{x=}`
          if (src.charCodeAt(i + 1) === 61) {
            i += 2;
            prev = T_OTHER;
            continue;
          }
          if (brackets.length === 0) {
            if (mode & (INTERPOLATION | LIST_ITEM)) return i;
            if (!(mode & TARGETS) || augmented) return -1;
            if (annotated) {
              // the value of an annotated assignment
              if (assigned) return -1;
              assigned = true;
              mode &= ~NO_STRINGS;
              prev = T_OTHER;
              i++;
              continue;
            }
            if (--itemTokens > 0) (items ??= []).push(itemKind(itemTokens, itemFirst, itemStar, itemName));
            itemTokens = 0;
            itemFirst = T_NONE;
            itemStar = false;
            itemName = -1;
            if (!items || !this.bindTargets(items)) return -1;
            items = null;
            assigned = true;
            prev = T_OTHER;
            i++;
            continue;
          }
          if (prev !== T_NAME || (beforeName !== T_OPEN && beforeName !== T_COMMA) || brackets[brackets.length - 1] !== 40) {
            return -1;
          }
          reads.length -= 2; // a keyword argument name
          prev = T_OTHER;
          i++;
          continue;
        }
        case 43: // +
        case 45: // -
        case 42: // *
        case 47: // /
        case 37: // %
        case 64: // @
        case 38: // &
        case 124: // |
        case 94: // ^
        case 126: // ~
        case 60: // <
        case 62: // >
        case 33: {
          // !
          let j = i + 1;
          const d = src.charCodeAt(j);
          if (((c === 42 || c === 47 || c === 60 || c === 62) && d === c) || (c === 60 && d === 62)) j++;
          else if ((c === 60 || c === 62 || c === 33) && d === 61) j++;
          else if (c === 33) {
            if (brackets.length === 0 && mode & INTERPOLATION) return i; // a conversion `{x!r}`
            return -1;
          } else if (c === 45 && d === 62) return -1; // ->
          if (src.charCodeAt(j) === 61) {
            // an augmented assignment: one target, then the value
            if (brackets.length > 0 || !(mode & TARGETS) || assigned || augmented || annotated || c === 126) return -1;
            if (--itemTokens > 0) (items ??= []).push(itemKind(itemTokens, itemFirst, itemStar, itemName));
            itemTokens = 0;
            itemFirst = T_NONE;
            itemStar = false;
            itemName = -1;
            if (!items || items.length !== 1 || items[0] === ITEM_OTHER) return -1;
            if (items[0] >= 0) this.binds.push(reads[items[0]], reads[items[0] + 1]);
            items = null;
            augmented = true;
            i = j + 1;
            prev = T_OTHER;
            continue;
          }
          if (first && c === 42 && j === i + 1) itemStar = true;
          i = j;
          prev = T_OTHER;
          continue;
        }
        default:
          return -1; // `;`, non-ASCII, ...
      }
    }
    return brackets.length === 0 && prev !== T_DOT ? i : -1;
  }

  /**
   * A function header `[async] def name(parameters) [-> annotation]:` at `start`: its name (`name`, `nameEnd`),
   * its parameter names (as `binds`) and the reads of its annotations (without strings) and defaults. Returns the
   * offset after its `:`, or -1 when it gives up (type parameters, a string annotation, a lambda default, ...).
   */
  private header(start: number, end: number): number {
    const src = this.src;
    let i = start;
    if (src.startsWith('async', i) && !isNameChar(src.charCodeAt(i + 5))) i = this.space(i + 5, end);
    if (!src.startsWith('def', i) || isNameChar(src.charCodeAt(i + 3))) return -1;
    i = this.space(i + 3, end);
    let j = this.nameAt(i, end);
    if (j < 0) return -1;
    this.name = i;
    this.nameEnd = j;
    i = this.space(j, end);
    if (src.charCodeAt(i) !== 40) return -1; // `(`: `[` type parameters give up
    i++;
    for (;;) {
      i = this.space(i, end);
      let c = src.charCodeAt(i);
      if (c === 41) break;
      if (c === 42 || c === 47) {
        // `*args`, `**kwargs`, a bare `*` or `/`
        i = this.space(i + (c === 42 && src.charCodeAt(i + 1) === 42 ? 2 : 1), end);
        c = src.charCodeAt(i);
      }
      if (isNameStart(c)) {
        j = this.nameAt(i, end);
        if (j < 0) return -1;
        this.binds.push(i, j);
        i = this.space(j, end);
        c = src.charCodeAt(i);
        if (c === 58) {
          i = this.run(i + 1, end, LIST_ITEM | NO_STRINGS);
          if (i < 0) return -1;
          c = src.charCodeAt(i);
        }
        if (c === 61) {
          i = this.run(i + 1, end, LIST_ITEM);
          if (i < 0) return -1;
          c = src.charCodeAt(i);
        }
      }
      if (c === 41) break;
      if (c !== 44) return -1;
      i++;
    }
    i = this.space(i + 1, end);
    if (src.charCodeAt(i) === 45 && src.charCodeAt(i + 1) === 62) {
      i = this.run(i + 2, end, TO_COLON | NO_STRINGS);
      if (i < 0) return -1;
    }
    return src.charCodeAt(i) === 58 ? i + 1 : -1;
  }

  /** Skips spaces, line breaks, comments and line continuations. */
  private space(i: number, end: number): number {
    const src = this.src;
    while (i < end) {
      const c = src.charCodeAt(i);
      if (c === 32 || c === 9 || c === 12 || c === 10 || c === 13) i++;
      else if (c === 35) while (i < end && src.charCodeAt(i) !== 10 && src.charCodeAt(i) !== 13) i++;
      else if (c === 92 && (src.charCodeAt(i + 1) === 10 || src.charCodeAt(i + 1) === 13)) i += 2;
      else break;
    }
    return i;
  }

  /** End of the (ASCII, not keyword) name at `i`, or -1. */
  private nameAt(i: number, end: number): number {
    const src = this.src;
    if (!isNameStart(src.charCodeAt(i))) return -1;
    let j = i + 1;
    while (j < end && isNameChar(src.charCodeAt(j))) j++;
    if (src.charCodeAt(j) > 127 || (j - i > 1 && j - i < 9 && keywordAt(src, i, j) >= 0)) return -1;
    return j;
  }

  /** Turns the bare names of assignment targets into bindings; false when a target is not a name, attribute or subscript. */
  private bindTargets(items: number[]): boolean {
    if (items.length === 0) return false;
    for (const item of items) {
      if (item === ITEM_OTHER) return false;
      if (item >= 0) {
        this.binds.push(this.reads[item], this.reads[item + 1]);
        this.reads[item] = -1;
      }
    }
    return true;
  }

  /** A string literal with its prefix at `start` and its quote at `q`: its end, or -1 (also for what `mode` forbids). */
  private string(start: number, q: number, end: number, mode: number, quote: number): number {
    const src = this.src;
    if (mode & NO_STRINGS) return -1;
    let f = false;
    if (q > start) {
      const prefix = src.slice(start, q);
      if (!STRING_PREFIX.test(prefix)) return -1;
      f = prefix.includes('f') || prefix.includes('F');
    }
    const c = src.charCodeAt(q);
    const triple = src.charCodeAt(q + 1) === c && src.charCodeAt(q + 2) === c;
    // Inside an f-string: no other f-string, no string with its quote.
    if (mode & INTERPOLATION && (f || triple || c === quote)) return -1;
    if (!f) return stringEnd(src, q, end);
    return this.fstring(q, end);
  }

  /** An f-string whose quote is at `q`: reads its interpolations; its end, or -1. */
  private fstring(q: number, end: number): number {
    const src = this.src;
    const quote = src.charCodeAt(q);
    let i = q + 1;
    const triple = src.charCodeAt(i) === quote && src.charCodeAt(i + 1) === quote;
    if (triple) i += 2;
    while (i < end) {
      const c = src.charCodeAt(i);
      if (c === quote) {
        if (!triple) return i + 1;
        if (src.charCodeAt(i + 1) === quote && src.charCodeAt(i + 2) === quote) return i + 3 <= end ? i + 3 : -1;
        i++;
      } else if (c === 92) {
        // an escape; `\{`, `\}` and `\N{...}` give up
        const d = src.charCodeAt(i + 1);
        if (d === 123 || d === 125 || d === 78) return -1;
        i += d === 13 && src.charCodeAt(i + 2) === 10 ? 3 : 2;
      } else if (c === 10 || c === 13) {
        if (!triple) return -1;
        i++;
      } else if (c === 123) {
        if (src.charCodeAt(i + 1) === 123) i += 2;
        else {
          i = this.interpolation(i + 1, end, quote);
          if (i < 0) return -1;
        }
      } else if (c === 125) {
        if (src.charCodeAt(i + 1) !== 125) return -1;
        i += 2;
      } else i++;
    }
    return -1;
  }

  /** An f-string interpolation after its `{`: `expression[=][!c][:spec]}`; its end, or -1. */
  private interpolation(start: number, end: number, quote: number): number {
    const src = this.src;
    let i = this.run(start, end, INTERPOLATION, quote);
    if (i < 0 || !/\S/.test(src.slice(start, i))) return -1;
    let c = src.charCodeAt(i);
    if (c === 61) {
      // `{x=}`
      i++;
      while (src.charCodeAt(i) === 32) i++;
      c = src.charCodeAt(i);
    }
    if (c === 33) {
      // a conversion: !r, !s, !a
      const d = src.charCodeAt(i + 1);
      if (d !== 114 && d !== 115 && d !== 97) return -1;
      i += 2;
      c = src.charCodeAt(i);
    }
    if (c === 58) {
      // a format spec, with nested interpolations
      if (src.charCodeAt(i + 1) === 61) return -1;
      for (i++; ; ) {
        if (i >= end) return -1;
        c = src.charCodeAt(i);
        if (c === 125) break;
        if (c === 123) {
          if (src.charCodeAt(i + 1) === 123) return -1;
          i = this.interpolation(i + 1, end, quote);
          if (i < 0) return -1;
        } else if (c === 10 || c === 13 || c === 92 || c === 34 || c === 39) return -1;
        else i++;
      }
    }
    return c === 125 ? i + 1 : -1;
  }
}

/** False for a string literal at `start` without an `f` prefix (no interpolation to walk). */
export function mayInterpolate(src: string, start: number): boolean {
  for (let i = start; i < src.length; i++) {
    const c = src.charCodeAt(i) | 0x20;
    if (c === 0x66) return true; // f / F
    if (c < 0x61 || c > 0x7a) return false;
  }
  return false;
}
