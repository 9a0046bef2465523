/**
 * Class cohesion: LCOM4 (connected components of the method graph) and a suggested split of a low-cohesion class
 * into method clusters, each named after what its methods share.
 *
 * Members are the class's methods other than dunders (`__init__` touches every attribute and would join everything).
 * Two members are linked when they use a common `self` attribute or one calls the other through `self`.
 * Not handled: attributes reached through helpers (`getattr(self, name)`), inherited members, `super()` calls.
 */

import { cmp } from './util.js';

/** One method of a class as the cohesion analysis sees it. */
export interface MemberInput {
  name: string;
  /** `self.x` reads/writes that are not calls. */
  attrs: readonly string[];
  /** `self.x(...)` calls. */
  calls: readonly string[];
  /** Calls in source order with lines: calls made within a few lines of each other link their targets. */
  callSites?: readonly { name: string; line: number }[];
  lines: number;
}

/** A group of methods that belong together in a suggested split. */
export interface Cluster {
  /** Name derived from the dominant attribute / method-name tokens, e.g. `queue`, `lessons`. */
  name: string;
  methods: string[];
  /** Attributes the cluster's methods use (hubs excluded), most used first. */
  attributes: string[];
  lines: number;
}

/** How a class could be split: groups, coordinators, shared helpers, hub attributes, leftovers. */
export interface SplitSuggestion {
  clusters: Cluster[];
  /** Methods that orchestrate several clusters; they stay in the class and call the extracted parts. */
  coordinators: string[];
  /** Methods called from many members (shared utilities such as an event publisher); candidates for a service every part receives. */
  shared: string[];
  /** Attributes used by most methods, ignored when clustering (every part would need them). */
  hubs: string[];
  /** Methods that share nothing with any cluster. */
  unassigned: string[];
}

/** LCOM4 and its components. */
export interface CohesionResult {
  lcom4: number;
  /** Connected components of the method graph (member names), largest first. */
  components: string[][];
}

const STOP_TOKENS = new Set([
  '', 'self', 'cls', 'get', 'set', 'is', 'has', 'should', 'run', 'execute', 'handle', 'do', 'to', 'with', 'the', 'of',
  'for', 'and', 'or', 'if', 'needed', 'create', 'update', 'build', 'make', 'init', 'on', 'by', 'from', 'in', 'a',
  'manager', 'store', 'status', 'data', 'info', 'task', 'tasks', 'impl', 'internal', 'helper', 'process', 'add',
]);

/** Connected components of the member graph and their count (LCOM4). */
export function lcom4(members: readonly MemberInput[]): CohesionResult {
  const names = new Set(members.map((m) => m.name));
  const parent = members.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const union = (a: number, b: number): void => {
    const x = find(a);
    const y = find(b);
    if (x !== y) parent[x] = y;
  };
  const index = new Map(members.map((m, i) => [m.name, i]));
  const byAttr = new Map<string, number>();
  members.forEach((m, i) => {
    for (const a of m.attrs) {
      if (names.has(a)) {
        // a method referenced without a call (passed as a callback) links like a call
        union(i, index.get(a)!);
        continue;
      }
      const j = byAttr.get(a);
      if (j === undefined) byAttr.set(a, i);
      else union(i, j);
    }
    for (const c of m.calls) {
      const j = index.get(c);
      if (j !== undefined) union(i, j);
    }
  });
  const groups = new Map<number, string[]>();
  members.forEach((m, i) => {
    const r = find(i);
    const g = groups.get(r) ?? [];
    g.push(m.name);
    groups.set(r, g);
  });
  const components = [...groups.values()].sort((a, b) => b.length - a.length || cmp(a[0], b[0]));
  return { lcom4: components.length, components };
}

/** Tuning of `suggestSplit` (the defaults are the ones the review uses). */
export interface SplitOptions {
  /** An attribute used by more than this share of the members is a hub (default 0.35). */
  hubShare?: number;
  /** Stop merging clusters below this average similarity (default 0.12). */
  minSimilarity?: number;
  /** A member calling into this many clusters (or more) is a coordinator (default 3). */
  coordinatorSpan?: number;
  /** Second phase: merge clusters whose attribute profiles (share of members using each attribute, IDF-weighted) have at least this cosine similarity (default 0.3). */
  mergeSimilarity?: number;
}

/**
 * Suggests how to split a class: hub attributes (used by most methods) are set aside, shared helpers (methods
 * called from many members) and coordinators (methods calling into several clusters) are held back, and the
 * remaining methods are clustered agglomeratively (average linkage) on the IDF-weighted Jaccard similarity of what
 * they use: attributes, called methods, their own name (so a helper joins its callers), the words of attribute and
 * method names (weaker), and calls made next to each other by the same caller (`if self._should_x(): self._do_x()`).
 * Deterministic for a given input.
 */
export function suggestSplit(members: readonly MemberInput[], options: SplitOptions = {}): SplitSuggestion {
  const hubShare = options.hubShare ?? 0.35;
  const minSimilarity = options.minSimilarity ?? 0.12;
  const coordinatorSpan = options.coordinatorSpan ?? 3;
  const names = new Set(members.map((m) => m.name));
  const n = members.length;
  const index = new Map(members.map((m, i) => [m.name, i]));

  const features = members.map((m) => {
    const f = new Set<string>();
    for (const a of m.attrs) {
      if (names.has(a)) f.add(`m:${a}`);
      else {
        f.add(`a:${a}`);
        // the head noun of an attribute (`flow` in `_forge_flow`) says what it is: a full-weight feature
        const toks = nameTokens(a).filter((t) => !STOP_TOKENS.has(t));
        toks.forEach((t, i) => f.add(i === toks.length - 1 ? `h:${stem(t)}` : `t:${stem(t)}`));
      }
    }
    for (const c of m.calls) if (names.has(c)) f.add(`m:${c}`);
    f.add(`m:${m.name}`);
    for (const t of nameTokens(m.name)) if (!STOP_TOKENS.has(t)) f.add(`w:${stem(t)}`);
    return f;
  });
  // calls made within a few lines of each other by the same caller
  for (const m of members) {
    const sites = (m.callSites ?? []).filter((c) => names.has(c.name) && c.name !== m.name);
    for (let k = 1; k < sites.length; k++) {
      const a = sites[k - 1];
      const b = sites[k];
      if (a.name === b.name || b.line - a.line > 8) continue;
      const key = a.name < b.name ? `k:${a.name}|${b.name}` : `k:${b.name}|${a.name}`;
      features[index.get(a.name)!].add(key);
      features[index.get(b.name)!].add(key);
    }
  }

  // hubs: attributes and words used by most members
  const users = new Map<string, number>();
  for (const f of features) for (const x of f) users.set(x, (users.get(x) ?? 0) + 1);
  const hubLimit = Math.max(3, hubShare * n);
  const hubSet = new Set<string>();
  for (const [x, c] of users) if (!x.startsWith('m:') && !x.startsWith('k:') && c > hubLimit) hubSet.add(x);
  // shared helpers: methods called by many other members
  const callerCount = new Map<string, number>();
  for (const m of members) for (const c of new Set(m.calls)) if (names.has(c) && c !== m.name) callerCount.set(c, (callerCount.get(c) ?? 0) + 1);
  const sharedLimit = Math.max(4, Math.ceil(0.15 * n));
  const shared = new Set([...callerCount].filter(([, c]) => c >= sharedLimit).map(([m]) => m));
  for (const s of shared) hubSet.add(`m:${s}`);
  for (const f of features) for (const h of hubSet) f.delete(h);

  const df = new Map<string, number>();
  for (const f of features) for (const x of f) df.set(x, (df.get(x) ?? 0) + 1);
  const weights = new Map<string, number>();
  for (const [x, c] of df) weights.set(x, Math.log(1 + n / c) * (x.startsWith('t:') || x.startsWith('w:') ? 0.5 : 1));
  const weight = (x: string): number => weights.get(x) ?? 0;
  const sims = pairSimilarities(features, weights);

  // coordinators: members calling into several clusters of a first clustering pass (e.g. a long `run` method)
  const candidates = members.map((_, i) => i).filter((i) => !shared.has(members[i].name));
  const first = agglomerate(candidates, sims, n, minSimilarity);
  const clusterIndex = new Map<string, number>();
  first.forEach((c, ci) => { for (const i of c) clusterIndex.set(members[i].name, ci); });
  const coordinators: number[] = [];
  const rest: number[] = [];
  for (const i of candidates) {
    const own = clusterIndex.get(members[i].name);
    const reached = new Set<number>();
    for (const c of members[i].calls) {
      const ci = clusterIndex.get(c);
      if (ci !== undefined && ci !== own && first[ci].length > 1) reached.add(ci);
    }
    const callsMade = new Set(members[i].calls.filter((c) => names.has(c))).size;
    if (reached.size >= coordinatorSpan - 1 && callsMade >= coordinatorSpan) coordinators.push(i);
    else rest.push(i);
  }
  const clusters = agglomerate(rest, sims, n, minSimilarity);
  mergeByProfile(clusters, features, weight, options.mergeSimilarity ?? 0.3);

  // a helper used only from one cluster joins it
  const inCluster = new Map<string, number>();
  clusters.forEach((c, ci) => { for (const i of c) inCluster.set(members[i].name, ci); });
  for (let ci = 0; ci < clusters.length; ci++) {
    if (clusters[ci].length !== 1) continue;
    const name = members[clusters[ci][0]].name;
    const callerClusters = new Set<number>();
    let callersElsewhere = false;
    for (const m of members) {
      if (m.name === name || !m.calls.includes(name)) continue;
      const c = inCluster.get(m.name);
      if (c === undefined) callersElsewhere = true;
      else callerClusters.add(c);
    }
    if (!callersElsewhere && callerClusters.size === 1) {
      const target = [...callerClusters][0];
      if (clusters[target].length > 1) {
        clusters[target].push(clusters[ci][0]);
        clusters[ci] = [];
      }
    }
  }

  const out: Cluster[] = [];
  const unassigned: string[] = [];
  for (const c of clusters) {
    if (c.length === 0) continue;
    const ms = c.sort((a, b) => a - b).map((i) => members[i]);
    if (c.length < 2) {
      unassigned.push(...ms.map((m) => m.name));
      continue;
    }
    const attrCount = new Map<string, number>();
    for (const m of ms) for (const a of new Set(m.attrs)) if (!names.has(a) && !hubSet.has(`a:${a}`)) attrCount.set(a, (attrCount.get(a) ?? 0) + 1);
    const attributes = [...attrCount].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0])).map(([a]) => a);
    out.push({
      name: clusterName(attributes, ms.map((m) => m.name)),
      methods: ms.map((m) => m.name),
      attributes,
      lines: ms.reduce((s, m) => s + m.lines, 0),
    });
  }
  out.sort((a, b) => b.methods.length - a.methods.length || b.lines - a.lines || cmp(a.name, b.name));
  dedupeNames(out);
  return {
    clusters: out,
    coordinators: coordinators.map((i) => members[i].name),
    shared: [...shared].sort(),
    hubs: [...hubSet].filter((h) => h.startsWith('a:')).map((h) => h.slice(2)).sort(),
    unassigned: unassigned.sort(),
  };
}

/**
 * Weighted Jaccard of every pair of feature sets, |A∩B|w / (|A|w + |B|w - |A∩B|w), as an n*n matrix. Features are
 * numbered once and each set becomes a sorted id array, so a pair costs one merge walk.
 */
function pairSimilarities(features: Set<string>[], weights: Map<string, number>): Float64Array {
  const n = features.length;
  const ids = new Map<string, number>();
  const w: number[] = [];
  const sets = features.map((f) => {
    const arr = new Int32Array(f.size);
    let k = 0;
    for (const x of f) {
      let id = ids.get(x);
      if (id === undefined) {
        id = w.length;
        ids.set(x, id);
        w.push(weights.get(x) ?? 0);
      }
      arr[k++] = id;
    }
    return arr.sort();
  });
  const totals = sets.map((a) => {
    let t = 0;
    for (let i = 0; i < a.length; i++) t += w[a[i]];
    return t;
  });
  const sims = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const a = sets[i];
    for (let j = i + 1; j < n; j++) {
      const b = sets[j];
      let inter = 0;
      let p = 0;
      let q = 0;
      while (p < a.length && q < b.length) {
        if (a[p] === b[q]) {
          inter += w[a[p]];
          p++;
          q++;
        } else if (a[p] < b[q]) p++;
        else q++;
      }
      const union = totals[i] + totals[j] - inter;
      const v = union > 0 ? inter / union : 0;
      sims[i * n + j] = v;
      sims[j * n + i] = v;
    }
  }
  return sims;
}

/**
 * Merges clusters (at least one of the two with two or more members) whose attribute-usage profiles are similar: average linkage keeps apart
 * groups that share their state but few pairwise links (two halves of a `tracer` group), this phase joins them.
 */
function mergeByProfile(clusters: number[][], features: Set<string>[], weight: (x: string) => number, min: number): void {
  const profile = (c: number[]): Map<string, number> => {
    const p = new Map<string, number>();
    for (const i of c) for (const x of features[i]) if (x.startsWith('a:') || x.startsWith('t:') || x.startsWith('h:')) p.set(x, (p.get(x) ?? 0) + 1);
    for (const [x, v] of p) p.set(x, (v / c.length) * weight(x));
    return p;
  };
  const cosine = (a: Map<string, number>, b: Map<string, number>): number => {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (const [x, v] of a) {
      na += v * v;
      const w = b.get(x);
      if (w !== undefined) dot += v * w;
    }
    for (const v of b.values()) nb += v * v;
    return na && nb ? dot / Math.sqrt(na * nb) : 0;
  };
  const profiles = clusters.map((c) => profile(c));
  for (;;) {
    let best = -1;
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < clusters.length; i++) {
      for (let j = i + 1; j < clusters.length; j++) {
        // two lone methods are joined by the first phase or not at all
        if (clusters[i].length === 1 && clusters[j].length === 1) continue;
        const v = cosine(profiles[i], profiles[j]);
        if (v > best + 1e-12) {
          best = v;
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0 || best < min) return;
    clusters[bi] = [...clusters[bi], ...clusters[bj]].sort((a, b) => a - b);
    clusters.splice(bj, 1);
    profiles[bi] = profile(clusters[bi]);
    profiles.splice(bj, 1);
  }
}

/**
 * Average-linkage agglomerative clustering of `items`; merges while the best pair is at least `min` similar.
 * Linkages are updated with the Lance-Williams formula, so each merge costs O(k).
 */
function agglomerate(items: number[], sims: Float64Array, n: number, min: number): number[][] {
  const k = items.length;
  const link = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const v = sims[items[a] * n + items[b]];
      link[a * k + b] = v;
      link[b * k + a] = v;
    }
  }
  const members: (number[] | null)[] = items.map((i) => [i]);
  for (;;) {
    let best = -1;
    let bi = -1;
    let bj = -1;
    for (let a = 0; a < k; a++) {
      if (!members[a]) continue;
      for (let b = a + 1; b < k; b++) {
        if (!members[b]) continue;
        const v = link[a * k + b];
        if (v > best + 1e-12) {
          best = v;
          bi = a;
          bj = b;
        }
      }
    }
    if (bi < 0 || best < min) break;
    const si = members[bi]!.length;
    const sj = members[bj]!.length;
    for (let c = 0; c < k; c++) {
      if (!members[c] || c === bi || c === bj) continue;
      const v = (si * link[bi * k + c] + sj * link[bj * k + c]) / (si + sj);
      link[bi * k + c] = v;
      link[c * k + bi] = v;
    }
    members[bi] = [...members[bi]!, ...members[bj]!].sort((a, b) => a - b);
    members[bj] = null;
  }
  return members.filter((m): m is number[] => m !== null);
}

/** Splits an identifier into lower-case word tokens (`_add_lessons_to_context` -> add, lessons, to, context). */
export function nameTokens(name: string): string[] {
  let cached = TOKEN_CACHE.get(name);
  if (!cached) {
    if (TOKEN_CACHE.size > 50_000) TOKEN_CACHE.clear();
    cached = splitName(name);
    TOKEN_CACHE.set(name, cached);
  }
  return cached;
}

const TOKEN_CACHE = new Map<string, string[]>();

function splitName(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 1);
}

function stem(t: string): string {
  if (t.endsWith('ies') && t.length > 4) return `${t.slice(0, -3)}y`;
  if (t.endsWith('ss')) return t;
  if (t.endsWith('s') && t.length > 3) return t.slice(0, -1);
  return t;
}

/**
 * Names a cluster after its most frequent meaningful token: the head noun of each attribute (last word, weight 3),
 * other attribute words (2) and method-name words (1). Plural when several attributes share it.
 */
export function clusterName(attributes: string[], methods: string[]): string {
  const score = new Map<string, number>();
  const surface = new Map<string, Map<string, number>>();
  const add = (tok: string, w: number): void => {
    if (STOP_TOKENS.has(tok)) return;
    const s = stem(tok);
    if (STOP_TOKENS.has(s)) return;
    score.set(s, (score.get(s) ?? 0) + w);
    const forms = surface.get(s) ?? new Map<string, number>();
    forms.set(tok, (forms.get(tok) ?? 0) + 1);
    surface.set(s, forms);
  };
  for (const a of attributes) {
    const toks = nameTokens(a);
    toks.forEach((t, i) => add(t, i === toks.length - 1 ? 3 : 2));
  }
  for (const m of methods) for (const t of nameTokens(m)) add(t, 1);
  const best = [...score].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))[0];
  if (!best) return 'helpers';
  const stemmed = best[0];
  const headUses = attributes.filter((a) => {
    const toks = nameTokens(a);
    return toks.length && stem(toks[toks.length - 1]) === stemmed;
  }).length;
  const forms = [...(surface.get(stemmed) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
  const form = forms.length ? forms[0][0] : stemmed;
  if (headUses > 1 && !form.endsWith('s')) return `${form}s`;
  return form;
}

function dedupeNames(clusters: Cluster[]): void {
  const seen = new Map<string, number>();
  for (const c of clusters) {
    const k = seen.get(c.name) ?? 0;
    seen.set(c.name, k + 1);
    if (k > 0) c.name = `${c.name}-${k + 1}`;
  }
}
