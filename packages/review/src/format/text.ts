/** Small text helpers shared by the formatters. */

/** Wraps `text` to `width` columns; continuation lines get `indent`. Words longer than a line are cut. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const limit = width - (out.length ? indent.length : 0);
    if (!line) line = word;
    else if (line.length + 1 + word.length <= limit) line += ` ${word}`;
    else {
      out.push(line);
      line = word;
    }
    while (line.length > width - indent.length) {
      out.push(line.slice(0, width - indent.length));
      line = line.slice(width - indent.length);
    }
  }
  if (line) out.push(line);
  return out.map((l, i) => (i === 0 ? l : indent + l));
}

/** `1234567` -> `1,234,567` (en) or `1 234 567` (pl, with a non-breaking space). */
export function thousands(n: number, lang: 'en' | 'pl' = 'en'): string {
  const s = String(n);
  const sep = lang === 'pl' ? '\u00a0' : ',';
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

/** `path:line` or `path:start-end`. */
export function location(path: string, start: number, end: number): string {
  return start === end ? `${path}:${start}` : `${path}:${start}-${end}`;
}
