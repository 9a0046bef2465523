import { loadPython, Project } from '@remodel/python';
import { checks } from './index.js';

beforeAll(loadPython);

/**
 * The checks read only the files a change can affect (touched files, files whose imports or patch strings name a
 * touched module, the modules the route replay consulted). Property: on random projects and random changes they
 * report exactly what they report when made to read every file (`whole`).
 */

/** Small deterministic generator (LCG), so a failure names a seed that reproduces it. */
function rng(seed: number): { int(n: number): number; pick<T>(xs: T[]): T; chance(p: number): boolean } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return {
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
}

const N = 6;

function moduleText(r: ReturnType<typeof rng>, k: number, names: string[]): string {
  const lines: string[] = [];
  for (let i = 0; i < 3; i++) {
    const j = r.int(N + 1);
    lines.push(
      r.pick([
        `import app.m${j}`,
        `from app.m${j} import f${j}`,
        `from app import m${j}`,
        `from . import m${j}`,
        `from .m${j} import C${j}`,
        `from app.m${j} import gone`,
        `from app import VERSION`,
      ]),
    );
  }
  if (r.chance(0.3)) lines.push('from typing import TYPE_CHECKING', '', 'if TYPE_CHECKING:', `    from app.m${r.int(N)} import f0`);
  lines.push('', '');
  for (const name of names) lines.push(`def ${name}():`, `    from app.m${r.int(N)} import f${r.int(N)}`, '    return 1', '', '');
  lines.push(`class C${k}:`, '    attr = 1', '');
  return lines.join('\n');
}

function tree(r: ReturnType<typeof rng>): Record<string, string> {
  const files: Record<string, string> = {
    // The package binding `m2` too: once app/m2.py is deleted, `from app import m2` imports the package instead.
    'app/__init__.py': r.pick(['VERSION = 1\n', 'from app.m1 import f1\nVERSION = 1\n', 'from app.m1 import f1\nVERSION = 1\nm2 = None\n']),
    'app/api.py': 'from fastapi import APIRouter\n\nrouter = APIRouter(prefix="/api")\n\n\n@router.get("/items")\ndef items():\n    return []\n',
    'app/main.py': 'from fastapi import FastAPI\n\nfrom app.api import router\nfrom app.m0 import f0\n\napp = FastAPI()\napp.include_router(router)\n',
  };
  for (let k = 0; k < N; k++) files[`app/m${k}.py`] = moduleText(r, k, [`f${k}`]);
  const patches = Array.from({ length: 4 }, () => {
    const k = r.int(N + 1);
    return r.pick([`app.m${k}.f${k}`, `app.m${k}.C${k}.attr`, `app.m${k}.C${k}.nope`, `app.m${k}`]);
  });
  files['tests/test_app.py'] = `from unittest import mock\n\n${patches.map((p, i) => `\n@mock.patch("${p}")\ndef test_${i}(m):\n    pass\n`).join('\n')}`;
  return files;
}

function change(r: ReturnType<typeof rng>, files: Record<string, string>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const edits = 1 + r.int(2);
  for (let e = 0; e < edits; e++) {
    const k = r.int(N + 1);
    const path = `app/m${k}.py`;
    switch (r.int(5)) {
      case 0:
        out[path] = path in files ? null : moduleText(r, k, [`f${k}`]);
        break;
      case 1:
        out[path] = moduleText(r, k, r.chance(0.5) ? [] : [`f${k}`]);
        break;
      case 2:
        out['app/api.py'] = files['app/api.py'].replace('"/items"', r.pick(['"/things"', '"/items"', '"/{item_id}"']));
        break;
      case 3:
        out['app/main.py'] = files['app/main.py'].replace('from app.m0 import f0', `from app.m${k} import f${k}`);
        break;
      default:
        out[path] = (files[path] ?? '') + `\nimport app.m${r.int(N + 1)}\n`;
    }
  }
  return out;
}

describe('checks read only what a change can affect', () => {
  it('report the same problems as reading every file, on 150 random projects and changes', () => {
    let problems = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const r = rng(seed);
      const files = tree(r);
      const changes = change(r, files);
      const before = new Project(Object.entries(files).map(([path, text]) => ({ path, text })));
      const after = before.withChanges(new Map(Object.entries(changes)));
      const touched = Object.keys(changes);
      for (const check of checks) {
        const near = check({ before, after, touched });
        const whole = check({ before, after, touched, whole: true });
        problems += whole.length;
        expect({ seed, check: check.name, problems: near }).toEqual({ seed, check: check.name, problems: whole });
      }
    }
    // The generator must produce changes that break things, or the comparison proves nothing.
    expect(problems).toBeGreaterThan(30);
  });
});
