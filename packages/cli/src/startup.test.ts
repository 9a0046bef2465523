import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const src = path.dirname(fileURLToPath(import.meta.url));

/** Modules a file imports at load time (`import type` is erased; `await import()` runs later). */
function staticImports(file: string): string[] {
  const text = readFileSync(path.join(src, file), 'utf8');
  return [...text.matchAll(/^import\s+(?!type\s)[^'"]*?from\s+'([^']+)'|^import\s+'([^']+)'/gm)].map((m) => m[1] ?? m[2]);
}

/**
 * Start-up stays light: `main.ts` and the command definitions load only yargs, node built-ins and each other, so
 * `remodel --help` and a usage error do not load the runtime, the operations or the review (each command loads
 * what it needs in its handler).
 */
describe('CLI start-up imports', () => {
  const light = (spec: string): boolean => spec === 'yargs' || spec === 'yargs/helpers' || spec.startsWith('node:') || spec === '../paths.js' || /^\.\/commands\/[a-z-]+\.js$/.test(spec) || spec === '../preload.js';
  const files = ['main.ts', 'paths.ts', 'preload.ts', ...readdirSync(path.join(src, 'commands')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => `commands/${f}`)];

  it.each(files)('%s imports nothing heavy at load time', (file) => {
    expect(staticImports(file).filter((spec) => !light(spec))).toEqual([]);
  });

  it('sees the imports it guards against', () => {
    expect(staticImports('session.ts')).toEqual(expect.arrayContaining(['@remodel/python', '@remodel/runtime', '@remodel/operations']));
  });
});
