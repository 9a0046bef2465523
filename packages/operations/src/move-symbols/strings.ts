import type { Node } from '@remodel/python';
import { readConfigFiles } from '../shared/config-files.js';
import { plainString, stringValueRange } from '../shared/text.js';
import { escapeRegExp } from '../shared/wildcards.js';
import { stillImportedByA } from './analysis.js';
import type { MoveContext } from './importers.js';

/**
 * Without the re-export, `A.N` stops existing (unless A's remaining code still imports N), so strings naming it
 * break at run time: `"A:N"` for uvicorn or an
 * entry point, `"A.N"` for `importlib`, logging or a plugin list. A Python string literal whose whole value is such
 * a path (`A.N`, `A:N`, `A.N.attr`) is rewritten to B like an import; patch targets are left to `patchTargets`. Any
 * other mention — inside a longer string or a comment, inside the moved code (copied verbatim), or in a config file
 * (which remodel never edits) — is reported with its place, since nothing can tell statically whether it is used as
 * a path.
 */
export function dottedMentions(mc: MoveContext): void {
  const { project, a, b, ctx } = mc;
  if (mc.reexport) return;
  // A still imports the moved names its remaining code reads: `A.N` keeps resolving for those.
  const movedNames = mc.movedNames.filter((n) => !stillImportedByA(mc.analysis, n));
  if (movedNames.length === 0) return;
  const pattern = new RegExp(`(?<![\\w.])${escapeRegExp(a.module)}[.:](${movedNames.map(escapeRegExp).join('|')})(?!\\w)`, 'g');
  // A string that is nothing but such a path (`A.N`, `A:N`, `A.N.attr`).
  const wholePath = new RegExp(`^${pattern.source}(?:\\.\\w+)*$`);
  const patched = new Set(movedNames.flatMap((n) => project.references(a.module, n)).filter((r) => r.kind === 'string').map((r) => `${r.path}:${r.node.startIndex}`));
  const movedRanges = mc.analysis.defs.map((d) => [d.start, d.end] as const);
  for (const file of project.files.values()) {
    if (!file.text.includes(a.module)) continue;
    const seen = new Set<number>();
    for (const m of file.text.matchAll(pattern)) {
      const holder = literalOrComment(file.tree.rootNode.descendantForIndex(m.index!, m.index! + m[0].length));
      if (!holder || seen.has(holder.startIndex)) continue;
      seen.add(holder.startIndex);
      const where = `${file.path}:${holder.startPosition.row + 1}`;
      const moved = `${b.module}${m[0].slice(a.module.length)}`;
      if (holder.type === 'comment') {
        ctx.warn(`${where}: a comment names \`${m[0]}\`, now \`${moved}\`; update it by hand`);
        continue;
      }
      if (patched.has(`${file.path}:${holder.startIndex}`)) continue;
      if (file.path === a.path && movedRanges.some(([s, e]) => s <= holder.startIndex && holder.endIndex <= e)) {
        ctx.warn(`${where}: moved code has a string naming \`${m[0]}\`, now \`${moved}\`; update it by hand in ${b.path}`);
        continue;
      }
      const value = plainString(holder);
      const range = value !== null && wholePath.test(value) ? stringValueRange(holder, value) : null;
      if (!range) {
        ctx.warn(`${where}: a string names \`${m[0]}\`, which no longer exists (moved to ${b.module}); update it by hand if it is used as a path`);
        continue;
      }
      const newValue = `${b.module}${value!.slice(a.module.length)}`;
      ctx.changes.replace(file.path, range[0], range[1], newValue, ctx.origin);
      ctx.note(`${where}: string "${value}" now names "${newValue}"`);
    }
  }
  lazyTables(mc, movedNames);
  for (const config of readConfigFiles(ctx.root)) {
    config.text.split('\n').forEach((line, i) => {
      for (const m of line.matchAll(pattern)) ctx.warn(`${config.path}:${i + 1}: names \`${m[0]}\`, now \`${b.module}${m[0].slice(a.module.length)}\`; update it by hand`);
    });
  }
}

/** The string literal or comment a text position lies in, or null (code). */
function literalOrComment(node: Node | null): Node | null {
  for (let n = node; n; n = n.parent) {
    if (n.type === 'string' || n.type === 'comment') return n;
  }
  return null;
}

/**
 * Lazy-import tables (`lazy_loader` style, as in huggingface_hub's `__init__`): `{"constants": ["N", ...]}` or
 * `{"N": "constants"}` map a name to the module `__getattr__` imports it from. A dict entry pairing a moved name
 * with A's module (its last part, dotted name or relative form) stops resolving without the re-export; it is
 * reported, since only the table's owner knows how it is read.
 */
function lazyTables(mc: MoveContext, movedNames: string[]): void {
  const { project, a, b, ctx } = mc;
  const leaf = a.module.slice(a.module.lastIndexOf('.') + 1);
  const names = new Set(movedNames);
  for (const file of project.files.values()) {
    if (file.path === a.path || !movedNames.some((n) => file.text.includes(n))) continue;
    const moduleNames = new Set([leaf, a.module, `.${leaf}`]);
    for (const pair of file.tree.rootNode.descendantsOfType('pair')) {
      if (!pair) continue;
      const key = pair.childForFieldName('key');
      const value = pair.childForFieldName('value');
      if (!key || !value) continue;
      const keyText = plainString(key);
      const values = value.type === 'string' ? [value] : ['list', 'tuple', 'set'].includes(value.type) ? value.namedChildren.filter((c): c is Node => c?.type === 'string') : [];
      const hits: Node[] = [];
      if (keyText !== null && moduleNames.has(keyText)) hits.push(...values.filter((v) => names.has(plainString(v) ?? '')));
      if (keyText !== null && names.has(keyText) && values.some((v) => moduleNames.has(plainString(v) ?? ''))) hits.push(key);
      for (const hit of hits) {
        ctx.warn(
          `${file.path}:${hit.startPosition.row + 1}: "${plainString(hit)}" is listed under module "${keyText !== null && names.has(keyText) ? plainString(values[0]) : keyText}" (a lazy-import table?); it moved to ${b.module}, update the entry by hand`,
        );
      }
    }
  }
}
