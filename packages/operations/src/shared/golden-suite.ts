// Jest-only helper (excluded from the build): the checks every golden fixture case of an operation must pass.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { syntaxProblems } from '@remodel/python';
import { planCodemod, type CodemodPlan } from '@remodel/runtime';
import { registry } from '../registry.js';
import { goldenCases, materialize, runGolden, runPytest } from './testing.js';

export type GoldenResult = Awaited<ReturnType<typeof runGolden>>;

export interface GoldenSuiteOptions {
  /** Fewest cases the folder must hold. */
  minCases: number;
  /** Note every step of a second run must print (the run must also change nothing). */
  idempotentNote: RegExp;
  /** Compare warnings with `warnings.txt` (one regex per line; no file = no warning). */
  warnings?: boolean;
  /** Require the same number of passing fixture tests before and after. */
  samePassCount?: boolean;
  /** Whether a case can be run a second time (default: every case). */
  rerunnable?: (plan: CodemodPlan) => boolean;
  /** Extra `it` blocks per case. */
  extra?: (result: () => GoldenResult, dir: string) => void;
}

/**
 * Declares, for each case of `fixtures/<op>/<case>/{before,after}/ + spec.yaml`: the expected tree, clean
 * verification with no syntax error, the fixture's pytest green before and after, optional warnings, idempotence.
 */
export function describeGoldenCases(title: string, fixtures: string, options: GoldenSuiteOptions): void {
  describe(`${title} golden fixtures`, () => {
    const cases = goldenCases(fixtures).filter((name) => existsSync(path.join(fixtures, name, 'after')) || process.env.REMODEL_UPDATE_GOLDEN === '1');
    it('has cases', () => expect(cases.length).toBeGreaterThanOrEqual(options.minCases));
    for (const name of cases) {
      describe(name, () => {
        const dir = path.join(fixtures, name);
        let result: GoldenResult;
        beforeAll(async () => {
          result = await runGolden(dir);
        });

        it('produces the expected tree', () => {
          expect([...result.actual.keys()].sort()).toEqual([...result.expected.keys()].sort());
          for (const [p, text] of result.expected) expect(`${p}:\n${result.actual.get(p)}`).toBe(`${p}:\n${text}`);
        });

        it('verifies clean and re-parses without syntax errors', () => {
          expect(result.plan.problems).toEqual([]);
          for (const [p, text] of result.plan.changes) {
            if (text !== null && p.endsWith('.py')) expect(syntaxProblems(result.plan.after.file(p).tree)).toEqual([]);
          }
        });

        it('keeps the fixture tests green', () => {
          const before = runPytest(path.join(dir, 'before'));
          expect(before.output).toMatch(/passed/);
          expect(before.status).toBe(0);
          const out = materialize(path.join(dir, 'before'), result.plan);
          try {
            const after = runPytest(out);
            expect(after.output).toMatch(/passed/);
            expect(after.status).toBe(0);
            if (options.samePassCount) expect(/(\d+) passed/.exec(after.output)?.[1]).toBe(/(\d+) passed/.exec(before.output)?.[1]);
          } finally {
            rmSync(out, { recursive: true, force: true });
          }
        });

        if (options.warnings) {
          it('warns as expected (warnings.txt: one regex per line), and only then', () => {
            const file = path.join(dir, 'warnings.txt');
            const expected = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
            const got = result.plan.steps.flatMap((s) => s.warnings);
            for (const pattern of expected) expect(got.some((w) => new RegExp(pattern).test(w)) ? pattern : got).toBe(pattern);
            expect(got.length).toBe(expected.length);
          });
        }

        it('is idempotent: a second run changes nothing and says so', async () => {
          if (options.rerunnable && !options.rerunnable(result.plan)) return;
          const again = await planCodemod(result.plan.spec, result.plan.after, registry, dir);
          expect(again.changes.size).toBe(0);
          expect(again.steps.map((s) => s.notes.join(' '))).toEqual(result.plan.spec.steps.map(() => expect.stringMatching(options.idempotentNote)));
        });

        options.extra?.(() => result, dir);
      });
    }
  });
}
