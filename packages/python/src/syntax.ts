import type { Node } from './parse.js';

/** Node types whose named children are all assignment targets (`a, (b, *c) = ...`). */
export const TARGET_GROUPS = new Set([
  'pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression', 'expression_list',
  'as_pattern_target', 'list_splat_pattern', 'list_splat',
]);

/** Appends to a list-valued map entry. */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Named children of a node. web-tree-sitter caches the array on the Node object; the walk drops that cache so
 * that nodes kept in the model (scope nodes, the root) do not keep every materialised descendant alive.
 */
export function namedOf(node: Node): (Node | null)[] {
  const list = node.namedChildren;
  (node as unknown as { _namedChildren?: unknown })._namedChildren = undefined;
  return list;
}

/** {@link namedOf}, or [] for null. */
export function namedOfMaybe(node: Node | null): (Node | null)[] {
  return node ? namedOf(node) : [];
}

/** True when `a` is a node with the same range as `b` (web-tree-sitter makes a new object for every access). */
export function sameNode(a: Node | null | undefined, b: Node): boolean {
  return !!a && a.startIndex === b.startIndex && a.endIndex === b.endIndex;
}
