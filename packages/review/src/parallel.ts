/**
 * `reviewParallel()`: the same result as `review()`, with fact extraction spread over worker threads. Only the
 * per-file extraction runs in workers (it is most of the time); the analyses need every file and run here.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { extractFacts, type FileFacts } from './facts.js';
import { finish, prepare, resolveOptions, review, type FactJob, type ProjectInput, type ReviewFile } from './review.js';
import type { ReviewOptions, ReviewResult } from './types.js';
import type { WorkerJob, WorkerReply } from './worker.js';

export interface ParallelOptions {
  /** Threads in total, this one included (default: available parallelism, at most 4). 1 = no workers. */
  threads?: number;
  /** Below this many files the review runs in this thread only (default 64). */
  minFiles?: number;
}

/** The compiled worker module: beside this module, or in the package's `dist` when running from sources. */
function workerUrl(): URL | null {
  for (const candidate of [new URL('./worker.js', import.meta.url), new URL('../dist/worker.js', import.meta.url)]) {
    if (candidate.protocol === 'file:' && existsSync(fileURLToPath(candidate))) return candidate;
  }
  return null;
}

/**
 * Reviews like `review()` (identical result), extracting facts on `threads - 1` worker threads plus this one.
 * Falls back to `review()` for small inputs, a single thread, or when the compiled worker module is missing.
 */
export async function reviewParallel(input: ProjectInput | readonly ReviewFile[], options: ReviewOptions = {}, parallel: ParallelOptions = {}): Promise<ReviewResult> {
  const threads = Math.max(1, Math.floor(parallel.threads ?? Math.min(4, availableParallelism())));
  const url = workerUrl();
  const count = 'files' in input && input.files instanceof Map ? input.files.size : (input as readonly ReviewFile[]).length;
  if (threads === 1 || !url || count < (parallel.minFiles ?? 64)) return review(input, options);

  const resolved = resolveOptions(options);
  const started = performance.now();
  const jobs = prepare(input, resolved);
  // balance batches by text length; this thread takes the last one
  const batches: number[][] = Array.from({ length: threads }, () => []);
  const load = new Array<number>(threads).fill(0);
  const bySize = jobs.map((j, i) => [i, j.text.length] as const).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [i, size] of bySize) {
    let best = 0;
    for (let t = 1; t < threads; t++) if (load[t] < load[best]) best = t;
    batches[best].push(i);
    load[best] += size;
  }
  const results = new Array<FileFacts>(jobs.length);
  let done = 0;
  const progress = (n: number): void => {
    done += n;
    options.onProgress?.(done, jobs.length);
  };
  const workers = batches.slice(0, -1).map((batch) => runWorker(url, jobs, batch).then((facts) => {
    batch.forEach((i, k) => { results[i] = facts[k]; });
    progress(batch.length);
  }));
  for (const i of batches[threads - 1]) {
    results[i] = extractFacts(jobs[i].path, jobs[i].text, jobs[i].options);
    progress(1);
  }
  await Promise.all(workers);
  if (options.timings) options.timings.facts = (options.timings.facts ?? 0) + (performance.now() - started);
  return finish(input, jobs, results, resolved, options);
}

function runWorker(url: URL, jobs: FactJob[], batch: number[]): Promise<FileFacts[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url);
    const job: WorkerJob = { files: batch.map((i) => ({ path: jobs[i].path, text: jobs[i].text, options: jobs[i].options })) };
    worker.once('message', (reply: WorkerReply) => {
      resolve(reply.facts);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`remodel review worker exited with code ${code}`));
    });
    worker.postMessage(job);
  });
}
