import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Project, loadProject, loadPython } from '@remodel/python';
import { loadSpec, loadWorkspace, SpecError, type CodemodSpec, type Problem, type Workspace } from '@remodel/runtime';
import { registry } from '@remodel/operations';

export { BUNDLED_CODEMODS } from './paths.js';

/**
 * Loads the workspace under `root` into a Project whose files are parsed when first used. `whole`: every file is
 * analysed ahead (syntax problems included), for commands that read them all; with `cache`, summaries of unchanged
 * files come from the user's cache (see `loadProject`).
 */
export async function openProject(root: string, options: { whole?: boolean; cache?: boolean } = {}): Promise<{ workspace: Workspace; project: Project }> {
  await loadPython();
  const workspace = await loadWorkspace(root);
  if (!options.whole) return { workspace, project: new Project(workspace.texts()) };
  const project = await loadProject(workspace.texts(), { syntax: true, cache: options.cache ? { root } : null });
  return { workspace, project };
}

/** Lists the spec files of a codemods directory, sorted by file name. */
export function specFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

/** Resolves `<id|file.yaml>` to a validated spec: a path when it names a file, else an id in `dir`. */
export function resolveSpec(ref: string, dir: string): CodemodSpec {
  if (/\.ya?ml$/.test(ref) || ref.includes('/')) {
    if (!existsSync(ref)) throw new SpecError('spec-missing', `${ref}: no such codemod file`);
    return loadSpec(ref, registry);
  }
  const file = specFiles(dir).find((f) => path.basename(f).replace(/\.ya?ml$/, '') === ref);
  if (!file) {
    const known = specFiles(dir).map((f) => path.basename(f).replace(/\.ya?ml$/, ''));
    throw new SpecError('spec-unknown', `unknown codemod "${ref}" (known: ${known.join(', ') || 'none'} in ${dir})`);
  }
  return loadSpec(file, registry);
}

/** Formats verification problems as `file:line: message`, one per line. */
export function formatProblems(problems: Problem[]): string {
  return problems.map((p) => `${p.path}:${p.line}: ${p.message}`).join('\n');
}

/** The original text of each changed file that existed before (created files are absent). */
export function originals(project: Project, changes: ReadonlyMap<string, string | null>): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of changes.keys()) {
    const text = project.files.get(p)?.text;
    if (text !== undefined) out.set(p, text);
  }
  return out;
}
