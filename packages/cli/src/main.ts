#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { RemodelError, VerifyError } from '@remodel/runtime';
import { applyCommand } from './commands/apply.js';
import { listCommand } from './commands/list.js';
import { runCommand } from './commands/run.js';
import { verifyCommand } from './commands/verify.js';
import { formatProblems } from './session.js';

/** Exit codes: 0 success, 1 refused or verification failed, 2 usage error. */
async function main(argv: string[]): Promise<number> {
  let usageError: string | null = null;
  const cli = yargs(argv)
    .scriptName('remodel')
    .usage('$0 <command> [options]\n\nDeclarative, verified codemods for Python back ends.')
    .command(listCommand)
    .command(applyCommand)
    .command(verifyCommand)
    .command(runCommand)
    .demandCommand(1, 'name a command')
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((message, error) => {
      if (error) throw error;
      usageError = message;
    });
  try {
    await cli.parseAsync();
  } catch (error) {
    return reportError(error);
  }
  if (usageError) {
    process.stderr.write(`remodel: ${usageError}\nRun 'remodel --help' for usage.\n`);
    return 2;
  }
  return 0;
}

function reportError(error: unknown): number {
  if (error instanceof VerifyError) {
    process.stderr.write(`${formatProblems(error.problems)}\n`);
  }
  if (error instanceof RemodelError) {
    process.stderr.write(`remodel: ${error.message}\n`);
    return error.exitCode;
  }
  process.stderr.write(`remodel: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

process.exitCode = await main(hideBin(process.argv));
