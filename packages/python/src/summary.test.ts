import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPython } from './parse.js';
import { Project } from './project.js';
import { summarize } from './summary.js';
import type { Node } from './parse.js';

beforeAll(loadPython);

/**
 * A Project whose files were loaded with summaries (as `loadProject` does) answers every query exactly as one that
 * parses its files, and answers the queries that return no nodes without parsing at all.
 */

const FIXTURES = fileURLToPath(new URL('../../../fixtures', import.meta.url));

function fixtureProjects(): [string, { path: string; text: string }[]][] {
  return readdirSync(FIXTURES)
    // fixtures/venom is one project; the other fixtures hold one project per case
    .flatMap((op) => (op === 'venom' ? [join(FIXTURES, op)] : readdirSync(join(FIXTURES, op)).map((name) => join(FIXTURES, op, name))))
    .filter((dir) => statSync(dir).isDirectory())
    .map((dir) => {
      const paths = (readdirSync(dir, { recursive: true }) as string[]).filter((p) => p.endsWith('.py')).sort();
      return [dir.slice(FIXTURES.length + 1), paths.map((p) => ({ path: p.split('\\').join('/'), text: readFileSync(join(dir, p), 'utf8') }))];
    });
}

const EDGES: { path: string; text: string }[] = [
  { path: 'pkg/__init__.py', text: 'from .core import *\n__all__ = ["Engine", "helper"]\n__all__ += ["extra"]\n' },
  {
    path: 'pkg/core.py',
    text: [
      'import os',
      'from typing import TYPE_CHECKING',
      'try:',
      '    import ujson as json',
      'except ImportError:',
      '    import json',
      'if TYPE_CHECKING:',
      '    from pkg.sub import leaf',
      '_state = None',
      'A, (B, *C) = 1, (2, 3)',
      '',
      '',
      '# comment above',
      '@decorator',
      'class Engine:',
      '    x: int = 1',
      '    def run(self, n=_state):',
      '        global _state',
      '        _state = n',
      '        return [i for i in range(n) if (y := i)] + undefined_thing',
      '',
      '',
      'def helper(f=lambda q: q + os.sep):',
      '    from pkg.sub import leaf as lf',
      '    return lf.value, f"{missing_name}"',
      '',
      'globals()["dyn"] = 1',
      '',
    ].join('\n'),
  },
  { path: 'pkg/sub/__init__.py', text: '' },
  { path: 'pkg/sub/leaf.py', text: 'value = 1\ndef deep():\n    return value\n' },
  {
    path: 'tests/test_core.py',
    text: [
      'from unittest import mock',
      'from unittest.mock import patch',
      'import pkg.sub.leaf',
      'import pkg.core as core',
      'from pkg import sub',
      'from pkg.core import Engine, helper, not_there',
      '',
      '@patch("pkg.core.helper")',
      'def test_a(m, monkeypatch):',
      '    monkeypatch.setattr("pkg.sub.leaf.value", 2)',
      '    monkeypatch.setattr(core, "_state", 3)',
      '    with mock.patch.object(sub.leaf, "deep"), patch.dict("pkg.core.os.environ", {}):',
      '        assert pkg.sub.leaf.deep() == core.Engine().run(1)',
      '    mocker.patch("pkg.sub.leaf.deep")',
      '',
      'def test_b():',
      '    import pkg.core as c2',
      '    return c2.helper, sub.leaf.value',
      '',
    ].join('\n'),
  },
  { path: 'broken.py', text: 'def f(:\n    return 1\nclass K:\n    pass\n' },
  { path: 'empty_block.py', text: 'if x:\n    # only a comment\nelse:\n    pass\n' },
];

const range = (n: Node | null | undefined): string => (n ? `${n.type}@${n.startIndex}-${n.endIndex}` : 'none');

/** Everything a project reports, with nodes as type and range. */
function dump(project: Project): unknown {
  const out: Record<string, unknown> = {};
  for (const path of [...project.files.keys()].sort()) {
    const index = project.index(path);
    const scopes = project.scopes(path);
    out[path] = {
      defs: [...index.defs.values()].map((d) => [d.name, d.kind, d.start, d.end, d.siblings, range(d.node), range(d.nameNode)]),
      imports: index.imports.map((b) => {
        const { statement, node, ...plain } = b;
        return [plain, range(statement), range(node), project.resolveImport(path, b), project.aliasTarget(path, b)];
      }),
      all: index.all,
      globalWrites: [...index.globalWrites].map(([name, nodes]) => [name, nodes.map(range)]),
      star: scopes.hasStarImport,
      undefined: scopes.undefinedNames().map((u) => [u.name, u.line, range(u.node)]),
      bindings: [...scopes.moduleBindings()].sort(),
      free: [...index.defs.values()].map((d) => [...scopes.freeNames(d.node)].map(([name, nodes]) => [name, nodes.map(range)])),
      syntax: project.syntaxProblems(path),
      patch: project.patchStrings(path).map((p) => [p.value, p.line, range(p.node)]),
    };
  }
  out.graph = [...project.importGraph({ importTimeOnly: true })].map(([m, edges]) => [m, [...edges]]);
  out.allEdges = [...project.importGraph()].map(([m, edges]) => [m, [...edges]]);
  out.references = queries(project).map(([m, name]) => project.references(m, name).map((r) => [r.path, r.kind, r.line, r.value, range(r.node)]));
  return out;
}

/** Every top-level name of every module, and every imported name. */
function queries(project: Project): [string, string][] {
  const out: [string, string][] = [];
  for (const file of project.files.values()) {
    if (!file.module) continue;
    for (const name of project.index(file.path).defs.keys()) out.push([file.module, name]);
    for (const b of project.index(file.path).imports) if (b.name && b.name !== '*') out.push([project.absoluteModule(file.path, b), b.name]);
  }
  return out;
}

function summarized(files: { path: string; text: string }[]): Project {
  return new Project(files.map((f) => ({ ...f, summary: summarize(f.text, { syntax: true }) })));
}

const parsedCount = (project: Project): number => [...project.files.values()].filter((f) => (f as unknown as { parsed: boolean }).parsed).length;

describe('a project loaded with summaries', () => {
  test.each([['edge cases', EDGES] as [string, typeof EDGES], ...fixtureProjects()])('answers like a parsed one: %s', (_name, files) => {
    expect(dump(summarized(files))).toEqual(dump(new Project(files)));
  });

  test('answers index, scope, import, graph and reference queries without parsing', () => {
    const project = summarized(EDGES);
    for (const path of project.files.keys()) {
      project.index(path).defs.size;
      project.scopes(path).undefinedNames().map((u) => u.line);
      project.scopes(path).moduleBindings();
      project.syntaxProblems(path);
      project.patchStrings(path).map((p) => p.line);
    }
    project.cycles(project.importGraph({ importTimeOnly: true }));
    const refs = queries(project).flatMap(([m, name]) => project.references(m, name));
    expect(refs.map((r) => `${r.path}:${r.line}:${r.kind}`)).toContain('tests/test_core.py:11:patch-object');
    expect(parsedCount(project)).toBe(0);
    // a node read parses the file it belongs to, and only that one
    expect(project.index('pkg/core.py').defs.get('Engine')!.node.type).toBe('decorated_definition');
    expect(parsedCount(project)).toBe(1);
  });

  test('a summary crosses threads: it is plain data', () => {
    const summary = summarize(EDGES[1].text);
    expect(structuredClone(summary)).toEqual(summary);
  });
});
