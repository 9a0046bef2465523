/** Cyclomatic complexity (radon's counting) and block nesting per function. */
import { code, makeFinding, scalePriority, type AnalysisContext } from '../context.js';
import type { Finding } from '../types.js';

/** `complexity/cyclomatic` and `complexity/nesting` for every function over its threshold. */
export function complexityFindings(ctx: AnalysisContext): Finding[] {
  const t = ctx.options.thresholds;
  const out: Finding[] = [];
  for (const f of ctx.facts) {
    for (const d of f.defs) {
      if (d.kind !== 'function') continue;
      if (d.complexity > t.complexity) {
        out.push(makeFinding('complexity/cyclomatic', {
          path: f.path, startLine: d.line, endLine: d.endLine, symbol: d.qualname,
          metric: { name: 'cyclomatic', value: d.complexity, threshold: t.complexity },
          priority: scalePriority(d.complexity, t.complexity),
          message: `${code(d.qualname)} has cyclomatic complexity ${d.complexity} (threshold ${t.complexity}; radon grade ${radonGrade(d.complexity)}).`,
          recommendation: 'Split the branches into separate functions (one per case or stage), replace flag-driven branches with a dispatch table, and return early on error paths.',
        }));
      }
      if (d.maxNesting > t.nesting) {
        out.push(makeFinding('complexity/nesting', {
          path: f.path, startLine: d.line, endLine: d.endLine, symbol: d.qualname,
          metric: { name: 'nesting', value: d.maxNesting, threshold: t.nesting },
          priority: scalePriority(d.maxNesting, t.nesting),
          message: `${code(d.qualname)} nests blocks ${d.maxNesting} deep (threshold ${t.nesting}).`,
          recommendation: 'Flatten with guard clauses (`if not ok: return`), and move the innermost loop or try-block into a helper function.',
        }));
      }
    }
  }
  return out;
}

/** radon's letter grade for a cyclomatic complexity. */
export function radonGrade(cc: number): string {
  if (cc <= 5) return 'A';
  if (cc <= 10) return 'B';
  if (cc <= 20) return 'C';
  if (cc <= 30) return 'D';
  if (cc <= 40) return 'E';
  return 'F';
}
