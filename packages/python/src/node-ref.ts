import type { Node, Tree } from './parse.js';

/** Where a node is, as plain data that can cross threads: JS string offsets, its type and 1-based line. */
export interface NodeRef {
  start: number;
  end: number;
  type: string;
  line: number;
}

export function nodeRef(node: Node): NodeRef {
  return { start: node.startIndex, end: node.endIndex, type: node.type, line: node.startPosition.row + 1 };
}

/** The node of `tree` a {@link NodeRef} was taken from (same range and type); throws when the tree has none. */
export function nodeAt(tree: Tree, ref: NodeRef): Node {
  let node: Node | null = tree.rootNode.descendantForIndex(ref.start, ref.end);
  while (node && !(node.startIndex === ref.start && node.endIndex === ref.end && node.type === ref.type)) {
    if (node.startIndex < ref.start || node.endIndex > ref.end) node = null;
    else node = node.parent;
  }
  if (!node) throw new Error(`remodel: no ${ref.type} node at ${ref.start}-${ref.end} (line ${ref.line})`);
  return node;
}

/**
 * Gives `target` a property `key` holding the node `ref` names, found in `tree()` on first read (the tree is
 * parsed then, not before). Enumerable, so spreading the object reads it.
 */
export function lazyNode<T extends object>(target: T, key: string, ref: NodeRef, tree: () => Tree): T {
  let node: Node | null = null;
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => (node ??= nodeAt(tree(), ref)),
  });
  return target;
}
