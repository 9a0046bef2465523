import type { Project } from '@remodel/python';
import { checks } from './checks/index.js';
import type { Check, Problem } from './checks/check.js';

export type { Check, CheckInput, Problem } from './checks/check.js';
export { checks } from './checks/index.js';
export { cycleChain, newCycles } from './checks/cycles.js';
export { patchStrings, resolveDotted, type PatchString } from './checks/patch-targets.js';

/**
 * Verifies a planned change in memory, before anything is written: `after` against `before` on the `touched` paths
 * (created, edited or deleted). Reports only what the change broke: syntax errors in touched files, names that
 * resolved before and are undefined now, new import-time cycles, project imports and patch targets that no longer
 * resolve. Problems are sorted by path, line and check. An empty list means the change may be written.
 */
export function verify(before: Project, after: Project, touched: string[], only: readonly Check[] = checks): Problem[] {
  return sortProblems(only.flatMap((check) => check({ before, after, touched })));
}

/**
 * Checks the tree as it is (`remodel verify`): syntax errors, undefined names, import-time cycles, unresolved project
 * imports and unresolved patch targets, in every file of `project`.
 */
export function verifyTree(project: Project, only: readonly Check[] = checks): Problem[] {
  const touched = [...project.files.keys()];
  return sortProblems(only.flatMap((check) => check({ before: null, after: project, touched })));
}

/** `path:line: message` (`path:line: warning: message` for a warning; the `check` in brackets when `withCheck`). */
export function formatProblem(problem: Problem, withCheck = false): string {
  const severity = problem.severity ? `${problem.severity}: ` : '';
  return `${problem.path}:${problem.line}: ${severity}${problem.message}${withCheck ? ` [${problem.check}]` : ''}`;
}

function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || (a.check < b.check ? -1 : a.check > b.check ? 1 : 0)));
}
