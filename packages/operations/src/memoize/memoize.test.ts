import { rmSync } from 'node:fs';
import path from 'node:path';
import { loadPython } from '@remodel/python';
import type { CodemodPlan } from '@remodel/runtime';
import { registry } from '../registry.js';
import { materialize, planStep, refusalOf, runGolden, runPython as python } from '../shared/testing.js';
import { describeGoldenCases } from '../shared/golden-suite.js';

const FIXTURES = path.resolve('fixtures/memoize');

beforeAll(loadPython);

const plan = (files: Record<string, string>, step: Record<string, unknown>): Promise<CodemodPlan> => planStep(files, { op: 'memoize', key: 'file-stat', ...step });

const refusal = (files: Record<string, string>, step: Record<string, unknown>): Promise<{ code: string; message: string }> => refusalOf(plan(files, step));

describeGoldenCases('memoize', FIXTURES, { minCases: 2, idempotentNote: /nothing to do/ });

describe('memoize caches', () => {
  it('reads an unchanged file once, and again after it changes', async () => {
    const dir = path.join(FIXTURES, 'same-module');
    const { plan: p } = await runGolden(dir);
    const out = materialize(path.join(dir, 'before'), p);
    try {
      const code = [
        'import pathlib, tempfile',
        'from logs import tail',
        'log = pathlib.Path(tempfile.mkdtemp()) / "a.log"',
        'log.write_text("one\\ntwo\\n")',
        'first = [tail.last_lines(log) for _ in range(3)]',
        'reads_unchanged = len(tail.READS)',
        'log.write_text("one\\ntwo\\nthree\\n")',
        'after = tail.last_lines(log)',
        'print(first, reads_unchanged, after, len(tail.READS), tail.last_lines.__name__, tail.last_lines.__doc__)',
      ].join('\n');
      const before = python(path.join(dir, 'before'), code);
      const after = python(out, code);
      expect(before).toEqual({ status: 0, out: "['one | two', 'one | two', 'one | two'] 3 two | three 4 last_lines The last `count` non-empty lines joined with ' | ', or None.\n" });
      expect(after).toEqual({ status: 0, out: "['one | two', 'one | two', 'one | two'] 1 two | three 2 last_lines The last `count` non-empty lines joined with ' | ', or None.\n" });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('memoize refusals', () => {
  const mod = (text: string): Record<string, string> => ({ 'pkg/__init__.py': '', 'pkg/m.py': text });

  it('results that callers could mutate, or that cannot be checked', async () => {
    expect(await refusal(mod('def f(p) -> list:\n    return []\n'), { module: 'pkg.m', function: 'f' })).toEqual({
      code: 'mutable-result',
      message: 't: steps[0].function: `f` (pkg/m.py:1) returns `list`: `list` is not immutable, and one cached result would be shared by every caller',
    });
    expect((await refusal(mod('import typing\n\n\ndef f(p) -> typing.List[str]:\n    return []\n'), { module: 'pkg.m', function: 'f' })).message).toContain('`List` is not immutable');
    expect((await refusal(mod('def f(p):\n    return 1\n'), { module: 'pkg.m', function: 'f' })).message).toContain('has no return annotation');
    expect((await refusal(mod('def f(p) -> "str":\n    return 1\n'), { module: 'pkg.m', function: 'f' })).message).toContain('string return annotation');
  });

  it('methods that read self, async functions, generators, global state, unknown arguments', async () => {
    expect((await refusal(mod('class A:\n    def f(self, p) -> str:\n        return self.x\n'), { module: 'pkg.m', function: 'A.f' })).code).toBe('uses-self');
    expect((await refusal(mod('async def f(p) -> str:\n    return ""\n'), { module: 'pkg.m', function: 'f' })).code).toBe('async');
    expect((await refusal(mod('def f(p) -> str:\n    yield ""\n'), { module: 'pkg.m', function: 'f' })).code).toBe('generator');
    expect((await refusal(mod('N = 0\n\n\ndef f(p) -> str:\n    global N\n    N += 1\n    return ""\n'), { module: 'pkg.m', function: 'f' })).code).toBe('shared-state');
    expect((await refusal(mod('def f(p) -> str:\n    return ""\n'), { module: 'pkg.m', function: 'f', 'path-argument': 'q' })).message).toBe('t: steps[0].path-argument: `f` (pkg/m.py:1) has no parameter `q` (parameters: p)');
    expect((await refusal(mod('def f(p) -> str:\n    return ""\n'), { module: 'pkg.m', function: 'g' })).code).toBe('function-not-found');
    expect((await refusal(mod('def f(p) -> str:\n    return ""\n'), { module: 'pkg.x', function: 'f' })).code).toBe('module-not-found');
  });

  it('warns that a cached call skips the log lines of the body', async () => {
    const p = await plan(mod('import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef f(p) -> str:\n    logger.info("read %s", p)\n    return ""\n'), { module: 'pkg.m', function: 'f' });
    expect(p.steps[0].warnings).toEqual(['`f` (pkg/m.py:6) calls `logger.info` (line 7): a cached call skips that output until the file changes']);
  });
});
