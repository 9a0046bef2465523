#!/usr/bin/env node
// Benchmark of the Python model: parse + index + scopes + import graph + references of every top-level name.
// Usage: npx tsc -b packages/python && /usr/bin/time -v node scripts/bench-index.mjs [root] [dir ...]
// Default root /work/venom/b2400a1a with dirs venom_core, venom_spore, tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPython, Project } from '../packages/python/dist/index.js';

const started = performance.now();
const root = process.argv[2] ?? '/work/venom/b2400a1a';
const dirs = process.argv.length > 3 ? process.argv.slice(3) : process.argv[2] ? ['.'] : ['venom_core', 'venom_spore', 'tests'];

function collect(dir, out) {
  let entries;
  try {
    entries = readdirSync(join(root, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const rel = dir === '.' ? e.name : `${dir}/${e.name}`;
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name === '__pycache__' || e.name.startsWith('.')) continue;
      collect(rel, out);
    } else if (e.isFile() && e.name.endsWith('.py')) out.push(rel);
  }
}

const paths = [];
for (const d of dirs) collect(d, paths);
paths.sort();
const files = paths.map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
let lines = 0;
for (const f of files) lines += f.text.split('\n').length - (f.text.endsWith('\n') ? 1 : 0);

await loadPython();
const t0 = performance.now();
const project = new Project(files);
const tParse = performance.now();
let defs = 0;
for (const path of project.files.keys()) {
  defs += project.index(path).defs.size;
  project.scopes(path).undefinedNames();
}
const tAnalyse = performance.now();
const graph = project.importGraph({ importTimeOnly: true });
const cycles = project.cycles(graph);
const tGraph = performance.now();
let refs = 0;
for (const file of project.files.values()) {
  if (!file.module) continue;
  for (const name of project.index(file.path).defs.keys()) refs += project.references(file.module, name).length;
}
const tRefs = performance.now();

const ms = (a, b) => Math.round(b - a);
console.log(
  JSON.stringify({
    files: files.length,
    lines,
    topLevelNames: defs,
    references: refs,
    importEdges: [...graph.values()].reduce((n, m) => n + m.size, 0),
    cycles: cycles.length,
    ms: { parse: ms(t0, tParse), indexScopes: ms(tParse, tAnalyse), graph: ms(tAnalyse, tGraph), references: ms(tGraph, tRefs) },
    // wallMs: from the first line of this script; processMs: since the Node process started (includes start-up).
    wallMs: Math.round(performance.now() - started),
    processMs: Math.round(performance.now()),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
