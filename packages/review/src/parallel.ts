/**
 * `reviewParallel()`: the same result as `review()`, with fact extraction and the per-file rules (size, god class,
 * complexity, layering) spread over worker threads; the cross-file analyses (clones, dead code, cycles, module
 * pairs) need every file and run in this thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { extractFacts, type FileFacts } from './facts.js';
import { fileFindings } from './per-file.js';
import { finish, prepare, resolveOptions, review, type FactJob, type ProjectInput, type ReviewFile } from './review.js';
import type { Finding, ResolvedReviewOptions, ReviewOptions, ReviewResult } from './types.js';
import type { WorkerJob, WorkerReply } from './worker.js';

/** Options of `reviewParallel`. */
export interface ParallelOptions {
  /**
   * Threads in total, this one included. Default: `REMODEL_REVIEW_THREADS`, else the available parallelism (at
   * most 4). 1 = no workers.
   */
  threads?: number;
  /** Below this many files the review runs in this thread only (default 64). */
  minFiles?: number;
  /** Workers started earlier with `startReviewWorkers` (they boot while the caller reads files). */
  workers?: ReviewWorkers | null;
}

/** Worker threads booted ahead of `reviewParallel`; call `close()` if they end up unused. */
export interface ReviewWorkers {
  readonly size: number;
  close(): void;
}

class WorkerPool implements ReviewWorkers {
  constructor(readonly workers: Worker[]) {}

  get size(): number {
    return this.workers.length;
  }

  close(): void {
    for (const w of this.workers) void w.terminate();
  }
}

/** The compiled worker module: beside this module, or in the package's `dist` when running from sources. */
function workerUrl(): URL | null {
  for (const candidate of [new URL('./worker.js', import.meta.url), new URL('../dist/worker.js', import.meta.url)]) {
    if (candidate.protocol === 'file:' && existsSync(fileURLToPath(candidate))) return candidate;
  }
  return null;
}

function threadCount(requested?: number): number {
  const env = Number(process.env.REMODEL_REVIEW_THREADS);
  const n = requested ?? (Number.isFinite(env) && env >= 1 ? env : Math.min(4, availableParallelism()));
  return Math.max(1, Math.floor(n));
}

/**
 * Starts `threads - 1` worker threads now, so their start-up overlaps with reading the files. Null when one
 * thread is asked for or the compiled worker module is missing (running from TypeScript sources).
 */
export function startReviewWorkers(threads?: number): ReviewWorkers | null {
  const n = threadCount(threads) - 1;
  const url = workerUrl();
  if (n < 1 || !url) return null;
  // a larger young generation: fewer scavenges while facts pile up
  return new WorkerPool(Array.from({ length: n }, () => new Worker(url, { resourceLimits: { maxYoungGenerationSizeMb: 64 } })));
}

/**
 * Reviews like `review()` (identical result), extracting facts on the worker threads plus this one. Falls back
 * to `review()` for small inputs, a single thread, or when the compiled worker module is missing. Terminates the
 * workers it used (including `parallel.workers`).
 */
export async function reviewParallel(input: ProjectInput | readonly ReviewFile[], options: ReviewOptions = {}, parallel: ParallelOptions = {}): Promise<ReviewResult> {
  const count = 'files' in input && input.files instanceof Map ? input.files.size : (input as readonly ReviewFile[]).length;
  const small = count < (parallel.minFiles ?? 64);
  const pool = small ? null : ((parallel.workers as WorkerPool | null | undefined) ?? (startReviewWorkers(parallel.threads) as WorkerPool | null));
  if (small) parallel.workers?.close();
  if (!pool) return review(input, options);
  try {
    const resolved = resolveOptions(options);
    const started = performance.now();
    const jobs = prepare(input, resolved);
    const batches = balance(jobs, pool.size + 1);
    const results = new Array<FileFacts>(jobs.length);
    const perFile = new Array<Finding[]>(jobs.length);
    let done = 0;
    const progress = (n: number): void => {
      done += n;
      options.onProgress?.(done, jobs.length);
    };
    const pending = pool.workers.map((worker, w) => run(worker, jobs, batches[w], resolved).then((reply) => {
      batches[w].forEach((i, k) => {
        results[i] = reply.facts[k];
        perFile[i] = reply.findings[k];
      });
      progress(batches[w].length);
    }));
    for (const i of batches[pool.size]) {
      const f = extractFacts(jobs[i].path, jobs[i].text, jobs[i].options);
      results[i] = f;
      perFile[i] = f.problem ? [] : fileFindings(f, resolved);
      progress(1);
    }
    await Promise.all(pending);
    if (options.timings) options.timings.facts = (options.timings.facts ?? 0) + (performance.now() - started);
    return finish(input, jobs, results, resolved, options, perFile);
  } finally {
    pool.close();
  }
}

/** Splits job indexes into `n` batches of similar text size (largest first, each to the lightest batch). */
function balance(jobs: FactJob[], n: number): number[][] {
  const batches: number[][] = Array.from({ length: n }, () => []);
  const load = new Array<number>(n).fill(0);
  const bySize = jobs.map((j, i) => [i, j.text.length] as const).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [i, size] of bySize) {
    let best = 0;
    for (let t = 1; t < n; t++) if (load[t] < load[best]) best = t;
    batches[best].push(i);
    load[best] += size;
  }
  return batches;
}

function run(worker: Worker, jobs: FactJob[], batch: number[], options: ResolvedReviewOptions): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const job: WorkerJob = { files: batch.map((i) => ({ path: jobs[i].path, text: jobs[i].text, options: jobs[i].options })), options };
    worker.once('message', (reply: WorkerReply) => resolve(reply));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`remodel review worker exited with code ${code}`)));
    worker.postMessage(job);
  });
}
