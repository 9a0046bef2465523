import path from 'node:path';
import type { CommandModule } from 'yargs';
import { preloadPython } from '../preload.js';
import { BUNDLED_CODEMODS } from '../paths.js';

interface Args {
  codemod: string;
  root: string;
  dryRun: boolean;
  json: boolean;
  codemods: string;
}

/** `remodel apply <id|file.yaml>`: plan, verify, then preview (`--dry-run`) or write all-or-nothing. */
export const applyCommand: CommandModule<object, Args> = {
  command: 'apply <codemod>',
  describe: 'Apply one codemod (by id or spec file); --dry-run previews the diff',
  builder: (y) =>
    y
      .positional('codemod', { type: 'string', demandOption: true, describe: 'Codemod id or path to a .yaml spec' })
      .option('root', { type: 'string', default: '.', describe: 'Project root' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Print the diff and write nothing' })
      .option('json', { type: 'boolean', default: false, describe: 'Print a JSON result instead of text' })
      .option('codemods', { type: 'string', default: BUNDLED_CODEMODS, describe: 'Directory to look up codemod ids' }) as never,
  handler: async (args) => {
    preloadPython();
    // Loaded here, not at start-up: `remodel --help` and the other commands do not pay for them.
    const { VerifyError, formatSummary, planCodemod, renderDiff, summarize, writeAtomically } = await import('@remodel/runtime');
    const { registry } = await import('@remodel/operations');
    const { openProject, originals, resolveSpec } = await import('../session.js');
    const root = path.resolve(args.root);
    const spec = resolveSpec(args.codemod, args.codemods);
    const { workspace, project } = await openProject(root);
    for (const p of workspace.invalid) process.stderr.write(`warning: ${p}: not valid UTF-8; skipped (never rewritten)\n`);
    const plan = await planCodemod(spec, project, registry, root);
    const before = originals(project, plan.changes);
    const summary = summarize(before, plan.changes);
    const notes = plan.steps.flatMap((s) => s.notes);
    const warnings = plan.steps.flatMap((s) => s.warnings);
    if (args.json) {
      const diff = renderDiff(before, plan.changes, { color: false });
      process.stdout.write(`${JSON.stringify({ id: spec.id, dryRun: args.dryRun, written: !args.dryRun && plan.problems.length === 0 && plan.changes.size > 0, summary, notes, warnings, problems: plan.problems, diff }, null, 2)}\n`);
    }
    if (plan.problems.length > 0) {
      throw new VerifyError(plan.problems, `${spec.id}: verification failed (${plan.problems.length} problem(s)); nothing written`);
    }
    if (plan.changes.size === 0) {
      if (!args.json) process.stdout.write(`${spec.id}: nothing left to do\n${notes.map((n) => `  ${n}\n`).join('')}`);
      return;
    }
    if (args.dryRun) {
      if (!args.json) {
        process.stdout.write(renderDiff(before, plan.changes, { color: Boolean(process.stdout.isTTY) }));
        process.stdout.write(`\n${formatSummary(summary)}\n`);
        for (const w of warnings) process.stdout.write(`warning: ${w}\n`);
      }
      return;
    }
    await writeAtomically(root, plan.changes, workspace);
    if (!args.json) {
      for (const n of notes) process.stdout.write(`${n}\n`);
      for (const w of warnings) process.stdout.write(`warning: ${w}\n`);
      process.stdout.write(`${spec.id}: ${formatSummary(summary)}\n`);
    }
  },
};
