import { loadPython, Project } from '@remodel/python';
import { extractFacts } from '../facts.js';
import { review } from '../review.js';
import { only, py, reviewOf } from '../testing.js';
import { cycles, importGraph } from './cycles.js';

beforeAll(loadPython);

const FILES: Record<string, string> = {
  'app/__init__.py': '',
  'app/a.py': 'from app.b import helper\n\nVALUE = 1\n',
  'app/b.py': 'import app.c\n\ndef helper():\n    return 1\n',
  'app/c.py': 'from . import a\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app.d import Model\n',
  'app/d.py': 'def late():\n    from app import e\n    return e\n',
  'app/e.py': 'from app.d import late\n',
  'app/f.py': 'from app import g\n',
  'app/g.py': 'from app.f import *\n',
};

describe('import cycles', () => {
  it('finds import-time cycles, skipping function-level and TYPE_CHECKING imports', () => {
    const r = reviewOf(FILES);
    const found = only(r, 'cycles/import-cycle');
    expect(found.map((f) => f.details)).toEqual([
      {
        kind: 'cycle',
        modules: ['app.a', 'app.b', 'app.c'],
        edges: [
          { from: 'app.a', to: 'app.b', path: 'app/a.py', line: 1 },
          { from: 'app.b', to: 'app.c', path: 'app/b.py', line: 1 },
          { from: 'app.c', to: 'app.a', path: 'app/c.py', line: 1 },
        ],
      },
      {
        kind: 'cycle',
        modules: ['app.f', 'app.g'],
        edges: [
          { from: 'app.f', to: 'app.g', path: 'app/f.py', line: 1 },
          { from: 'app.g', to: 'app.f', path: 'app/g.py', line: 1 },
        ],
      },
    ]);
    expect(found[0].message).toBe('Import cycle among 3 modules: `app.a` → `app.b` → `app.c` → `app.a`.');
    expect(found[0].metric).toEqual({ name: 'modules', value: 3, threshold: null });
  });

  it('agrees with Project.importGraph / cycles of @remodel/python, and uses them when given a Project', () => {
    const project = new Project(Object.entries(FILES).map(([path, text]) => ({ path, text })));
    const facts = Object.entries(FILES).map(([path, text]) => extractFacts(path, text));
    const byModule = new Map(facts.filter((f) => f.module).map((f) => [f.module!, f]));
    const mine = importGraph(facts, byModule);
    const theirs = project.importGraph({ importTimeOnly: true });
    const flat = (g: Map<string, Map<string, number>>): string[] => [...g].flatMap(([m, e]) => [...e].map(([t, l]) => `${m}->${t}@${l}`)).sort();
    expect(flat(mine)).toEqual(flat(theirs));
    expect(cycles(mine)).toEqual(project.cycles(theirs));
    const viaProject = only(review(project), 'cycles/import-cycle').map((f) => f.details);
    expect(viaProject).toEqual(only(reviewOf(FILES), 'cycles/import-cycle').map((f) => f.details));
  });

  it('reports nothing for an acyclic project', () => {
    expect(only(reviewOf({ 'x.py': 'import y\n', 'y.py': 'import os\n' }), 'cycles/import-cycle')).toEqual([]);
    expect(only(reviewOf({ 'p/__init__.py': 'from p.q import Q\n', 'p/q.py': py`
      class Q:
          pass
    ` }), 'cycles/import-cycle')).toEqual([]);
  });
});
