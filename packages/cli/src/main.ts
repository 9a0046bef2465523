#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { applyCommand } from './commands/apply.js';
import { listCommand } from './commands/list.js';
import { reviewCommand } from './commands/review.js';
import { routesCommand } from './commands/routes.js';
import { runCommand } from './commands/run.js';
import { verifyCommand } from './commands/verify.js';

/** Exit codes: 0 success, 1 refused or verification failed, 2 usage error. */
async function main(argv: string[]): Promise<number> {
  const cli = yargs(argv)
    .scriptName('remodel')
    .usage('$0 <command> [options]\n\nDeclarative, verified codemods for Python back ends.')
    .command(listCommand)
    .command(applyCommand)
    .command(verifyCommand)
    .command(runCommand)
    .command(reviewCommand)
    .command(routesCommand)
    .demandCommand(1, 'name a command')
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
  try {
    await cli.parseAsync();
  } catch (error) {
    return await reportError(error);
  }
  return 0;
}

/** A command-line usage problem reported by yargs (unknown command, missing argument). Exit 2. */
class UsageError extends Error {}

async function reportError(error: unknown): Promise<number> {
  if (error instanceof UsageError) {
    process.stderr.write(`remodel: ${error.message}\nRun 'remodel --help' for usage.\n`);
    return 2;
  }
  // The commands load the runtime themselves; start-up does not (see commands/*.ts).
  const { RemodelError, VerifyError } = await import('@remodel/runtime');
  if (error instanceof VerifyError) {
    const { formatProblems } = await import('./session.js');
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
