/**
 * Worker thread entry: extracts facts for a batch of files (see `reviewParallel`). Loads only the tokenizer and
 * the extractor, never the parser, so it starts fast.
 */
import { parentPort } from 'node:worker_threads';
import { extractFacts, type FactOptions, type FileFacts } from './facts.js';

export interface WorkerJob {
  files: { path: string; text: string; options: FactOptions }[];
}

export interface WorkerReply {
  facts: FileFacts[];
}

parentPort?.on('message', (job: WorkerJob) => {
  const facts = job.files.map((f) => extractFacts(f.path, f.text, f.options));
  const reply: WorkerReply = { facts };
  parentPort!.postMessage(reply);
});
