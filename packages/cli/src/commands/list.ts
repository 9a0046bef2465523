import type { CommandModule } from 'yargs';
import { BUNDLED_CODEMODS } from '../paths.js';
import path from 'node:path';

interface Args {
  codemods: string;
  json: boolean;
}

/** `remodel list`: id and title of each codemod. */
export const listCommand: CommandModule<object, Args> = {
  command: 'list',
  describe: 'List the codemods (id and title)',
  builder: (y) =>
    y
      .option('codemods', { type: 'string', default: BUNDLED_CODEMODS, describe: 'Directory of codemod specs' })
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' }) as never,
  handler: async (args) => {
    const { resolveSpec, specFiles } = await import('../session.js');
    const specs = specFiles(args.codemods).map((f) => resolveSpec(f, args.codemods));
    if (args.json) {
      process.stdout.write(`${JSON.stringify(specs.map((s) => ({ id: s.id, title: s.title, file: path.relative(process.cwd(), s.file), steps: s.steps.length })), null, 2)}\n`);
      return;
    }
    const width = Math.max(0, ...specs.map((s) => s.id.length));
    for (const s of specs) process.stdout.write(`${s.id.padEnd(width)}  ${s.title}\n`);
  },
};
