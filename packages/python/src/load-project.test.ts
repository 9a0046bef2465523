import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject } from './load-project.js';
import { loadPython } from './parse.js';
import { Project } from './project.js';

beforeAll(loadPython);

const FILES = [
  { path: 'app/__init__.py', text: '' },
  { path: 'app/core.py', text: 'import os\n\nSTATE = None\n\ndef run():\n    return os.sep, helper()\n' },
  { path: 'app/util.py', text: 'from app.core import run, STATE\n\ndef helper():\n    return run\n' },
  { path: 'tests/test_core.py', text: 'from unittest import mock\nimport app.core as core\n\n@mock.patch("app.core.run")\ndef test_run(m):\n    assert core.STATE is None\n' },
  { path: 'broken.py', text: 'def f(:\n    pass\n' },
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'remodel-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const parsed = (p: Project): string[] => [...p.files.values()].filter((f) => (f as unknown as { parsed: boolean }).parsed).map((f) => f.path);

/** What the tests compare: the results of the queries a whole-project job makes. */
function results(p: Project): unknown {
  return {
    defs: [...p.files.keys()].map((path) => [...p.index(path).defs.keys()]),
    undefined: [...p.files.keys()].map((path) => p.scopes(path).undefinedNames().map((u) => `${u.name}:${u.line}`)),
    syntax: [...p.files.keys()].map((path) => p.syntaxProblems(path)),
    graph: [...p.importGraph()].map(([m, e]) => [m, [...e]]),
    refs: ['run', 'STATE', 'helper'].map((n) => p.references(n === 'helper' ? 'app.util' : 'app.core', n).map((r) => `${r.path}:${r.line}:${r.kind}`)),
  };
}

const packs = (): string[] => readdirSync(dir).filter((n) => n.endsWith('.json'));

describe('loadProject', () => {
  test('without a cache: every file parsed and summarized, answers like new Project', async () => {
    const p = await loadProject(FILES, { syntax: true });
    expect(results(p)).toEqual(results(new Project(FILES)));
  });

  test('a second load takes every summary from the cache and parses nothing', async () => {
    const cache = { root: '/projects/app', dir };
    const cold = await loadProject(FILES, { cache, syntax: true });
    expect(packs()).toHaveLength(1);
    const warm = await loadProject(FILES, { cache, syntax: true });
    expect(results(warm)).toEqual(results(cold));
    expect(parsed(warm)).toEqual([]);
    // a node read parses that file only
    expect(warm.index('app/core.py').defs.get('run')!.node.type).toBe('function_definition');
    expect(parsed(warm)).toEqual(['app/core.py']);
  });

  test('a changed file is summarized again; entries of files gone are dropped', async () => {
    const cache = { root: '/projects/app', dir };
    await loadProject(FILES, { cache });
    const edited = FILES.map((f) => (f.path === 'app/util.py' ? { ...f, text: 'def helper():\n    return undefined_now\n' } : f)).filter((f) => f.path !== 'broken.py');
    const p = await loadProject(edited, { cache });
    expect(parsed(p)).toEqual(['app/util.py']);
    expect(p.scopes('app/util.py').undefinedNames().map((u) => u.name)).toEqual(['undefined_now']);
    const pack = JSON.parse(readFileSync(join(dir, packs()[0]), 'utf8')) as { entries: object };
    expect(Object.keys(pack.entries)).toHaveLength(edited.length);
  });

  test('a summary cached without syntax problems is redone when they are asked for', async () => {
    const cache = { root: '/projects/app', dir };
    await loadProject(FILES, { cache });
    const p = await loadProject(FILES, { cache, syntax: true });
    expect(parsed(p)).toHaveLength(FILES.length);
    expect(p.syntaxProblems('broken.py')).not.toEqual([]);
    expect(parsed(await loadProject(FILES, { cache, syntax: true }))).toEqual([]);
  });

  test('a corrupt pack, or one made by other code, counts as empty', async () => {
    const cache = { root: '/projects/app', dir };
    await loadProject(FILES, { cache });
    const file = join(dir, packs()[0]);
    writeFileSync(file, '{"format": 1, "code": "x", "entries": {');
    expect(parsed(await loadProject(FILES, { cache }))).toHaveLength(FILES.length);
    const pack = JSON.parse(readFileSync(file, 'utf8')) as { code: string; entries: Record<string, unknown> };
    writeFileSync(file, JSON.stringify({ ...pack, code: 'made-by-another-version' }));
    expect(results(await loadProject(FILES, { cache }))).toEqual(results(new Project(FILES)));
  });

  test('projects at different roots keep separate packs', async () => {
    await loadProject(FILES, { cache: { root: '/projects/a', dir } });
    await loadProject(FILES, { cache: { root: '/projects/b', dir } });
    expect(packs()).toHaveLength(2);
  });

  test('a cache directory that cannot be made is not an error', async () => {
    writeFileSync(join(dir, 'file'), '');
    const p = await loadProject(FILES, { cache: { root: '/projects/app', dir: join(dir, 'file', 'cache') } });
    expect(results(p)).toEqual(results(new Project(FILES)));
    expect(readdirSync(dir)).toEqual(['file']);
  });
});
