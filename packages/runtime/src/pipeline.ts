import { syntaxProblems, type Project } from '@remodel/python';
import { Changeset } from './changeset.js';
import { PlanError, RemodelError } from './errors.js';
import { ImportPlanner } from './imports.js';
import type { Operation, OperationContext, Origin } from './operation.js';
import type { CodemodSpec, OperationRegistry } from './spec.js';
import { verify, type Problem } from './verify.js';

/** What one step did. */
export interface StepReport {
  origin: Origin;
  notes: string[];
  warnings: string[];
  /** Paths the step changed, created or deleted. */
  touched: string[];
}

/** A codemod planned in memory: final texts, per-step notes and verification problems. Nothing is written. */
export interface CodemodPlan {
  spec: CodemodSpec;
  before: Project;
  after: Project;
  /** New text of each changed or created file; null for a deleted file. Unchanged files are absent. */
  changes: Map<string, string | null>;
  steps: StepReport[];
  /** Verification problems of the final result (empty when it is safe to write). */
  problems: Problem[];
}

/**
 * Runs every step of `spec` in order on `project`. Each step plans against the text the previous step produced
 * (changed files are re-parsed in between); then the result is verified against `project`.
 * Throws PlanError when a step refuses; an unexpected exception is wrapped in a PlanError naming the step.
 */
export async function planCodemod(
  spec: CodemodSpec,
  project: Project,
  registry: OperationRegistry,
  root: string,
): Promise<CodemodPlan> {
  let current = project;
  const steps: StepReport[] = [];
  for (const [index, step] of spec.steps.entries()) {
    const op = registry.get(step.op);
    if (!op) throw new PlanError('unknown-op', `${spec.file}:${step.line}: steps[${index}].op: unknown operation "${step.op}"`);
    const origin: Origin = { codemod: spec.id, step: index, op: step.op };
    const { next, report } = await runStep(op, step.params, current, origin, root, `${spec.file}:${step.line}`);
    steps.push(report);
    current = next;
  }
  const changes = diffProjects(project, current);
  const problems = changes.size > 0 ? verify(project, current, [...changes.keys()]) : [];
  return { spec, before: project, after: current, changes, steps, problems };
}

async function runStep(
  op: Operation<any>,
  params: Record<string, unknown>,
  project: Project,
  origin: Origin,
  root: string,
  where: string,
): Promise<{ next: Project; report: StepReport }> {
  const changes = new Changeset((path) => project.files.get(path)?.text);
  const imports = new ImportPlanner();
  const report: StepReport = { origin, notes: [], warnings: [], touched: [] };
  const ctx: OperationContext = {
    root,
    project,
    changes,
    imports,
    origin,
    warn: (message) => report.warnings.push(message),
    note: (message) => report.notes.push(message),
  };
  try {
    await op.plan(ctx, params);
    refuseBrokenInputs(project, changes.touched(), where);
    imports.finalize(project, changes, origin);
    const texts = changes.apply();
    report.touched = [...texts.keys()].sort();
    return { next: texts.size > 0 ? project.withChanges(texts) : project, report };
  } catch (error) {
    if (error instanceof PlanError && !error.message.startsWith(`${origin.codemod}:`)) {
      const detail = error.message.startsWith(`${origin.op}: `) ? error.message.slice(origin.op.length + 2) : error.message;
      throw new PlanError(error.code, `${origin.codemod}: steps[${origin.step}] (${origin.op}): ${detail}`, { cause: error });
    }
    if (error instanceof RemodelError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new PlanError('op-crashed', `${where}: ${origin.op} (step ${origin.step + 1}) failed: ${message}`);
  }
}

/** A step may not edit a file that already has syntax errors: its ranges cannot be trusted. */
function refuseBrokenInputs(project: Project, touched: string[], where: string): void {
  for (const path of touched) {
    const file = project.files.get(path);
    if (!file) continue;
    const [problem] = syntaxProblems(file.tree, 1);
    if (problem) throw new PlanError('syntax-error', `${path}:${problem.line}: ${problem.message}; fix it before refactoring (${where})`);
  }
}

/** Files whose text differs between two projects (null = deleted in `after`). */
export function diffProjects(before: Project, after: Project): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const [path, file] of after.files) {
    if (before.files.get(path)?.text !== file.text) out.set(path, file.text);
  }
  for (const path of before.files.keys()) if (!after.files.has(path)) out.set(path, null);
  return out;
}
