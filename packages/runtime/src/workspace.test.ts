import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkspaceError } from './errors.js';
import { decodeUtf8, encodeUtf8, loadWorkspace, resolveInside } from './workspace.js';

let dir: string;
let outside: string;

function put(rel: string, content: string | Buffer): void {
  const abs = path.join(dir, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, content);
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'remodel-ws-'));
  outside = mkdtempSync(path.join(tmpdir(), 'remodel-outside-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('loadWorkspace', () => {
  it('lists Python files and skips git, virtualenvs, caches, hidden dirs, ignored and symlinked files', async () => {
    put('app/__init__.py', '');
    put('app/main.py', 'x = 1\n');
    put('.git/hooks/x.py', 'x\n');
    put('.venv/lib/a.py', 'x\n');
    put('.tox/py311/a.py', 'x\n');
    put('venv/lib/a.py', 'x\n');
    put('env/bin/a.py', 'x\n');
    put('settings/env/__init__.py', 'DEBUG = 1\n'); // a package named env is code, not a virtualenv
    put('py311/pyvenv.cfg', 'home = /usr/bin\n');
    put('py311/lib/python3.11/site-packages/req/api.py', 'x\n');
    put('lib/site-packages/b.py', 'x\n');
    put('web/node_modules/c.py', 'x\n');
    put('app/__pycache__/main.cpython-311.py', 'x\n');
    put('.hidden/tool.py', 'x\n');
    put('README.md', '# not python\n');
    put('.gitignore', 'build/\n*.gen.py\n');
    put('build/lib/app.py', 'x\n');
    put('app/models.gen.py', 'x\n');
    put('app/sub/.gitignore', '!keep.gen.py\nlocal_*.py\n');
    put('app/sub/keep.gen.py', 'x\n');
    put('app/sub/local_settings.py', 'x\n');
    put('app/sub/real.py', 'x\n');
    put('.git/info/exclude', 'scratch.py\n');
    put('scratch.py', 'x\n');
    writeFileSync(path.join(outside, 'o.py'), 'secret = 1\n');
    symlinkSync(path.join(outside, 'o.py'), path.join(dir, 'app/linked.py'));
    symlinkSync(outside, path.join(dir, 'app/linkdir'));

    const ws = await loadWorkspace(dir);
    expect([...ws.files.keys()]).toEqual([
      'app/__init__.py',
      'app/main.py',
      'app/sub/keep.gen.py',
      'app/sub/real.py',
      'settings/env/__init__.py',
    ]);
    expect(ws.invalid).toEqual([]);
    expect(ws.root).toBe(path.resolve(dir));
  });

  it('applies include and exclude globs', async () => {
    put('app/a.py', 'a\n');
    put('app/tests/test_a.py', 't\n');
    put('scripts/s.py', 's\n');
    put('app/data.txt', 'd\n');
    const ws = await loadWorkspace(dir, { include: ['app/**/*.py', 'app/*.txt'], exclude: ['**/tests/**'] });
    expect([...ws.files.keys()]).toEqual(['app/a.py', 'app/data.txt']);
  });

  it('records BOM, line ending, final newline, bytes and mode per file', async () => {
    put('lf.py', 'a = 1\nb = 2\n');
    put('crlf.py', 'a = 1\r\nb = 2\r\nc = 3\n');
    put('bom.py', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x = "é"\n')]));
    put('nofinal.py', 'x = 1');
    const ws = await loadWorkspace(dir);
    const pick = (p: string) => {
      const f = ws.file(p)!;
      return { text: f.text, bom: f.bom, eol: f.eol, finalNewline: f.finalNewline };
    };
    expect(pick('lf.py')).toEqual({ text: 'a = 1\nb = 2\n', bom: false, eol: '\n', finalNewline: true });
    expect(pick('crlf.py')).toEqual({ text: 'a = 1\r\nb = 2\r\nc = 3\n', bom: false, eol: '\r\n', finalNewline: true });
    expect(pick('bom.py')).toEqual({ text: 'x = "é"\n', bom: true, eol: '\n', finalNewline: true });
    expect(pick('nofinal.py')).toEqual({ text: 'x = 1', bom: false, eol: '\n', finalNewline: false });
    expect(ws.file('bom.py')!.bytes).toEqual(Buffer.from('\ufeffx = "é"\n'));
    expect(ws.file('lf.py')!.mode & 0o777).toBe(0o644 & ~process.umask());
    expect(ws.texts()).toEqual([
      { path: 'bom.py', text: 'x = "é"\n' },
      { path: 'crlf.py', text: 'a = 1\r\nb = 2\r\nc = 3\n' },
      { path: 'lf.py', text: 'a = 1\nb = 2\n' },
      { path: 'nofinal.py', text: 'x = 1' },
    ]);
  });

  it('lists files that are not valid UTF-8 as invalid and leaves them out of files', async () => {
    put('latin1.py', Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x27, 0xe9, 0x27, 0x0a]));
    put('ok.py', 'x = 1\n');
    const ws = await loadWorkspace(dir);
    expect(ws.invalid).toEqual(['latin1.py']);
    expect([...ws.files.keys()]).toEqual(['ok.py']);
  });

  it('refuses a root that is not a directory and globs that leave the root', async () => {
    put('f.py', 'x\n');
    await expect(loadWorkspace(path.join(dir, 'missing'))).rejects.toMatchObject({ code: 'bad-root', exitCode: 2 });
    await expect(loadWorkspace(path.join(dir, 'f.py'))).rejects.toThrow(WorkspaceError);
    await expect(loadWorkspace(dir, { include: ['../**/*.py'] })).rejects.toThrow(
      '../**/*.py: glob must be relative to the project root and stay inside it',
    );
  });
});

describe('resolveInside', () => {
  it('resolves paths inside the root, existing or not', async () => {
    put('app/a.py', '');
    const ws = await loadWorkspace(dir);
    expect(ws.resolveInside('app/a.py')).toBe(path.join(dir, 'app/a.py'));
    expect(ws.resolveInside('app/new/deep/b.py')).toBe(path.join(dir, 'app/new/deep/b.py'));
    expect(ws.resolveInside('app/../b.py')).toBe(path.join(dir, 'b.py'));
    expect(ws.resolveInside(path.join(dir, 'app/a.py'))).toBe(path.join(dir, 'app/a.py'));
  });

  it('refuses .. escapes and absolute paths elsewhere', () => {
    expect(() => resolveInside(dir, '../x.py')).toThrow(`../x.py: path is outside the project root ${path.resolve(dir)}`);
    expect(() => resolveInside(dir, 'app/../../x.py')).toThrow(WorkspaceError);
    expect(() => resolveInside(dir, '/etc/passwd')).toThrow('/etc/passwd: path is outside the project root');
    try {
      resolveInside(dir, '..');
      throw new Error('not refused');
    } catch (error) {
      expect(error).toMatchObject({ code: 'outside-root', exitCode: 2 });
    }
  });

  it('refuses paths that lead outside through a symlinked directory or file', () => {
    symlinkSync(outside, path.join(dir, 'link'));
    writeFileSync(path.join(outside, 'o.py'), 'x\n');
    symlinkSync(path.join(outside, 'o.py'), path.join(dir, 'evil.py'));
    expect(() => resolveInside(dir, 'link/x.py')).toThrow('link/x.py: path leads outside the project root');
    expect(() => resolveInside(dir, 'link/new/dir/x.py')).toThrow(WorkspaceError);
    expect(() => resolveInside(dir, 'evil.py')).toThrow(WorkspaceError);
  });

  it('accepts a symlink that stays inside the root', () => {
    mkdirSync(path.join(dir, 'real'));
    symlinkSync(path.join(dir, 'real'), path.join(dir, 'alias'));
    expect(resolveInside(dir, 'alias/x.py')).toBe(path.join(dir, 'alias/x.py'));
  });
});

describe('decodeUtf8 / encodeUtf8', () => {
  it('round-trips bytes with and without BOM', () => {
    for (const bytes of [Buffer.from('\ufeffa\r\nb'), Buffer.from('plain é\n'), Buffer.from('\ufeff\ufeffdouble')]) {
      const decoded = decodeUtf8(bytes)!;
      expect(encodeUtf8(decoded.text, decoded.bom)).toEqual(bytes);
    }
    expect(decodeUtf8(Buffer.from('\ufeff\ufeffdouble'))!.text).toBe('\ufeffdouble');
    expect(decodeUtf8(Buffer.from([0xc3]))).toBeUndefined();
  });
});
