import { resolve } from 'node:path';
import { loadPython, parsePython } from './parse.js';
import { Project, type ProjectFileInput } from './project.js';
import { SummaryCache, defaultCacheDir, textKey } from './summary-cache.js';
import { summarizeTree } from './summary.js';

export interface LoadOptions {
  /**
   * Keep file summaries between runs (see `SummaryCache`): the directory of the packs (default `defaultCacheDir()`)
   * and the project root the pack belongs to. Null or absent: no cache.
   */
  cache?: { root: string; dir?: string } | null;
  /** Also find each file's syntax problems ahead (`Project.syntaxProblems`; `remodel verify` needs them). */
  syntax?: boolean;
}

/**
 * A Project with every file analysed ahead, for whole-project work (`remodel verify`, indexing): each file is
 * parsed and summarized (see `summarize`), or its summary is taken from the cache when its text is unchanged. The
 * Project answers index, scope, syntax, import and reference queries from the summaries, exactly as
 * `new Project(files)` would, and parses a file whose summary came from the cache only when a node of it is read.
 */
export async function loadProject(files: { path: string; text: string }[], options: LoadOptions = {}): Promise<Project> {
  await loadPython();
  const syntax = options.syntax ?? false;
  const cache = options.cache ? SummaryCache.open(options.cache.dir ?? defaultCacheDir(), resolve(options.cache.root)) : null;
  const inputs: ProjectFileInput[] = files.map(({ path, text }) => {
    const key = cache ? textKey(text) : '';
    const cached = cache?.get(key);
    if (cached && (!syntax || cached.syntax)) return { path, text, summary: cached };
    const tree = parsePython(text);
    const summary = summarizeTree(tree, { syntax });
    cache?.set(key, summary);
    return { path, text, tree, summary };
  });
  cache?.save();
  return new Project(inputs);
}
