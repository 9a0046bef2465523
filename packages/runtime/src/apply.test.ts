import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { jest } from '@jest/globals';
import { formatSummary, renderDiff, summarize, writeAtomically, type WriteFs } from './apply.js';
import { Changeset } from './changeset.js';
import { ApplyError, WorkspaceError } from './errors.js';
import type { Origin } from './operation.js';
import { loadWorkspace } from './workspace.js';

const origin: Origin = { codemod: 't', step: 0, op: 'move-symbols' };
const dirs: string[] = [];

function tempDir(prefix = 'remodel-apply-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function put(root: string, rel: string, content: string | Buffer, mode?: number): void {
  const abs = path.join(root, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, content);
  if (mode !== undefined) chmodSync(abs, mode);
}

/** Every entry under `root`: type, permission bits, bytes (files) or target (symlinks). */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const child = rel ? `${rel}/${name}` : name;
      const abs = path.join(root, child);
      const info = lstatSync(abs);
      const mode = (info.mode & 0o7777).toString(8);
      if (info.isSymbolicLink()) out[child] = `link -> ${readlinkSync(abs)}`;
      else if (info.isDirectory()) {
        out[`${child}/`] = `dir ${mode}`;
        walk(child);
      } else out[child] = `file ${mode} ${readFileSync(abs).toString('base64')}`;
    }
  };
  walk('');
  return out;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A tree exercising every kind of write: BOM, CRLF + executable bit, deletion, creation in new and existing dirs. */
function scenario(root: string): Map<string, string | null> {
  put(root, 'a.py', Buffer.concat([BOM, Buffer.from('a = 1\n')]));
  put(root, 'b/c.py', 'c = 1\r\n', 0o755);
  put(root, 'd.py', 'gone = 1\n');
  put(root, 'keep.py', 'untouched\n');
  return new Map<string, string | null>([
    ['a.py', 'a = 2\n'],
    ['b/c.py', 'c = 2\r\n'],
    ['d.py', null],
    ['new/deep/e.py', 'e = 1\n'],
    ['f.py', 'f = 1\n'],
  ]);
}

const realFs: WriteFs = {
  readFile: (f) => fsp.readFile(f),
  writeFile: (f, d, o) => fsp.writeFile(f, d, o),
  chmod: (f, m) => fsp.chmod(f, m),
  rename: (a, b) => fsp.rename(a, b),
  link: (a, b) => fsp.link(a, b),
  unlink: (f) => fsp.unlink(f),
  mkdir: (d, o) => fsp.mkdir(d, o),
  rmdir: (d) => fsp.rmdir(d),
  lstat: (f) => fsp.lstat(f),
};

/** Real fs whose `failAt`-th call (1-based, over all functions) throws EIO instead of running. */
function failingFs(failAt: number): { fs: WriteFs; calls: () => number } {
  let n = 0;
  const fs = Object.fromEntries(
    Object.entries(realFs).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        if (++n === failAt) throw Object.assign(new Error(`injected EIO in ${name}`), { code: 'EIO' });
        return (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      },
    ]),
  ) as unknown as WriteFs;
  return { fs, calls: () => n };
}

describe('renderDiff', () => {
  const before = new Map([
    ['a.py', 'x = 1\ny = 2\nz = 3\n'],
    ['gone.py', 'old\n'],
    ['same.py', 'same\n'],
  ]);
  const after = new Map<string, string | null>([
    ['same.py', 'same\n'],
    ['new.py', 'n = 1\n'],
    ['gone.py', null],
    ['a.py', 'x = 1\ny = 20\nz = 3\n'],
  ]);

  it('renders unified diffs with a/ b/ headers and /dev/null, in path order', () => {
    expect(renderDiff(before, after, { color: false })).toBe(
      [
        '--- a/a.py',
        '+++ b/a.py',
        '@@ -1,3 +1,3 @@',
        ' x = 1',
        '-y = 2',
        '+y = 20',
        ' z = 3',
        '--- a/gone.py',
        '+++ /dev/null',
        '@@ -1,1 +0,0 @@',
        '-old',
        '--- /dev/null',
        '+++ b/new.py',
        '@@ -0,0 +1,1 @@',
        '+n = 1',
        '',
      ].join('\n'),
    );
  });

  it('shows 3 lines of context around each change', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => `l${i + 1}\n`).join('');
    const next = twenty.replace('l5\n', 'L5\n').replace('l15\n', 'L15\n');
    expect(renderDiff(new Map([['t.py', twenty]]), new Map([['t.py', next]]), { color: false })).toBe(
      [
        '--- a/t.py',
        '+++ b/t.py',
        '@@ -2,7 +2,7 @@',
        ...[' l2', ' l3', ' l4', '-l5', '+L5', ' l6', ' l7', ' l8'],
        '@@ -12,7 +12,7 @@',
        ...[' l12', ' l13', ' l14', '-l15', '+L15', ' l16', ' l17', ' l18'],
        '',
      ].join('\n'),
    );
  });

  it('marks a missing final newline', () => {
    expect(renderDiff(new Map([['t.py', 'a\nb\n']]), new Map([['t.py', 'a\nb']]), { color: false })).toBe(
      '--- a/t.py\n+++ b/t.py\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n',
    );
  });

  it('colours only when asked', () => {
    const plain = renderDiff(before, after, { color: false });
    const coloured = renderDiff(before, after, { color: true });
    expect(coloured).toContain('\x1b[32m+y = 20\x1b[39m');
    expect(coloured).toContain('\x1b[31m-y = 2\x1b[39m');
    expect(coloured).toContain('\x1b[36m@@ -1,3 +1,3 @@\x1b[39m');
    expect(plain).not.toContain('\x1b[');
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(plain);
  });
});

describe('summarize / formatSummary', () => {
  it('counts files and lines', () => {
    const summary = summarize(
      new Map([['a.py', 'x\ny\n'], ['gone.py', 'o\np\nq\n']]),
      new Map<string, string | null>([['a.py', 'x\nY\nz\n'], ['gone.py', null], ['n.py', 'n\n'], ['none.py', null]]),
    );
    expect(summary).toEqual({
      files: [
        { path: 'a.py', status: 'changed', added: 2, removed: 1 },
        { path: 'gone.py', status: 'deleted', added: 0, removed: 3 },
        { path: 'n.py', status: 'created', added: 1, removed: 0 },
      ],
      filesChanged: 1,
      filesCreated: 1,
      filesDeleted: 1,
      linesAdded: 3,
      linesRemoved: 4,
    });
    expect(formatSummary(summary)).toBe('1 file changed, 1 created, 1 deleted; +3 -4 lines');
    expect(formatSummary(summarize(new Map(), new Map()))).toBe('no changes');
  });
});

describe('writeAtomically', () => {
  it('writes, creates (with parent dirs) and deletes, keeping BOM, CRLF and permission bits', async () => {
    const root = tempDir();
    const after = scenario(root);
    const ws = await loadWorkspace(root);
    const result = await writeAtomically(root, after, ws);
    expect(result).toEqual({ written: ['a.py', 'b/c.py'], created: ['f.py', 'new/deep/e.py'], deleted: ['d.py'], leftovers: [] });
    const umask = process.umask();
    expect(snapshot(root)).toEqual({
      'a.py': `file ${(0o644 & ~umask).toString(8)} ${Buffer.concat([BOM, Buffer.from('a = 2\n')]).toString('base64')}`,
      'b/': `dir ${(0o777 & ~umask).toString(8)}`,
      'b/c.py': `file 755 ${Buffer.from('c = 2\r\n').toString('base64')}`,
      'f.py': `file ${(0o666 & ~umask).toString(8)} ${Buffer.from('f = 1\n').toString('base64')}`,
      'keep.py': `file ${(0o644 & ~umask).toString(8)} ${Buffer.from('untouched\n').toString('base64')}`,
      'new/': `dir ${(0o777 & ~umask).toString(8)}`,
      'new/deep/': `dir ${(0o777 & ~umask).toString(8)}`,
      'new/deep/e.py': `file ${(0o666 & ~umask).toString(8)} ${Buffer.from('e = 1\n').toString('base64')}`,
    });
  });

  it('round-trips CRLF, BOM and a missing final newline through a changeset', async () => {
    const root = tempDir();
    put(root, 'crlf.py', Buffer.concat([BOM, Buffer.from('import os\r\n\r\nx = 1\r\n')]));
    put(root, 'nofinal.py', 'def f():\n    return 1');
    const ws = await loadWorkspace(root);
    const changes = new Changeset(new Map(ws.texts().map((f) => [f.path, f.text])));
    changes.insert('crlf.py', 'import os\r\n'.length, 'import sys\n', origin);
    changes.insert('nofinal.py', 'def f():\n    return 1'.length, '\n\n\ndef g():\n    return 2\n', origin);
    await writeAtomically(root, changes.apply(), ws);
    expect(readFileSync(path.join(root, 'crlf.py'))).toEqual(Buffer.concat([BOM, Buffer.from('import os\r\nimport sys\r\n\r\nx = 1\r\n')]));
    expect(readFileSync(path.join(root, 'nofinal.py'), 'utf8')).toBe('def f():\n    return 1\n\n\ndef g():\n    return 2');
  });

  it('leaves the tree byte-identical when any file-system call fails, and complete when none does', async () => {
    const template = tempDir();
    const after = scenario(template);
    const before = snapshot(template);
    const done = tempDir();
    cpSync(template, done, { recursive: true });
    await writeAtomically(done, after, await loadWorkspace(done));
    const expected = snapshot(done);

    const probe = failingFs(Number.MAX_SAFE_INTEGER);
    const probeRoot = tempDir();
    cpSync(template, probeRoot, { recursive: true });
    await writeAtomically(probeRoot, after, await loadWorkspace(probeRoot), { fs: probe.fs });
    const total = probe.calls();
    expect(total).toBeGreaterThan(20);

    let rolledBack = 0;
    for (let k = 1; k <= total; k++) {
      const root = tempDir();
      cpSync(template, root, { recursive: true });
      const ws = await loadWorkspace(root);
      const { fs } = failingFs(k);
      let outcome: unknown;
      try {
        outcome = await writeAtomically(root, after, ws, { fs });
      } catch (error) {
        outcome = error;
      }
      if (outcome instanceof Error) {
        expect(outcome).toBeInstanceOf(ApplyError);
        expect((outcome as ApplyError).code).not.toBe('rollback-failed');
        expect(snapshot(root)).toEqual(before);
        rolledBack++;
      } else {
        // Only a failure after the commit point (removing a backup) can succeed; it is reported, not hidden.
        const { leftovers } = outcome as { leftovers: string[] };
        expect(leftovers).toHaveLength(1);
        const now = snapshot(root);
        delete now[leftovers[0]];
        expect(now).toEqual(expected);
      }
    }
    expect(rolledBack).toBeGreaterThan(total / 2);
  });

  it('rolls back when a parent of a new file is a regular file (a real failure midway)', async () => {
    const root = tempDir();
    put(root, 'a.py', 'a = 1\n');
    put(root, 'z', 'not a directory\n');
    const before = snapshot(root);
    const ws = await loadWorkspace(root);
    await expect(writeAtomically(root, new Map([['a.py', 'a = 2\n'], ['z/new.py', 'n\n']]), ws)).rejects.toMatchObject({
      code: 'write-failed',
    });
    expect(snapshot(root)).toEqual(before);
  });

  it('restores swapped files and leaves a path someone else created alone', async () => {
    const root = tempDir();
    put(root, 'a.py', 'a = 1\n');
    const ws = await loadWorkspace(root);
    const before = snapshot(root);
    const fs: Partial<WriteFs> = {
      rename: async (from, to) => {
        await fsp.rename(from, to);
        // A concurrent process grabs the path of the new file right after a.py is swapped in.
        if (to.endsWith('a.py') && from.includes('remodel-tmp')) mkdirSync(path.join(root, 'b.py'));
      },
    };
    await expect(writeAtomically(root, new Map([['a.py', 'a = 2\n'], ['b.py', 'b\n']]), ws, { fs })).rejects.toMatchObject({
      code: 'write-failed',
    });
    expect(snapshot(root)).toEqual({ ...before, 'b.py/': `dir ${(0o777 & ~process.umask()).toString(8)}` });
  });

  it('refuses files changed or removed on disk since they were read, before writing anything', async () => {
    const root = tempDir();
    put(root, 'a.py', 'a = 1\n');
    put(root, 'b.py', 'b = 1\n');
    const ws = await loadWorkspace(root);
    writeFileSync(path.join(root, 'b.py'), 'b = 1  # edited meanwhile\n');
    const before = snapshot(root);
    await expect(writeAtomically(root, new Map([['a.py', 'a = 2\n'], ['b.py', 'b = 2\n']]), ws)).rejects.toThrow(
      'b.py: changed on disk since remodel read it; re-run to plan against the new text',
    );
    rmSync(path.join(root, 'b.py'));
    await expect(writeAtomically(root, new Map([['b.py', null]]), ws)).rejects.toMatchObject({ code: 'stale' });
    expect(snapshot(root)).toEqual({ 'a.py': before['a.py'] });
  });

  it('refuses to create over an existing path, even a directory', async () => {
    const root = tempDir();
    put(root, 'a.py', 'a\n');
    mkdirSync(path.join(root, 'pkg.py'));
    const ws = await loadWorkspace(root);
    const before = snapshot(root);
    await expect(writeAtomically(root, new Map([['a.py', 'b\n'], ['pkg.py', 'x\n']]), ws)).rejects.toThrow(
      'pkg.py: cannot create, something already exists there',
    );
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses paths outside the root: .. and through a symlink', async () => {
    const root = tempDir();
    const outside = tempDir('remodel-outside-');
    put(root, 'a.py', 'a\n');
    symlinkSync(outside, path.join(root, 'link'));
    const ws = await loadWorkspace(root);
    const before = snapshot(root);
    await expect(writeAtomically(root, new Map([['../escape.py', 'x\n']]), ws)).rejects.toThrow(WorkspaceError);
    await expect(writeAtomically(root, new Map([['a.py', 'b\n'], ['link/x.py', 'x\n']]), ws)).rejects.toMatchObject({
      code: 'outside-root',
    });
    expect(snapshot(root)).toEqual(before);
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(path.dirname(root)).filter((n) => n === 'escape.py')).toEqual([]);
  });

  it('never rewrites a file that is not valid UTF-8, and never deletes a file it did not read', async () => {
    const root = tempDir();
    put(root, 'latin1.py', Buffer.from([0x78, 0x3d, 0xe9, 0x0a]));
    put(root, 'notes.txt', 'n\n');
    const ws = await loadWorkspace(root);
    await expect(writeAtomically(root, new Map([['latin1.py', 'x = 1\n']]), ws)).rejects.toMatchObject({ code: 'invalid-utf8' });
    await expect(writeAtomically(root, new Map([['notes.txt', null]]), ws)).rejects.toMatchObject({ code: 'not-in-workspace' });
    expect(readFileSync(path.join(root, 'latin1.py'))).toEqual(Buffer.from([0x78, 0x3d, 0xe9, 0x0a]));
  });

  it('writes nothing for texts equal to the original', async () => {
    const root = tempDir();
    put(root, 'a.py', Buffer.concat([BOM, Buffer.from('a\n')]));
    const ws = await loadWorkspace(root);
    const fs: Partial<WriteFs> = { writeFile: async () => Promise.reject(new Error('must not write')) };
    expect(await writeAtomically(root, new Map([['a.py', 'a\n']]), ws, { fs })).toEqual({ written: [], created: [], deleted: [], leftovers: [] });
  });

  it('defers a signal arriving during the write, rolls back, then reports it', async () => {
    const root = tempDir();
    const after = scenario(root);
    const ws = await loadWorkspace(root);
    const before = snapshot(root);
    const listeners = process.listenerCount('SIGUSR2');
    const onInterrupt = jest.fn();
    const renamed: [string, string][] = [];
    const fs: Partial<WriteFs> = {
      rename: async (from, to) => {
        await fsp.rename(from, to);
        renamed.push([from, to]);
        // Jest gives each test file its own \`process\` object, so a real signal would not reach the listener here;
        // emitting it exercises the same listener (the real-process test below covers delivery).
        if (renamed.length === 1) process.emit('SIGUSR2', 'SIGUSR2');
      },
    };
    await expect(writeAtomically(root, after, ws, { fs, signals: ['SIGUSR2'], onInterrupt })).rejects.toMatchObject({
      code: 'interrupted',
      message: 'interrupted by SIGUSR2; nothing was changed',
    });
    expect(onInterrupt).toHaveBeenCalledWith('SIGUSR2');
    // One file was swapped in before the signal, none after; the rollback renamed its backup back.
    expect(renamed.map(([from, to]) => `${path.basename(from)} -> ${path.basename(to)}`)).toEqual([
      `.a.py.remodel-tmp-${process.pid} -> a.py`,
      `.a.py.remodel-bak-${process.pid} -> a.py`,
    ]);
    expect(snapshot(root)).toEqual(before);
    expect(process.listenerCount('SIGUSR2')).toBe(listeners);
  });

  it('finishes a write whose commit point has passed when the signal arrives, then reports it', async () => {
    const root = tempDir();
    put(root, 'a.py', 'a\n');
    const ws = await loadWorkspace(root);
    const onInterrupt = jest.fn();
    const fs: Partial<WriteFs> = {
      unlink: async (file) => {
        process.emit('SIGUSR2', 'SIGUSR2');
        await fsp.unlink(file);
      },
    };
    await writeAtomically(root, new Map([['a.py', 'b\n']]), ws, { fs, signals: ['SIGUSR2'], onInterrupt });
    expect(onInterrupt).toHaveBeenCalledWith('SIGUSR2');
    expect(readdirSync(root)).toEqual(['a.py']);
    expect(readFileSync(path.join(root, 'a.py'), 'utf8')).toBe('b\n');
  });

  it('re-raises SIGINT after restoring the tree when nothing else handles it (real process)', async () => {
    const build = tempDir('remodel-apply-js-');
    const src = path.dirname(fileURLToPath(import.meta.url));
    for (const name of ['errors', 'eol', 'workspace', 'apply']) {
      const out = ts.transpileModule(readFileSync(path.join(src, `${name}.ts`), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
      });
      writeFileSync(path.join(build, `${name}.js`), out.outputText);
    }
    writeFileSync(path.join(build, 'package.json'), '{"type":"module"}');
    symlinkSync(path.resolve(src, '../../../node_modules'), path.join(build, 'node_modules'));
    writeFileSync(
      path.join(build, 'child.js'),
      `import * as fsp from 'node:fs/promises';
import { loadWorkspace } from './workspace.js';
import { writeAtomically } from './apply.js';
const root = process.argv[2];
const ws = await loadWorkspace(root);
let renames = 0;
const rename = async (a, b) => {
  await fsp.rename(a, b);
  if (++renames === 2) { process.kill(process.pid, 'SIGINT'); await new Promise((r) => setTimeout(r, 200)); }
};
await writeAtomically(root, new Map([['a.py', 'a = 2\\n'], ['b.py', 'b = 2\\n'], ['c/new.py', 'n\\n'], ['d.py', null]]), ws, { fs: { rename } });
console.log('finished');
`,
    );
    const root = tempDir();
    put(root, 'a.py', 'a = 1\n');
    put(root, 'b.py', 'b = 1\r\n');
    put(root, 'd.py', 'd\n');
    const before = snapshot(root);
    const child = spawnSync(process.execPath, [path.join(build, 'child.js'), root], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('');
    expect(child.signal === 'SIGINT' || child.status === 130).toBe(true);
    expect(snapshot(root)).toEqual(before);
  });
});
