import { jest } from '@jest/globals';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yargs from 'yargs';
import { RemodelError } from '@remodel/runtime';
import { reviewCommand } from './review.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'remodel-review-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), text);
  }
  return dir;
}

async function run(args: string[]): Promise<{ out: string; err: string; error: unknown; exitCode: number | string | undefined }> {
  let out = '';
  let err = '';
  const before = process.exitCode;
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  let error: unknown = null;
  let exitCode: number | string | undefined;
  try {
    await yargs(args).command(reviewCommand).strict().fail((msg, e2) => { throw e2 ?? new Error(msg); }).parseAsync();
  } catch (x) {
    error = x;
  } finally {
    o.mockRestore();
    e.mockRestore();
    exitCode = process.exitCode;
    process.exitCode = before;
  }
  return { out, err, error, exitCode };
}

const PROJECT = {
  'app/__init__.py': '',
  'app/a.py': 'from app.b import x\n\ny = 1\n',
  'app/b.py': 'from app.a import y\n\nx = y\n',
  'app/util.py': 'import os\n\ndef orphan():\n    return 1\n',
  'scripts/tool.py': 'def f(a):\n    if a and a > 1 or a < -1:\n        return 1\n    return 0\n',
  'pyproject.toml': '[project.scripts]\nrun = "app.util:orphan"\n',
};

describe('remodel review', () => {
  it('prints the terminal summary by default (no colour when stdout is not a terminal)', async () => {
    const { out, error } = await run(['review', '--root', tree(PROJECT)]);
    expect(error).toBeNull();
    expect(out).toMatch(/^remodel review: 5 files, 14 lines, \d+ findings/);
    expect(out).toContain('cycles/import-cycle');
    expect(out).not.toMatch(/\x1b\[/);
  });

  it('prints the JSON result, limited to the given paths, with thresholds from the options', async () => {
    const root = tree(PROJECT);
    const { out } = await run(['review', 'app', '--root', root, '--json', '--min-confidence', '90']);
    const r = JSON.parse(out);
    expect(r.version).toBe(1);
    expect(r.summary.files).toBe(4);
    // pyproject.toml names `orphan`: 60% confidence, dropped at --min-confidence 90
    // (`x` is imported by app/a.py and never used there)
    expect(r.findings.filter((f: { category: string }) => f.category === 'dead-code').map((f: { symbol: string }) => f.symbol).sort()).toEqual(['os', 'x']);
    const { out: out2 } = await run(['review', 'scripts/tool.py', '--root', root, '--json', '--complexity', '2']);
    const r2 = JSON.parse(out2);
    expect(r2.options.thresholds.complexity).toBe(2);
    expect(r2.summary.files).toBe(1);
    expect(r2.findings.filter((f: { category: string }) => f.category === 'complexity').map((f: { rule: string; symbol: string }) => `${f.rule} ${f.symbol}`)).toEqual(['complexity/cyclomatic f']);
  });

  it('prints SARIF and Markdown', async () => {
    const root = tree(PROJECT);
    const sarif = JSON.parse((await run(['review', '--root', root, '--sarif'])).out);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toMatch(/^file:\/\/.*\/$/);
    const md = (await run(['review', '--root', root, '--md'])).out;
    expect(md.startsWith('# remodel review\n')).toBe(true);
  });

  it('exits 1 with --fail-on when a finding of that priority exists', async () => {
    const root = tree(PROJECT);
    expect((await run(['review', '--root', root, '--fail-on', 'medium'])).exitCode).toBe(1);
    expect((await run(['review', '--root', root, '--fail-on', 'high'])).exitCode).toBeFalsy();
  });

  it('refuses bad paths, bad options and two output formats with a one-line usage error', async () => {
    const root = tree(PROJECT);
    const cases: [string[], string][] = [
      [['review', 'nope', '--root', root], 'review-bad-path'],
      [['review', '../outside', '--root', root], 'review-bad-path'],
      [['review', '--root', root, '--min-confidence', '120'], 'review-bad-option'],
      [['review', '--root', root, '--module-pair', 'onlyone'], 'review-bad-option'],
      [['review', '--root', root, '--json', '--md'], 'review-bad-option'],
    ];
    for (const [args, code] of cases) {
      const { error } = await run(args);
      expect(error).toBeInstanceOf(RemodelError);
      expect((error as RemodelError).code).toBe(code);
      expect((error as RemodelError).exitCode).toBe(2);
      expect((error as RemodelError).message).not.toContain('\n');
    }
  });
});
