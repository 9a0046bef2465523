/** The rules that look at one file at a time; they can run wherever the file's facts are extracted (workers). */
import type { AnalysisContext } from './context.js';
import type { FileFacts } from './fact-types.js';
import { complexityFindings } from './rules/complexity.js';
import { godClassFindings } from './rules/god-class.js';
import { layeringFindings } from './rules/layering.js';
import { sizeFindings } from './rules/size.js';
import type { Finding, ResolvedReviewOptions } from './types.js';

/** The rules that look at one file at a time (they can run where the file's facts are extracted). */
export const PER_FILE_RULES: [string, (c: AnalysisContext) => Finding[]][] = [
  ['size', sizeFindings],
  ['god-class', godClassFindings],
  ['complexity', complexityFindings],
  ['layering', layeringFindings],
];

/** Findings of the per-file rules for one file (size, god class, complexity, layering). */
export function fileFindings(f: FileFacts, options: ResolvedReviewOptions): Finding[] {
  const ctx: AnalysisContext = {
    facts: [f],
    byPath: new Map([[f.path, f]]),
    byModule: new Map(f.module ? [[f.module, f]] : []),
    options,
    extraTexts: [],
    project: null,
    texts: new Map(),
  };
  return PER_FILE_RULES.flatMap(([, rule]) => rule(ctx));
}
