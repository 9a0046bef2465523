/**
 * Worker thread entry: extracts facts for a batch of files and runs the per-file rules on them (see
 * `reviewParallel`).
 */
import { parentPort } from 'node:worker_threads';
import { extractFacts, type FactOptions, type FileFacts } from './facts.js';
import { fileFindings } from './per-file.js';
import type { Finding, ResolvedReviewOptions } from './types.js';

export interface WorkerJob {
  files: { path: string; text: string; options: FactOptions }[];
  options: ResolvedReviewOptions;
}

export interface WorkerReply {
  facts: FileFacts[];
  /** Per-file findings (empty for files the tokenizer could not read). */
  findings: Finding[][];
}

parentPort?.on('message', (job: WorkerJob) => {
  const facts = job.files.map((f) => extractFacts(f.path, f.text, f.options));
  const findings = facts.map((f) => (f.problem ? [] : fileFindings(f, job.options)));
  const reply: WorkerReply = { facts, findings };
  parentPort!.postMessage(reply);
});
