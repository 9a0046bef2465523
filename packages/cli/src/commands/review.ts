import type { CommandModule } from 'yargs';
import type { Priority } from '@remodel/review';

export interface ReviewArgs {
  paths?: string[];
  root: string;
  json?: boolean;
  sarif?: boolean;
  md?: boolean;
  'file-lines'?: number;
  'file-definitions'?: number;
  'class-lines'?: number;
  'class-methods'?: number;
  'function-lines'?: number;
  complexity?: number;
  nesting?: number;
  'god-class-methods'?: number;
  'clone-min-lines'?: number;
  'clone-min-tokens'?: number;
  'min-confidence': number;
  'module-pair'?: string[];
  'fail-on'?: Priority;
  'rank-limit'?: number;
}

/** `remodel review [paths..]`: the review of a Python project, as a terminal summary, JSON, SARIF or Markdown. */
export const reviewCommand: CommandModule<object, ReviewArgs> = {
  command: 'review [paths..]',
  describe: 'Review Python code: size, god classes, complexity, duplication, dead code, IO mixing, import cycles',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, describe: 'Files or directories under the root (default: the whole root)' })
      .option('root', { type: 'string', default: '.', describe: 'Project root (module names are relative to it)' })
      .option('json', { type: 'boolean', describe: 'Print the result as JSON (schema version 1)' })
      .option('sarif', { type: 'boolean', describe: 'Print SARIF 2.1.0' })
      .option('md', { type: 'boolean', describe: 'Print a Markdown report' })
      .option('file-lines', { type: 'number', describe: 'Report files longer than this (default 500)' })
      .option('file-definitions', { type: 'number', describe: 'Report files with more top-level definitions (default 40)' })
      .option('class-lines', { type: 'number', describe: 'Report classes longer than this (default 300)' })
      .option('class-methods', { type: 'number', describe: 'Report classes with more methods (default 30)' })
      .option('function-lines', { type: 'number', describe: 'Report functions longer than this (default 80)' })
      .option('complexity', { type: 'number', describe: 'Report cyclomatic complexity above this (default 10)' })
      .option('nesting', { type: 'number', describe: 'Report block nesting deeper than this (default 4)' })
      .option('god-class-methods', { type: 'number', describe: 'Check classes with at least this many methods for cohesion (default 15)' })
      .option('clone-min-lines', { type: 'number', describe: 'Smallest clone in lines (default 6)' })
      .option('clone-min-tokens', { type: 'number', describe: 'Smallest clone in tokens (default 50)' })
      .option('min-confidence', { type: 'number', default: 60, describe: 'Drop dead-code findings below this confidence (60, 90 or 100)' })
      .option('module-pair', { type: 'string', array: true, describe: 'Module suffixes compared for duplicated logic, as a:b (default model_registry:model_manager)' })
      .option('rank-limit', { type: 'number', describe: 'Entries per ranking (default 20)' })
      .option('fail-on', { choices: ['high', 'medium', 'low'] as const, describe: 'Exit 1 when a finding of this priority or higher exists' }) as never,
  // The review and its workers are loaded only when the command runs.
  handler: async (args) => (await import('../review-files.js')).reviewFiles(args),
};
