/** Line-ending helpers shared by the workspace (detection) and the changeset (conversion). */

export type Eol = '\n' | '\r\n';

/**
 * The dominant line ending of `text`: `\r\n` when CRLF pairs outnumber lone `\n`, otherwise `\n`
 * (also for text without any newline). Lone `\r` (old Mac) is not treated as a line ending.
 */
export function detectEol(text: string): Eol {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** Whether `text` ends with a line ending (`\n`, which covers `\r\n`). The empty text has none. */
export function hasFinalNewline(text: string): boolean {
  return text.endsWith('\n');
}

/** Rewrites every `\n` and `\r\n` in `text` to `eol`. Lone `\r` is left alone. */
export function convertEol(text: string, eol: Eol): string {
  return eol === '\n' ? text.replace(/\r\n/g, '\n') : text.replace(/\r?\n/g, '\r\n');
}

/** 1-based line number of string offset `offset` in `text` (an offset at a line's `\n` belongs to that line). */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
