/** Helpers for the package's tests (not exported from the package). */
import { review } from './review.js';
import type { Finding, ReviewOptions, ReviewResult, RuleId } from './types.js';

/** Removes the common indentation of a template literal and its first empty line (inline Python in tests). */
export function py(strings: TemplateStringsArray | string, ...values: unknown[]): string {
  const raw = typeof strings === 'string' ? strings : strings.reduce((s, part, i) => s + part + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').replace(/\n[ \t]*$/, '\n').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

/** Reviews an in-memory project given as path -> source. */
export function reviewOf(files: Record<string, string>, options: ReviewOptions = {}): ReviewResult {
  return review(Object.entries(files).map(([path, text]) => ({ path, text })), options);
}

/** Findings of one rule, as `path:line symbol` strings (sorted). */
export function hits(result: ReviewResult, rule: RuleId): string[] {
  return result.findings.filter((f) => f.rule === rule).map((f) => `${f.path}:${f.startLine} ${f.symbol ?? ''}`.trim()).sort();
}

export function only(result: ReviewResult, rule: RuleId): Finding[] {
  return result.findings.filter((f) => f.rule === rule);
}
