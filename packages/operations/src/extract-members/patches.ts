import type { Node, Reference } from '@remodel/python';
import type { LocalEdit } from './text.js';

const PATCH = /^(patch|mock\.patch|unittest\.mock\.patch|mocker\.patch)$/;

function plainContent(node: Node): Node | null {
  if (node.type !== 'string') return null;
  const kids = node.namedChildren.filter((k): k is Node => k !== null);
  const start = kids.find((k) => k.type === 'string_start');
  if (!start || /[fFbBrR]/.test(start.text)) return null;
  const content = kids.filter((k) => k.type === 'string_content');
  if (content.length !== 1 || kids.some((k) => k.type === 'interpolation' || k.type === 'escape_sequence')) return null;
  return content[0];
}

function patchCall(ref: Reference): { call: Node; callee: Node; target: Node; name: Node } | null {
  const args = ref.node.parent;
  const call = args?.parent;
  if (args?.type !== 'argument_list' || call?.type !== 'call') return null;
  const positional = args.namedChildren.filter((a): a is Node => a !== null && a.type !== 'comment');
  if (positional.length < 2 || positional[1].id !== ref.node.id) return null;
  const callee = call.childForFieldName('function');
  if (!callee) return null;
  return { call, callee, target: positional[0], name: ref.node };
}

/**
 * Whether a patch reference can be rewritten to name another module: a plain string target
 * (`patch("a.b.NAME")`, `monkeypatch.setattr("a.b.NAME", v)`), or `patch.object(alias, "NAME", ...)` /
 * `monkeypatch.setattr(alias, "NAME", v)` / `monkeypatch.delattr(alias, "NAME")`, which become the string forms.
 * Attribute assignments (`alias.NAME = v`) and other shapes are not rewritten.
 */
export function retargetable(ref: Reference): boolean {
  if (ref.kind === 'string') return plainContent(ref.node) !== null;
  if (ref.kind !== 'patch-object') return false;
  const p = patchCall(ref);
  if (!p || plainContent(p.name) === null) return false;
  const callee = p.callee.text.replace(/\s+/g, '');
  if (callee.endsWith('.object')) return PATCH.test(callee.slice(0, -'.object'.length));
  return callee === 'monkeypatch.setattr' || callee === 'monkeypatch.delattr';
}

/** Edits (file offsets) that make a retargetable patch reference name `to` (`pkg.mod.NAME`). */
export function retargetEdits(ref: Reference, to: string): LocalEdit[] {
  if (ref.kind === 'string') {
    const content = plainContent(ref.node)!;
    return [{ start: content.startIndex, end: content.endIndex, text: to }];
  }
  const p = patchCall(ref)!;
  const quote = p.name.text.startsWith("'") ? "'" : '"';
  const edits: LocalEdit[] = [{ start: p.target.startIndex, end: p.name.endIndex, text: `${quote}${to}${quote}` }];
  if (p.callee.type === 'attribute' && p.callee.childForFieldName('attribute')?.text === 'object') {
    const object = p.callee.childForFieldName('object')!;
    edits.push({ start: object.endIndex, end: p.callee.endIndex, text: '' });
  }
  return edits;
}
