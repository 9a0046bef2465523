export { review, analyse, resolveOptions, RULE_IDS, TOOL_VERSION, PRIORITY_ORDER, CATEGORY_ORDER, type ReviewFile, type ProjectInput } from './review.js';
export * from './types.js';
export { formatTerminal, type TerminalOptions } from './format/terminal.js';
export { formatMarkdown, type MarkdownOptions } from './format/markdown.js';
export { toSarif, type SarifLog, type SarifResult, type SarifRule } from './format/sarif.js';
export { renderReportFindings, type ReportLang, type ReportFindingsOptions } from './format/report.js';
export { lcom4, suggestSplit, clusterName, type MemberInput, type SplitSuggestion, type Cluster, type CohesionResult } from './cohesion.js';
export { extractFacts, type FileFacts, type DefFact, type ImportFact } from './facts.js';
export { tokenize, type Tokenized, type LogicalLine } from './tokenize.js';
