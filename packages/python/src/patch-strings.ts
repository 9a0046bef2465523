import { sourceText, type Node, type Tree } from './parse.js';
import { sameNode } from './syntax.js';

/** A dotted target string in a patch-like call: `patch("a.b.C")`, `mocker.patch.dict(...)`, `monkeypatch.setattr("a.b", v)`. */
export interface PatchString {
  value: string;
  /** The string node. */
  node: Node;
  line: number;
}

const PATCH_CALLEES = /^(?:(?:unittest\.)?mock\.|mocker\.)?patch(?:\.dict)?$/;
const MONKEYPATCH = /^monkeypatch\.(?:setattr|delattr)$/;
const cache = new WeakMap<Tree, PatchString[]>();

/**
 * Every dotted target string of patch-like calls in a file (decorators included), in tree order, cached per tree.
 * Read syntactically: the callee as written (`patch`, `mock.patch`, `unittest.mock.patch`, `mocker.patch`, their
 * `.dict`, `monkeypatch.setattr` / `.delattr`) and a plain string first argument holding a dotted name.
 */
export function patchStrings(tree: Tree): PatchString[] {
  let found = cache.get(tree);
  if (!found) {
    found = [];
    for (const call of patchCalls(tree, sourceText(tree))) {
      const callee = call.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
      if (PATCH_CALLEES.test(callee) || MONKEYPATCH.test(callee)) {
        const first = call.childForFieldName('arguments')?.namedChildren.find((c) => c !== null && c.type !== 'comment');
        const value = first ? plainString(first) : null;
        if (first && value !== null && /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$/.test(value)) found.push({ value, node: first, line: first.startPosition.row + 1 });
      }
    }
    cache.set(tree, found);
  }
  return found;
}

/**
 * The calls that may be patch-like, in tree order (outer calls first), outside string literals (an f-string's
 * interpolations are not searched). Every patch-like callee contains the identifier `patch` or `monkeypatch`, so
 * only those identifiers are looked up in the tree, and the calls whose callee they begin, end or sit in (through
 * an attribute chain) are kept. A tree with syntax errors is walked whole.
 */
function patchCalls(tree: Tree, text: string): Node[] {
  const root = tree.rootNode;
  if (!text.includes('patch')) return [];
  if (root.hasError) return walkCalls(root);
  const calls: Node[] = [];
  const seen = new Set<string>();
  for (let at = text.indexOf('patch'); at !== -1; at = text.indexOf('patch', at + 5)) {
    const id = root.descendantForIndex(at, at + 5);
    if (id?.type !== 'identifier' || id.endIndex !== at + 5) continue;
    const name = id.text;
    if (name !== 'patch' && name !== 'monkeypatch') continue;
    let callee: Node = id;
    for (let parent = callee.parent; parent; callee = parent, parent = parent.parent) {
      if (parent.type === 'attribute') continue;
      if (parent.type === 'call' && sameNode(parent.childForFieldName('function'), callee) && !insideString(parent)) {
        const key = `${parent.startIndex}:${parent.endIndex}`;
        if (!seen.has(key)) {
          seen.add(key);
          calls.push(parent);
        }
      }
      break;
    }
  }
  return calls.sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
}

/** Every call of the tree in tree order, not looking into strings, comments and identifiers. */
function walkCalls(root: Node): Node[] {
  const out: Node[] = [];
  const visit = (node: Node): void => {
    if (node.type === 'call') out.push(node);
    if (node.type === 'string' || node.type === 'comment' || node.type === 'identifier') return;
    for (const child of node.namedChildren) if (child) visit(child);
  };
  visit(root);
  return out;
}

function insideString(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'string') return true;
  return false;
}


/** Value of a plain string literal node (no prefix, no interpolation), else null. */
function plainString(node: Node): string | null {
  if (node.type !== 'string') return null;
  if (/^[A-Za-z]/.test(node.text)) return null;
  if (node.namedChildren.some((c) => c?.type === 'interpolation')) return null;
  const content = node.namedChildren.filter((c) => c?.type === 'string_content');
  return content.map((c) => c!.text).join('');
}
