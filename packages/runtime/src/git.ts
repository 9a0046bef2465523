import { readdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import type { SimpleGit } from 'simple-git';
import { GitError } from './errors.js';

const LISTED_PATHS = 10;

/**
 * The git side of a run, on the repository containing `root`. Every failure is a `GitError` with a stable code
 * (`not-a-repo`, `dirty-tree`, `branch-exists`, `bad-branch-name`, `no-head`, `nothing-to-commit`, `bad-revision`,
 * `git-failed`). Runs the user's git with its configuration (hooks, signing) unchanged; never pushes.
 */
export class GitSession {
  readonly root: string;
  /** The simple-git client, created by the first git command: importing the runtime does not load simple-git. */
  private client: Promise<SimpleGit> | undefined;
  /** Untracked, non-ignored files present when the tree was last checked; `resetHard` leaves them alone. */
  private baseline: Set<string> | undefined;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** Throws `not-a-repo` unless `root` is inside a git work tree. */
  async ensureRepo(): Promise<void> {
    let inside = '';
    try {
      inside = (await this.raw(['rev-parse', '--is-inside-work-tree'])).trim();
    } catch {
      // reported below
    }
    if (inside !== 'true') throw new GitError('not-a-repo', `${this.root}: not inside a git work tree (run \`git init\` and commit first)`);
  }

  /**
   * Throws `dirty-tree` listing the paths with staged, unstaged or untracked (not ignored) changes anywhere in the
   * repository: a run commits everything and a rollback resets everything, so nothing else may be pending.
   * Also records the untracked files that `resetHard` must keep.
   */
  async ensureClean(): Promise<void> {
    const dirty = await this.dirtyPaths();
    if (dirty.length > 0) {
      const shown = dirty.slice(0, LISTED_PATHS).join(', ');
      const more = dirty.length > LISTED_PATHS ? ` and ${dirty.length - LISTED_PATHS} more` : '';
      throw new GitError('dirty-tree', `working tree has uncommitted changes: ${shown}${more} (commit or stash them first)`);
    }
    this.baseline = new Set(await this.untracked());
  }

  /** Paths (relative to the repository top) with staged, unstaged or untracked changes, sorted. */
  async dirtyPaths(): Promise<string[]> {
    const out = await this.run(['status', '--porcelain=v1', '-z', '--untracked-files=all']);
    const paths: string[] = [];
    const fields = out.split('\0');
    for (let i = 0; i < fields.length; i++) {
      const entry = fields[i];
      if (entry.length < 4) continue;
      paths.push(entry.slice(3));
      // A rename or copy is followed by a field with its source path.
      if (entry[0] === 'R' || entry[0] === 'C') paths.push(fields[++i]);
    }
    return [...new Set(paths)].sort();
  }

  /** The checked-out branch, or null when HEAD is detached. Works before the first commit. */
  async currentBranch(): Promise<string | null> {
    try {
      const name = (await this.raw(['symbolic-ref', '--short', '-q', 'HEAD'])).trim();
      return name === '' ? null : name;
    } catch {
      return null;
    }
  }

  /** Creates branch `name` at HEAD and checks it out. Refuses an invalid name or an existing branch. */
  async createBranch(name: string): Promise<void> {
    try {
      await this.raw(['check-ref-format', '--branch', name]);
    } catch {
      throw new GitError('bad-branch-name', `--branch: "${name}" is not a valid git branch name`);
    }
    if (await this.branchExists(name)) throw new GitError('branch-exists', `--branch: branch "${name}" already exists; choose another name or delete it`);
    await this.run(['checkout', '-q', '-b', name]);
  }

  /** Stages every change (new, modified, deleted files, ignoring what .gitignore ignores) and commits; returns the sha. */
  async commitAll(message: string): Promise<string> {
    await this.run(['add', '-A']);
    const staged = await this.run(['diff', '--cached', '--name-only']);
    if (staged.trim() === '') throw new GitError('nothing-to-commit', `nothing to commit for "${message.split('\n')[0]}"`);
    await this.run(['commit', '-q', '-m', message]);
    return this.head();
  }

  /**
   * `git reset --hard sha`, then removes the untracked files created since `ensureClean` (all untracked,
   * non-ignored files if it was not called) and the directories that become empty. Ignored files stay.
   */
  async resetHard(sha: string): Promise<void> {
    const commit = await this.resolve(sha);
    await this.run(['reset', '-q', '--hard', commit]);
    const baseline = this.baseline ?? new Set<string>();
    const created = (await this.untracked()).filter((file) => !baseline.has(file));
    if (created.length === 0) return;
    await this.run(['clean', '-f', '-q', '--', ...created]);
    for (const file of created) this.removeEmptyParents(path.join(this.root, file));
  }

  /** Full sha of HEAD; `no-head` before the first commit. */
  async head(): Promise<string> {
    let sha = '';
    try {
      sha = (await this.raw(['rev-parse', '--verify', '-q', 'HEAD'])).trim();
    } catch {
      // reported below
    }
    if (!sha) throw new GitError('no-head', `${this.root}: the repository has no commits yet (commit once before running remodel)`);
    return sha;
  }

  private async resolve(revision: string): Promise<string> {
    try {
      const sha = (await this.raw(['rev-parse', '--verify', '-q', `${revision}^{commit}`])).trim();
      if (sha) return sha;
    } catch {
      // reported below
    }
    throw new GitError('bad-revision', `"${revision}" is not a commit in ${this.root}`);
  }

  private async branchExists(name: string): Promise<boolean> {
    // simple-git only rejects when git writes to stderr, so decide on the output.
    const sha = (await this.run(['rev-parse', '--verify', '-q', `refs/heads/${name}`])).trim();
    return sha !== '';
  }

  /** Untracked, non-ignored files under `root`, relative to it. */
  private async untracked(): Promise<string[]> {
    const out = await this.run(['ls-files', '--others', '--exclude-standard', '-z']);
    return out.split('\0').filter(Boolean);
  }

  private removeEmptyParents(file: string): void {
    for (let dir = path.dirname(file); dir.startsWith(this.root + path.sep); dir = path.dirname(dir)) {
      try {
        if (readdirSync(dir).length > 0) return;
        rmdirSync(dir);
      } catch {
        return;
      }
    }
  }

  /** Runs git with `args` through simple-git, which is loaded on the first call. */
  private async raw(args: string[]): Promise<string> {
    this.client ??= import('simple-git').then(({ simpleGit }) => simpleGit({ baseDir: this.root }));
    return (await this.client).raw(args);
  }

  private async run(args: string[]): Promise<string> {
    try {
      return await this.raw(args);
    } catch (error) {
      const detail = (error instanceof Error ? error.message : String(error)).trim().split('\n')[0];
      throw new GitError('git-failed', `git ${args[0]} failed in ${this.root}: ${detail}`, { cause: error });
    }
  }
}
