/** `review()`: runs every analysis over a project and returns the stable result document. */
import { moduleNames, syntaxProblems, type SourceFile, type Tree } from '@remodel/python';
import type { AnalysisContext, ProjectLike } from './context.js';
import { makeFinding } from './context.js';
import { extractFacts, type FactOptions, type FileFacts } from './facts.js';
import { packageOf } from './modules.js';
import { cmp } from './util.js';
import { cloneFindings, modulePairFindings, pairModuleFilter } from './rules/duplication.js';
import { cycleFindings } from './rules/cycles.js';
import { deadCodeFindings } from './rules/dead-code.js';
import { rankings } from './rules/size.js';
import { fileFindings, PER_FILE_RULES } from './per-file.js';

export { fileFindings } from './per-file.js';
import {
  DEFAULT_OPTIONS,
  REVIEW_SCHEMA_VERSION,
  type Category,
  type Finding,
  type Priority,
  type ResolvedReviewOptions,
  type ReviewOptions,
  type ReviewResult,
  type RuleId,
} from './types.js';

/** Version reported in `ReviewResult.tool`. */
export const TOOL_VERSION = '0.1.0';

/** A file to review; `tree` (from `parsePython`) is optional and only used to report syntax errors. */
export interface ReviewFile {
  path: string;
  text: string;
  tree?: Tree;
}

/** What `review()` accepts as a project: `@remodel/python`'s Project, or anything with its `files` map. */
export interface ProjectInput extends ProjectLike {
  files: ReadonlyMap<string, SourceFile>;
}

/** Priorities, most urgent first (the order of findings and report sections). */
export const PRIORITY_ORDER: Priority[] = ['high', 'medium', 'low'];
/** Categories in the order findings of one priority are listed. */
export const CATEGORY_ORDER: Category[] = ['cycles', 'god-class', 'layering', 'duplication', 'complexity', 'size', 'dead-code', 'syntax'];

/** Fills in the defaults (`DEFAULT_OPTIONS`) of the options given to `review`. */
export function resolveOptions(options: ReviewOptions = {}): ResolvedReviewOptions {
  return {
    thresholds: { ...DEFAULT_OPTIONS.thresholds, ...options.thresholds },
    clones: { ...DEFAULT_OPTIONS.clones, ...options.clones },
    minConfidence: options.minConfidence ?? DEFAULT_OPTIONS.minConfidence,
    modulePairs: options.modulePairs ?? DEFAULT_OPTIONS.modulePairs,
    pairSimilarity: options.pairSimilarity ?? DEFAULT_OPTIONS.pairSimilarity,
    rankLimit: options.rankLimit ?? DEFAULT_OPTIONS.rankLimit,
    disabledRules: [...(options.disabledRules ?? [])].sort(),
  };
}

function isProject(input: unknown): input is ProjectInput {
  return typeof input === 'object' && input !== null && 'files' in input && (input as { files: unknown }).files instanceof Map;
}

/**
 * Reviews a project: size, god classes (LCOM4 and split suggestions), complexity, clones, module-pair duplication,
 * dead code, IO/logic mixing and import cycles. Pure: reads nothing but its input, same input -> same result.
 * Given a Project, the import graph and cycles come from `Project.importGraph`/`cycles` (the same ones `verify`
 * checks); given files, they are computed from the review's own token model with the same semantics. Analyses
 * work on tokens (exactly CPython's tokenizer's view) so they never walk the tree node by node; a tree, when
 * present, is used to report syntax errors. Files the tokenizer cannot read completely are reported and skipped.
 */
export function review(input: ProjectInput | readonly ReviewFile[], options: ReviewOptions = {}): ReviewResult {
  const resolved = resolveOptions(options);
  const clock = phaseClock(options.timings);
  const jobs = prepare(input, resolved);
  const facts = jobs.map((job, i) => {
    const f = extractFacts(job.path, job.text, job.options);
    options.onProgress?.(i + 1, jobs.length);
    return f;
  });
  clock('facts');
  return finish(input, jobs, facts, resolved, options);
}

/** One file to extract facts from, with the options computed from the whole project (module names). */
export interface FactJob {
  path: string;
  text: string;
  tree?: Tree;
  options: FactOptions;
}

/** Sorted files with their module names and extraction options. */
export function prepare(input: ProjectInput | readonly ReviewFile[], resolved: ResolvedReviewOptions): FactJob[] {
  const files: ReviewFile[] = isProject(input)
    ? [...input.files.values()].map((f) => ({ path: f.path, text: f.text, tree: f.tree }))
    : [...input];
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const names = moduleNames(files.map((f) => f.path));
  const wantsShingles = pairModuleFilter(resolved.modulePairs);
  return files.map((file) => {
    const mn = names.get(file.path);
    const module = mn?.module ?? null;
    const isPackage = file.path === '__init__.py' || file.path.endsWith('/__init__.py');
    return { path: file.path, text: file.text, tree: file.tree, options: { module, packageName: packageOf(mn?.raw ?? null, isPackage), shingles: wantsShingles(module) } };
  });
}

/** Syntax findings, skipped files, then the analyses over the facts (in job order). */
export function finish(
  input: ProjectInput | readonly ReviewFile[],
  jobs: FactJob[],
  all: FileFacts[],
  resolved: ResolvedReviewOptions,
  options: ReviewOptions,
  perFile: Finding[][] | null = null,
): ReviewResult {
  const facts: FileFacts[] = [];
  const kept: Finding[][] = [];
  const problems: Finding[] = [];
  const skipped: string[] = [];
  jobs.forEach((job, i) => {
    const f = all[i];
    const treeProblem = job.tree ? syntaxProblems(job.tree, 1)[0] : undefined;
    const problem = f.problem ?? (treeProblem ? { line: treeProblem.line, message: treeProblem.message } : null);
    if (problem) {
      problems.push(makeFinding('syntax/error', {
        path: job.path, startLine: problem.line, endLine: problem.line,
        metric: { name: 'line', value: problem.line, threshold: null },
        priority: 'high',
        message: `${job.path}:${problem.line}: ${problem.message}${f.problem ? ' (file skipped by the review)' : ''}.`,
        recommendation: 'Fix the syntax error; refactoring operations refuse files that do not parse.',
      }));
    }
    if (f.problem) skipped.push(job.path);
    else {
      facts.push(f);
      if (perFile) kept.push(perFile[i]);
    }
  });
  const texts = new Map(jobs.map((j) => [j.path, j.text]));
  return analyse(facts, resolved, {
    problems,
    skipped,
    extraTexts: options.extraTexts ?? [],
    project: isProject(input) ? input : null,
    timings: options.timings,
    texts,
    perFile: perFile ? kept : null,
  });
}

/** Records elapsed milliseconds per phase into `timings` (when given); the result never depends on it. */
function phaseClock(timings: Record<string, number> | undefined): (phase: string) => void {
  let last = performance.now();
  return (phase) => {
    if (!timings) return;
    const now = performance.now();
    timings[phase] = (timings[phase] ?? 0) + (now - last);
    last = now;
  };
}

/** What `analyse` needs besides the facts and options. */
export interface AnalyseInput {
  /** Findings made before the analyses (syntax errors). */
  problems?: Finding[];
  /** Files left out (unreadable). */
  skipped?: string[];
  extraTexts?: { path: string; text: string }[];
  project?: ProjectLike | null;
  timings?: Record<string, number>;
  /** Source text by path (clone checks compare the text of low-variety clones). */
  texts?: ReadonlyMap<string, string>;
  /** Per-file findings already computed (by worker threads), in the order of `facts`; null = compute here. */
  perFile?: Finding[][] | null;
}

/** Runs the analyses over already extracted facts (the worker-thread path extracts facts elsewhere). */
export function analyse(facts: FileFacts[], options: ResolvedReviewOptions, input: AnalyseInput = {}): ReviewResult {
  const clock = phaseClock(input.timings);
  const skipped = input.skipped ?? [];
  const byPath = new Map(facts.map((f) => [f.path, f]));
  const byModule = new Map<string, FileFacts>();
  for (const f of facts) if (f.module) byModule.set(f.module, f);
  const ctx: AnalysisContext = { facts, byPath, byModule, options, extraTexts: input.extraTexts ?? [], project: input.project ?? null, texts: input.texts ?? new Map() };
  const findings: Finding[] = [...(input.problems ?? [])];
  const run = (phase: string, fn: (c: AnalysisContext) => Finding[]): void => {
    findings.push(...fn(ctx));
    clock(phase);
  };
  if (input.perFile) {
    for (const list of input.perFile) findings.push(...list);
    clock('per-file');
  } else {
    for (const [phase, rule] of PER_FILE_RULES) run(phase, rule);
  }
  run('clones', cloneFindings);
  run('module-pairs', modulePairFindings);
  run('dead-code', deadCodeFindings);
  run('cycles', cycleFindings);
  const kept = findings.filter((f) => !options.disabledRules.includes(f.rule));
  findings.length = 0;
  findings.push(...kept);
  sortFindings(findings);
  uniqueIds(findings);
  const byPriority: Record<Priority, number> = { high: 0, medium: 0, low: 0 };
  const byCategory = Object.fromEntries(CATEGORY_ORDER.map((c) => [c, 0])) as Record<Category, number>;
  for (const f of findings) {
    byPriority[f.priority]++;
    byCategory[f.category]++;
  }
  const result: ReviewResult = {
    version: REVIEW_SCHEMA_VERSION,
    tool: { name: 'remodel-review', version: TOOL_VERSION },
    options,
    summary: {
      files: facts.length + skipped.length,
      lines: facts.reduce((s, f) => s + f.lines, 0),
      classes: facts.reduce((s, f) => s + f.defs.filter((d) => d.kind === 'class').length, 0),
      functions: facts.reduce((s, f) => s + f.defs.filter((d) => d.kind === 'function').length, 0),
      findings: findings.length,
      byPriority,
      byCategory,
      skippedFiles: skipped.sort(),
    },
    findings,
    rankings: rankings(ctx),
  };
  clock('rankings');
  return result;
}

/** How bad a finding is within its category (bigger first): ranks findings of the same priority and category. */
export function severity(f: Finding): number {
  const d = f.details;
  switch (f.category) {
    case 'god-class':
      return d?.kind === 'god-class' ? d.methods * (f.endLine - f.startLine + 1) : f.metric.value;
    case 'duplication':
      return d?.kind === 'clone' ? d.tokens * (d.occurrences - 1) : f.metric.value * 100;
    case 'dead-code':
      return (f.confidence ?? 0) * (f.endLine - f.startLine + 1);
    case 'layering':
      return d?.kind === 'io-mixing' ? d.io.length * 100 + f.metric.value * 10 + d.pureMethods.length : f.metric.value;
    default:
      return f.metric.threshold ? f.metric.value / f.metric.threshold : f.metric.value;
  }
}

/** Sorts findings in place: priority, category, severity (largest first), path, line, rule, id. */
export function sortFindings(findings: Finding[]): void {
  const p = (x: Priority): number => PRIORITY_ORDER.indexOf(x);
  const c = (x: Category): number => CATEGORY_ORDER.indexOf(x);
  findings.sort(
    (a, b) =>
      p(a.priority) - p(b.priority) ||
      c(a.category) - c(b.category) ||
      severity(b) - severity(a) ||
      cmp(a.path, b.path) ||
      a.startLine - b.startLine ||
      cmp(a.rule, b.rule) ||
      cmp(a.id, b.id),
  );
}

function uniqueIds(findings: Finding[]): void {
  const seen = new Map<string, number>();
  for (const f of findings) {
    const n = seen.get(f.id) ?? 0;
    seen.set(f.id, n + 1);
    if (n > 0) f.id = `${f.id}#${n + 1}`;
  }
}


/** Rules in the order they are documented. */
export const RULE_IDS: RuleId[] = [
  'size/file-lines', 'size/file-definitions', 'size/class-lines', 'size/class-methods', 'size/function-lines',
  'god-class/low-cohesion', 'complexity/cyclomatic', 'complexity/nesting', 'duplication/clone', 'duplication/module-pair',
  'dead-code/unused-function', 'dead-code/unused-class', 'dead-code/unused-constant', 'dead-code/unused-method',
  'dead-code/unused-import', 'dead-code/unreachable', 'layering/io-mixing', 'cycles/import-cycle', 'syntax/error',
];
