import { createRequire } from 'node:module';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

export type { Node, Tree };

let parser: Parser | null = null;
/** The load in progress or done (concurrent callers share it; a failed load is retried by the next call). */
let loading: Promise<void> | null = null;
/** The text each tree was parsed from. */
const sources = new WeakMap<Tree, string>();

/**
 * Loads web-tree-sitter and the Python grammar that tree-sitter-python ships as `.wasm`.
 * Must be awaited once before {@link parsePython}; later calls are free. The WebAssembly compiles off the main
 * thread, so a caller may start the load early and await it later.
 */
export function loadPython(): Promise<void> {
  loading ??= (async () => {
    await Parser.init();
    const require = createRequire(import.meta.url);
    const language = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
    const p = new Parser();
    p.setLanguage(language);
    parser = p;
  })().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

/**
 * Parses Python source. Every offset on the returned tree (`startIndex`, `endIndex`) is a JS string
 * index into `text` (UTF-16 code units), the unit every edit in remodel uses.
 */
export function parsePython(text: string): Tree {
  if (!parser) throw new Error('remodel: loadPython() must be awaited before parsePython()');
  const tree = parser.parse(text);
  if (!tree) throw new Error('remodel: tree-sitter returned no tree');
  sources.set(tree, text);
  return tree;
}

/**
 * The whole text a tree was parsed from, which every offset of the tree indexes. Not `rootNode.text`: the module
 * node starts after leading blank lines, so its text is shifted against the offsets. For a tree not made by
 * {@link parsePython}, the root's text padded with spaces to its start offset.
 */
export function sourceText(tree: Tree): string {
  const text = sources.get(tree);
  if (text !== undefined) return text;
  const root = tree.rootNode;
  return ' '.repeat(root.startIndex) + root.text;
}

/** A syntax problem: the first ERROR or MISSING node, as a 1-based line and a message. */
export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

/** Lists ERROR and MISSING nodes of a tree (at most `limit`), outermost first. */
export function syntaxProblems(tree: Tree, limit = 20): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  // tree-sitter accepts a block with nothing in it (`if x:  # comment` then `else:`); Python does not.
  for (const block of tree.rootNode.descendantsOfType('block')) {
    if (!block || block.namedChildren.some((c) => c !== null && c.type !== 'comment') || out.length >= limit) continue;
    const head = block.parent ?? block;
    out.push({ line: head.startPosition.row + 1, column: head.startPosition.column + 1, message: 'syntax error: expected an indented block' });
  }
  if (!tree.rootNode.hasError) return out;
  const visit = (node: Node): void => {
    if (out.length >= limit) return;
    if (node.isMissing) {
      out.push({ line: node.startPosition.row + 1, column: node.startPosition.column + 1, message: `syntax error: missing ${node.type}` });
      return;
    }
    if (node.type === 'ERROR') {
      const snippet = node.text.split('\n')[0].slice(0, 40);
      out.push({ line: node.startPosition.row + 1, column: node.startPosition.column + 1, message: `syntax error near ${JSON.stringify(snippet)}` });
      return;
    }
    if (!node.hasError) return;
    for (const child of node.children) if (child) visit(child);
  };
  visit(tree.rootNode);
  return out;
}
