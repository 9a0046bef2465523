import type { Project } from '@remodel/python';

/** One verification finding: `path:line: message`, tagged with the check that found it. */
export interface Problem {
  path: string;
  line: number;
  message: string;
  check: string;
  /**
   * `warning`: reported, but not a reason to refuse — an import cycle the tree already has (Python imports many
   * cycles fine; whether this one does depends on what runs first). Absent for errors.
   */
  severity?: 'warning';
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
  /**
   * Read every file even with a `before` (checks otherwise read only the files a change can affect: the touched
   * ones and those whose text names a touched module). The results are the same; tests compare both ways.
   */
  whole?: boolean;
}

/** A verification check: pure, in memory, never throws for problems in the code it inspects. */
export type Check = (input: CheckInput) => Problem[];

/** The `.py` files of `touched` that exist in `project`. */
export function touchedPython(project: Project, touched: string[]): string[] {
  return touched.filter((p) => p.endsWith('.py') && project.files.has(p));
}

/**
 * True when a check must read every file: without a `before`, when asked to (`whole`), and when the change creates
 * or deletes an `__init__.py` or a top-level module (module names and the project's top-level packages shift).
 */
export function readsWhole({ before, after, touched, whole }: CheckInput): boolean {
  if (!before || whole) return true;
  return touched.some((p) => (p.endsWith('__init__.py') || !p.includes('/')) && before.files.has(p) !== after.files.has(p));
}

/** The modules of the touched files, before and after the change. */
export function changedModules(before: Project, after: Project, touched: string[]): Set<string> {
  const modules = new Set<string>();
  for (const path of touched) {
    for (const project of [before, after]) {
      const module = project.files.get(path)?.module;
      if (module) modules.add(module);
    }
  }
  return modules;
}
