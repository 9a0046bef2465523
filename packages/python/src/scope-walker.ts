import { parsePython, sourceText, type Node, type Tree } from './parse.js';
import { namedOf, namedOfMaybe, push, TARGET_GROUPS } from './syntax.js';

export type ScopeKind = 'module' | 'class' | 'function' | 'lambda' | 'comprehension';

/** One Python scope: the names it binds, and its `global` / `nonlocal` declarations. */
export interface Scope {
  kind: ScopeKind;
  /** The module, class_definition, function_definition, lambda or comprehension node. */
  node: Node;
  parent: Scope | null;
  /** Name -> binding identifier nodes (implicit bindings such as `__class__` have no node). */
  bindings: Map<string, Node[]>;
  globals: Set<string> | null;
  nonlocals: Set<string> | null;
  /** Names bound in this scope by an import statement -> the import's binding node (dotted_name / aliased_import). */
  imports: Map<string, Node> | null;
}

/** One identifier read (or a write through `global` / `nonlocal`), resolved after the whole file is walked. */
export interface Access {
  name: string;
  node: Node;
  start: number;
  /** Scope the identifier occurs in. */
  scope: Scope;
  /** A write through `global` / `nonlocal` (not a read). */
  write: boolean;
  /** Scope that binds the name, or null (builtin or undefined). */
  resolved: Scope | null;
}

/** An import statement met by the walk, with the context the module index reports. */
export interface ImportSite {
  statement: Node;
  typeChecking: boolean;
  guarded: boolean;
  topLevel: boolean;
}

const IMPORT_ERRORS = new Set(['ImportError', 'ModuleNotFoundError', 'Exception', 'BaseException']);

/** `TYPE_CHECKING` or `<anything>.TYPE_CHECKING`. */
export function isTypeChecking(cond: Node | null | undefined): boolean {
  if (!cond) return false;
  const type = cond.type;
  if (type === 'identifier') return cond.text === 'TYPE_CHECKING';
  return type === 'attribute' && cond.lastNamedChild?.text === 'TYPE_CHECKING';
}

/** True when a handler of the try statement catches ImportError (or a base of it, or everything). */
export function catchesImportError(handlers: (Node | null)[]): boolean {
  for (const c of handlers) {
    if (c?.type !== 'except_clause') continue;
    const first = c.firstNamedChild;
    const firstType = first?.type;
    if (!first || firstType === 'block') return true;
    const caught = firstType === 'as_pattern' ? first.firstNamedChild! : first;
    const caughtType = caught === first ? firstType : caught.type;
    const names = caughtType === 'tuple' || caughtType === 'parenthesized_expression' ? caught.namedChildren : [caught];
    for (const n of names) {
      if (!n) continue;
      const name = (n === caught ? caughtType : n.type) === 'attribute' ? n.lastNamedChild?.text : n.text;
      if (name && IMPORT_ERRORS.has(name)) return true;
    }
  }
  return false;
}

const COMPREHENSIONS = ['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression'];
const LEAVES = [
  'comment', 'string_start', 'string_content', 'string_end', 'integer', 'float', 'true', 'false', 'none',
  'escape_sequence', 'escape_interpolation', 'type_conversion', 'ellipsis', 'pass_statement', 'break_statement',
  'continue_statement', 'import_prefix', 'wildcard_import', 'line_continuation', 'keyword_separator',
  'positional_separator',
];
function newScope(kind: ScopeKind, node: Node, parent: Scope | null): Scope {
  return { kind, node, parent, bindings: new Map(), globals: null, nonlocals: null, imports: null };
}

// How Walker.visit handles a node type (one map lookup, then a switch on small integers).
const CHILDREN = 0;
const LEAF = 1;
const IDENTIFIER = 2;
const ATTRIBUTE = 3;
const KEYWORD_ARGUMENT = 4;
const STRING = 5;
const TYPE = 6;
const GENERIC_TYPE = 7;
const SUBSCRIPT = 8;
const MEMBER_TYPE = 9;
const FUNCTION_DEF = 10;
const CLASS_DEF = 11;
const LAMBDA = 12;
const NAMED_EXPRESSION = 13;
const ASSIGNMENT = 14; // also for_statement: the first named child is a target
const AUGMENTED_ASSIGNMENT = 15;
const AS_PATTERN = 16;
const GLOBAL = 17;
const NONLOCAL = 18;
const IF = 19;
const TRY = 20;
const EXPRESSION_STATEMENT = 21;
const IMPORT = 22;
const IMPORT_FROM = 23; // also future_import_statement
const CASE_CLAUSE = 24;
const TYPE_ALIAS = 25;
const COMPREHENSION = 26;
/** An expression the walk visits by visiting its named children, which the lexer may read instead. */
const EXPRESSION = 27;
/** A statement of a keyword and expressions (`return`, `assert`, `del`), which the lexer may read past the keyword. */
const KEYWORD_STATEMENT = 28;
const BLOCK = 29;

const KINDS = new Map<string, number>([
  ...LEAVES.map((t) => [t, LEAF] as const),
  ...COMPREHENSIONS.map((t) => [t, COMPREHENSION] as const),
  ...[
    'call', 'argument_list', 'binary_operator', 'comparison_operator', 'boolean_operator', 'not_operator',
    'unary_operator', 'conditional_expression', 'parenthesized_expression', 'tuple', 'list', 'set', 'dictionary',
    'expression_list', 'concatenated_string', 'await',
  ].map((t) => [t, EXPRESSION] as const),
  ['identifier', IDENTIFIER], ['attribute', ATTRIBUTE], ['keyword_argument', KEYWORD_ARGUMENT], ['string', STRING],
  ['type', TYPE], ['generic_type', GENERIC_TYPE], ['subscript', SUBSCRIPT], ['member_type', MEMBER_TYPE],
  ['function_definition', FUNCTION_DEF], ['class_definition', CLASS_DEF], ['lambda', LAMBDA],
  ['named_expression', NAMED_EXPRESSION], ['assignment', ASSIGNMENT], ['for_statement', ASSIGNMENT],
  ['augmented_assignment', AUGMENTED_ASSIGNMENT], ['as_pattern', AS_PATTERN], ['global_statement', GLOBAL],
  ['nonlocal_statement', NONLOCAL], ['if_statement', IF], ['try_statement', TRY],
  ['expression_statement', EXPRESSION_STATEMENT], ['import_statement', IMPORT],
  ['import_from_statement', IMPORT_FROM], ['future_import_statement', IMPORT_FROM], ['case_clause', CASE_CLAUSE],
  ['type_alias_statement', TYPE_ALIAS], ['return_statement', KEYWORD_STATEMENT],
  ['assert_statement', KEYWORD_STATEMENT], ['delete_statement', KEYWORD_STATEMENT], ['block', BLOCK],
]);
/** The keyword a KEYWORD_STATEMENT starts with. */
const STATEMENT_KEYWORDS = new Map([['return_statement', 6], ['assert_statement', 6], ['delete_statement', 3]]);

// ---- Reading names from the text
//
// web-tree-sitter makes every node and node type through WebAssembly, so walking an expression node by node costs
// far more than reading its text. For a tree without syntax errors, the lexer below reads the names of an
// expression (or of a simple statement) from the source text when its tokens show nothing that binds a name or
// opens a scope: names, numbers, strings (f-string interpolations included), brackets, operators and the keywords
// KEYWORDS allows. Every identifier node of such an expression is then a read in the scope the expression is
// in, except attribute names (`a.b`) and keyword argument names (`f(b=1)`), which is what the walk records. Anything
// else (a lambda, a comprehension, a walrus, `yield`, a non-ASCII name, a string annotation, ...) makes it give up
// and the walk visits the node. Reads keep their offsets and find their identifier node when it is first asked for.

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

// What a statement of a block is, from its first word (Lexer.statement).
/** An expression statement (or an assignment): lexed to the end of its line. */
const S_EXPRESSION = 0;
/** `return`, `assert`, `del`: lexed past the keyword. */
const S_KEYWORD = 1;
/** `pass`, `break`, `continue`: nothing to read. */
const S_NOTHING = 2;
/** Anything else (compound statements, imports, `global`, decorators, soft keywords...): walked node by node. */
const S_OTHER = 3;
/** The first words that decide a statement's kind (other keywords start S_OTHER statements). */
const STATEMENT_WORDS: [string, number][] = [
  ['return', S_KEYWORD], ['assert', S_KEYWORD], ['del', S_KEYWORD], ['pass', S_NOTHING], ['break', S_NOTHING],
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

// Modes of Lexer.run (flags).
/** A statement: stop at the end of its line (a `;` gives up). */
const TO_EOL = 1;
/** In a statement, `=` (and `op=`) at depth 0 end assignment targets. */
const TARGETS = 2;
/** An f-string interpolation: stop at `}`, `!`, `:` or `=` at depth 0; a newline, comment or backslash gives up. */
const INTERPOLATION = 4;
/** A string literal gives up (in an annotation, a string is a type expression). */
const NO_STRINGS = 8;
/** An item of a parameter list: stop at `,`, `)` or `=` at depth 0. */
const LIST_ITEM = 16;
/** A return annotation: stop at `:` at depth 0. */
const TO_COLON = 32;

// The previous token, for Lexer.run.
const T_NONE = 0;
const T_NAME = 1;
const T_DOT = 2;
const T_OPEN = 3;
const T_COMMA = 4;
const T_OTHER = 5;

// An assignment target item (comma-separated at depth 0), for Lexer.run: a bare name is bound; the reads of an
// item starting with a name (`a.b`, `a[i]`) stay; any other item gives up.
const ITEM_READS = -1;
const ITEM_OTHER = -2;

/** The kind of an assignment target item: the index of its bare name in Lexer.reads, ITEM_READS or ITEM_OTHER. */
function itemKind(tokens: number, first: number, star: boolean, name: number): number {
  if (name >= 0 && (tokens === 1 || (tokens === 2 && star))) return name;
  return first === T_NAME && !star ? ITEM_READS : ITEM_OTHER;
}

/**
 * A snippet with every kind of token and statement the lexer reads (see {@link Lexer.prime}).
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
  'pass',
  'def nn(oo, pp: int = 1, *qq: rr, ss=tt, **uu) -> vv:',
  '',
].join('\n');

/** Reads the names of an expression or a simple statement from the source text (see above). */
class Lexer {
  private static primed = false;

  /**
   * Lexes {@link PRIMER} once per process, before the first file. V8 optimises {@link Lexer.run} after a few
   * statements and deoptimises it at the first use of each rarer token; on the Venom tree that made eight
   * recompilations of ~40 ms each (on threads the walk competes with). Lexing every kind of token first gives the
   * optimised code what it needs. Nothing of it is kept.
   */
  static prime(): void {
    if (Lexer.primed) return;
    Lexer.primed = true;
    const lexer = new Lexer(PRIMER);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < PRIMER.length; i = PRIMER.indexOf('\n', i) + 1) {
        lexer.reset();
        if (PRIMER.startsWith('def ', i)) lexer.header(i, PRIMER.length);
        else lexer.statement(i);
        if (PRIMER.indexOf('\n', i) < 0) break;
      }
    }
  }

  /** Start / end offset pairs of the identifiers read; a pair whose start is -1 was turned into a binding. */
  readonly reads: number[] = [];
  /** Start / end offset pairs of the identifiers bound by assignment targets, in order. */
  readonly binds: number[] = [];

  constructor(private readonly src: string) {}

  reset(): void {
    this.reads.length = 0;
    this.binds.length = 0;
  }

  /**
   * Lexes the statement that starts at `i` (a statement of a block, in a tree without syntax errors) and returns
   * its end; -1 when it is not an expression statement, `return` / `assert` / `del` or `pass` / `break` /
   * `continue` the lexer can read (what it had recorded for it is then dropped).
   */
  statement(i: number): number {
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
    const end = this.run(kind === S_KEYWORD ? j : i, src.length, kind === S_KEYWORD ? TO_EOL : TO_EOL | TARGETS);
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
  run(start: number, end: number, mode: number, quote = 0): number {
    const src = this.src;
    const reads = this.reads;
    const brackets: number[] = [];
    let prev = T_NONE;
    let beforeName = T_NONE;
    // Assignment targets: the items of the current segment, then the current item.
    let items: number[] | null = null;
    let assigned = false;
    let augmented = false;
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
            // `await name...` only: before anything else `await` may be parsed as a name
            if (j - i !== 5 || !src.startsWith('await', i)) return -1;
            let k = j;
            while (src.charCodeAt(k) === 32) k++;
            if (k >= end || !isNameStart(src.charCodeAt(k))) return -1;
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
        case 58: // : in dict entries and slices; a format spec; a walrus or an annotation gives up
          if (src.charCodeAt(i + 1) === 61) return -1;
          if (brackets.length === 0) {
            if (mode & (INTERPOLATION | TO_COLON)) return i;
            return -1;
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
            if (brackets.length > 0 || !(mode & TARGETS) || assigned || augmented || c === 126) return -1;
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

  /** Start / end offsets of the name of the function of {@link header}. */
  name = 0;
  nameEnd = 0;

  /**
   * A function header `[async] def name(parameters) [-> annotation]:` at `start`: its name (`name`, `nameEnd`),
   * its parameter names (as `binds`) and the reads of its annotations (without strings) and defaults. Returns the
   * offset after its `:`, or -1 when it gives up (type parameters, a string annotation, a lambda default, ...).
   */
  header(start: number, end: number): number {
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
    const prefix = src.slice(start, q);
    if (!STRING_PREFIX.test(prefix)) return -1;
    const c = src.charCodeAt(q);
    const triple = src.charCodeAt(q + 1) === c && src.charCodeAt(q + 2) === c;
    const f = prefix.includes('f') || prefix.includes('F');
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

/**
 * A read found by the Lexer: its identifier node is looked up when first asked for, in the node of its scope (which
 * holds every read recorded in the scope).
 */
class LexedRead implements Access {
  declare readonly name: string;
  declare readonly start: number;
  declare readonly scope: Scope;
  declare readonly write: boolean;
  declare resolved: Scope | null;
  declare private found: Node | null;

  // Fields assigned here, not declared with initialisers: one shape, built fast even before the code is optimised.
  constructor(name: string, start: number, scope: Scope) {
    this.name = name;
    this.start = start;
    this.scope = scope;
    this.write = false;
    this.resolved = null;
    this.found = null;
  }

  get node(): Node {
    return (this.found ??= this.scope.node.descendantForIndex(this.start, this.start + this.name.length)!);
  }
}

/** The last component name of a callee / subscript value (`Literal`, `typing.Literal` -> `Literal`). */
function lastName(node: Node): string {
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') return node.lastNamedChild?.text ?? '';
  return '';
}

/**
 * One walk over a module: records scopes, bindings, accesses, import sites; {@link Walker.run} resolves.
 * A `shallow` walk only collects the bindings of the module scope: it records no reads and skips function, class
 * and lambda bodies (their bindings belong to their own scopes). It is exact for the module scope's bindings only
 * when the file has no `global` statement (see {@link hasGlobalKeyword}); its other results are partial.
 * A full walk of a tree without syntax errors reads most expressions, simple statements, blocks of them and
 * function headers from the source text (see {@link Lexer}) instead of node by node, with the same results; the
 * accesses it records that way find their identifier node when `node` is first read.
 */
export class Walker {
  readonly module: Scope;
  readonly accesses: Access[] = [];
  readonly globalWrites = new Map<string, Node[]>();
  readonly importSites: ImportSite[] = [];
  /** Module-level expression statements starting with `__all__`. */
  readonly allStatements: Node[] = [];
  hasStarImport = false;
  private typeChecking = false;
  private guarded = false;
  /** 0: not in an annotation; 1: in one (plain strings are type expressions); 2: in `Literal[...]` / metadata. */
  private annotation: 0 | 1 | 2 = 0;
  private source: string | null = null;
  /** The lexer of a full walk of a tree without syntax errors; null when expressions are walked node by node. */
  private readonly lexer: Lexer | null = null;

  constructor(
    readonly tree: Tree,
    private readonly shallow = false,
  ) {
    const root = tree.rootNode;
    this.module = newScope('module', root, null);
    if (!shallow && !root.hasError) {
      Lexer.prime();
      this.lexer = new Lexer((this.source = sourceText(tree)));
    }
  }

  run(): void {
    this.visit(this.tree.rootNode, this.module);
    if (this.shallow) return;
    for (const a of this.accesses) a.resolved = resolve(a.scope, a.name, this.module);
    this.accesses.sort((a, b) => a.start - b.start);
  }

  private read(node: Node, s: Scope): void {
    if (this.shallow) return;
    this.accesses.push({ name: node.text, node, start: node.startIndex, scope: s, write: false, resolved: null });
  }

  private bind(s: Scope, node: Node, name = node.text): void {
    if (s.globals?.has(name) && s !== this.module) {
      push(this.module.bindings, name, node);
      push(this.globalWrites, name, node);
      this.accesses.push({ name, node, start: node.startIndex, scope: s, write: true, resolved: null });
    } else if (s.nonlocals?.has(name)) {
      this.accesses.push({ name, node, start: node.startIndex, scope: s, write: true, resolved: null });
    } else {
      push(s.bindings, name, node);
    }
  }

  private importSite(statement: Node, s: Scope): void {
    this.importSites.push({ statement, typeChecking: this.typeChecking, guarded: this.guarded, topLevel: s === this.module });
  }

  private bindImport(s: Scope, name: string, nameNode: Node, bindingNode: Node): void {
    this.bind(s, nameNode, name);
    (s.imports ??= new Map()).set(name, bindingNode);
  }

  visit(node: Node, s: Scope): void {
    this.visitAs(node, node.type, s);
  }

  /** {@link visit} of a node whose type is known. */
  private visitAs(node: Node, type: string, s: Scope): void {
    const kind = KINDS.get(type) ?? CHILDREN;
    if (kind === LEAF) return;
    // Outside annotations, the lexer may read an expression or statement from the text (see Lexer).
    const lexable = this.lexer !== null && this.annotation === 0 && node.tree === this.tree;
    switch (kind) {
      case IDENTIFIER:
        this.read(node, s);
        return;
      case EXPRESSION:
        if (lexable && this.lexed(node, s, 0, 0)) return;
        break;
      case KEYWORD_STATEMENT:
        if (lexable && this.lexed(node, s, TO_EOL, STATEMENT_KEYWORDS.get(type)!)) return;
        break;
      case ATTRIBUTE: {
        if (lexable && this.lexed(node, s, 0, 0)) return;
        const obj = node.firstNamedChild;
        if (obj) this.visit(obj, s);
        return;
      }
      case KEYWORD_ARGUMENT: {
        if (node.namedChildCount > 1) this.visit(node.lastNamedChild!, s);
        return;
      }
      case STRING:
        if (this.annotation === 1) {
          if (this.stringAnnotation(node, s)) return;
        } else if (!this.mayInterpolate(node)) return;
        else if (lexable && this.lexed(node, s, 0, 0)) return;
        break;
      case TYPE: {
        const was = this.annotation;
        // Without strings (string annotations), an annotation reads what an expression does.
        if (lexable && this.lexed(node, s, NO_STRINGS, 0)) return;
        if (was === 0) this.annotation = 1;
        this.children(node, s);
        this.annotation = was;
        return;
      }
      case SUBSCRIPT:
        if (lexable && this.lexed(node, s, 0, 0)) return;
      // falls through
      case GENERIC_TYPE:
        if (this.annotation === 1) {
          const value = node.firstNamedChild!;
          const kind = lastName(value);
          if (kind === 'Literal' || kind === 'Annotated') {
            this.visit(value, s);
            const args = type === 'generic_type' ? namedOfMaybe(value.nextNamedSibling) : namedOf(node).slice(1);
            args.forEach((arg, i) => {
              if (!arg) return;
              const was = this.annotation;
              this.annotation = kind === 'Annotated' && i === 0 ? 1 : 2;
              this.visit(arg, s);
              this.annotation = was;
            });
            return;
          }
        }
        break;
      case MEMBER_TYPE: {
        const first = node.firstNamedChild;
        if (first) this.visit(first, s);
        return;
      }
      case FUNCTION_DEF:
        this.functionDef(node, s);
        return;
      case CLASS_DEF:
        this.classDef(node, s);
        return;
      case LAMBDA:
        this.lambda(node, s);
        return;
      case NAMED_EXPRESSION: {
        const name = node.firstNamedChild!;
        const value = node.lastNamedChild!;
        this.visit(value, s);
        let t = s;
        while (t.kind === 'comprehension' && t.parent) t = t.parent;
        if (name.type === 'identifier') this.bind(t, name);
        return;
      }
      case ASSIGNMENT: {
        const kids = namedOf(node);
        this.target(kids[0]!, s);
        for (let i = 1; i < kids.length; i++) this.visit(kids[i]!, s);
        return;
      }
      case AUGMENTED_ASSIGNMENT: {
        const left = node.firstNamedChild!;
        if (left.type === 'identifier') {
          this.read(left, s);
          this.bind(s, left);
        } else this.target(left, s);
        this.visit(node.lastNamedChild!, s);
        return;
      }
      case AS_PATTERN: {
        const kids = namedOf(node);
        for (const k of kids) {
          if (!k) continue;
          const t = k.type;
          if (t === 'as_pattern_target') this.target(k, s);
          else this.visitAs(k, t, s);
        }
        return;
      }
      case GLOBAL:
        if (s !== this.module) for (const id of namedOf(node)) if (id?.type === 'identifier') (s.globals ??= new Set()).add(id.text);
        return;
      case NONLOCAL:
        for (const id of namedOf(node)) if (id?.type === 'identifier') (s.nonlocals ??= new Set()).add(id.text);
        return;
      case IF: {
        const ks = namedOf(node);
        let tc = isTypeChecking(ks[0]);
        for (let i = 0; i < ks.length; i++) {
          const k = ks[i]!;
          if (!tc) {
            this.visit(k, s);
            continue;
          }
          const t = k.type;
          if (t === 'block') {
            tc = false; // the consequence only, not elif / else
            const was = this.typeChecking;
            this.typeChecking = true;
            this.visitAs(k, t, s);
            this.typeChecking = was;
          } else this.visitAs(k, t, s);
        }
        return;
      }
      case TRY: {
        const ks = namedOf(node);
        const guarded = catchesImportError(ks);
        for (const k of ks) {
          if (!k) continue;
          if (!guarded) {
            this.visit(k, s);
            continue;
          }
          const t = k.type;
          if (t === 'block' || t === 'except_clause') {
            const was = this.guarded;
            this.guarded = true;
            this.visitAs(k, t, s);
            this.guarded = was;
          } else this.visitAs(k, t, s);
        }
        return;
      }
      case EXPRESSION_STATEMENT:
        if (s === this.module) {
          const src = (this.source ??= sourceText(this.tree));
          if (src.startsWith('__all__', node.startIndex)) this.allStatements.push(node);
        }
        if (lexable && this.lexed(node, s, TO_EOL | TARGETS, 0)) return;
        break;
      case IMPORT:
        this.importSite(node, s);
        for (const b of namedOf(node)) {
          if (!b) continue;
          if (b.type === 'dotted_name') {
            const first = b.firstNamedChild!;
            this.bindImport(s, first.text, first, b);
          } else if (b.type === 'aliased_import') {
            const alias = b.lastNamedChild!;
            this.bindImport(s, alias.text, alias, b);
          }
        }
        return;
      case IMPORT_FROM: {
        this.importSite(node, s);
        let first = type === 'import_from_statement';
        for (const b of namedOf(node)) {
          if (!b || b.type === 'comment') continue;
          if (first) {
            first = false; // module_name
            continue;
          }
          if (b.type === 'dotted_name') {
            const id = b.lastNamedChild!;
            this.bindImport(s, id.text, id, b);
          } else if (b.type === 'aliased_import') {
            const alias = b.lastNamedChild!;
            this.bindImport(s, alias.text, alias, b);
          } else if (b.type === 'wildcard_import') this.hasStarImport = true;
        }
        return;
      }
      case CASE_CLAUSE:
        for (const k of namedOf(node)) {
          if (!k) continue;
          if (k.type === 'case_pattern') this.pattern(k, s);
          else this.visit(k, s);
        }
        return;
      case TYPE_ALIAS: {
        const left = node.firstNamedChild;
        const id = left?.firstNamedChild;
        if (id?.type === 'identifier') this.bind(s, id);
        else if (id?.type === 'generic_type' && id.firstNamedChild) this.bind(s, id.firstNamedChild);
        const right = node.lastNamedChild;
        if (right && right !== left) this.visit(right, s);
        return;
      }
      case COMPREHENSION:
        this.comprehension(node, s);
        return;
      case BLOCK:
        if (lexable) {
          this.lexedBlock(node, s);
          return;
        }
    }
    this.children(node, s);
  }

  /**
   * Walks a block: its statements from the text while the lexer reads them (see {@link Lexer.statement}), the rest
   * node by node, from the first statement it cannot read.
   */
  private lexedBlock(block: Node, s: Scope): void {
    const lexer = this.lexer!;
    const src = this.source!;
    const end = block.endIndex;
    lexer.reset();
    let at = block.startIndex;
    let stop = -1;
    for (;;) {
      // Blank space, line breaks and comments between statements.
      while (at < end) {
        const c = src.charCodeAt(at);
        if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12) at++;
        else if (c === 35) while (at < end && src.charCodeAt(at) !== 10 && src.charCodeAt(at) !== 13) at++;
        else break;
      }
      if (at >= end) break;
      // A module-level `__all__` statement is recorded with its node.
      const next = s === this.module && src.startsWith('__all__', at) ? -1 : lexer.statement(at);
      if (next < 0) {
        stop = at;
        break;
      }
      at = next;
    }
    let kids: (Node | null)[] | null = null;
    let from = 0;
    if (stop >= 0) {
      kids = namedOf(block);
      while (from < kids.length && kids[from]!.startIndex < stop) from++;
      if (from === kids.length || kids[from]!.startIndex !== stop) {
        // Not the statement the text says: walk the whole block node by node.
        lexer.reset();
        from = 0;
      }
    }
    this.commit(s, block);
    if (kids) for (let i = from; i < kids.length; i++) if (kids[i]) this.visit(kids[i]!, s);
  }

  /**
   * Records the lexer's reads, then binds its assignment targets, in scope `s`. The identifier nodes of the
   * bindings are looked up in `within` (the node lexed: a shorter search than from the root).
   */
  private commit(s: Scope, within: Node): void {
    const src = this.source!;
    const { reads, binds } = this.lexer!;
    for (let i = 0; i < reads.length; i += 2) {
      const at = reads[i];
      if (at >= 0) this.accesses.push(new LexedRead(src.slice(at, reads[i + 1]), at, s));
    }
    for (let i = 0; i < binds.length; i += 2) {
      const at = binds[i];
      this.bind(s, within.descendantForIndex(at, binds[i + 1])!, src.slice(at, binds[i + 1]));
    }
  }

  /**
   * Records what the lexer reads from the node's text (past a leading keyword of `skip` characters; a TO_EOL
   * statement to the end of its line): the reads, then the bindings of assignment targets. False when the lexer
   * gives up (nothing recorded).
   */
  private lexed(node: Node, s: Scope, mode: number, skip: number): boolean {
    const lexer = this.lexer!;
    const src = this.source!;
    let start = node.startIndex;
    if (skip) {
      start += skip;
      if (isNameChar(src.charCodeAt(start))) return false;
    }
    lexer.reset();
    if (lexer.run(start, mode & TO_EOL ? src.length : node.endIndex, mode) < 0) return false;
    this.commit(s, node);
    return true;
  }

  /** False for strings without an `f` prefix (no interpolation to walk), read from the source text. */
  private mayInterpolate(node: Node): boolean {
    const src = (this.source ??= sourceText(this.tree));
    for (let i = node.startIndex; i < src.length; i++) {
      const c = src.charCodeAt(i) | 0x20;
      if (c === 0x66) return true; // f / F
      if (c < 0x61 || c > 0x7a) return false;
    }
    return false;
  }

  private children(node: Node, s: Scope): void {
    const kids = namedOf(node);
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i];
      if (c) this.visit(c, s);
    }
  }

  /** Binds assignment / for / with targets; attribute and subscript targets read their object. */
  private target(node: Node, s: Scope): void {
    const type = node.type;
    if (type === 'identifier') this.bind(s, node);
    else if (TARGET_GROUPS.has(type)) {
      for (const c of namedOf(node)) if (c) this.target(c, s);
    } else if (type !== 'comment') this.visitAs(node, type, s);
  }

  private pattern(node: Node, s: Scope): void {
    switch (node.type) {
      case 'identifier':
        this.bind(s, node);
        return;
      case 'dotted_name': {
        if (node.namedChildCount === 1) {
          const id = node.firstNamedChild!;
          if (id.text !== '_') this.bind(s, id);
        } else this.read(node.firstNamedChild!, s);
        return;
      }
      case 'as_pattern': {
        const kids = namedOf(node);
        for (let i = 0; i < kids.length; i++) {
          const k = kids[i]!;
          if (i === kids.length - 1 && k.type === 'identifier') this.bind(s, k);
          else this.pattern(k, s);
        }
        return;
      }
      case 'keyword_pattern': {
        const kids = namedOf(node);
        for (let i = 1; i < kids.length; i++) this.pattern(kids[i]!, s);
        return;
      }
      case 'class_pattern': {
        const kids = namedOf(node);
        const cls = kids[0]!;
        if (cls.type === 'dotted_name') this.read(cls.firstNamedChild!, s);
        for (let i = 1; i < kids.length; i++) this.pattern(kids[i]!, s);
        return;
      }
      case 'string':
      case 'concatenated_string':
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
      case 'complex_pattern':
      case 'comment':
        return;
      default:
        for (const c of namedOf(node)) if (c) this.pattern(c, s);
    }
  }

  private functionDef(node: Node, s: Scope): void {
    if (this.lexer !== null && this.annotation === 0 && node.tree === this.tree && this.lexedFunction(node, s)) return;
    const name = node.childForFieldName('name');
    const fs = newScope('function', node, s);
    if (s.kind === 'class') fs.bindings.set('__class__', []);
    for (const k of namedOf(node)) {
      if (!k) continue;
      const t = k.type;
      switch (t) {
        case 'parameters':
          this.parameters(k, s, fs);
          break;
        case 'type_parameter':
          this.typeParameters(k, fs);
          break;
        case 'type':
          this.visitAs(k, t, s);
          break;
        case 'block':
          if (!this.shallow) this.visitAs(k, t, fs);
          break;
        case 'identifier':
          break;
        default:
          this.visitAs(k, t, s);
      }
    }
    if (name) this.bind(s, name);
  }

  /**
   * {@link functionDef} with the header read by {@link Lexer.header}: parameters bound in the function's scope,
   * annotations and defaults read in `s`, the body walked, then the name bound in `s`. False (nothing recorded)
   * when the lexer gives up.
   */
  private lexedFunction(node: Node, s: Scope): boolean {
    const lexer = this.lexer!;
    const src = this.source!;
    lexer.reset();
    if (lexer.header(node.startIndex, src.length) < 0) return false;
    const body = node.childForFieldName('body');
    if (!body) return false;
    const fs = newScope('function', node, s);
    if (s.kind === 'class') fs.bindings.set('__class__', []);
    const { reads, binds } = lexer;
    for (let i = 0; i < binds.length; i += 2) {
      push(fs.bindings, src.slice(binds[i], binds[i + 1]), node.descendantForIndex(binds[i], binds[i + 1])!);
    }
    for (let i = 0; i < reads.length; i += 2) {
      this.accesses.push(new LexedRead(src.slice(reads[i], reads[i + 1]), reads[i], s));
    }
    const { name, nameEnd } = lexer;
    if (!this.shallow) this.visit(body, fs);
    this.bind(s, node.descendantForIndex(name, nameEnd)!, src.slice(name, nameEnd));
    return true;
  }

  private typeParameters(node: Node, inner: Scope): void {
    for (const t of namedOf(node)) {
      const first = t?.firstNamedChild;
      if (!first) continue;
      const id = first.type === 'constrained_type' || first.type === 'splat_type' ? first.firstNamedChild : first;
      const name = id?.type === 'type' ? id.firstNamedChild : id;
      if (name?.type === 'identifier') push(inner.bindings, name.text, name);
    }
  }

  private parameters(node: Node, outer: Scope, inner: Scope): void {
    for (const p of namedOf(node)) {
      if (!p) continue;
      const t = p.type;
      switch (t) {
        case 'identifier':
          push(inner.bindings, p.text, p);
          break;
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern':
        case 'tuple_pattern':
          this.paramTarget(p, inner);
          break;
        case 'typed_parameter':
        case 'default_parameter':
        case 'typed_default_parameter': {
          const kids = namedOf(p);
          this.paramTarget(kids[0]!, inner);
          for (let i = 1; i < kids.length; i++) this.visit(kids[i]!, outer);
          break;
        }
        default:
          this.visitAs(p, t, outer);
      }
    }
  }

  private paramTarget(node: Node, inner: Scope): void {
    if (node.type === 'identifier') push(inner.bindings, node.text, node);
    else for (const c of namedOf(node)) if (c) this.paramTarget(c, inner);
  }

  private classDef(node: Node, s: Scope): void {
    const name = node.childForFieldName('name');
    const cs = newScope('class', node, s);
    cs.bindings.set('__module__', []);
    cs.bindings.set('__qualname__', []);
    for (const k of namedOf(node)) {
      if (!k) continue;
      const t = k.type;
      if (t === 'block') {
        if (!this.shallow) this.visitAs(k, t, cs);
      } else if (t === 'type_parameter') this.typeParameters(k, cs);
      else if (t !== 'identifier' || k.startIndex !== name?.startIndex) this.visitAs(k, t, s);
    }
    if (name) this.bind(s, name);
  }

  private lambda(node: Node, s: Scope): void {
    const ls = newScope('lambda', node, s);
    for (const k of namedOf(node)) {
      if (!k) continue;
      const t = k.type;
      if (t === 'lambda_parameters') this.parameters(k, s, ls);
      else if (!this.shallow) this.visitAs(k, t, ls);
    }
  }

  private comprehension(node: Node, s: Scope): void {
    const cs = newScope('comprehension', node, s);
    let first = true;
    for (const k of namedOf(node)) {
      if (!k) continue;
      const t = k.type;
      if (t === 'for_in_clause') {
        const kids = namedOf(k);
        this.target(kids[0]!, cs);
        for (let i = 1; i < kids.length; i++) this.visit(kids[i]!, first ? s : cs);
        first = false;
      } else this.visitAs(k, t, cs);
    }
  }

  /**
   * A plain string inside an annotation (`x: "Foo"`, `-> Optional["a.B"]`) is parsed as an expression and its
   * names count as reads. The parse is of a same-length copy of the file blanked out except for the string
   * content, so the reported nodes carry the file's own offsets and rows (but belong to that separate tree).
   */
  private stringAnnotation(node: Node, s: Scope): boolean {
    const kids = namedOf(node);
    if (kids.length !== 3 || kids[1]!.type !== 'string_content') return kids.length === 2;
    const prefix = kids[0]!.text;
    if (/[fFbB]/.test(prefix)) return false;
    const content = kids[1]!;
    const value = content.text;
    if (value.includes('\\') || !value.trim()) return true;
    this.source ??= sourceText(this.tree);
    const start = content.startIndex;
    const padded = '(' + this.source.slice(1, start).replace(/[^\n]/g, ' ') + value + ')';
    const sub = parsePython(padded);
    if (sub.rootNode.hasError) return true;
    const expr = sub.rootNode.firstNamedChild?.firstNamedChild?.firstNamedChild;
    if (expr) this.visit(expr, s);
    return true;
  }
}

/**
 * True when `text` may hold a `global` statement (the word appears anywhere). Without one, no code inside a function
 * or class body can bind a module-level name, so a shallow walk sees every module binding.
 */
export function hasGlobalKeyword(text: string): boolean {
  return text.includes('global');
}

/** Python name resolution from scope `s`: class scopes are skipped except the one the name occurs in. */
function resolve(s: Scope, name: string, module: Scope): Scope | null {
  let cur: Scope | null = s;
  let first = true;
  while (cur) {
    if (cur.kind === 'module') return cur.bindings.has(name) ? cur : null;
    if (first || cur.kind !== 'class') {
      if (cur.globals?.has(name)) return module.bindings.has(name) ? module : null;
      if (cur.nonlocals?.has(name)) {
        cur = cur.parent;
        first = false;
        while (cur && cur.kind !== 'module') {
          if (cur.kind !== 'class' && cur.bindings.has(name)) return cur;
          cur = cur.parent;
        }
        return null;
      }
      if (cur.bindings.has(name)) return cur;
    }
    cur = cur.parent;
    first = false;
  }
  return null;
}
