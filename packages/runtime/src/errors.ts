/**
 * Error classes of remodel. Every error the user can cause is a `RemodelError` with a stable `code` (tests check
 * codes, not wording) and an `exitCode`: 1 = refused / verification failed, 2 = usage error (bad spec, bad path).
 * Messages are one line and carry the bad value and where it came from; newlines in a message are collapsed.
 */

/** Exit status the CLI uses for an error: 1 refused or verification failed, 2 usage error. */
export type ExitCode = 1 | 2;

/** Base class. `code` is a stable kebab-case id such as `spec-invalid` or `overlap`. */
export class RemodelError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;

  constructor(code: string, message: string, options: { exitCode?: ExitCode; cause?: unknown } = {}) {
    super(oneLine(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** The codemod spec (YAML) or a CLI argument is invalid. Exit 2. */
export class SpecError extends RemodelError {
  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { ...options, exitCode: 2 });
  }
}

/** An operation refused to plan a step (the target code does not fit, edits collide). Exit 1. */
export class PlanError extends RemodelError {
  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { ...options, exitCode: 1 });
  }
}

/** Writing the result failed or was refused; the tree was left as it was before the write. Exit 1. */
export class ApplyError extends RemodelError {
  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { ...options, exitCode: 1 });
  }
}

/** One verification finding, as carried by `VerifyError` (same shape as verify.ts's `Problem`). */
export interface VerifyProblem {
  path: string;
  line: number;
  message: string;
  check: string;
}

/** Verification of the planned result failed; nothing was written. Carries every problem found. Exit 1. */
export class VerifyError extends RemodelError {
  readonly problems: VerifyProblem[];

  constructor(problems: VerifyProblem[], message?: string, options: { code?: string; cause?: unknown } = {}) {
    super(options.code ?? 'verify-failed', message ?? describeProblems(problems), { cause: options.cause, exitCode: 1 });
    this.problems = problems;
  }
}

/** A git precondition or command failed (not a repository, dirty tree, branch exists). Exit 1. */
export class GitError extends RemodelError {
  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { ...options, exitCode: 1 });
  }
}

/** A path or workspace setting is unusable (escapes the root, missing root). Exit 2 unless overridden. */
export class WorkspaceError extends RemodelError {
  constructor(code: string, message: string, options: { exitCode?: ExitCode; cause?: unknown } = {}) {
    super(code, message, { ...options, exitCode: options.exitCode ?? 2 });
  }
}

function describeProblems(problems: VerifyProblem[]): string {
  if (problems.length === 0) return 'verification failed';
  const [first] = problems;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return `verification failed: ${first.path}:${first.line}: ${first.message} [${first.check}]${more}`;
}

function oneLine(message: string): string {
  return message.replace(/\s*\r?\n\s*/g, ' ').trim();
}
