import path from 'node:path';
import type { CommandModule } from 'yargs';
import { preloadPython } from '../preload.js';

interface Args {
  root: string;
  json: boolean;
  cache: boolean;
}

/** `remodel verify`: the engine's checks on the tree as it is (syntax, names, cycles, imports, patch targets). */
export const verifyCommand: CommandModule<object, Args> = {
  command: 'verify',
  describe: 'Check the tree as it is: syntax, undefined names, import cycles, project imports, patch targets',
  builder: (y) =>
    y
      .option('root', { type: 'string', default: '.', describe: 'Project root' })
      .option('json', { type: 'boolean', default: false, describe: 'Print problems as JSON' })
      .option('cache', { type: 'boolean', default: true, describe: 'Reuse the analyses of unchanged files from earlier runs (--no-cache: analyse every file)' }) as never,
  handler: async (args) => {
    preloadPython();
    const { VerifyError, formatProblem, verifyTree } = await import('@remodel/runtime');
    const { openProject } = await import('../session.js');
    const root = path.resolve(args.root);
    const { workspace, project } = await openProject(root, { whole: true, cache: args.cache });
    const problems = verifyTree(project);
    for (const p of workspace.invalid) process.stderr.write(`warning: ${p}: not valid UTF-8; skipped (never rewritten)\n`);
    if (args.json) process.stdout.write(`${JSON.stringify({ files: project.files.size, problems }, null, 2)}\n`);
    const errors = problems.filter((p) => !p.severity);
    const warnings = problems.filter((p) => p.severity);
    if (!args.json) for (const w of warnings) process.stderr.write(`${formatProblem(w)}\n`);
    if (errors.length > 0) throw new VerifyError(errors, `${errors.length} problem(s) in ${project.files.size} files`);
    const noted = warnings.length > 0 ? ` (${warnings.length} warning${warnings.length === 1 ? '' : 's'})` : '';
    if (!args.json) process.stdout.write(`ok: ${project.files.size} files, no problems${noted}\n`);
  },
};
