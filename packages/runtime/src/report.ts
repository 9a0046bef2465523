/** Language of the change report: Polish (the Venom team's default) or English. */
export type ReportLang = 'pl' | 'en';

/** Line counts of one file before and after a codemod (0 = absent). */
export interface FileDelta {
  path: string;
  before: number;
  after: number;
}

/** One applied (or refused) codemod, as measured by `remodel run`. */
export interface CodemodOutcome {
  id: string;
  title: string;
  rationale: string;
  status: 'applied' | 'unchanged' | 'failed';
  /** Commit created for it (applied only). */
  commit?: string;
  files: FileDelta[];
  notes: string[];
  warnings: string[];
  /** Why it failed (failed only). */
  reason?: string;
}

/** Result of the project's own test command around the run, when one was given. */
export interface TestRun {
  command: string;
  label: string;
  passed: number | null;
  failed: number | null;
  exitCode: number;
}

/** Everything the change report is built from; every figure in it comes from here. */
export interface ReportInput {
  lang: ReportLang;
  branch: string;
  base: string;
  root: string;
  codemods: CodemodOutcome[];
  /** Markdown from the review (`renderReportFindings`): top risks and findings; null when no review ran. */
  review: { risks: string; findings: string; unaddressed: string } | null;
  tests: TestRun[];
  /** Documentation files (Markdown, rst) the codemods touched. */
  docs: string[];
  /** Test files whose imports or patch targets were rewritten. */
  testFiles: string[];
}

const TEXT = {
  pl: {
    title: 'Przegląd backendu i refaktor — raport zmian',
    goal: 'Cel i zakres',
    risks: 'Najważniejsze ryzyka',
    findings: 'Znaleziska',
    proposals: 'Propozycje refaktoru',
    tests: 'Wpływ na testy',
    docs: 'Zmiany w dokumentacji',
    goalText: (n: number, branch: string, base: string) =>
      `Przegląd techniczny i refaktor backendu wykonany narzędziem remodel na gałęzi \`${branch}\` (bazowo \`${base}\`): ${n} codemod(ów), każdy w osobnym commicie. Każdy krok został zweryfikowany przed zapisem: pliki się parsują, nazwy się rozwiązują, brak nowych cykli importów, stare ścieżki importu i cele \`mock.patch\` działają.`,
    noReview: 'Przegląd (`remodel review`) nie był uruchomiony.',
    file: 'Plik',
    before: 'Przed',
    after: 'Po',
    status: { applied: 'zastosowany', unchanged: 'bez zmian (nic do zrobienia)', failed: 'odrzucony' },
    rationale: 'Uzasadnienie',
    what: 'Co zostało przeniesione',
    warnings: 'Ostrzeżenia',
    reason: 'Powód odrzucenia',
    commit: 'Commit',
    noTests: 'Nie podano polecenia testów (`--test-command`); wynik weryfikacji statycznej: wszystkie kontrole przeszły.',
    testFiles: 'Pliki testów z przepisanymi importami lub celami patch',
    noTestFiles: 'Żaden plik testów nie wymagał zmian: stare ścieżki importu pozostają re-eksportowane.',
    noDocs: 'Codemody nie zmieniły dokumentacji; ten raport jest jedyną nową stroną.',
    docsChanged: 'Zmienione pliki dokumentacji',
    unaddressed: 'Znaleziska nieadresowane w tym PR',
  },
  en: {
    title: 'Back-end review and refactor — change report',
    goal: 'Goal and scope',
    risks: 'Main risks',
    findings: 'Findings',
    proposals: 'Refactoring proposals',
    tests: 'Impact on tests',
    docs: 'Documentation changes',
    goalText: (n: number, branch: string, base: string) =>
      `Technical review and refactor of the back end done with remodel on branch \`${branch}\` (base \`${base}\`): ${n} codemod(s), one commit each. Every step was verified before writing: files parse, names resolve, no new import cycles, old import paths and \`mock.patch\` targets keep working.`,
    noReview: 'The review (`remodel review`) did not run.',
    file: 'File',
    before: 'Before',
    after: 'After',
    status: { applied: 'applied', unchanged: 'unchanged (nothing left to do)', failed: 'refused' },
    rationale: 'Rationale',
    what: 'What moved',
    warnings: 'Warnings',
    reason: 'Reason',
    commit: 'Commit',
    noTests: 'No test command was given (`--test-command`); static verification: every check passed.',
    testFiles: 'Test files whose imports or patch targets were rewritten',
    noTestFiles: 'No test file needed a change: old import paths stay re-exported.',
    noDocs: 'The codemods changed no documentation; this report is the only new page.',
    docsChanged: 'Documentation files changed',
    unaddressed: 'Findings not addressed in this PR',
  },
} as const;

/** Section headings in report order, per language (the Polish ones are required by the Venom task). */
export function reportSections(lang: ReportLang): string[] {
  const t = TEXT[lang];
  return [t.goal, t.risks, t.findings, t.proposals, t.tests, t.docs];
}

/** Renders the change report as Markdown. Pure: the same input gives the same text. */
export function renderReport(input: ReportInput): string {
  const t = TEXT[input.lang];
  const out: string[] = [`# ${t.title}`, ''];
  out.push(`## ${t.goal}`, '', t.goalText(input.codemods.length, input.branch, input.base), '');
  for (const c of input.codemods) out.push(`- \`${c.id}\` — ${c.title} (${t.status[c.status]})`);
  out.push('', `## ${t.risks}`, '', input.review?.risks.trim() || t.noReview, '');
  out.push(`## ${t.findings}`, '', input.review?.findings.trim() || t.noReview, '');
  out.push(`## ${t.proposals}`, '');
  for (const c of input.codemods) out.push(...renderCodemod(c, input.lang));
  if (input.review?.unaddressed.trim()) out.push(`### ${t.unaddressed}`, '', input.review.unaddressed.trim(), '');
  out.push(`## ${t.tests}`, '');
  if (input.tests.length === 0) out.push(t.noTests, '');
  else {
    out.push('| | passed | failed | exit |', '|---|---:|---:|---:|');
    for (const r of input.tests) out.push(`| ${r.label} (\`${r.command}\`) | ${r.passed ?? '?'} | ${r.failed ?? '?'} | ${r.exitCode} |`);
    out.push('');
  }
  out.push(input.testFiles.length ? `${t.testFiles}: ${input.testFiles.map((f) => `\`${f}\``).join(', ')}.` : t.noTestFiles, '');
  out.push(`## ${t.docs}`, '');
  out.push(input.docs.length ? `${t.docsChanged}: ${input.docs.map((f) => `\`${f}\``).join(', ')}.` : t.noDocs, '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function renderCodemod(c: CodemodOutcome, lang: ReportLang): string[] {
  const t = TEXT[lang];
  const out = [`### \`${c.id}\`: ${c.title}`, ''];
  out.push(`- ${t.status[c.status]}${c.commit ? ` — ${t.commit} \`${c.commit.slice(0, 10)}\`` : ''}`);
  if (c.rationale) out.push(`- ${t.rationale}: ${c.rationale.replace(/\s*\n\s*/g, ' ')}`);
  if (c.reason) out.push(`- ${t.reason}: ${c.reason}`);
  out.push('');
  if (c.files.length > 0) {
    out.push(`| ${t.file} | ${t.before} | ${t.after} |`, '|---|---:|---:|');
    for (const f of c.files) out.push(`| \`${f.path}\` | ${f.before} | ${f.after} |`);
    out.push('');
  }
  if (c.notes.length > 0) out.push(`${t.what}:`, '', ...c.notes.map((n) => `- ${n}`), '');
  if (c.warnings.length > 0) out.push(`${t.warnings}:`, '', ...c.warnings.map((n) => `- ${n}`), '');
  return out;
}

/** Number of lines of a text as editors count them (a final newline does not start a new line). */
export function countLines(text: string | null | undefined): number {
  if (!text) return 0;
  const n = text.split('\n').length;
  return text.endsWith('\n') ? n - 1 : n;
}
