/** Size findings (files, classes, functions over their thresholds) and the size/complexity rankings. */
import { code, defLines, makeFinding, methodsOf, plural, scalePriority, type AnalysisContext } from '../context.js';
import type { Finding, RankedUnit, ReviewRankings } from '../types.js';

/** Number of distinct names a module defines at top level (functions, classes, assignments). */
export function topLevelDefinitions(f: AnalysisContext['facts'][number]): number {
  const names = new Set<string>();
  for (const d of f.defs) if (d.parent === -1) names.add(d.name);
  for (const c of f.constants) names.add(c.name);
  return names.size;
}

/** Size findings: files, classes and functions over their thresholds. */
export function sizeFindings(ctx: AnalysisContext): Finding[] {
  const t = ctx.options.thresholds;
  const out: Finding[] = [];
  for (const f of ctx.facts) {
    if (f.lines > t.fileLines) {
      out.push(makeFinding('size/file-lines', {
        path: f.path, startLine: 1, endLine: f.lines,
        metric: { name: 'lines', value: f.lines, threshold: t.fileLines },
        priority: scalePriority(f.lines, t.fileLines),
        message: `${f.path} has ${f.lines} lines (threshold ${t.fileLines}).`,
        recommendation: 'Split the module by concern: move cohesive groups of functions or classes into sibling modules and re-export them from the old path so existing imports keep working.',
      }));
    }
    const defs = topLevelDefinitions(f);
    if (defs > t.fileDefinitions) {
      out.push(makeFinding('size/file-definitions', {
        path: f.path, startLine: 1, endLine: f.lines,
        metric: { name: 'definitions', value: defs, threshold: t.fileDefinitions },
        priority: scalePriority(defs, t.fileDefinitions),
        message: `${f.path} defines ${defs} top-level names (threshold ${t.fileDefinitions}).`,
        recommendation: 'Group related definitions into smaller modules (one concept per module); keep a re-export in the original module for compatibility.',
      }));
    }
    f.defs.forEach((d, i) => {
      const lines = defLines(d);
      if (d.kind === 'class') {
        if (lines > t.classLines) {
          out.push(makeFinding('size/class-lines', {
            path: f.path, startLine: d.line, endLine: d.endLine, symbol: d.qualname,
            metric: { name: 'lines', value: lines, threshold: t.classLines },
            priority: scalePriority(lines, t.classLines),
            message: `Class ${code(d.qualname)} spans ${lines} lines (threshold ${t.classLines}).`,
            recommendation: 'Extract groups of methods that work on the same attributes into collaborator classes (see the god-class finding for a suggested split).',
          }));
        }
        const methods = methodsOf(f, i).length;
        if (methods > t.classMethods) {
          out.push(makeFinding('size/class-methods', {
            path: f.path, startLine: d.line, endLine: d.endLine, symbol: d.qualname,
            metric: { name: 'methods', value: methods, threshold: t.classMethods },
            priority: scalePriority(methods, t.classMethods),
            message: `Class ${code(d.qualname)} has ${plural(methods, 'method')} (threshold ${t.classMethods}).`,
            recommendation: 'Move method groups with their own state into separate classes and delegate to them.',
          }));
        }
      } else if (lines > t.functionLines) {
        out.push(makeFinding('size/function-lines', {
          path: f.path, startLine: d.line, endLine: d.endLine, symbol: d.qualname,
          metric: { name: 'lines', value: lines, threshold: t.functionLines },
          priority: scalePriority(lines, t.functionLines),
          message: `${d.parent >= 0 && f.defs[d.parent].kind === 'class' ? 'Method' : 'Function'} ${code(d.qualname)} spans ${lines} lines (threshold ${t.functionLines}).`,
          recommendation: 'Extract its steps into well-named helper functions (one level of abstraction per function); early returns for the error paths.',
        }));
      }
    });
  }
  return out;
}

/** The rankings of the result: the largest units by each measure. */
export function rankings(ctx: AnalysisContext): ReviewRankings {
  const limit = ctx.options.rankLimit;
  const files: RankedUnit[] = [];
  const fileDefs: RankedUnit[] = [];
  const classes: RankedUnit[] = [];
  const classMethods: RankedUnit[] = [];
  const functions: RankedUnit[] = [];
  const complexity: RankedUnit[] = [];
  for (const f of ctx.facts) {
    files.push({ path: f.path, symbol: null, startLine: 1, endLine: f.lines, value: f.lines });
    fileDefs.push({ path: f.path, symbol: null, startLine: 1, endLine: f.lines, value: topLevelDefinitions(f) });
    f.defs.forEach((d, i) => {
      const unit = { path: f.path, symbol: d.qualname, startLine: d.line, endLine: d.endLine };
      if (d.kind === 'class') {
        classes.push({ ...unit, value: defLines(d) });
        classMethods.push({ ...unit, value: methodsOf(f, i).length });
      } else {
        functions.push({ ...unit, value: defLines(d) });
        complexity.push({ ...unit, value: d.complexity });
      }
    });
  }
  const top = (list: RankedUnit[]): RankedUnit[] =>
    list
      .sort((a, b) => b.value - a.value || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.startLine - b.startLine)
      .slice(0, limit);
  return {
    filesByLines: top(files),
    filesByDefinitions: top(fileDefs),
    classesByLines: top(classes),
    classesByMethods: top(classMethods),
    functionsByLines: top(functions),
    functionsByComplexity: top(complexity),
  };
}
