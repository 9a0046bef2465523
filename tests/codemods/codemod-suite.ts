// Jest-only helper (tests/ is not built): the checks every shipped codemod must pass on its fixture tree.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { syntaxProblems } from '@remodel/python';
import { planCodemod, type CodemodPlan } from '@remodel/runtime';
import { registry } from '@remodel/operations';
import { fixturePython, materialize, planOnTree } from '../../packages/operations/src/shared/testing.js';

/** One codemod planned on a fixture tree; filled in by the suite's `beforeAll`, read by the codemod's own tests. */
export interface CodemodRun {
  /** The fixture tree the codemod is planned on (never written). */
  readonly root: string;
  /** The plan of `codemods/<id>.yaml` (or the `spec` option) on `root`. */
  plan: CodemodPlan;
  /** A temporary copy of `root` with the plan applied; removed after the file's tests. */
  out: string;
}

export interface CodemodSuiteOptions {
  /** Fixture tree, relative to the repository root (default `fixtures/venom`). */
  fixture?: string;
  /** Spec file (default `codemods/<id>.yaml`); lets a test run a modified copy. */
  spec?: string;
  /** Note every step of a second run must print (default /nothing to do/); the run must also change nothing. */
  idempotentNote?: RegExp;
}

export interface PythonResult {
  status: number;
  out: string;
}

/** Runs the fixture interpreter without blocking, so several can run at once; stdout then stderr, as testing.ts does. */
function spawnPython(dir: string, args: string[], env: Record<string, string>): Promise<PythonResult> {
  const python = fixturePython();
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { cwd: dir, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: dir, ...env }, timeout: 300_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? 1, out: `${stdout}${stderr}` }));
  });
}

/** `python -c code` in `dir` (on PYTHONPATH) with the fixture interpreter: the async twin of testing.ts `runPython`. */
export function python(dir: string, code: string): Promise<PythonResult> {
  return spawnPython(dir, ['-c', code], { PYTHONHASHSEED: '0' });
}

/** pytest in `dir`, with its own temporary base directory so that two sessions can run at once. */
async function pytest(dir: string): Promise<PythonResult> {
  const basetemp = mkdtempSync(path.join(tmpdir(), 'remodel-pytest-'));
  try {
    return await spawnPython(dir, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', `--basetemp=${basetemp}/t`], {});
  } finally {
    rmSync(basetemp, { recursive: true, force: true });
  }
}

/** pytest on the untouched fixture `root`, once per test file (a file's tests share it). */
const baselines = new Map<string, Promise<PythonResult>>();

function baseline(root: string): Promise<PythonResult> {
  let result = baselines.get(root);
  if (!result) baselines.set(root, (result = pytest(root)));
  return result;
}

/** Maps `items` through `fn`, at most as many at once as the machine has cores. */
async function pool<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(items.length, availableParallelism()) }, worker));
  return results;
}

/** Runs `code` on the fixture (before) and on the materialised result (after) at the same time. */
export function beforeAfter(run: CodemodRun, code: string): Promise<[PythonResult, PythonResult]> {
  return Promise.all([python(run.root, code), python(run.out, code)]);
}

/**
 * Runs `code`, which prints one JSON object, before and after: both must exit 0 and every key printed before must
 * print the same value after (keys may be added, e.g. members of a new mixin; none may change or go).
 */
export async function expectSameDump(run: CodemodRun, code: string): Promise<void> {
  const [before, after] = await beforeAfter(run, code);
  expect(before.status === 0 ? 0 : before.out).toBe(0);
  expect(after.status === 0 ? 0 : after.out).toBe(0);
  const b = JSON.parse(before.out) as Record<string, unknown>;
  const a = JSON.parse(after.out) as Record<string, unknown>;
  expect(Object.keys(b).length).toBeGreaterThan(0);
  for (const [name, info] of Object.entries(b)) expect([name, a[name]]).toEqual([name, info]);
}

/** Files pytest collects or loads itself (its `tests/` folder, test modules, conftest). */
const TEST_FILE = /(^|\/)(tests\/|test_[^/]*\.py$|[^/]*_test\.py$|conftest\.py$)/;

/** Dotted names of the application modules a plan creates or changes, created ones first. */
export function changedModules(plan: CodemodPlan): string[] {
  const paths = [...plan.changes].filter(([p, text]) => text !== null && p.endsWith('.py') && !TEST_FILE.test(p)).map(([p]) => p);
  const created = paths.filter((p) => !plan.before.files.has(p));
  return [...created, ...paths.filter((p) => plan.before.files.has(p))].map((p) => p.replace(/(\/__init__)?\.py$/, '').replace(/\//g, '.'));
}

const passed = (output: string): string | undefined => /(\d+) passed/.exec(output)?.[1];

/**
 * Declares the end-to-end test of codemod `id`: plans it once on the fixture and materialises the result once
 * (`beforeAll`), then checks, around the codemod's own tests (`specific`): a clean verification and re-parse, each
 * created or changed module importable first in a fresh interpreter, the fixture's pytest green before and after
 * with the same pass count (the run on the untouched fixture is shared by the files of one jest command), and
 * idempotence (a second plan changes nothing and every step says so).
 */
export function describeCodemod(id: string, options: CodemodSuiteOptions, specific: (run: CodemodRun) => void): void {
  const root = path.resolve(options.fixture ?? 'fixtures/venom');
  const spec = path.resolve(options.spec ?? `codemods/${id}.yaml`);
  const note = options.idempotentNote ?? /nothing to do/;
  describe(`codemod ${id} on ${options.fixture ?? 'fixtures/venom'}`, () => {
    const run = { root } as CodemodRun;
    beforeAll(async () => {
      run.plan = await planOnTree(root, spec);
      run.out = materialize(root, run.plan);
    });
    afterAll(() => {
      if (run.out) rmSync(run.out, { recursive: true, force: true });
    });

    it('verifies clean: changes something, no verification problem (names, cycles, imports, patch targets, routes), re-parses', () => {
      expect(run.plan.changes.size).toBeGreaterThan(0);
      expect(run.plan.problems).toEqual([]);
      for (const [p, text] of run.plan.changes) {
        if (text !== null && p.endsWith('.py')) expect([p, syntaxProblems(run.plan.after.file(p).tree)]).toEqual([p, []]);
      }
    });

    specific(run);

    it('imports each created or changed module first, in a fresh interpreter (no import-time cycle)', async () => {
      const modules = changedModules(run.plan);
      expect(modules.length).toBeGreaterThan(0);
      const results = await pool(modules, (module) => python(run.out, `import ${module}`));
      expect(modules.map((m, i) => `${m}: ${results[i].status} ${results[i].out}`)).toEqual(modules.map((m) => `${m}: 0 `));
    });

    it('keeps the fixture test suite green, with as many passing tests as before', async () => {
      const [before, after] = await Promise.all([baseline(root), pytest(run.out)]);
      expect(before.status === 0 ? 0 : before.out).toBe(0);
      expect(after.status === 0 ? 0 : after.out).toBe(0);
      expect(passed(before.out)).toMatch(/^[1-9]\d*$/);
      expect(passed(after.out)).toBe(passed(before.out));
    });

    it('is idempotent: a second run changes nothing and every step says so', async () => {
      const again = await planCodemod(run.plan.spec, run.plan.after, registry, root);
      expect(again.changes.size).toBe(0);
      expect(again.steps.map((s) => s.notes.join('\n'))).toEqual(run.plan.spec.steps.map(() => expect.stringMatching(note)));
    });
  });
}
