/**
 * Readers of single statements over the token arrays (def/class headers, parameters, bases, assignments, imports).
 * Pure functions of a token view, shared by the fact extractor.
 */
import { CODE_NAME, KW } from './codes.js';
import { FSTRING, NAME, OP, STRING, type LogicalLine } from './tokenize.js';
import type { ImportFact } from './fact-types.js';

/** The token arrays of one file, with each token's normalised code and text (NAME and OP tokens). */
export interface TokenView {
  readonly text: string;
  readonly kind: Uint8Array;
  readonly flags: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly tline: Int32Array;
  readonly code: Uint16Array;
  readonly value: string[];
}

/** Token `t` is the operator `op`. */
export function isOp(tv: TokenView, t: number, op: string): boolean {
  return tv.kind[t] === OP && tv.value[t] === op;
}

const GUARD_EXCEPTIONS = new Set(['ImportError', 'ModuleNotFoundError', 'Exception', 'BaseException']);

/** An import binding as parsed from its statement (the statement-level fields are added by the extractor). */
export type ImportBinding = Omit<ImportFact, 'statementLine' | 'statementEndLine' | 'statementBindings' | 'topLevel' | 'typeChecking' | 'guarded' | 'owner' | 'uses' | 'stringUses'>;

/** The dotted name starting at `t` (`router.get` of `@router.get(...)`). */
export function dottedAt(tv: TokenView, t: number, last: number): string {
  let s = '';
  for (; t < last; t++) {
    if (tv.kind[t] === NAME) s += tv.value[t];
    else if (isOp(tv, t, '.')) s += '.';
    else break;
  }
  return s;
}

/** `=` or an augmented assignment (`+=`, ...) at `t`. */
export function isAssignOp(tv: TokenView, t: number): boolean {
  if (tv.kind[t] !== OP) return false;
  const v = tv.value[t];
  return v === '=' || (v.length >= 2 && v.endsWith('=') && v !== '==' && v !== '!=' && v !== '<=' && v !== '>=');
}

/** Index of the `:` ending a def/class/compound header, or -1. */
export function headerColon(tv: TokenView, t: number, last: number, isDef: boolean): number {
  const { kind, value, code } = tv;
  let depth = 0;
  let lambda = 0;
  for (; t < last; t++) {
    if (kind[t] === OP) {
      const v = value[t];
      if (v === '(' || v === '[' || v === '{') depth++;
      else if (v === ')' || v === ']' || v === '}') depth--;
      else if (v === ':' && depth === 0) {
        if (lambda > 0) { lambda--; continue; }
        return t;
      }
    } else if (depth === 0 && code[t] === KW.lambda && !isDef) lambda++;
  }
  return -1;
}

/** The line opening a compound statement with keyword `kw` (soft keywords `match`/`case` checked). */
export function isCompoundHeader(tv: TokenView, kw: string, kwTok: number, L: LogicalLine): boolean {
  if (kw === 'match' || kw === 'case') {
    // soft keywords: a header only when followed by an expression and ending with a colon
    if (tv.kind[kwTok + 1] === OP && !['(', '[', '{', '-', '*'].includes(tv.value[kwTok + 1])) return false;
    return headerColon(tv, kwTok + 1, L.last, false) >= 0;
  }
  return true;
}

/** A compound header with its body on the same line (`if x: return`). */
export function hasInlineBody(tv: TokenView, kwTok: number, L: LogicalLine): boolean {
  const colon = headerColon(tv, kwTok + 1, L.last, false);
  return colon >= 0 && colon + 1 < L.last;
}

/** `if TYPE_CHECKING:` or `if typing.TYPE_CHECKING:` (t is the token after `if`). */
export function isTypeCheckingTest(tv: TokenView, t: number, last: number): boolean {
  const v = tv.value;
  if (v[t] === 'TYPE_CHECKING') return isOp(tv, t + 1, ':');
  return v[t] === 'typing' && isOp(tv, t + 1, '.') && v[t + 2] === 'TYPE_CHECKING' && isOp(tv, t + 3, ':') && t + 3 < last;
}

/** An `except` clause catching ImportError, ModuleNotFoundError, Exception, BaseException or everything. */
export function catchesImportError(tv: TokenView, t: number, last: number): boolean {
  if (isOp(tv, t, ':') || (isOp(tv, t, '*') && isOp(tv, t + 1, ':'))) return true; // bare except
  for (; t < last && !isOp(tv, t, ':'); t++) {
    if (tv.code[t] === KW.as) break;
    if (tv.kind[t] === NAME && GUARD_EXCEPTIONS.has(tv.value[t])) return true;
  }
  return false;
}

/** Parameter names of a `def` header (starting at its `(`). */
export function paramNames(tv: TokenView, t: number, last: number): string[] {
  const { kind, value } = tv;
  const out: string[] = [];
  if (!isOp(tv, t, '(')) return out;
  let depth = 0;
  let expectName = true;
  for (; t < last; t++) {
    if (kind[t] === OP) {
      const v = value[t];
      if (v === '(' || v === '[' || v === '{') { depth++; if (depth === 1) expectName = true; continue; }
      if (v === ')' || v === ']' || v === '}') { depth--; if (depth === 0) break; continue; }
      if (depth !== 1) continue;
      if (v === ',') expectName = true;
      else if (v !== '*' && v !== '**' && v !== '/') expectName = false;
    } else if (depth === 1 && expectName && kind[t] === NAME) {
      out.push(value[t]);
      expectName = false;
    } else if (depth === 1) expectName = false;
  }
  return out;
}

/** Base expressions of a `class` header as written (keyword arguments left out). */
export function classBases(tv: TokenView, t: number, last: number): string[] {
  const { kind, value } = tv;
  const out: string[] = [];
  if (!isOp(tv, t, '(')) return out;
  let depth = 0;
  let cur = '';
  let keyword = false;
  for (; t < last; t++) {
    if (kind[t] !== OP) { cur += tv.text.slice(tv.start[t], tv.end[t]); continue; }
    const v = value[t];
    if (v === '(' || v === '[' || v === '{') { depth++; if (depth > 1) cur += tv; continue; }
    if (v === ')' || v === ']' || v === '}') {
      depth--;
      if (depth === 0) break;
      cur += tv;
      continue;
    }
    if (depth === 1 && v === ',') { if (cur && !keyword) out.push(cur); cur = ''; keyword = false; continue; }
    if (depth === 1 && v === '=') { keyword = true; continue; }
    cur += tv;
  }
  if (cur && !keyword) out.push(cur);
  return out;
}

/** Name tokens bound by a simple or annotated assignment (`a = b = 1`, `x, y = ...`, `X: int = 1`). */
export function assignmentTargets(tv: TokenView, L: LogicalLine): number[] {
  const { kind, value, code } = tv;
  const f = L.first;
  if (kind[f] !== NAME && !isOp(tv, f, '(') && !isOp(tv, f, '[')) return [];
  if (kind[f] === NAME && code[f] !== CODE_NAME) return [];
  if (kind[f] === NAME && isOp(tv, f + 1, ':')) return [f];
  const eqs: number[] = [];
  let depth = 0;
  for (let t = f; t < L.last; t++) {
    if (kind[t] !== OP) {
      if (depth === 0 && code[t] === KW.lambda) break;
      continue;
    }
    const v = value[t];
    if (v === '(' || v === '[' || v === '{') depth++;
    else if (v === ')' || v === ']' || v === '}') depth--;
    else if (v === '=' && depth === 0) eqs.push(t);
  }
  const out: number[] = [];
  let segStart = f;
  for (const eq of eqs) {
    for (let t = segStart; t < eq; t++) {
      if (kind[t] !== NAME || code[t] !== CODE_NAME) continue;
      const p = value[t - 1];
      const prevOk = t === segStart || (kind[t - 1] === OP && (p === ',' || p === '(' || p === '[' || p === '*'));
      const n = value[t + 1];
      const nextOk = t + 1 === eq || (kind[t + 1] === OP && (n === ',' || n === ')' || n === ']'));
      if (prevOk && nextOk) out.push(t);
    }
    segStart = eq + 1;
  }
  return out;
}

/** Bodies of the plain string literals among tokens [first, last). */
export function stringValues(tv: TokenView, first: number, last: number): string[] {
  const out: string[] = [];
  for (let t = first; t < last; t++) {
    if (tv.kind[t] === STRING && !(tv.flags[t] & FSTRING)) out.push(stringBody(tv.text.slice(tv.start[t], tv.end[t])));
  }
  return out;
}

/** The bindings of an `import` / `from ... import` statement. */
export function parseImport(tv: TokenView, kwTok: number, L: LogicalLine): ImportBinding[] {
  const { kind, value, code, tline } = tv;
  const out: ImportBinding[] = [];
  let t = kwTok + 1;
  const last = L.last;
  const readDotted = (): string => {
    let s = '';
    while (t < last && ((kind[t] === NAME && code[t] === CODE_NAME) || isOp(tv, t, '.'))) {
      if (kind[t] === NAME && s && !s.endsWith('.')) break;
      s += kind[t] === NAME ? value[t] : '.';
      t++;
    }
    return s;
  };
  if (value[kwTok] === 'import') {
    while (t < last) {
      const line = tline[t];
      const mod = readDotted();
      let alias: string | null = null;
      if (t < last && code[t] === KW.as) { alias = value[t + 1]; t += 2; }
      if (mod) out.push({ local: alias ?? mod.split('.')[0], module: mod, level: 0, name: null, alias, target: null, line, future: false });
      if (isOp(tv, t, ',')) t++;
      else break;
    }
    return out;
  }
  let level = 0;
  while (t < last && (isOp(tv, t, '.') || isOp(tv, t, '...'))) { level += value[t].length; t++; }
  const mod = readDotted();
  if (t >= last || code[t] !== KW.import) return out;
  t++;
  const future = level === 0 && mod === '__future__';
  while (t < last) {
    if (isOp(tv, t, '*')) {
      out.push({ local: '*', module: mod, level, name: '*', alias: null, target: null, line: tline[t], future });
      t++;
      continue;
    }
    if (kind[t] !== NAME) { t++; continue; }
    const name = value[t];
    const line = tline[t];
    t++;
    let alias: string | null = null;
    if (t < last && code[t] === KW.as) { alias = value[t + 1]; t += 2; }
    out.push({ local: alias ?? name, module: mod, level, name, alias, target: null, line, future });
  }
  return out;
}

/** Content of a string literal token without prefix and quotes (escapes left as written). */
export function stringBody(raw: string): string {
  let i = 0;
  while (i < raw.length && raw[i] !== '"' && raw[i] !== "'") i++;
  const q = raw[i];
  const triple = raw.startsWith(q.repeat(3), i);
  const open = triple ? 3 : 1;
  const close = raw.endsWith(triple ? q.repeat(3) : q) && raw.length - i >= open * 2 ? open : 0;
  return raw.slice(i + open, raw.length - close);
}
