import type { Project } from '@remodel/python';
import { renderReportFindings, review, type Finding, type ReviewResult } from '@remodel/review';
import type { ReportLang } from '@remodel/runtime';

/** Runs the review on a project (the tree before or after the codemods). */
export function reviewProject(project: Project): ReviewResult {
  return review(project);
}

/**
 * The change report's review sections: risks and findings of the tree as it was before the run, and the
 * high/medium findings that are still there after it (same fingerprint), i.e. not addressed by the codemods.
 */
export function reviewSections(
  before: ReviewResult,
  after: ReviewResult,
  lang: ReportLang,
): { risks: string; findings: string; unaddressed: string } {
  const { risks, findings } = renderReportFindings(before, { lang, limit: 12 });
  const afterIds = new Set(after.findings.map((f) => f.id));
  const fixed = before.findings.filter((f) => !afterIds.has(f.id));
  const open = after.findings.filter((f) => f.priority !== 'low' && before.findings.some((b) => b.id === f.id));
  const head =
    lang === 'pl'
      ? `Rozwiązane przez codemody: ${fixed.length} z ${before.findings.length} znalezisk. Pozostałe (wysoki i średni priorytet):`
      : `Resolved by the codemods: ${fixed.length} of ${before.findings.length} findings. Still open (high and medium priority):`;
  return { risks, findings, unaddressed: [head, '', ...open.slice(0, 40).map(line), more(open.length - 40, lang)].join('\n') };
}

function line(f: Finding): string {
  return `- \`${f.path}:${f.startLine}\` ${f.symbol ? `\`${f.symbol}\` ` : ''}— ${f.message} (${f.priority})`;
}

function more(n: number, lang: ReportLang): string {
  if (n <= 0) return '';
  return lang === 'pl' ? `- … oraz ${n} kolejnych (\`remodel review\`)` : `- … and ${n} more (\`remodel review\`)`;
}
