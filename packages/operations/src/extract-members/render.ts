import type { Node, SourceFile, TopLevelDef } from '@remodel/python';
import type { BodyStatement, ClassModel } from './class-model.js';
import type { DelegatePlan } from './delegate.js';
import type { Group } from './groups.js';
import { lineEnd, lineStart } from '../shared/text.js';
import { applyLocal, indentAt, reindentSource, type LocalEdit } from './text.js';

const MAX_LINE = 88;

/** One indentation level of a class body indentation (`    ` -> `    `, `\t` -> `\t`, `  ` -> `  `). */
export function unitOf(indent: string): string {
  if (indent.startsWith('\t')) return '\t';
  return indent.length > 0 ? indent : '    ';
}

/** `from M import a, b` (parenthesised over several lines when long), at `indent`. */
function fromImport(module: string, names: string[], indent: string, unit: string): string {
  const flat = `${indent}from ${module} import ${names.join(', ')}`;
  if (flat.length <= MAX_LINE) return flat;
  return `${indent}from ${module} import (\n${names.map((n) => `${indent}${unit}${n},`).join('\n')}\n${indent})`;
}

/** Edit inserting a call-time import of `names` from `module` as the first statement after the docstring. */
function lazyImportEdit(text: string, def: Node, module: string, names: string[], unit: string): LocalEdit {
  const body = def.childForFieldName('body')!;
  const stmts = body.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  const defIndent = indentAt(text, def.startIndex);
  const first = stmts[0];
  const sameLine = first !== undefined && first.startPosition.row === def.startPosition.row;
  const indent = first && !sameLine ? indentAt(text, first.startIndex) : defIndent + unit;
  const leaf = module.slice(module.lastIndexOf('.') + 1);
  const lines = `${indent}# Imported when called: ${leaf} imports this module.\n${fromImport(module, names, indent, unit)}\n`;
  if (sameLine) {
    const colon = def.children.find((c) => c?.type === ':')!;
    return { start: colon.endIndex, end: first.startIndex, text: `\n${lines}${indent}` };
  }
  const isDoc = first.type === 'expression_statement' && first.namedChildCount === 1 && first.namedChild(0)?.type === 'string';
  if (isDoc) {
    const at = lineEnd(text, first.endIndex);
    const next = text.slice(at, lineEnd(text, at));
    return { start: at, end: at, text: lines + (stmts.length > 1 && next.trim() !== '' ? '\n' : '') };
  }
  const at = lineStart(text, first.startIndex);
  return { start: at, end: at, text: `${lines}\n` };
}

/**
 * Text of a moved member in its new class: its range (leading comments, decorators, body) with the statement's
 * local edits and call-time imports applied, re-indented from the source member indentation to `toIndent`.
 */
export function memberText(
  source: SourceFile,
  s: BodyStatement,
  edits: LocalEdit[],
  lazy: string[] | undefined,
  sourceIndent: string,
  toIndent: string,
): string {
  const all = [...edits];
  if (lazy && lazy.length > 0 && s.def) all.push(lazyImportEdit(source.text, s.def, source.module!, lazy, unitOf(sourceIndent)));
  const text = applyLocal(source.text, s.start, s.end, all).replace(/\r\n/g, '\n');
  return reindentSource(text, sourceIndent, toIndent);
}

/** A docstring at `indent` holding `text`: one line when it fits in 88 columns, else wrapped at word breaks. */
export function docstring(text: string, indent = ''): string {
  const clean = text.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"').replace(/\s+/g, ' ').trim();
  const tail = clean.endsWith('"') ? ' ' : '';
  if (indent.length + clean.length + tail.length + 6 <= MAX_LINE) return `"""${clean}${tail}"""`;
  const lines: string[] = [];
  let line = '';
  for (const word of clean.split(' ')) {
    const limit = MAX_LINE - indent.length - (lines.length === 0 ? 3 : 0);
    if (line && line.length + 1 + word.length > limit) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return `"""${lines.join(`\n${indent}`)}\n${indent}"""`;
}

/** The `__init__` of a collaborator: stores the owner (when needed) and each by-value attribute. */
function collaboratorInit(plan: DelegatePlan, indent: string): string {
  if (!plan.needsOwner && plan.params.length === 0) return '';
  const inner = indent + unitOf(indent);
  const params = ['self', ...(plan.needsOwner ? ['owner'] : []), ...plan.params.map((p) => p.param)];
  let head = `${indent}def __init__(${params.join(', ')}):`;
  if (head.length > MAX_LINE) head = `${indent}def __init__(\n${params.map((p) => `${inner}${p},`).join('\n')}\n${indent}):`;
  const lines = [head];
  if (plan.needsOwner) lines.push(`${inner}self._owner = owner`);
  for (const p of plan.params) lines.push(`${inner}self.${p.attr} = ${p.param}`);
  return lines.join('\n') + '\n';
}

/**
 * Source text of a new class holding `members` (each a text ending with a newline). Members marked `tight` were
 * adjacent in the source (no blank line between) and stay so; others are separated by one blank line.
 */
export function classText(
  group: Group,
  model: ClassModel,
  members: { text: string; tight: boolean; attribute: boolean }[],
  indent: string,
  plan: DelegatePlan | null,
): string {
  const what = group.style === 'mixin' ? `Mixin of ${model.name}` : `Collaborator of ${model.name}`;
  const doc = group.spec.rationale?.trim() ? group.spec.rationale.trim() : `${what}.`;
  let out = `class ${group.name}:\n${indent}${docstring(doc, indent)}\n`;
  const init = plan ? collaboratorInit(plan, indent) : '';
  // Class attributes first, then the constructor, then the rest (the usual order of a class body).
  const at = members.findIndex((m) => !m.attribute);
  for (const [i, m] of members.entries()) {
    if (i === at && init) out += `\n${init}`;
    out += (m.tight && i > 0 && i !== at ? '' : '\n') + m.text;
  }
  if (at === -1 && init) out += `\n${init}`;
  return out;
}

/** The owner's statement building a collaborator at the end of `__init__`. */
export function constructionLine(group: Group, plan: DelegatePlan, indent: string, unit: string): string {
  const args = [...(plan.needsOwner ? ['self'] : []), ...plan.params.map((p) => `${p.param}=self.${p.attr}`)];
  const flat = `${indent}self.${group.attribute} = ${group.name}(${args.join(', ')})`;
  if (flat.length <= MAX_LINE) return `${flat}\n`;
  return `${indent}self.${group.attribute} = ${group.name}(\n${args.map((a) => `${indent}${unit}${a},`).join('\n')}\n${indent})\n`;
}

/** Module constants (with their comments) as one block, in source order. */
export function definitionsText(source: SourceFile, defs: TopLevelDef[]): string {
  const sorted = [...new Set(defs)].sort((a, b) => a.start - b.start);
  const seen = new Set<number>();
  let out = '';
  let prevEnd = -1;
  for (const d of sorted) {
    if (seen.has(d.start)) continue;
    seen.add(d.start);
    if (prevEnd !== -1 && prevEnd !== d.start) out += '\n';
    prevEnd = d.end;
    out += source.text.slice(d.start, d.end).replace(/\r\n/g, '\n');
    if (!out.endsWith('\n')) out += '\n';
  }
  return out;
}

/** A new module: docstring, imports, constants, then the classes separated by two blank lines. */
export function moduleText(doc: string, imports: string, constants: string, classes: string[]): string {
  const parts = [`${docstring(doc)}\n`];
  if (imports) parts.push(imports);
  if (constants) parts.push(constants);
  let out = parts.join('\n');
  for (const c of classes) out += `\n\n${c}`;
  return out;
}
