/** What every analysis receives, and the helper that builds findings with stable ids. */
import type { DefFact, FileFacts } from './facts.js';
import { CATEGORY_OF, type Finding, type FindingDetails, type Location, type Metric, type Priority, type ResolvedReviewOptions, type RuleId } from './types.js';

/** The slice of `@remodel/python`'s Project the review uses when given one (its import graph). */
export interface ProjectLike {
  importGraph(options?: { importTimeOnly?: boolean }): Map<string, Map<string, number>>;
  fileOfModule(module: string): { path: string } | undefined;
}

/** Everything an analysis rule reads: the facts of every file and the options. */
export interface AnalysisContext {
  facts: FileFacts[];
  byPath: Map<string, FileFacts>;
  byModule: Map<string, FileFacts>;
  options: ResolvedReviewOptions;
  /** Texts of non-Python files that may name Python code. */
  extraTexts: { path: string; text: string }[];
  /** Source text of each reviewed file (by path). */
  texts: ReadonlyMap<string, string>;
  project: ProjectLike | null;
}

/** The parts of a finding a rule provides (`makeFinding` fills in id and category). */
export interface FindingInput {
  path: string;
  startLine: number;
  endLine: number;
  symbol?: string | null;
  metric: Metric;
  priority: Priority;
  message: string;
  recommendation: string;
  confidence?: number | null;
  explanation?: string | null;
  related?: Location[];
  details?: FindingDetails | null;
  /** Replaces the symbol in the id when the symbol is not unique (clones: content hash). */
  key?: string;
}

/** Builds a finding with its stable id (`rule:path:symbol`, or `rule:path:key`). */
export function makeFinding(rule: RuleId, f: FindingInput): Finding {
  const symbol = f.symbol ?? null;
  return {
    id: `${rule}:${f.path}:${f.key ?? symbol ?? String(f.startLine)}`,
    rule,
    category: CATEGORY_OF[rule],
    priority: f.priority,
    path: f.path,
    startLine: f.startLine,
    endLine: f.endLine,
    symbol,
    metric: f.metric,
    message: f.message,
    recommendation: f.recommendation,
    confidence: f.confidence ?? null,
    explanation: f.explanation ?? null,
    related: f.related ?? [],
    details: f.details ?? null,
  };
}

/** high from twice the threshold, medium from 1.5 times, else low. */
export function scalePriority(value: number, threshold: number): Priority {
  if (value >= threshold * 2) return 'high';
  if (value >= threshold * 1.5) return 'medium';
  return 'low';
}

/** Lines of a def/class from its `def`/`class` line to its last line. */
export function defLines(d: DefFact): number {
  return d.endLine - d.line + 1;
}

const childrenCache = new WeakMap<FileFacts, DefFact[][]>();

/** Methods of class `ci` (functions defined directly in its body). Children lists are computed once per file. */
export function methodsOf(facts: FileFacts, ci: number): DefFact[] {
  let children = childrenCache.get(facts);
  if (!children) {
    children = facts.defs.map(() => []);
    for (const d of facts.defs) if (d.parent >= 0 && d.kind === 'function') children[d.parent].push(d);
    childrenCache.set(facts, children);
  }
  return children[ci];
}

/** `__name__`-style names. */
export function isDunder(name: string): boolean {
  return name.length > 4 && name.startsWith('__') && name.endsWith('__');
}

/** `3 methods`, `1 method`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Markdown inline code. */
export function code(s: string): string {
  return `\`${s}\``;
}
