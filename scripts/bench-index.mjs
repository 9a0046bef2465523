#!/usr/bin/env node
// Benchmark of the Python model: index + scopes (undefined names) + import graph and cycles + references of every
// top-level name, over every file of a project (default: the Venom tree, dirs venom_core venom_spore tests).
// Usage: npx tsc -b packages/python && node scripts/bench-index.mjs [--root DIR] [--runs N] [dir ...]
// Each run is a separate Node process timed by /usr/bin/time (wall including Node start-up, CPU, peak RSS), in
// three modes:
//   lazy  - `new Project(files)`: each file parsed and analysed when first queried (what `remodel apply` does);
//   cold  - `loadProject` with an empty summary cache: every file parsed and summarized, the pack written;
//   warm  - `loadProject` again: summaries of the unchanged files read from the pack, nothing parsed.
// The cache lives in a temporary directory. The best (lowest wall) run of each mode is summarised at the end.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
if (args[0] === '--child') {
  await child(args[1], args[2], args[3], args.slice(4));
} else {
  parent();
}

function parent() {
  let root = '/work/venom/b2400a1a';
  let runs = 3;
  const dirs = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--root') root = args[++i];
    else if (args[i] === '--runs') runs = Number(args[++i]);
    else dirs.push(args[i]);
  }
  if (dirs.length === 0) dirs.push(...(root === '/work/venom/b2400a1a' ? ['venom_core', 'venom_spore', 'tests'] : ['.']));
  const work = mkdtempSync(join(tmpdir(), 'remodel-bench-index-'));
  const timeFile = join(work, 'time.txt');
  const best = new Map();
  const once = (mode, cacheDir, run) => {
    const before = loadavg().map((x) => x.toFixed(2)).join(' ');
    const script = new URL(import.meta.url).pathname;
    const r = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%e %U %S %M', process.execPath, script, '--child', mode, root, cacheDir, ...dirs], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`bench-index: ${mode} run exited ${r.status}\n${r.stderr}`);
    const [wall, user, sys, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    const result = { mode, run, wallS: wall, cpuS: +(user + sys).toFixed(2), peakRssMB: Math.round(rssKb / 1024), loadAvg: before, ...JSON.parse(r.stdout) };
    console.log(JSON.stringify(result));
    if (!best.has(mode) || wall < best.get(mode).wallS) best.set(mode, result);
  };
  try {
    for (let run = 1; run <= runs; run++) {
      const cacheDir = join(work, `cache-${run}`);
      once('lazy', cacheDir, run);
      once('cold', cacheDir, run);
      once('warm', cacheDir, run);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log('best of each mode:');
  for (const r of best.values()) console.log(`  ${r.mode.padEnd(5)} ${r.wallS.toFixed(2)} s wall (incl. Node start-up), ${r.cpuS} s CPU, ${r.peakRssMB} MB peak`);
}

async function child(mode, root, cacheDir, dirs) {
  const { loadProject, loadPython, Project } = await import('../packages/python/dist/index.js');
  const paths = [];
  for (const dir of dirs) {
    for (const p of readdirSync(join(root, dir), { recursive: true })) {
      if (p.endsWith('.py') && !/(^|\/)(\.|node_modules\/|__pycache__\/)/.test(p)) paths.push(dir === '.' ? p : `${dir}/${p}`);
    }
  }
  paths.sort();
  const files = paths.map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
  const t0 = performance.now();
  let project;
  if (mode === 'lazy') {
    await loadPython();
    project = new Project(files);
  } else project = await loadProject(files, { cache: { root, dir: cacheDir } });
  const tLoad = performance.now();
  let defs = 0;
  let undefinedNames = 0;
  for (const path of project.files.keys()) {
    defs += project.index(path).defs.size;
    undefinedNames += project.scopes(path).undefinedNames().length;
  }
  const tAnalyse = performance.now();
  const graph = project.importGraph({ importTimeOnly: true });
  const cycles = project.cycles(graph);
  let refs = 0;
  for (const file of project.files.values()) {
    if (!file.module) continue;
    for (const name of project.index(file.path).defs.keys()) refs += project.references(file.module, name).length;
  }
  const tEnd = performance.now();
  const lines = files.reduce((n, f) => n + f.text.split('\n').length - (f.text.endsWith('\n') ? 1 : 0), 0);
  const ms = (a, b) => Math.round(b - a);
  console.log(
    JSON.stringify({
      files: files.length,
      lines,
      topLevelNames: defs,
      undefinedNames,
      references: refs,
      importEdges: [...graph.values()].reduce((n, m) => n + m.size, 0),
      cycles: cycles.length,
      ms: { load: ms(t0, tLoad), indexScopes: ms(tLoad, tAnalyse), graphReferences: ms(tAnalyse, tEnd) },
    }),
  );
}
