import { ApplyError, GitError, PlanError, RemodelError, SpecError, VerifyError, WorkspaceError } from './errors.js';

describe('RemodelError', () => {
  it('carries code, exit code, name and cause', () => {
    const cause = new Error('root cause');
    const error = new RemodelError('custom', 'x: bad', { exitCode: 2, cause });
    expect(error).toBeInstanceOf(Error);
    expect([error.code, error.exitCode, error.name, error.message, error.cause]).toEqual(['custom', 2, 'RemodelError', 'x: bad', cause]);
    expect(new RemodelError('c', 'm').exitCode).toBe(1);
  });

  it('keeps messages on one line', () => {
    expect(new PlanError('p', 'first line\n   second line\r\nthird').message).toBe('first line second line third');
  });
});

describe('subclasses', () => {
  it('map each stage to its exit code', () => {
    const cases: [RemodelError, string, 1 | 2][] = [
      [new SpecError('spec-invalid', 'm'), 'SpecError', 2],
      [new PlanError('overlap', 'm'), 'PlanError', 1],
      [new ApplyError('stale', 'm'), 'ApplyError', 1],
      [new VerifyError([]), 'VerifyError', 1],
      [new GitError('dirty-tree', 'm'), 'GitError', 1],
      [new WorkspaceError('outside-root', 'm'), 'WorkspaceError', 2],
      [new WorkspaceError('bad-root', 'm', { exitCode: 1 }), 'WorkspaceError', 1],
    ];
    for (const [error, name, exit] of cases) {
      expect(error).toBeInstanceOf(RemodelError);
      expect([error.name, error.exitCode]).toEqual([name, exit]);
    }
  });

  it('VerifyError carries its problems and names the first one', () => {
    const problems = [
      { path: 'app/a.py', line: 3, message: 'name `X` is not defined', check: 'names' },
      { path: 'app/b.py', line: 9, message: 'new import cycle app.a -> app.b -> app.a', check: 'cycles' },
    ];
    const error = new VerifyError(problems);
    expect(error.problems).toBe(problems);
    expect(error.code).toBe('verify-failed');
    expect(error.message).toBe('verification failed: app/a.py:3: name `X` is not defined [names] (and 1 more)');
    expect(new VerifyError([], 'custom text', { code: 'verify-x' }).message).toBe('custom text');
    expect(new VerifyError([]).message).toBe('verification failed');
  });
});
