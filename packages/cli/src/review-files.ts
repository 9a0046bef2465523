import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import cliProgress from 'cli-progress';
import { SpecError, loadWorkspace } from '@remodel/runtime';
import {
  formatMarkdown,
  formatTerminal,
  reviewParallel,
  startReviewWorkers,
  toSarif,
  type Priority,
  type ReviewOptions,
} from '@remodel/review';
import type { ReviewArgs as Args } from './commands/review.js';

/** Files whose text can name Python code (entry points, plugin lists); names found there lower dead-code confidence. */
const EXTRA_TEXTS = ['pyproject.toml', 'setup.cfg', 'tox.ini', 'pytest.ini', '.pre-commit-config.yaml'];

/** Files at least this many to show a progress bar (when stderr is a terminal). */
const PROGRESS_MIN_FILES = 200;

/** `remodel review [paths..]`: the review of a Python project, as a terminal summary, JSON, SARIF or Markdown. */
export async function reviewFiles(args: Args): Promise<void> {
  const root = path.resolve(args.root);
  const formats = (['json', 'sarif', 'md'] as const).filter((f) => args[f]);
  if (formats.length > 1) throw new SpecError('review-bad-option', `--${formats.join(', --')}: choose one output format`);
  const options = reviewOptions(args);
  const include = includeGlobs(root, args.paths ?? []);
  // workers boot while the files are read
  const workers = startReviewWorkers();
  let files: { path: string; text: string }[];
  let invalid: readonly string[];
  try {
    const workspace = await loadWorkspace(root, include.length ? { include } : {});
    files = workspace.texts();
    invalid = workspace.invalid;
    if (!files.length) throw new SpecError('review-no-files', `${args.paths?.length ? args.paths.join(', ') : root}: no Python files to review`);
  } catch (error) {
    workers?.close();
    throw error;
  }
  options.extraTexts = EXTRA_TEXTS.filter((f) => existsSync(path.join(root, f))).map((f) => ({ path: f, text: readFileSync(path.join(root, f), 'utf8') }));
  const bar = process.stderr.isTTY && files.length >= PROGRESS_MIN_FILES
    ? new cliProgress.SingleBar({ stream: process.stderr, format: 'review [{bar}] {value}/{total} files', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic)
    : null;
  bar?.start(files.length, 0);
  if (bar) options.onProgress = (done) => bar.update(done);
  const result = await reviewParallel(files, options, { workers });
  bar?.stop();
  if (args.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (args.sarif) process.stdout.write(`${JSON.stringify(toSarif(result, `${pathToFileURL(root).href}/`), null, 2)}\n`);
  else if (args.md) process.stdout.write(formatMarkdown(result));
  else process.stdout.write(formatTerminal(result, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR, width: Math.min(100, process.stdout.columns ?? 100) }));
  for (const p of invalid) process.stderr.write(`remodel: ${p}: not valid UTF-8; not reviewed\n`);
  const failOn = args['fail-on'];
  if (failOn) {
    const order: Priority[] = ['high', 'medium', 'low'];
    const hit = result.findings.some((f) => order.indexOf(f.priority) <= order.indexOf(failOn));
    if (hit) process.exitCode = 1;
  }
}

function reviewOptions(args: Args): ReviewOptions {
  const thresholds: NonNullable<ReviewOptions['thresholds']> = {};
  const set = (key: keyof typeof thresholds, value: number | undefined, flag: string): void => {
    if (value === undefined) return;
    if (!Number.isFinite(value) || value < 0) throw new SpecError('review-bad-option', `--${flag}: expected a non-negative number, got ${value}`);
    thresholds[key] = value;
  };
  set('fileLines', args['file-lines'], 'file-lines');
  set('fileDefinitions', args['file-definitions'], 'file-definitions');
  set('classLines', args['class-lines'], 'class-lines');
  set('classMethods', args['class-methods'], 'class-methods');
  set('functionLines', args['function-lines'], 'function-lines');
  set('complexity', args.complexity, 'complexity');
  set('nesting', args.nesting, 'nesting');
  set('godClassMethods', args['god-class-methods'], 'god-class-methods');
  const confidence = args['min-confidence'];
  if (!Number.isFinite(confidence) || confidence < 0 || confidence > 100) {
    throw new SpecError('review-bad-option', `--min-confidence: expected 0-100, got ${confidence}`);
  }
  const options: ReviewOptions = { thresholds, minConfidence: confidence };
  const clones: NonNullable<ReviewOptions['clones']> = {};
  if (args['clone-min-lines'] !== undefined) clones.minLines = args['clone-min-lines'];
  if (args['clone-min-tokens'] !== undefined) clones.minTokens = args['clone-min-tokens'];
  options.clones = clones;
  if (args['rank-limit'] !== undefined) options.rankLimit = args['rank-limit'];
  if (args['module-pair']?.length) {
    options.modulePairs = args['module-pair'].map((p) => {
      const parts = p.split(':');
      if (parts.length !== 2 || !parts[0] || !parts[1]) throw new SpecError('review-bad-option', `--module-pair: expected a:b (two module suffixes), got "${p}"`);
      return [parts[0], parts[1]] as [string, string];
    });
  }
  return options;
}

/** Workspace globs for the positional paths (each a file or directory under the root). */
function includeGlobs(root: string, paths: string[]): string[] {
  return paths.map((p) => {
    const abs = path.resolve(root, p);
    const rel = path.relative(root, abs).split(path.sep).join('/');
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new SpecError('review-bad-path', `${p}: not under the project root ${root}`);
    if (!existsSync(abs)) throw new SpecError('review-bad-path', `${p}: no such file or directory under ${root}`);
    if (statSync(abs).isDirectory()) return rel === '' ? '**/*.py' : `${rel}/**/*.py`;
    return rel;
  });
}
