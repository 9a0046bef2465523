import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GitError } from './errors.js';
import { GitSession } from './git.js';

let repo: string;

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
}
function put(rel: string, content: string): void {
  mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
  writeFileSync(path.join(repo, rel), content);
}
function read(rel: string): string {
  return readFileSync(path.join(repo, rel), 'utf8');
}
async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).exitCode).toBe(1);
    return (error as GitError).code;
  }
  throw new Error('expected a GitError');
}

beforeEach(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'remodel-git-'));
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Remodel Test');
  git('config', 'user.email', 'remodel@example.invalid');
  git('config', 'commit.gpgsign', 'false');
  put('.gitignore', '*.log\n');
  put('app/a.py', 'a = 1\n');
  put('app/b.py', 'b = 1\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe('ensureRepo', () => {
  it('accepts a work tree and refuses a plain directory', async () => {
    await new GitSession(repo).ensureRepo();
    const plain = mkdtempSync(path.join(tmpdir(), 'remodel-nogit-'));
    try {
      await expect(new GitSession(plain).ensureRepo()).rejects.toThrow(`${plain}: not inside a git work tree`);
      expect(await codeOf(new GitSession(plain).ensureRepo())).toBe('not-a-repo');
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  it('refuses a root that does not exist with a GitError, not a crash', async () => {
    const missing = path.join(repo, 'no-such-dir');
    const session = new GitSession(missing);
    expect(await codeOf(session.ensureRepo())).toBe('not-a-repo');
    expect(await codeOf(session.head())).toBe('no-head');
  });
});

describe('load cost', () => {
  it('loads simple-git on the first git command, not when the runtime is imported', () => {
    const text = readFileSync(new URL('./git.ts', import.meta.url), 'utf8');
    const loaded = [...text.matchAll(/^import\s+(?!type\s)[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]);
    expect(loaded).toEqual(expect.arrayContaining(['./errors.js']));
    expect(loaded).not.toContain('simple-git');
  });
});

describe('ensureClean', () => {
  it('passes on a clean tree even with ignored untracked files', async () => {
    put('debug.log', 'noise\n');
    await new GitSession(repo).ensureClean();
  });

  it('lists modified, staged, deleted and untracked paths', async () => {
    put('app/a.py', 'a = 2\n');
    put('app/new.py', 'n\n');
    rmSync(path.join(repo, 'app/b.py'));
    put('staged.py', 's\n');
    git('add', 'staged.py');
    await expect(new GitSession(repo).ensureClean()).rejects.toThrow(
      'working tree has uncommitted changes: app/a.py, app/b.py, app/new.py, staged.py (commit or stash them first)',
    );
  });

  it('lists both sides of a rename and shortens long lists', async () => {
    git('mv', 'app/a.py', 'app/renamed.py');
    expect(await new GitSession(repo).dirtyPaths()).toEqual(['app/a.py', 'app/renamed.py']);
    for (let i = 0; i < 12; i++) put(`extra/f${String(i).padStart(2, '0')}.py`, 'x\n');
    await expect(new GitSession(repo).ensureClean()).rejects.toThrow(/extra\/f07\.py and 4 more \(commit or stash them first\)$/);
  });
});

describe('branches', () => {
  it('reports the current branch, or null when detached', async () => {
    const session = new GitSession(repo);
    expect(await session.currentBranch()).toBe('main');
    git('checkout', '-q', '--detach');
    expect(await session.currentBranch()).toBeNull();
  });

  it('creates and checks out a new branch, refusing existing and invalid names', async () => {
    const session = new GitSession(repo);
    await session.createBranch('remodel/split-users');
    expect(await session.currentBranch()).toBe('remodel/split-users');
    expect(git('rev-parse', 'remodel/split-users')).toBe(git('rev-parse', 'main'));
    await expect(session.createBranch('main')).rejects.toThrow('--branch: branch "main" already exists; choose another name or delete it');
    expect(await codeOf(session.createBranch('bad..name'))).toBe('bad-branch-name');
    expect(await session.currentBranch()).toBe('remodel/split-users');
  });
});

describe('commitAll and head', () => {
  it('commits modified, new and deleted files and returns the sha', async () => {
    const session = new GitSession(repo);
    put('app/a.py', 'a = 2\n');
    put('app/pkg/__init__.py', '');
    rmSync(path.join(repo, 'app/b.py'));
    put('build.log', 'ignored\n');
    const sha = await session.commitAll('remodel: split-users\n\nmoved a');
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await session.head()).toBe(sha);
    expect(git('show', '--name-status', '--format=%s', sha).split('\n')).toEqual([
      'remodel: split-users',
      '',
      'M\tapp/a.py',
      'D\tapp/b.py',
      'A\tapp/pkg/__init__.py',
    ]);
    expect(git('status', '--porcelain')).toBe('');
    expect(existsSync(path.join(repo, 'build.log'))).toBe(true);
  });

  it('refuses an empty commit', async () => {
    expect(await codeOf(new GitSession(repo).commitAll('nothing'))).toBe('nothing-to-commit');
  });

  it('has no head before the first commit', async () => {
    const fresh = mkdtempSync(path.join(tmpdir(), 'remodel-fresh-'));
    try {
      execFileSync('git', ['init', '-q', '-b', 'trunk'], { cwd: fresh });
      const session = new GitSession(fresh);
      expect(await codeOf(session.head())).toBe('no-head');
      expect(await session.currentBranch()).toBe('trunk');
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});

describe('resetHard', () => {
  it('returns to a commit and removes only the untracked files the run created', async () => {
    put('keep-me.py', 'user scratch\n');
    put('notes.log', 'ignored, kept\n');
    const session = new GitSession(repo);
    await expect(session.ensureClean()).rejects.toThrow(GitError);
    git('add', 'keep-me.py');
    git('commit', '-q', '-m', 'scratch');
    await session.ensureClean();
    const base = await session.head();

    put('app/a.py', 'a = 2\n');
    put('app/moved/__init__.py', '');
    await session.commitAll('step 1');
    put('app/b.py', 'b = 2\n');
    put('app/moved/deep/x.py', 'x\n');
    put('loose.py', 'l\n');

    await session.resetHard(base);
    expect(await session.head()).toBe(base);
    expect(read('app/a.py')).toBe('a = 1\n');
    expect(read('app/b.py')).toBe('b = 1\n');
    expect(existsSync(path.join(repo, 'app/moved'))).toBe(false);
    expect(existsSync(path.join(repo, 'loose.py'))).toBe(false);
    expect(read('notes.log')).toBe('ignored, kept\n');
    expect(git('status', '--porcelain')).toBe('');
  });

  it('refuses a revision that is not a commit', async () => {
    expect(await codeOf(new GitSession(repo).resetHard('no-such-ref'))).toBe('bad-revision');
  });
});
