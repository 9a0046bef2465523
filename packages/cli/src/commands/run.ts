import type { CommandModule } from 'yargs';
import { preloadPython } from '../preload.js';
import { BUNDLED_CODEMODS } from '../paths.js';
import type { ReportLang } from '@remodel/runtime';

export interface RunArgs {
  ids: string[];
  all: boolean;
  root: string;
  branch: string;
  report: string;
  lang: ReportLang;
  testCommand?: string;
  review: boolean;
  codemods: string;
}

export const DEFAULT_REPORT = 'docs/_done/077_przeglad_backend_report.md';

/** `remodel run`: codemods on a new branch, one verified commit each, then the change report. */
export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run [ids..]',
  describe: 'Apply codemods on a new git branch, one commit each, and write the change report',
  builder: (y) =>
    y
      .positional('ids', { type: 'string', array: true, default: [], describe: 'Codemod ids or spec files, in order' })
      .option('all', { type: 'boolean', default: false, describe: 'Run every codemod in the codemods directory (file-name order)' })
      .option('root', { type: 'string', demandOption: true, describe: 'Project root (a clean git work tree)' })
      .option('branch', { type: 'string', demandOption: true, describe: 'Branch to create for the refactor' })
      .option('report', { type: 'string', default: DEFAULT_REPORT, describe: 'Where to write the change report (relative to --root)' })
      .option('lang', { choices: ['pl', 'en'] as const, default: 'pl' as const, describe: 'Language of the report' })
      .option('test-command', { type: 'string', describe: "Project test command run before and after each codemod (e.g. 'python -m pytest -q'); a regression rolls the codemod back" })
      .option('review', { type: 'boolean', default: true, describe: 'Run the review and put its findings in the report (--no-review to skip)' })
      .option('codemods', { type: 'string', default: BUNDLED_CODEMODS, describe: 'Directory to look up codemod ids' })
      .check((a) => {
        if (!a.all && (a.ids as string[]).length === 0) throw new Error('name at least one codemod id, or --all');
        if (a.all && (a.ids as string[]).length > 0) throw new Error('give codemod ids or --all, not both');
        return true;
      }) as never,
  // The implementation (git, runtime, operations, review) is loaded only when the command runs.
  handler: async (args) => {
    preloadPython();
    return (await import('../run-codemods.js')).runCodemods(args);
  },
};
