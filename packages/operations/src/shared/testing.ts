import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Project, loadPython } from '@remodel/python';
import { loadSpec, parseSpec, planCodemod, type CodemodPlan } from '@remodel/runtime';
import { registry } from '../registry.js';

/** Reads every file under `dir` (skipping caches) as project-relative POSIX paths. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (entry.name === '__pycache__' || entry.name === '.pytest_cache') continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else out.set(child, readFileSync(path.join(dir, child), 'utf8'));
    }
  };
  walk('');
  return out;
}

/** Builds a Project from the `.py` files under `dir`. */
export async function loadProject(dir: string): Promise<Project> {
  await loadPython();
  const files = [...readTree(dir)].filter(([p]) => p.endsWith('.py')).map(([p, text]) => ({ path: p, text }));
  return new Project(files);
}

/** Plans the codemod `specFile` on the tree `dir` with the shipped operations (nothing is written). */
export async function planOnTree(dir: string, specFile: string): Promise<CodemodPlan> {
  const project = await loadProject(dir);
  return planCodemod(loadSpec(specFile, registry), project, registry, dir);
}

/** The tree `dir` with a plan's changes applied, as a map of every file (non-Python files included). */
export function treeAfter(dir: string, plan: CodemodPlan): Map<string, string> {
  const tree = readTree(dir);
  for (const [p, text] of plan.changes) {
    if (text === null) tree.delete(p);
    else tree.set(p, text);
  }
  return tree;
}

/** Writes a copy of `dir` with the plan applied into a new temporary directory and returns its path. */
export function materialize(dir: string, plan: CodemodPlan): string {
  const out = mkdtempSync(path.join(tmpdir(), 'remodel-fixture-'));
  cpSync(dir, out, { recursive: true, filter: (src) => !src.includes('__pycache__') });
  for (const [p, text] of plan.changes) {
    const target = path.join(out, p);
    if (text === null) rmSync(target, { force: true });
    else {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
  }
  return out;
}

/** The Python interpreter of the fixture virtualenv; throws (never skips) when it is missing. */
export function fixturePython(): string {
  const python = process.env.REMODEL_PYTHON ?? path.resolve('.venv/bin/python');
  if (!existsSync(python)) throw new Error(`fixture virtualenv missing: ${python} (run: bash scripts/setup-venv.sh)`);
  return python;
}

/** Runs `python -c code` in `dir` with the fixture interpreter (`dir` on PYTHONPATH); returns status and output. */
export function runPython(dir: string, code: string): { status: number; out: string } {
  const r = spawnSync(fixturePython(), ['-c', code], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: dir, PYTHONDONTWRITEBYTECODE: '1', PYTHONHASHSEED: '0' },
  });
  return { status: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

/** Runs pytest in `dir`; returns the exit status and output. */
export function runPytest(dir: string, args: string[] = []): { status: number; output: string } {
  const result = spawnSync(fixturePython(), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: dir },
    timeout: 300_000,
  });
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

/** Cases of a golden fixture folder: `fixtures/<op>/<case>/{before,after}/` + `spec.yaml`. */
export function goldenCases(opDir: string): string[] {
  if (!existsSync(opDir)) return [];
  return readdirSync(opDir)
    .filter((name) => statSync(path.join(opDir, name)).isDirectory())
    .filter((name) => existsSync(path.join(opDir, name, 'spec.yaml')))
    .sort();
}

/**
 * Plans `<caseDir>/spec.yaml` on `<caseDir>/before` and returns the resulting tree beside the expected
 * `<caseDir>/after` tree. With REMODEL_UPDATE_GOLDEN=1 the `after` folder is rewritten from the result.
 */
export async function runGolden(caseDir: string): Promise<{ plan: CodemodPlan; actual: Map<string, string>; expected: Map<string, string> }> {
  const before = path.join(caseDir, 'before');
  const plan = await planOnTree(before, path.join(caseDir, 'spec.yaml'));
  const actual = treeAfter(before, plan);
  const afterDir = path.join(caseDir, 'after');
  if (process.env.REMODEL_UPDATE_GOLDEN === '1') {
    rmSync(afterDir, { recursive: true, force: true });
    for (const [p, text] of actual) {
      mkdirSync(path.dirname(path.join(afterDir, p)), { recursive: true });
      writeFileSync(path.join(afterDir, p), text);
    }
  }
  return { plan, actual, expected: readTree(afterDir) };
}

/** Plans a one-step codemod (`step`: `op` and its parameters) on an in-memory project of `files` (path -> text). */
export async function planStep(files: Record<string, string>, step: Record<string, unknown>, root = '/nonexistent-root'): Promise<CodemodPlan> {
  const project = new Project(Object.entries(files).map(([p, text]) => ({ path: p, text })));
  const yaml = `id: t\ntitle: t\nsteps:\n  - ${JSON.stringify(step)}\n`;
  return planCodemod(parseSpec(yaml, 'inline', registry), project, registry, root);
}

/** The error a planned step is refused with (its message must be one line); throws when the step is not refused. */
export async function refusalOf(planned: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await planned;
  } catch (error) {
    const e = error as { code?: string; message: string; name: string };
    if (e.message.includes('\n')) throw new Error(`refusal message is not one line: ${e.message}`);
    return { code: e.code ?? e.name, message: e.message };
  }
  throw new Error('expected the step to be refused');
}
