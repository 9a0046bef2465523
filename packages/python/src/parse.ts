import { createRequire } from 'node:module';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

export type { Node, Tree };

let parser: Parser | null = null;

/**
 * Loads web-tree-sitter and the Python grammar that tree-sitter-python ships as `.wasm`.
 * Must be awaited once before {@link parsePython}; later calls are free.
 */
export async function loadPython(): Promise<void> {
  if (parser) return;
  await Parser.init();
  const require = createRequire(import.meta.url);
  const language = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
  const p = new Parser();
  p.setLanguage(language);
  parser = p;
}

/**
 * Parses Python source. Every offset on the returned tree (`startIndex`, `endIndex`) is a JS string
 * index into `text` (UTF-16 code units), the unit every edit in remodel uses.
 */
export function parsePython(text: string): Tree {
  if (!parser) throw new Error('remodel: loadPython() must be awaited before parsePython()');
  const tree = parser.parse(text);
  if (!tree) throw new Error('remodel: tree-sitter returned no tree');
  return tree;
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
