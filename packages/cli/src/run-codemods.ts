import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  GitSession,
  RemodelError,
  VerifyError,
  countLines,
  formatSummary,
  planCodemod,
  renderReport,
  summarize,
  writeAtomically,
  type CodemodOutcome,
  type CodemodPlan,
  type CodemodSpec,
  type ReportLang,
  type TestRun,
} from '@remodel/runtime';
import { registry } from '@remodel/operations';
import { formatProblems, openProject, originals, resolveSpec, specFiles } from './session.js';
import type { ReviewResult } from '@remodel/review';
import { isRegression, runTestCommand } from './test-command.js';
import type { RunArgs as Args } from './commands/run.js';

/** `remodel run`: codemods on a new branch, one verified commit each, then the change report. */
export async function runCodemods(args: Args): Promise<void> {
  const root = path.resolve(args.root);
  const specs = (args.all ? specFiles(args.codemods) : args.ids).map((ref) => resolveSpec(ref, args.codemods));
  const git = new GitSession(root);
  await git.ensureRepo();
  await git.ensureClean();
  const base = (await git.currentBranch()) ?? (await git.head()).slice(0, 10);
  // @remodel/review is loaded only when the report includes the review (not with --no-review).
  const reviewBefore = args.review ? (await import('./review-report.js')).reviewProject((await openProject(root)).project) : null;
  let lastGood = await git.head();
  await git.createBranch(args.branch);
  const stopOnSignal = interruptGuard();
  const outcomes: CodemodOutcome[] = [];
  const tests: TestRun[] = [];
  let baseline = args.testCommand ? runTestCommand(args.testCommand, root, 'before') : null;
  if (baseline) tests.push(baseline);
  try {
    for (const spec of specs) {
      await stopOnSignal.checkpoint();
      const outcome = await applyOne(spec, root, git, args.testCommand, baseline, stopOnSignal);
      outcomes.push(outcome.result);
      if (outcome.test) {
        tests.push(outcome.test);
        baseline = outcome.test;
      }
      if (outcome.result.status === 'failed') {
        await git.resetHard(lastGood);
        throw new RemodelError('run-stopped', `${spec.id}: ${outcome.result.reason}; branch ${args.branch} left at ${lastGood.slice(0, 10)} (last good commit)`);
      }
      if (outcome.result.commit) lastGood = outcome.result.commit;
      printOutcome(outcome.result);
    }
    await stopOnSignal.checkpoint();
    const reportPath = await writeReport(args, root, base, outcomes, tests, reviewBefore);
    lastGood = await git.commitAll(`docs: change report (${path.basename(reportPath)})`);
    process.stdout.write(`report: ${path.relative(root, reportPath)} (${lastGood.slice(0, 10)})\n`);
  } catch (error) {
    if (stopOnSignal.interrupted) await git.resetHard(lastGood);
    throw error;
  } finally {
    stopOnSignal.dispose();
  }
}

async function applyOne(
  spec: CodemodSpec,
  root: string,
  git: GitSession,
  testCommand: string | undefined,
  baseline: TestRun | null,
  guard: InterruptGuard,
): Promise<{ result: CodemodOutcome; test?: TestRun }> {
  const result: CodemodOutcome = { id: spec.id, title: spec.title, rationale: spec.rationale, status: 'unchanged', files: [], notes: [], warnings: [] };
  const { workspace, project } = await openProject(root);
  let plan: CodemodPlan;
  try {
    plan = await planCodemod(spec, project, registry, root);
  } catch (error) {
    if (!(error instanceof RemodelError)) throw error;
    return { result: { ...result, status: 'failed', reason: error.message } };
  }
  result.notes = plan.steps.flatMap((s) => s.notes);
  result.warnings = plan.steps.flatMap((s) => s.warnings);
  if (plan.problems.length > 0) {
    process.stderr.write(`${formatProblems(plan.problems)}\n`);
    return { result: { ...result, status: 'failed', reason: new VerifyError(plan.problems).message } };
  }
  if (plan.changes.size === 0) return { result };
  result.files = [...plan.changes].map(([p, text]) => ({ path: p, before: countLines(project.files.get(p)?.text), after: countLines(text) }));
  await writeAtomically(root, plan.changes, workspace);
  let test: TestRun | undefined;
  if (testCommand && baseline) {
    test = runTestCommand(testCommand, root, `after ${spec.id}`);
    if (isRegression(baseline, test)) {
      return { result: { ...result, status: 'failed', reason: `tests regressed (${baseline.passed} passed before, ${test.passed} after, exit ${test.exitCode})` }, test };
    }
  }
  await guard.checkpoint();
  const body = [formatSummary(summarize(originals(project, plan.changes), plan.changes)), '', ...result.notes.map((n) => `- ${n}`)].join('\n');
  result.commit = await git.commitAll(`refactor(${spec.id}): ${spec.title}\n\n${body}`);
  result.status = 'applied';
  return { result, test };
}

async function writeReport(
  args: Args,
  root: string,
  base: string,
  codemods: CodemodOutcome[],
  tests: TestRun[],
  reviewBefore: ReviewResult | null,
): Promise<string> {
  const touched = codemods.flatMap((c) => c.files.map((f) => f.path));
  const review = reviewBefore ? await reviewAfterRun(reviewBefore, root, args.lang) : null;
  const text = renderReport({
    lang: args.lang,
    branch: args.branch,
    base,
    root,
    codemods,
    review,
    tests,
    docs: touched.filter((p) => /\.(md|rst|txt)$/.test(p)),
    testFiles: touched.filter((p) => /(^|\/)(tests?\/|test_[^/]*\.py$|conftest\.py$)/.test(p)),
  });
  const target = path.resolve(root, args.report);
  if (!target.startsWith(root + path.sep)) throw new RemodelError('report-outside-root', `--report ${args.report}: must be inside ${root}`, { exitCode: 2 });
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, text);
  return target;
}

/** The report's review sections: the review before the run against a review of the tree as the run left it. */
async function reviewAfterRun(before: ReviewResult, root: string, lang: ReportLang): Promise<{ risks: string; findings: string; unaddressed: string }> {
  const { reviewProject, reviewSections } = await import('./review-report.js');
  return reviewSections(before, reviewProject((await openProject(root)).project), lang);
}

function printOutcome(o: CodemodOutcome): void {
  const lines = o.files.map((f) => `    ${f.path}: ${f.before} -> ${f.after} lines`);
  const state = o.status === 'applied' ? `committed ${o.commit?.slice(0, 10)}` : 'nothing left to do';
  process.stdout.write(`${o.id}: ${state}\n${lines.join('\n')}${lines.length ? '\n' : ''}`);
  for (const w of o.warnings) process.stdout.write(`    warning: ${w}\n`);
}

interface InterruptGuard {
  interrupted: boolean;
  /** Lets pending signals be delivered, then throws when one arrived. */
  checkpoint(): Promise<void>;
  dispose(): void;
}

/** Defers SIGINT/SIGTERM to the next checkpoint so a run stops between codemods, never halfway through one. */
function interruptGuard(): InterruptGuard {
  const guard: InterruptGuard = {
    interrupted: false,
    async checkpoint() {
      await new Promise((resolve) => setImmediate(resolve));
      if (guard.interrupted) throw new RemodelError('interrupted', 'interrupted: rolled back to the last good commit');
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
  const onSignal = (): void => {
    guard.interrupted = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return guard;
}
