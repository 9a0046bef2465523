import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const CLI = path.resolve('packages/cli/dist/main.js');

function remodel(args: string[], cwd = process.cwd(), env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('node', [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', ...env } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trimEnd();
}

const FILES: Record<string, string> = {
  'pkg/__init__.py': '',
  'pkg/helpers.py': `"""Helpers."""
import re

UNITS = {"k": 1024, "m": 1024 * 1024}


# Parses "10k" into bytes.
def parse_size(text):
    match = re.match(r"(\\d+)([km]?)$", text)
    return int(match.group(1)) * UNITS.get(match.group(2), 1)


def shout(text):
    return text.upper()
`,
  'pkg/service.py': `from pkg.helpers import parse_size, shout


def limit(text):
    return parse_size(text)


def greet(name):
    return shout(name)
`,
  'tests/test_service.py': `from unittest import mock

from pkg import service
from pkg.helpers import parse_size


def test_parse():
    assert parse_size("2k") == 2048


def test_limit_patched():
    with mock.patch("pkg.service.parse_size", return_value=7):
        assert service.limit("1k") == 7
`,
};

const SPEC = `id: move-size
title: Move size parsing to pkg.sizes
rationale: helpers.py mixes unrelated helpers.
steps:
  - op: move-symbols
    from: pkg.helpers
    to: pkg.sizes
    symbols: [parse_size]
    move-dependencies: true
`;

function project(extra: Record<string, string> = {}): { root: string; codemods: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'remodel-cli-'));
  for (const [p, text] of Object.entries({ ...FILES, ...extra })) {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), text);
  }
  const codemods = mkdtempSync(path.join(tmpdir(), 'remodel-specs-'));
  writeFileSync(path.join(codemods, 'move-size.yaml'), SPEC);
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'init');
  return { root, codemods };
}

describe('remodel CLI', () => {
  it('prints help listing every command and exits 0', () => {
    const r = remodel(['--help']);
    expect(r.status).toBe(0);
    for (const cmd of ['list', 'apply', 'verify', 'run', 'review', 'routes']) expect(r.stdout).toContain(`remodel ${cmd}`);
  });

  it('exits 2 on an unknown command or a missing argument', () => {
    expect(remodel(['frobnicate']).status).toBe(2);
    const r = remodel(['apply']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^remodel: /);
  });

  it('lists id and title of each codemod', () => {
    const { codemods } = project();
    const r = remodel(['list', '--codemods', codemods]);
    expect(r.stdout).toBe('move-size  Move size parsing to pkg.sizes\n');
  });

  it('lists the bundled codemods', () => {
    const r = remodel(['list']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/split-orchestrator/);
  });

  it('previews with --dry-run and writes nothing', () => {
    const { root, codemods } = project();
    const r = remodel(['apply', 'move-size', '--root', root, '--codemods', codemods, '--dry-run']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--- a/pkg/helpers.py');
    expect(r.stdout).toContain('+++ b/pkg/sizes.py');
    expect(r.stdout).toContain('+def parse_size(text):');
    expect(r.stdout).toMatch(/1 file changed, 1 created.*\+\d+ -\d+ lines/);
    expect(existsSync(path.join(root, 'pkg/sizes.py'))).toBe(false);
    expect(git(root, 'status', '--porcelain')).toBe('');
  });

  it('applies, keeps the old import path, and reports nothing left to do the second time', () => {
    const { root, codemods } = project();
    const first = remodel(['apply', 'move-size', '--root', root, '--codemods', codemods]);
    expect(first.status).toBe(0);
    expect(readFileSync(path.join(root, 'pkg/sizes.py'), 'utf8')).toContain('def parse_size(text):');
    expect(readFileSync(path.join(root, 'pkg/helpers.py'), 'utf8')).toContain('from pkg.sizes import UNITS, parse_size');
    expect(remodel(['verify', '--root', root]).status).toBe(0);
    const second = remodel(['apply', 'move-size', '--root', root, '--codemods', codemods]);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('move-size: nothing left to do');
    expect(git(root, 'status', '--porcelain').split('\n').sort()).toEqual([' M pkg/helpers.py', '?? pkg/sizes.py']);
  });

  it('refuses a spec naming a symbol that does not exist, in one line, writing nothing', () => {
    const { root, codemods } = project();
    writeFileSync(path.join(codemods, 'move-size.yaml'), SPEC.replace('[parse_size]', '[parse_sise]'));
    const r = remodel(['apply', 'move-size', '--root', root, '--codemods', codemods]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('parse_sise');
    expect(git(root, 'status', '--porcelain')).toBe('');
  });

  it('reports an invalid spec with file, line and field (exit 2)', () => {
    const { root, codemods } = project();
    writeFileSync(path.join(codemods, 'move-size.yaml'), SPEC.replace('symbols: [parse_size]', 'symbols: parse_size'));
    const r = remodel(['apply', 'move-size', '--root', root, '--codemods', codemods]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`remodel: ${path.join(codemods, 'move-size.yaml')}:8: steps[0].symbols: must be array\n`);
  });

  it('verify reports a syntax error as file:line and exits 1', () => {
    const { root } = project({ 'pkg/broken.py': 'def f(:\n    pass\n' });
    const r = remodel(['verify', '--root', root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^pkg\/broken\.py:1: syntax error/m);
  });

  it('verify keeps analyses of unchanged files between runs, and sees every edit', () => {
    const { root } = project();
    const cache = mkdtempSync(path.join(tmpdir(), 'remodel-cli-cache-'));
    const env = { REMODEL_CACHE_DIR: cache };
    expect(remodel(['verify', '--root', root], undefined, env).stdout).toMatch(/^ok: \d+ files, no problems$/m);
    expect(readdirSync(cache).filter((n) => n.endsWith('.json'))).toHaveLength(1);
    expect(remodel(['verify', '--root', root], undefined, env).status).toBe(0);
    writeFileSync(path.join(root, 'pkg/service.py'), 'def limit(text):\n    return parse_size(text)\n');
    const r = remodel(['verify', '--root', root], undefined, env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^pkg\/service\.py:2: undefined name `parse_size`$/m);
    const none = mkdtempSync(path.join(tmpdir(), 'remodel-cli-cache-'));
    expect(remodel(['verify', '--root', root, '--no-cache'], undefined, { REMODEL_CACHE_DIR: none }).status).toBe(1);
    expect(readdirSync(none)).toEqual([]);
  });

  it('verify shows an import cycle the tree already has as a warning and exits 0', () => {
    const { root } = project({ 'pkg/a.py': 'from pkg import b\n', 'pkg/b.py': 'from pkg import a\n' });
    const r = remodel(['verify', '--root', root]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^pkg\/a\.py:1: warning: import-time cycle: pkg\.a -> pkg\.b -> pkg\.a /m);
    expect(r.stdout).toMatch(/^ok: \d+ files, no problems \(1 warning\)$/m);
  });

  it('refuses to touch a file with a syntax error', () => {
    const { root, codemods } = project({ 'pkg/helpers.py': `${FILES['pkg/helpers.py']}\ndef broken(:\n` });
    const r = remodel(['apply', 'move-size', '--root', root, '--codemods', codemods]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/pkg\/helpers\.py:\d+: .*syntax/);
    expect(git(root, 'status', '--porcelain')).toBe('');
  });

  it('run refuses a dirty work tree', () => {
    const { root, codemods } = project();
    writeFileSync(path.join(root, 'pkg/service.py'), '# edited\n');
    const r = remodel(['run', 'move-size', '--root', root, '--branch', 'refactor/x', '--codemods', codemods, '--no-review']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/pkg\/service\.py/);
    expect(git(root, 'branch', '--list', 'refactor/x')).toBe('');
  });

  it('run commits each codemod on a new branch and writes the report', () => {
    const { root, codemods } = project();
    const r = remodel(['run', 'move-size', '--root', root, '--branch', 'refactor/x', '--codemods', codemods]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(git(root, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('refactor/x');
    const log = git(root, 'log', '--format=%s', 'main..HEAD').split('\n');
    expect(log).toEqual(['docs: change report (077_przeglad_backend_report.md)', 'refactor(move-size): Move size parsing to pkg.sizes']);
    expect(git(root, 'log', '-1', '--skip=1', '--format=%b')).toContain('parse_size');
    const report = readFileSync(path.join(root, 'docs/_done/077_przeglad_backend_report.md'), 'utf8');
    for (const section of ['Cel i zakres', 'Najważniejsze ryzyka', 'Znaleziska', 'Propozycje refaktoru', 'Wpływ na testy', 'Zmiany w dokumentacji']) {
      expect(report).toContain(`## ${section}`);
    }
    expect(report).toMatch(/\| `pkg\/sizes\.py` \| 0 \| \d+ \|/);
    expect(git(root, 'status', '--porcelain')).toBe('');
  });

  it('run stops at the first failing codemod and leaves the branch clean at the last good commit', () => {
    const { root, codemods } = project();
    writeFileSync(path.join(codemods, 'zz-bad.yaml'), SPEC.replace('id: move-size', 'id: zz-bad').replace('[parse_size]', '[missing_name]'));
    const r = remodel(['run', 'move-size', 'zz-bad', '--root', root, '--branch', 'refactor/y', '--codemods', codemods, '--no-review']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('zz-bad');
    expect(git(root, 'log', '--format=%s', 'main..HEAD')).toBe('refactor(move-size): Move size parsing to pkg.sizes');
    expect(git(root, 'status', '--porcelain')).toBe('');
  });

  it('refuses a target outside the project root and a missing root', () => {
    const { root, codemods } = project();
    writeFileSync(path.join(codemods, 'move-size.yaml'), SPEC.replace('to: pkg.sizes', 'to: ../../evil.py'));
    const outside = remodel(['apply', 'move-size', '--root', root, '--codemods', codemods]);
    expect(outside.status).toBe(1);
    expect(outside.stderr.trim().split('\n')).toHaveLength(1);
    expect(git(root, 'status', '--porcelain')).toBe('');
    const missing = remodel(['verify', '--root', path.join(root, 'nope')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/project root is not a directory/);
  });

  it('skips a file that is not valid UTF-8 with a warning and never rewrites it', () => {
    const { root, codemods } = project();
    const bytes = Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x27, 0xff, 0xfe, 0x27, 0x0a]);
    writeFileSync(path.join(root, 'pkg/latin.py'), bytes);
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'latin');
    const r = remodel(['apply', 'move-size', '--root', root, '--codemods', codemods]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('warning: pkg/latin.py: not valid UTF-8; skipped (never rewritten)\n');
    expect(readFileSync(path.join(root, 'pkg/latin.py')).equals(bytes)).toBe(true);
  });

  it('stops an interrupted run (SIGINT) at a checkpoint with a clean tree', async () => {
    const { root, codemods } = project();
    const head = git(root, 'rev-parse', 'HEAD');
    const child = spawn('node', [CLI, 'run', 'move-size', '--root', root, '--branch', 'refactor/int', '--codemods', codemods, '--no-review', '--test-command', 'sleep 4'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Interrupt once the run has created its branch (it is then inside the 4 s baseline test command).
    const poll = setInterval(() => {
      if (git(root, 'branch', '--list', 'refactor/int') !== '') {
        clearInterval(poll);
        setTimeout(() => child.kill('SIGINT'), 500);
      }
    }, 100);
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status).toBe(1);
    expect(stderr).toMatch(/interrupted/);
    expect(git(root, 'status', '--porcelain')).toBe('');
    expect(git(root, 'rev-parse', 'HEAD')).toBe(head);
    expect(existsSync(path.join(root, 'pkg/sizes.py'))).toBe(false);
  });
});
