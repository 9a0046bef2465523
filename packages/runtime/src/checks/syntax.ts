import { touchedPython, type Check, type Problem } from './check.js';

/**
 * Every touched or created Python file parses without tree-sitter ERROR or MISSING nodes. A file that already had
 * syntax problems before the change is reported only when it has more of them after it.
 */
export const syntaxCheck: Check = ({ before, after, touched }) => {
  const out: Problem[] = [];
  for (const path of touchedPython(after, touched)) {
    const problems = after.syntaxProblems(path);
    if (problems.length === 0) continue;
    if (before?.files.has(path) && before.syntaxProblems(path).length >= problems.length) continue;
    for (const p of problems) out.push({ path, line: p.line, message: p.message, check: 'syntax' });
  }
  return out;
};
