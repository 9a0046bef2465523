/**
 * Duplication: clone classes of structurally identical statement sequences (same token shape up to identifiers and
 * literals, same relative indentation), and duplicated functions between configured module pairs.
 *
 * Clones: every statement (logical line) has a shape hash; for each start statement the shortest window reaching
 * `minTokens` is hashed with a polynomial prefix (rolling) hash over the statement codes; equal windows are
 * verified, extended to the right as far as the statements keep matching (left-maximal pairs only), and grouped by
 * their content into clone classes. Import statements are barriers (no clone includes them).
 */
import { cmp } from '../util.js';
import { fnv, FNV_SEED } from '../codes.js';
import { code, makeFinding, type AnalysisContext } from '../context.js';
import type { DefFact, FileFacts, StatementTable } from '../facts.js';
import type { Finding, Location, Priority } from '../types.js';

const BASE = 0x01000193;

interface FileCodes {
  facts: FileFacts;
  st: StatementTable;
  /** Statement code: shape hash mixed with the indentation change from the previous statement. */
  code: Int32Array;
  prefix: Int32Array;
}

/** Key of the window [a, b): the first statement's shape (its indentation change lies outside the window) + the rest. */
function windowKey(fc: FileCodes, a: number, b: number, pow: Int32Array): number {
  const rest = (fc.prefix[b] - Math.imul(fc.prefix[a + 1], pow[b - a - 1])) | 0;
  return fnv(fnv(fc.st.hash[a], rest), b - a);
}

/** Statements i of x and j of y match (the first statement of a window ignores its indentation change). */
function same(x: FileCodes, i: number, y: FileCodes, j: number, first: boolean): boolean {
  return x.st.hash[i] === y.st.hash[j] && (first || x.code[i] === y.code[j]);
}

/** Code found in two or more places with the same shape. */
export interface CloneClass {
  statements: number;
  tokens: number;
  lines: number;
  locations: Location[];
  key: string;
}

/**
 * Clone classes of the given files (all locations sorted by path and line), largest first. `textOf` gives a file's
 * source: a clone made of only one or two statement shapes (a constant table, a field list) is kept only when at
 * least two copies are textually identical.
 */
export function findClones(facts: FileFacts[], minLines: number, minTokens: number, textOf: (path: string) => string | undefined): CloneClass[] {
  let maxLen = 1;
  const files: FileCodes[] = facts.map((f) => {
    const st = f.statements;
    const c = new Int32Array(st.count);
    const prefix = new Int32Array(st.count + 1);
    for (let i = 0; i < st.count; i++) {
      c[i] = fnv(st.hash[i], 1000 + st.depth[i] - (i > 0 ? st.depth[i - 1] : st.depth[i]));
      prefix[i + 1] = (Math.imul(prefix[i], BASE) + c[i]) | 0;
    }
    if (st.count + 1 > maxLen) maxLen = st.count + 1;
    return { facts: f, st, code: c, prefix };
  });
  const pow = new Int32Array(maxLen + 1);
  pow[0] = 1;
  for (let i = 1; i <= maxLen; i++) pow[i] = Math.imul(pow[i - 1], BASE);

  // every window: key, file, start, length (typed arrays; most windows are unique)
  let total = 0;
  for (const fc of files) total += fc.st.count;
  const keys = new Int32Array(total);
  const wf = new Int32Array(total);
  const wp = new Int32Array(total);
  const wl = new Int32Array(total);
  let m = 0;
  files.forEach((fc, fi) => {
    const st = fc.st;
    let b = 0;
    let sum = 0;
    for (let a = 0; a < st.count; a++) {
      if (b < a) { b = a; sum = 0; }
      if (st.barrier[a]) { b = a + 1; sum = 0; continue; }
      while (sum < minTokens && b < st.count && !st.barrier[b]) sum += st.tokens[b++];
      if (sum < minTokens) {
        if (b >= st.count) break;
        // a barrier stops the window: restart after it
        sum -= st.tokens[a];
        continue;
      }
      keys[m] = windowKey(fc, a, b, pow);
      wf[m] = fi;
      wp[m] = a;
      wl[m] = b - a;
      m++;
      sum -= st.tokens[a];
    }
  });
  // sort windows by key (composite key * 2^21 + index fits a double exactly)
  const order = new Float64Array(m);
  for (let i = 0; i < m; i++) order[i] = (keys[i] >>> 0) * 2097152 + i;
  order.sort();

  const classes = new Map<string, { len: number; file: number; pos: number; occ: Set<string> }>();
  for (let r = 0; r < m; ) {
    const k0 = keys[order[r] % 2097152];
    let e = r + 1;
    while (e < m && keys[order[e] % 2097152] === k0) e++;
    if (e - r >= 2) pairUp(order, r, e);
    r = e;
  }

  function pairUp(ord: Float64Array, from: number, to: number): void {
    const k = to - from;
    const star = k > 200;
    for (let p = 0; p < k; p++) {
      const wi = ord[from + p] % 2097152;
      for (let q = p + 1; q < k; q++) {
        if (star && p > 0) return;
        const wj = ord[from + q] % 2097152;
        const xf = wf[wi], xa = wp[wi], len = wl[wi];
        const yf = wf[wj], ya = wp[wj];
        if (wl[wj] !== len) continue;
        const X = files[xf];
        const Y = files[yf];
        const sameFile = xf === yf;
        if (sameFile && Math.abs(xa - ya) < len) continue; // overlapping
        let ok = true;
        for (let i = 0; i < len && ok; i++) ok = same(X, xa + i, Y, ya + i, i === 0);
        if (!ok) continue;
        // left-maximal only: if the previous statements also match, the pair is found from there
        const xs = X.st;
        const ys = Y.st;
        if (xa > 0 && ya > 0 && !xs.barrier[xa - 1] && !ys.barrier[ya - 1] && X.code[xa] === Y.code[ya] && same(X, xa - 1, Y, ya - 1, true)) {
          if (!sameFile || Math.abs(xa - ya) >= len + 1) continue;
        }
        let L = len;
        const lo = Math.min(xa, ya);
        const hi = Math.max(xa, ya);
        while (
          xa + L < xs.count && ya + L < ys.count && !xs.barrier[xa + L] && !ys.barrier[ya + L] &&
          same(X, xa + L, Y, ya + L, false) && (!sameFile || lo + L < hi)
        ) L++;
        const key = `${windowKey(X, xa, xa + L, pow)}:${L}`;
        let c = classes.get(key);
        if (!c) classes.set(key, (c = { len: L, file: xf, pos: xa, occ: new Set() }));
        c.occ.add(`${xf}:${xa}`);
        c.occ.add(`${yf}:${ya}`);
      }
    }
  }

  const out: CloneClass[] = [];
  const lineCache = new Map<string, string[]>();
  for (const [key, c] of classes) {
    // runs of one or two repeated statement shapes (constant tables, field lists) count only as exact copies:
    // `A = "A"; B = "B"` is a table, the same field list in two models is duplication
    const shapes = new Set<number>();
    for (let i = 0; i < c.len; i++) shapes.add(files[c.file].st.hash[c.pos + i]);
    if (shapes.size < 3) {
      const copies = new Set<string>();
      let exact = false;
      for (const o of c.occ) {
        const [fi, pos] = o.split(':').map(Number);
        const st = files[fi].st;
        const body = sourceLines(files[fi].facts.path, st.start[pos], st.end[pos + c.len - 1], textOf, lineCache);
        if (body === null) continue;
        if (copies.has(body)) exact = true;
        copies.add(body);
      }
      if (!exact) continue;
    }
    const locations: Location[] = [];
    let lines = Infinity;
    for (const o of c.occ) {
      const [fi, pos] = o.split(':').map(Number);
      const st = files[fi].st;
      const startLine = st.start[pos];
      const endLine = st.end[pos + c.len - 1];
      lines = Math.min(lines, endLine - startLine + 1);
      locations.push({ path: files[fi].facts.path, startLine, endLine, symbol: enclosing(files[fi].facts, startLine) });
    }
    if (lines < minLines) continue;
    locations.sort((a, b) => cmp(a.path, b.path) || a.startLine - b.startLine);
    const st = files[c.file].st;
    let tokens = 0;
    for (let i = 0; i < c.len; i++) tokens += st.tokens[c.pos + i];
    out.push({ statements: c.len, tokens, lines, locations, key: (Number(key.split(':')[0]) >>> 0).toString(16).padStart(8, '0') });
  }
  out.sort((a, b) => b.tokens * (b.locations.length - 1) - a.tokens * (a.locations.length - 1) || cmp(a.locations[0].path, b.locations[0].path) || a.locations[0].startLine - b.locations[0].startLine);
  // a class whose copies mostly overlap the copies of a bigger class repeats it: keep the bigger one
  const accepted: CloneClass[] = [];
  const taken = new Map<string, Location[]>();
  for (const c of out) {
    const overlaps = (l: Location, t: Location): boolean => {
      const shared = Math.min(l.endLine, t.endLine) - Math.max(l.startLine, t.startLine) + 1;
      return shared * 2 >= l.endLine - l.startLine + 1;
    };
    const covered = c.locations.filter((l) => (taken.get(l.path) ?? []).some((t) => overlaps(l, t))).length;
    if (covered * 2 >= c.locations.length) continue;
    accepted.push(c);
    for (const l of c.locations) {
      const list = taken.get(l.path) ?? [];
      list.push(l);
      taken.set(l.path, list);
    }
  }
  return accepted;
}


/** Lines [from, to] (1-based) of a file with indentation removed, or null without the text; `cache` holds split files. */
function sourceLines(path: string, from: number, to: number, textOf: (path: string) => string | undefined, cache: Map<string, string[]>): string | null {
  let lines = cache.get(path);
  if (!lines) {
    const text = textOf(path);
    if (text === undefined) return null;
    lines = text.split('\n');
    cache.set(path, lines);
  }
  return lines.slice(from - 1, to).map((l) => l.trim()).join('\n');
}

/** Innermost def containing `line`, or null at module level. */
function enclosing(f: FileFacts, line: number): string | null {
  let best: DefFact | null = null;
  for (const d of f.defs) if (d.line <= line && d.endLine >= line && (!best || d.line >= best.line)) best = d;
  return best ? best.qualname : null;
}

/** One `duplication/clone` finding per clone class. */
export function cloneFindings(ctx: AnalysisContext): Finding[] {
  const { minLines, minTokens } = ctx.options.clones;
  return findClones(ctx.facts, minLines, minTokens, (p) => ctx.texts.get(p)).map((c) => {
    const first = c.locations[0];
    const duplicated = c.lines * (c.locations.length - 1);
    const dupTokens = c.tokens * (c.locations.length - 1);
    // sized by tokens: a long string literal is many lines but one token
    let priority: Priority = c.tokens >= 250 || dupTokens >= 500 ? 'high' : c.tokens >= 120 || dupTokens >= 240 ? 'medium' : 'low';
    const allTests = c.locations.every((l) => ctx.byPath.get(l.path)?.isTest);
    if (allTests) priority = priority === 'high' ? 'medium' : 'low';
    const files = new Set(c.locations.map((l) => l.path)).size;
    const where = files === 1 ? `in ${first.path}` : `across ${files} files`;
    return makeFinding('duplication/clone', {
      path: first.path, startLine: first.startLine, endLine: first.endLine, symbol: first.symbol,
      key: c.key,
      metric: { name: 'duplicated-lines', value: duplicated, threshold: null },
      priority,
      message: `${c.locations.length} copies of the same ${c.lines}-line code (${c.tokens} tokens) ${where}: ${c.locations.map((l) => `${l.path}:${l.startLine}`).join(', ')}.`,
      recommendation: allTests
        ? 'Move the shared setup into a pytest fixture or a parametrized test.'
        : 'Extract the shared code into one function (parameters for the names and literals that differ) and call it from every copy.',
      related: c.locations,
      details: { kind: 'clone', occurrences: c.locations.length, tokens: c.tokens, statements: c.statements },
    });
  });
}

function matchesSuffix(module: string | null, suffix: string): boolean {
  return module !== null && (module === suffix || module.endsWith(`.${suffix}`));
}

/** Which files need shingles: those whose module matches a side of a configured pair. */
export function pairModuleFilter(pairs: [string, string][]): (module: string | null) => boolean {
  const suffixes = pairs.flat();
  return (module) => suffixes.some((s) => matchesSuffix(module, s));
}

/**
 * Overlap of two sorted shingle sets: the share of the smaller function's shingles found in the other one
 * (so logic copied into a longer function still counts). 0 when the smaller has fewer than `minShingles`, or when
 * the other is more than 4 times larger and holds less than 90% of it.
 */
export function containment(a: number[], b: number[], minShingles = 30): number {
  const small = Math.min(a.length, b.length);
  if (small < minShingles) return 0;
  let i = 0;
  let j = 0;
  let inter = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) { inter++; i++; j++; }
    else if (a[i] < b[j]) i++;
    else j++;
  }
  const share = inter / small;
  // against a function more than 4 times larger, only a near-complete copy counts (big bodies share generic code)
  if (Math.max(a.length, b.length) > 4 * small && share < 0.9) return 0;
  return share;
}

/** One `duplication/module-pair` finding per pair of modules with duplicated functions. */
export function modulePairFindings(ctx: AnalysisContext): Finding[] {
  const out: Finding[] = [];
  const min = ctx.options.pairSimilarity;
  for (const [sa, sb] of ctx.options.modulePairs) {
    const as = ctx.facts.filter((f) => matchesSuffix(f.module, sa));
    const bs = ctx.facts.filter((f) => matchesSuffix(f.module, sb));
    for (const fa of as) {
      for (const fb of bs) {
        if (fa === fb) continue;
        const pairs: { a: DefFact; b: DefFact; similarity: number; identical: boolean }[] = [];
        for (const da of fa.defs) {
          if (da.kind !== 'function' || da.bodyTokens < 20) continue;
          let best: { b: DefFact; similarity: number; identical: boolean } | null = null;
          for (const db of fb.defs) {
            if (db.kind !== 'function' || db.bodyTokens < 20) continue;
            const identical = da.shapeHash === db.shapeHash && da.bodyTokens === db.bodyTokens;
            const similarity = identical ? 1 : containment(da.shingles, db.shingles);
            if (similarity >= min && (!best || similarity > best.similarity)) best = { b: db, similarity, identical };
          }
          if (best) pairs.push({ a: da, ...best });
        }
        if (!pairs.length) continue;
        pairs.sort((x, y) => y.similarity - x.similarity || x.a.line - y.a.line);
        const identical = pairs.filter((p) => p.identical).length;
        const priority: Priority = pairs.length >= 3 || identical > 0 ? 'high' : pairs.length >= 2 ? 'medium' : 'low';
        const list = pairs.slice(0, 5).map((p) => `${p.a.qualname} ≈ ${p.b.qualname} (${Math.round(p.similarity * 100)}%)`).join(', ');
        out.push(makeFinding('duplication/module-pair', {
          path: fa.path, startLine: pairs[0].a.line, endLine: pairs[0].a.endLine, symbol: pairs[0].a.qualname,
          key: `${fa.module}~${fb.module}`,
          metric: { name: 'similar-functions', value: pairs.length, threshold: null },
          priority,
          message: `${pairs.length} function${pairs.length === 1 ? '' : 's'} of ${code(fa.module!)} duplicate${pairs.length === 1 ? 's' : ''} logic in ${code(fb.module!)}${identical ? ` (${identical} with identical shape)` : ''}: ${list}${pairs.length > 5 ? ', …' : ''}.`,
          recommendation: `Keep one implementation: move the shared logic into one module (or a helper both import) and have the other delegate to it; ${code(fa.module!)} and ${code(fb.module!)} should not both own it.`,
          related: pairs.flatMap((p) => [
            { path: fa.path, startLine: p.a.line, endLine: p.a.endLine, symbol: p.a.qualname },
            { path: fb.path, startLine: p.b.line, endLine: p.b.endLine, symbol: p.b.qualname },
          ]),
          details: { kind: 'module-pair', modules: [fa.module!, fb.module!], pairs: pairs.map((p) => ({ a: p.a.qualname, b: p.b.qualname, similarity: Math.round(p.similarity * 1000) / 1000, identical: p.identical })) },
        }));
      }
    }
  }
  return out;
}
