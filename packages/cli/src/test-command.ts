import { spawnSync } from 'node:child_process';
import type { TestRun } from '@remodel/runtime';

/** Runs the project's test command in `root` and reads pytest/jest-style `N passed` / `N failed` counts. */
export function runTestCommand(command: string, root: string, label: string): TestRun {
  const result = spawnSync(command, { cwd: root, shell: true, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
  return { command, label, passed: lastCount(output, 'passed'), failed: lastCount(output, 'failed'), exitCode: result.status ?? 1 };
}

function lastCount(output: string, word: string): number | null {
  const matches = [...output.matchAll(new RegExp(`(\\d+) ${word}`, 'g'))];
  if (matches.length === 0) return output.match(/\d+ (passed|failed)/) ? 0 : null;
  return Number(matches[matches.length - 1][1]);
}

/** True when `after` lost passing tests or newly fails compared with `before`. */
export function isRegression(before: TestRun, after: TestRun): boolean {
  if (before.exitCode === 0 && after.exitCode !== 0) return true;
  if (before.passed !== null && after.passed !== null && after.passed < before.passed) return true;
  return before.failed !== null && after.failed !== null && after.failed > before.failed;
}
