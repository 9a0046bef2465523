import type { Node, SourceFile } from '@remodel/python';

/** Offset of the start of the line containing `offset`. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just after the newline ending the line that contains `offset` (or the end of the text). */
export function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

/** Start of the run of blank lines directly before `offset` (a line start); `offset` when there is none. */
function blankLinesBefore(text: string, offset: number): number {
  let start = offset;
  while (start > 0) {
    const prev = lineStart(text, start - 1);
    if (text.slice(prev, start).trim() !== '') break;
    start = prev;
  }
  return start;
}

/** End of the run of blank lines directly after `offset` (a line start); `offset` when there is none. */
function blankLinesAfter(text: string, offset: number): number {
  let end = offset;
  while (end < text.length) {
    const next = lineEnd(text, end);
    if (text.slice(end, next).trim() !== '') break;
    end = next;
  }
  return end;
}

function countLines(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', start); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Ranges to delete from a module when the line ranges `ranges` leave it. Ranges separated only by blank lines form one
 * run, deleted with the blank lines between them. What preceded and what follows a run are then separated by the
 * larger of the two gaps around it (the gap PEP 8 wants, e.g. two blank lines before a `# section` comment that
 * followed one blank line after the run), by keeping that gap's blank lines and deleting the other's. At the end of the
 * file the blank lines before the run go. A run at the very start of the file also takes the blank lines after it when
 * `atTopNothingFollows` (nothing will be inserted there), so the file does not start with blank lines. Everything else
 * stays byte-identical.
 */
export function removalRanges(text: string, ranges: { start: number; end: number }[], atTopNothingFollows = true): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  // Runs: [first start, last end], merged across blank lines (and overlaps).
  const runs: [number, number][] = [];
  for (const r of sorted) {
    const last = runs[runs.length - 1];
    if (last && blankLinesBefore(text, r.start) <= last[1]) last[1] = Math.max(last[1], r.end);
    else runs.push([r.start, r.end]);
  }
  return runs.map(([start, end]): [number, number] => {
    const before = blankLinesBefore(text, start);
    const after = blankLinesAfter(text, end);
    if (before === 0) return [0, atTopNothingFollows ? after : end];
    if (after === text.length) return [before, end];
    // Keep the larger gap: the blank lines before when there are more of them, else those after.
    return countLines(text, before, start) > countLines(text, end, after) ? [start, after] : [before, end];
  });
}

/** Value of a plain string literal node, or null (f-strings, bytes, concatenations). */
export function plainString(node: Node): string | null {
  if (node.type !== 'string') return null;
  if (/^[A-Za-z]*[fFbB]/.test(node.text)) return null;
  if (node.namedChildren.some((c) => c?.type === 'interpolation')) return null;
  return node.namedChildren
    .filter((c) => c?.type === 'string_content')
    .map((c) => c!.text)
    .join('');
}

/** `__all__` of a module: its literal entries (string nodes) and the list/tuple literal of the first assignment. */
export interface DunderAll {
  entries: { value: string; node: Node }[];
  list: Node | null;
}

/** Finds `__all__ = [...]`, `__all__ += [...]`, `__all__.extend([...])` / `.append("x")` at top level. */
export function dunderAll(file: SourceFile): DunderAll | null {
  let found = false;
  const entries: { value: string; node: Node }[] = [];
  let list: Node | null = null;
  for (const stmt of file.tree.rootNode.namedChildren) {
    if (!stmt || stmt.type !== 'expression_statement') continue;
    const e = stmt.firstNamedChild;
    if (!e) continue;
    let container: Node | null = null;
    if ((e.type === 'assignment' || e.type === 'augmented_assignment') && e.childForFieldName('left')?.text === '__all__') {
      container = e.childForFieldName('right');
      if (e.type === 'assignment' && container && (container.type === 'list' || container.type === 'tuple') && !list) list = container;
    } else if (e.type === 'call' && /^__all__\.(extend|append)$/.test(e.childForFieldName('function')?.text ?? '')) {
      container = e.childForFieldName('arguments');
    }
    if (!container) continue;
    found = true;
    const strings = container.type === 'string' ? [container] : container.namedChildren.filter((c): c is Node => c !== null);
    for (const s of strings.flatMap((c) => (c.type === 'list' || c.type === 'tuple' ? c.namedChildren.filter((x): x is Node => x !== null) : [c]))) {
      const value = plainString(s);
      if (value !== null) entries.push({ value, node: s });
    }
  }
  return found ? { entries, list } : null;
}

/**
 * Ranges removing `elements` from the list/tuple literals (or call argument lists) holding them, each with one comma,
 * keeping the layout of what stays. Elements of one container are handled together so ranges never overlap.
 */
export function listRemovals(text: string, elements: Node[]): [number, number, string][] {
  const byParent = new Map<number, { parent: Node; remove: Set<number> }>();
  for (const e of elements) {
    const parent = e.parent!;
    const group = byParent.get(parent.id) ?? { parent, remove: new Set<number>() };
    group.remove.add(e.id);
    byParent.set(parent.id, group);
  }
  const out: [number, number, string][] = [];
  for (const { parent, remove } of byParent.values()) {
    const items = parent.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
    const kept = items.filter((c) => !remove.has(c.id));
    const last = items[items.length - 1];
    if (kept.length === 0) {
      const comma = /^\s*,/.exec(text.slice(last.endIndex));
      out.push([items[0].startIndex, last.endIndex + (comma && parent.type !== 'argument_list' ? comma[0].length : 0), '']);
      continue;
    }
    const lastKept = items.indexOf(kept[kept.length - 1]);
    for (const [i, item] of items.entries()) if (remove.has(item.id) && i < lastKept) out.push([item.startIndex, items[i + 1].startIndex, '']);
    if (lastKept < items.length - 1) {
      // `("a", "b")` minus "b" must stay a tuple: `("a",)`.
      const trailing = /^\s*,/.test(text.slice(last.endIndex));
      const comma = parent.type === 'tuple' && kept.length === 1 && !trailing ? ',' : '';
      out.push([items[lastKept].endIndex, last.endIndex, comma]);
    }
  }
  return out.sort((x, y) => x[0] - y[0]);
}

/** Text to insert into a list literal (`list`) so it gains `values`, following its quotes and layout. */
export function listAppend(text: string, list: Node, values: string[]): { at: number; text: string } {
  const items = list.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  const quote = items.find((c) => c.type === 'string')?.text.startsWith("'") ? "'" : '"';
  const quoted = values.map((v) => `${quote}${v}${quote}`);
  const last = items[items.length - 1];
  if (!last) return { at: list.startIndex + 1, text: quoted.join(', ') + (list.type === 'tuple' && quoted.length === 1 ? ',' : '') };
  const comma = /^\s*,/.exec(text.slice(last.endIndex, list.endIndex));
  const multiline = text.slice(list.startIndex, list.endIndex).includes('\n');
  if (multiline) {
    const ws = /^[ \t]*/.exec(text.slice(lineStart(text, last.startIndex), last.startIndex))![0];
    if (comma) return { at: last.endIndex + comma[0].length, text: quoted.map((q) => `\n${ws}${q},`).join('') };
    return { at: last.endIndex, text: quoted.map((q) => `,\n${ws}${q}`).join('') };
  }
  // `("a",)` gains `"b"` as `("a", "b")`: a one-item tuple's comma is syntax, not a trailing-comma style.
  if (comma && list.type === 'tuple' && items.length === 1) return { at: last.endIndex + comma[0].length, text: quoted.map((q, i) => `${i ? ', ' : ' '}${q}`).join('') };
  return { at: last.endIndex, text: quoted.map((q) => `, ${q}`).join('') };
}

/**
 * A new `__all__ = ...` statement (with its newline) listing `values` in the style of `model`, the literal of an
 * existing `__all__` in `text`: list or tuple, one line or one entry per line (its indentation and trailing comma),
 * its quotes and its annotation. Without a model: a one-line list with double quotes.
 */
export function dunderAllLike(text: string, model: Node | null, values: string[], defaultQuote = '"'): string {
  const items = model?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
  const first = items.find((c) => c.type === 'string');
  const quote = first ? (first.text.startsWith("'") ? "'" : '"') : defaultQuote;
  const quoted = values.map((v) => `${quote}${v}${quote}`);
  const assignment = model?.parent;
  const head = assignment ? text.slice(assignment.startIndex, model!.startIndex) : '';
  const prefix = /^__all__\s*(:[^=\n]*)?=\s*$/.test(head) && !head.includes('\n') ? head : '__all__ = ';
  const tuple = model?.type === 'tuple';
  const [open, close] = tuple ? ['(', ')'] : ['[', ']'];
  if (model && items.length > 0 && text.slice(model.startIndex, model.endIndex).includes('\n')) {
    // Leading whitespace of `node`'s line when `node` starts it, else null.
    const ownLine = (offset: number): string | null => {
      const before = text.slice(lineStart(text, offset), offset);
      return before.trim() === '' ? before : null;
    };
    const ws = ownLine(items[0].startIndex) ?? '    ';
    const closeIndent = ownLine(model.endIndex - 1) ?? '';
    const trailing = /^\s*,/.test(text.slice(items[items.length - 1].endIndex, model.endIndex)) || (tuple && quoted.length === 1);
    const lines = quoted.map((q, i) => `${ws}${q}${i < quoted.length - 1 || trailing ? ',' : ''}\n`).join('');
    return `${prefix}${open}\n${lines}${closeIndent}${close}\n`;
  }
  return `${prefix}${open}${quoted.join(', ')}${tuple && quoted.length === 1 ? ',' : ''}${close}\n`;
}

/** Replacement of the value inside a string literal node: `[start, end)` of the content and the new content. */
export function stringValueRange(node: Node, value: string): [number, number] | null {
  const content = node.namedChildren.find((c) => c?.type === 'string_content');
  if (!content || content.text !== value) return null;
  return [content.startIndex, content.endIndex];
}
