#!/usr/bin/env node
// Benchmark of `remodel apply <codemod> --dry-run` on a copy of a project tree (default: the Venom tree).
// Usage: npx tsc -b packages/cli && node scripts/bench-dry-run.mjs [--root DIR] [--runs N] [codemod ...]
// Default codemods: split-orchestrator split-models-routes; default runs: 3. The tree is copied to a temporary
// directory first (the dry run writes nothing, the copy guards the original). Each run is timed by /usr/bin/time
// (wall, user + sys CPU, peak RSS); the load average is printed with each run, since a loaded machine inflates
// wall time. The best (lowest wall) run of each codemod is summarised at the end.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
let root = '/work/venom/b2400a1a';
let runs = 3;
const codemods = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--root') root = args[++i];
  else if (args[i] === '--runs') runs = Number(args[++i]);
  else codemods.push(args[i]);
}
if (codemods.length === 0) codemods.push('split-orchestrator', 'split-models-routes');
if (!Number.isInteger(runs) || runs < 1) {
  console.error('bench-dry-run: --runs must be a positive integer');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'remodel-bench-'));
const copy = join(work, 'tree');
cpSync(root, copy, { recursive: true, filter: (src) => !/\/(node_modules|\.git)$/.test(src) });
const timeFile = join(work, 'time.txt');
const main = join(repo, 'packages/cli/dist/main.js');

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const best = new Map();
try {
  for (const codemod of codemods) {
    for (let run = 1; run <= runs; run++) {
      const before = load();
      const r = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%e %U %S %M', process.execPath, main, 'apply', codemod, '--root', copy, '--dry-run'], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      if (r.status !== 0) {
        console.error(`bench-dry-run: ${codemod} exited ${r.status}\n${r.stderr}`);
        process.exitCode = 1;
        break;
      }
      const [wall, user, sys, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      const result = { codemod, run, wallS: wall, cpuS: +(user + sys).toFixed(2), peakRssMB: Math.round(rssKb / 1024), loadAvg: before };
      console.log(JSON.stringify(result));
      if (!best.has(codemod) || wall < best.get(codemod).wallS) best.set(codemod, result);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
for (const r of best.values()) {
  console.log(`best ${r.codemod}: wall ${r.wallS.toFixed(2)} s, cpu ${r.cpuS.toFixed(2)} s, peak RSS ${r.peakRssMB} MB (load average ${r.loadAvg})`);
}
