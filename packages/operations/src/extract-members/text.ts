import { parsePython, type Node } from '@remodel/python';
import { lineEnd, lineStart } from '../shared/text.js';

/** The leading whitespace of the line containing `offset`. */
export function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** Start of the first non-blank line at or after `offset` (or the end of the text). */
export function nextContentLine(text: string, offset: number): number {
  let pos = offset;
  while (pos < text.length) {
    const end = lineEnd(text, pos);
    if (text.slice(pos, end).trim() !== '') return pos;
    pos = end;
  }
  return text.length;
}

/** End (after its newline) of the last non-blank line that ends at or before `offset`; 0 when there is none. */
export function previousContentLineEnd(text: string, offset: number): number {
  let pos = lineStart(text, offset);
  while (pos > 0) {
    const start = lineStart(text, pos - 1);
    if (text.slice(start, pos).trim() !== '') return pos;
    pos = start;
  }
  return 0;
}

/** A text edit relative to a slice of a file (offsets into the file, like tree-sitter nodes). */
export interface LocalEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Returns `text.slice(from, to)` with `edits` applied (offsets are file offsets inside `[from, to]`).
 * Throws on overlapping edits: callers build them from disjoint syntax nodes.
 */
export function applyLocal(text: string, from: number, to: number, edits: LocalEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let pos = from;
  for (const e of sorted) {
    if (e.start < pos) throw new Error(`extract-members: overlapping local edits at offset ${e.start}`);
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + text.slice(pos, to);
}

/** Offsets (relative to `node.startIndex`-based `text`) of line starts strictly inside a multi-line string. */
export function stringContentLines(root: Node, text: string, base = 0): Set<number> {
  const out = new Set<number>();
  const visit = (node: Node): void => {
    if (node.type === 'string') {
      if (node.startPosition.row !== node.endPosition.row) {
        for (let pos = lineEnd(text, node.startIndex); pos < node.endIndex && pos < text.length; pos = lineEnd(text, pos)) {
          out.add(pos - base);
        }
      }
      return;
    }
    for (const child of node.children) if (child) visit(child);
  };
  visit(root);
  return out;
}

/**
 * Re-indents Python source `block` (whole lines, first line at base indentation `from`) to base indentation `to`,
 * leaving the content of multi-line strings untouched (see {@link reindent}). The block is parsed inside a dummy
 * class when it is indented, so any member text works.
 */
export function reindentSource(block: string, from: string, to: string): string {
  if (from === to) return block;
  const prefix = from === '' ? '' : 'class _:\n';
  const tree = parsePython(prefix + block);
  const lines = stringContentLines(tree.rootNode, prefix + block, prefix.length);
  return reindent(block, from, to, lines);
}

/** The indentation unit of an indentation string: a tab, or its spaces. */
function unitOf(indent: string): string {
  if (indent.startsWith('\t')) return '\t';
  return indent.length > 0 ? ' '.repeat(indent.length) : '    ';
}

/**
 * Re-indents a block of source lines from base indentation `from` to base indentation `to`.
 * - Lines starting inside a multi-line string (listed in `contentLines` as offsets of the slice) are left exactly
 *   as they are: their whitespace is string content.
 * - Every other line starting with `from` gets `to` instead; the rest of its leading whitespace is converted unit by
 *   unit when the styles differ (tabs vs. spaces), and any alignment remainder is kept, so continuation lines keep
 *   their relative position.
 * - Lines indented less than `from` (continuation lines inside brackets may be) and blank lines are not changed.
 * `sourceUnit`/`targetUnit` are one indentation level of each side (default: derived from `from`/`to`).
 */
export function reindent(
  block: string,
  from: string,
  to: string,
  contentLines: ReadonlySet<number> = new Set(),
  sourceUnit = unitOf(from),
  targetUnit = unitOf(to),
): string {
  if (from === to && sourceUnit === targetUnit) return block;
  const lines = block.split('\n');
  let offset = 0;
  const out: string[] = [];
  for (const line of lines) {
    const here = offset;
    offset += line.length + 1;
    if (contentLines.has(here) || line.trim() === '' || !line.startsWith(from)) {
      out.push(line);
      continue;
    }
    let rest = line.slice(from.length);
    let converted = '';
    if (sourceUnit !== targetUnit) {
      while (rest.startsWith(sourceUnit)) {
        converted += targetUnit;
        rest = rest.slice(sourceUnit.length);
      }
    }
    out.push(to + converted + rest);
  }
  return out.join('\n');
}

/** snake_case of a CamelCase name (`TaskQueue` -> `task_queue`). */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}
