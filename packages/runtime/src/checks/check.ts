import type { Project } from '@remodel/python';

/** One verification finding: `path:line: message`, tagged with the check that found it. */
export interface Problem {
  path: string;
  line: number;
  message: string;
  check: string;
}

/**
 * What a check compares. `before` is the project as it was read (null for `remodel verify` on the tree as it is:
 * then every problem of `after` is reported); `touched` lists the paths the change created, edited or deleted
 * (every file for a tree check).
 */
export interface CheckInput {
  before: Project | null;
  after: Project;
  touched: string[];
}

/** A verification check: pure, in memory, never throws for problems in the code it inspects. */
export type Check = (input: CheckInput) => Problem[];

/** The `.py` files of `touched` that exist in `project`. */
export function touchedPython(project: Project, touched: string[]): string[] {
  return touched.filter((p) => p.endsWith('.py') && project.files.has(p));
}
