/**
 * Normalised token codes: what two pieces of code must share to count as the same shape. Identifiers,
 * strings and numbers lose their text; keywords and operators keep theirs.
 */

/** Code of an identifier (any name that is not a hard keyword). */
export const CODE_NAME = 1;
/** Code of a number literal. */
export const CODE_NUMBER = 2;
/** Code of a string literal (f-strings included). */
export const CODE_STRING = 3;

const KEYWORD_LIST = [
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
];

/** Hard keywords of Python 3 with their codes (10 and up). */
export const KEYWORDS: ReadonlyMap<string, number> = new Map(KEYWORD_LIST.map((k, i) => [k, 10 + i]));

/** Keyword codes by keyword (`KW.if`). */
export const KW = Object.fromEntries(KEYWORD_LIST.map((k, i) => [k, 10 + i])) as Record<string, number>;

const OPS = new Map<string, number>();

/** Code of an operator or delimiter; the same in every thread (unknown characters map to 1000 + char code). */
export function opCode(op: string): number {
  return OPS.get(op) ?? 1000 + op.charCodeAt(0);
}

/** Text of each operator code (interned strings, so tokens need no slicing). */
export const OP_TEXT: string[] = [];

const SINGLE = new Int32Array(128).fill(-1);

/** Code of the operator token `text[start, end)`, without allocating for one-character operators. */
export function opCodeAt(text: string, start: number, end: number): number {
  if (end - start === 1) {
    const c = text.charCodeAt(start);
    if (c < 128 && SINGLE[c] >= 0) return SINGLE[c];
  }
  const op = text.slice(start, end);
  const code = opCode(op);
  if (OP_TEXT[code] === undefined) OP_TEXT[code] = op;
  return code;
}

for (const op of [
  '(', ')', '[', ']', '{', '}', ':', ',', ';', '.', '=', '+', '-', '*', '/', '%', '**', '//', '@', '<', '>', '<=', '>=',
  '==', '!=', '->', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=', ':=', '<<', '>>', '&', '|', '^', '~', '...',
  '**=', '//=', '>>=', '<<=', '!', '<>', '\\', '$', '?', '`',
]) {
  const code = 100 + OPS.size;
  OPS.set(op, code);
  OP_TEXT[code] = op;
  if (op.length === 1 && op.charCodeAt(0) < 128) SINGLE[op.charCodeAt(0)] = code;
}

/** 32-bit FNV-1a step. */
export function fnv(h: number, x: number): number {
  h ^= x & 0xffff;
  h = Math.imul(h, 16777619);
  h ^= x >>> 16;
  return Math.imul(h, 16777619);
}

/** FNV-1a offset basis (as a signed 32-bit integer). */
export const FNV_SEED = 0x811c9dc5 | 0;
