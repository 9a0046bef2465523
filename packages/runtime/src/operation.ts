import type { Project } from '@remodel/python';
import type { Changeset } from './changeset.js';
import type { ImportPlanner } from './imports.js';

/** Where an edit or message came from: codemod id, step index (0-based) and operation name. */
export interface Origin {
  codemod: string;
  step: number;
  op: string;
}

/** What an operation sees while planning one step. It never writes files or calls git. */
export interface OperationContext {
  /** Absolute project root. */
  root: string;
  /** The Python model of the text as the previous steps left it. */
  project: Project;
  /** Edits for this step, at offsets into `project`'s texts. */
  changes: Changeset;
  /** Import requests for this step, merged and placed once per file after `plan` returns. */
  imports: ImportPlanner;
  origin: Origin;
  /** A non-fatal remark shown to the user and in the report. */
  warn(message: string): void;
  /** A line describing what the step did ("moved `X` from a.py to b.py"): commit body and report. */
  note(message: string): void;
}

/**
 * An operation: a named transform with a JSON-schema for its spec parameters.
 * `plan` reads the model and records edits; it throws a `PlanError` to refuse the step (nothing is written).
 */
export interface Operation<P = Record<string, unknown>> {
  name: string;
  description: string;
  /** JSON Schema (draft-07) of the step's parameters, excluding `op`. Each property has a `description`. */
  schema: Record<string, unknown>;
  plan(ctx: OperationContext, params: P): void | Promise<void>;
}

/** Identity helper that types an operation definition. */
export function defineOperation<P>(op: Operation<P>): Operation<P> {
  return op;
}
