/**
 * The review's result: a stable JSON document (see `REVIEW_SCHEMA_VERSION`). Every array is sorted, every field is
 * always present (null when not applicable), so two runs on the same input produce byte-identical JSON.
 */

/** Bumped whenever a field is removed or changes meaning; adding fields keeps the version. */
export const REVIEW_SCHEMA_VERSION = 1;

/** How urgent a finding is. */
export type Priority = 'high' | 'medium' | 'low';

/** What a finding is about (the first part of its rule id). */
export type Category = 'size' | 'god-class' | 'complexity' | 'duplication' | 'dead-code' | 'layering' | 'cycles' | 'syntax';

/** Stable rule ids (also the SARIF rule ids). */
export type RuleId =
  | 'size/file-lines'
  | 'size/file-definitions'
  | 'size/class-lines'
  | 'size/class-methods'
  | 'size/function-lines'
  | 'god-class/low-cohesion'
  | 'complexity/cyclomatic'
  | 'complexity/nesting'
  | 'duplication/clone'
  | 'duplication/module-pair'
  | 'dead-code/unused-function'
  | 'dead-code/unused-class'
  | 'dead-code/unused-constant'
  | 'dead-code/unused-method'
  | 'dead-code/unused-import'
  | 'dead-code/unreachable'
  | 'layering/io-mixing'
  | 'cycles/import-cycle'
  | 'syntax/error';

export interface Location {
  path: string;
  startLine: number;
  endLine: number;
  /** Qualified name of the symbol at this location (`Orchestrator._run_task`), null when none. */
  symbol: string | null;
}

export interface Metric {
  /** What was measured: `lines`, `definitions`, `methods`, `lcom4`, `cyclomatic`, `nesting`, `duplicated-lines`, `confidence`, `io-methods`, `modules`, `similar-functions`. */
  name: string;
  value: number;
  /** The configured limit it was compared with, null when the finding has no threshold (dead code, cycles). */
  threshold: number | null;
}

export interface Finding {
  /** Stable fingerprint: rule + path + symbol (or the content hash for clones); unchanged when lines move. */
  id: string;
  rule: RuleId;
  category: Category;
  priority: Priority;
  /** Primary location. */
  path: string;
  startLine: number;
  endLine: number;
  symbol: string | null;
  metric: Metric;
  message: string;
  recommendation: string;
  /** Dead code only: 100, 90 or 60 (vulture-style), else null. */
  confidence: number | null;
  /** Why the finding holds or why its confidence is lowered (dead code), else null. */
  explanation: string | null;
  /** Other locations: every clone of a clone class, each edge of a cycle, the twin functions of a module pair. */
  related: Location[];
  /** Rule-specific structured data (documented per rule in the README), null when none. */
  details: FindingDetails | null;
}

export type FindingDetails =
  | { kind: 'god-class'; methods: number; attributes: number; lcom4: number; components: string[][]; split: SplitDetails | null }
  | { kind: 'clone'; occurrences: number; tokens: number; statements: number }
  | { kind: 'module-pair'; modules: [string, string]; pairs: { a: string; b: string; similarity: number; identical: boolean }[] }
  | { kind: 'io-mixing'; io: { kind: string; methods: { name: string; apis: string[]; lines: number[] }[] }[]; pureMethods: string[] }
  | { kind: 'cycle'; modules: string[]; edges: { from: string; to: string; path: string; line: number }[] }
  | { kind: 'dead-code'; reason: DeadCodeReason; evidence: string[] };

/**
 * Why a dead-code finding has its confidence: `unreferenced` (90: named nowhere), `unused-import` (100),
 * `unreachable` (100), or what lowered it: `string` (named in a string literal; evidence = files), `dynamic`
 * (module uses globals()/__getattr__), `star-import` (module star-imported elsewhere), `decorator` (an unknown
 * decorator may register it; evidence = decorator), `framework-base` (class derives from an external base;
 * evidence = bases), `override` (private method of a class with an external base), `side-effect` (90: import of a
 * project module or `import a.b`), `string-annotation` (60: import named in a string of its file), `yield` / `scope`
 * (60: unreachable code holding `yield` or `global`/`nonlocal`).
 */
export type DeadCodeReason =
  | 'unreferenced'
  | 'unused-import'
  | 'unreachable'
  | 'string'
  | 'dynamic'
  | 'star-import'
  | 'decorator'
  | 'framework-base'
  | 'override'
  | 'side-effect'
  | 'string-annotation'
  | 'yield'
  | 'scope';

export interface SplitDetails {
  clusters: { name: string; methods: string[]; attributes: string[]; lines: number }[];
  coordinators: string[];
  /** Functions nested in the coordinators (15+ lines): logic hidden inside them, e.g. a stream callback. */
  nested: { name: string; lines: number }[];
  shared: string[];
  hubs: string[];
  unassigned: string[];
}

export interface RankedUnit {
  path: string;
  symbol: string | null;
  startLine: number;
  endLine: number;
  value: number;
}

export interface ReviewSummary {
  files: number;
  lines: number;
  classes: number;
  functions: number;
  findings: number;
  byPriority: Record<Priority, number>;
  byCategory: Record<Category, number>;
  /** Files that could not be analysed reliably (tokenizer problem), also reported as `syntax/error` findings. */
  skippedFiles: string[];
}

export interface ReviewRankings {
  filesByLines: RankedUnit[];
  filesByDefinitions: RankedUnit[];
  classesByLines: RankedUnit[];
  classesByMethods: RankedUnit[];
  functionsByLines: RankedUnit[];
  functionsByComplexity: RankedUnit[];
}

export interface ReviewResult {
  version: typeof REVIEW_SCHEMA_VERSION;
  tool: { name: 'remodel-review'; version: string };
  /** The options in effect (defaults filled in). */
  options: ResolvedReviewOptions;
  summary: ReviewSummary;
  /** Sorted by priority (high first), then category, then severity within the category (largest first), path, line. */
  findings: Finding[];
  rankings: ReviewRankings;
}

export interface Thresholds {
  fileLines: number;
  fileDefinitions: number;
  classLines: number;
  classMethods: number;
  functionLines: number;
  complexity: number;
  nesting: number;
  /** A class with at least this many methods (or over `classLines`) is checked for low cohesion. */
  godClassMethods: number;
}

export interface ResolvedReviewOptions {
  thresholds: Thresholds;
  clones: { minLines: number; minTokens: number };
  /** Dead-code findings below this confidence are dropped. */
  minConfidence: number;
  /** Module pairs compared for duplicated logic, each side a dotted module suffix (`model_registry`). */
  modulePairs: [string, string][];
  /** Share of the smaller function's 5-token shingles found in the other, from which two functions of a module pair count as duplicated. */
  pairSimilarity: number;
  /** Length of each ranking list. */
  rankLimit: number;
  /** Rules switched off. */
  disabledRules: RuleId[];
}

/** Options of `review()`; every field is optional (see `DEFAULT_OPTIONS`). */
export interface ReviewOptions {
  thresholds?: Partial<Thresholds>;
  clones?: Partial<ResolvedReviewOptions['clones']>;
  minConfidence?: number;
  modulePairs?: [string, string][];
  pairSimilarity?: number;
  rankLimit?: number;
  disabledRules?: RuleId[];
  /** Texts of non-Python files that can name Python code (pyproject.toml entry points, YAML configs): names found there lower dead-code confidence. */
  extraTexts?: { path: string; text: string }[];
  /** Called after each file is analysed (for progress bars). */
  onProgress?: (done: number, total: number) => void;
  /** When given, filled with the milliseconds spent per phase (diagnostics only; the result never depends on it). */
  timings?: Record<string, number>;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  fileLines: 500,
  fileDefinitions: 40,
  classLines: 300,
  classMethods: 30,
  functionLines: 80,
  complexity: 10,
  nesting: 4,
  godClassMethods: 15,
};

export const DEFAULT_OPTIONS: ResolvedReviewOptions = {
  thresholds: DEFAULT_THRESHOLDS,
  clones: { minLines: 6, minTokens: 50 },
  minConfidence: 60,
  modulePairs: [['model_registry', 'model_manager']],
  pairSimilarity: 0.6,
  rankLimit: 20,
  disabledRules: [],
};

export const CATEGORY_OF: Record<RuleId, Category> = {
  'size/file-lines': 'size',
  'size/file-definitions': 'size',
  'size/class-lines': 'size',
  'size/class-methods': 'size',
  'size/function-lines': 'size',
  'god-class/low-cohesion': 'god-class',
  'complexity/cyclomatic': 'complexity',
  'complexity/nesting': 'complexity',
  'duplication/clone': 'duplication',
  'duplication/module-pair': 'duplication',
  'dead-code/unused-function': 'dead-code',
  'dead-code/unused-class': 'dead-code',
  'dead-code/unused-constant': 'dead-code',
  'dead-code/unused-method': 'dead-code',
  'dead-code/unused-import': 'dead-code',
  'dead-code/unreachable': 'dead-code',
  'layering/io-mixing': 'layering',
  'cycles/import-cycle': 'cycles',
  'syntax/error': 'syntax',
};

/** One-line description of each rule (SARIF `shortDescription`, README). */
export const RULE_DESCRIPTIONS: Record<RuleId, string> = {
  'size/file-lines': 'File longer than the line threshold',
  'size/file-definitions': 'File with more top-level definitions than the threshold',
  'size/class-lines': 'Class longer than the line threshold',
  'size/class-methods': 'Class with more methods than the threshold',
  'size/function-lines': 'Function longer than the line threshold',
  'god-class/low-cohesion': 'Large class whose methods form separate groups (LCOM4 > 1 or distinct clusters)',
  'complexity/cyclomatic': 'Function with cyclomatic complexity above the threshold (radon rules)',
  'complexity/nesting': 'Function with deeper block nesting than the threshold',
  'duplication/clone': 'Structurally identical code in several places (same shape up to names and literals)',
  'duplication/module-pair': 'Functions duplicated between two related modules',
  'dead-code/unused-function': 'Module-level function nothing references',
  'dead-code/unused-class': 'Module-level class nothing references',
  'dead-code/unused-constant': 'Module-level name assigned but never read',
  'dead-code/unused-method': 'Private method nothing calls',
  'dead-code/unused-import': 'Import whose name is never used',
  'dead-code/unreachable': 'Statements after return, raise, continue or break',
  'layering/io-mixing': 'Class mixing IO (HTTP, subprocess, files, processes) with plain logic',
  'cycles/import-cycle': 'Modules importing each other at import time',
  'syntax/error': 'File the tokenizer could not read completely',
};
