import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** scripts/e2e on the Venom-shaped fixture with every codemod in codemods/: real pytest, real CLI, real git. */

const PYTHON = process.env.REMODEL_PYTHON ?? '.venv/bin/python';
const CODEMODS = readdirSync('codemods').filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();

interface Row { codemod: string; file: string; before: number | null; after: number | null }
interface Summary {
  ok: boolean;
  codemods: string[];
  failures: string[];
  changes: Row[];
  tests: { before: { total: number; passed: number }; after: { total: number; passed: number }; regressions: string[] };
  verify: { before: number; after: number; new: unknown[] };
  report: string | null;
}

let work: string;
const SLOW = 300_000; // one harness run: copy, two pytest runs, remodel run, two verifies

function harness(...args: string[]): { code: number; stdout: string; stderr: string; summary: Summary } {
  const json = path.join(work, `summary-${Math.random().toString(36).slice(2)}.json`);
  const result = spawnSync('scripts/e2e', [...args, '--json', json], { encoding: 'utf8', timeout: 600_000 });
  const summary = existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as Summary) : (undefined as never);
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, summary };
}

function removeKeptCopy(stdout: string) {
  const kept = /^kept: (.+)$/m.exec(stdout)?.[1];
  if (kept && kept.startsWith(os.tmpdir())) rmSync(kept, { recursive: true, force: true });
}

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'e2e-harness-test-'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('scripts/e2e', () => {
  it('has the fixture venv (run `bash scripts/setup-venv.sh`)', () => {
    expect({ python: PYTHON, exists: existsSync(PYTHON) }).toEqual({ python: PYTHON, exists: true });
  });

  it('applies every codemod to the fixture without losing a passing test', () => {
    const { code, stdout, stderr, summary } = harness('--all');
    removeKeptCopy(stdout);
    expect({ code, stderr, failures: summary?.failures }).toEqual({ code: 0, stderr: '', failures: [] });
    expect(summary.codemods).toEqual(CODEMODS);
    expect(summary.tests.before.passed).toBeGreaterThanOrEqual(60);
    expect(summary.tests.before.passed).toBe(summary.tests.before.total);
    expect(summary.tests.after.passed).toBe(summary.tests.before.passed);
    expect(summary.tests.regressions).toEqual([]);
    expect(summary.verify.new).toEqual([]);
    for (const id of CODEMODS) {
      const rows = summary.changes.filter((r) => r.codemod === id);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(stdout).toMatch(new RegExp(`${id}\\s+${row.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+(${row.before ?? '-'})\\s+(${row.after ?? '-'})`));
    }
    if (CODEMODS.includes('split-orchestrator')) {
      const orchestrator = summary.changes.find((r) => r.file === 'venom_core/core/orchestrator.py')!;
      expect(orchestrator.after!).toBeLessThan(orchestrator.before!);
    }
    if (CODEMODS.length > 0) expect(summary.report).toBe('docs/_done/077_przeglad_backend_report.md');
    expect(stdout).toMatch(/tests passed\s+(\d+)\s+\1\n/);
    expect(stdout).toContain('e2e: OK');
  }, SLOW);

  it('runs with no codemods: before equals after', () => {
    const { code, stdout, summary } = harness('--codemods', '');
    expect(code).toBe(0);
    expect(stdout).toContain('codemods: none (before == after)');
    expect(summary.tests.after).toEqual(summary.tests.before);
  }, SLOW);

  it('fails when a codemod is refused', () => {
    const spec = path.join(work, 'broken-split.yaml');
    writeFileSync(
      spec,
      [
        'id: broken-split',
        'title: Split a class that does not exist',
        'rationale: The harness must report a refused codemod.',
        'steps:',
        '  - op: extract-members',
        '    module: venom_core.core.orchestrator',
        '    class: NoSuchClass',
        '    groups:',
        '      - {name: QueueMixin, module: venom_core.core.orchestrator_queue, style: mixin, members: [pause_queue], rationale: x}',
        '',
      ].join('\n'),
    );
    const { code, stdout, summary } = harness('--codemods', spec);
    removeKeptCopy(stdout);
    expect(code).toBe(1);
    expect(summary.failures.join('\n')).toMatch(/remodel run exited 1: .*NoSuchClass/);
    expect(stdout).toContain('e2e: FAILED');
  }, SLOW);

  const splitsOrchestrator = CODEMODS.includes('split-orchestrator') ? it : it.skip;
  splitsOrchestrator('fails when a test that passed before fails after', () => {
    const tree = path.join(work, 'tree');
    cpSync('fixtures/venom', tree, { recursive: true, filter: (src) => path.basename(src) !== '__pycache__' });
    writeFileSync(
      path.join(tree, 'tests/test_layout.py'),
      'from pathlib import Path\n\n\ndef test_orchestrator_is_one_module():\n' +
        '    assert not (Path(__file__).parent.parent / "venom_core/core/orchestrator_queue.py").exists()\n',
    );
    const { code, stdout, summary } = harness('--tree', tree, '--codemods', 'split-orchestrator');
    removeKeptCopy(stdout);
    expect(code).toBe(1);
    expect(summary.tests.regressions).toEqual(['tests.test_layout::test_orchestrator_is_one_module']);
    expect(summary.tests.after.passed).toBe(summary.tests.before.passed - 1);
  }, SLOW);

  it('refuses unknown codemods and arguments with a usage error', () => {
    expect(harness('--codemods', 'no-such-codemod').code).toBe(2);
    const { code, stderr } = harness('--frobnicate');
    expect(code).toBe(2);
    expect(stderr).toContain('unknown argument: --frobnicate');
  });
});
