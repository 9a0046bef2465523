/**
 * The text of a file's import statements, found without parsing, for deciding which files must be parsed to answer
 * an import question ("who imports module m?"). Over-approximates, never misses: every `import` / `from` statement
 * of the file is inside the returned text, with its continuation lines (brackets, backslashes); lines of docstrings
 * that happen to start with `from` or `import` are included too. A file where a statement may follow `;` or `:` on
 * the same line (`if x: import y`) is returned whole.
 */
export function importText(text: string): string {
  return INLINE_IMPORT.test(text) ? text : scanImportLines(text);
}

/** True when identifier `word` appears as a whole word in `region` (an {@link importText}). */
export function mentions(region: string, word: string): boolean {
  return region.includes(word) && new RegExp(`(?<!\\w)${word}(?!\\w)`).test(region);
}

/** True when `region` (an {@link importText}) may hold `from . import x` / `from .. import x` (no module after the dots). */
export function hasBareRelativeImport(region: string): boolean {
  return BARE_RELATIVE.test(region);
}

const INLINE_IMPORT = /[;:][ \t]*(?:import|from)[ \t\\(]/;
const STATEMENT_START = /^[ \t]*(?:import|from)[ \t\\(.]/;
const BARE_RELATIVE = /(?:^|[\s;:])from[\s\\]+\.+[\s\\]*import\b/m;

function scanImportLines(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!STATEMENT_START.test(lines[i])) continue;
    let depth = 0;
    for (;;) {
      const line = lines[i];
      out.push(line);
      depth += bracketBalance(line);
      const continued = depth > 0 || /\\\s*$/.test(line);
      if (!continued || i + 1 >= lines.length) break;
      i++;
    }
  }
  return out.join('\n');
}

/** Opening minus closing brackets of a line, ignoring a trailing comment. */
function bracketBalance(line: string): number {
  let n = 0;
  for (const ch of line) {
    if (ch === '#') break;
    if (ch === '(') n++;
    else if (ch === ')') n--;
  }
  return n;
}
