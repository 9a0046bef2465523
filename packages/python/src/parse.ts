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
  const root = tree.rootNode;
  const hasError = root.hasError;
  // tree-sitter accepts a block with nothing in it (`if x:  # comment` then `else:`); Python does not.
  const blocks = hasError ? root.descendantsOfType('block') : emptyBlockCandidates(tree);
  for (const block of blocks) {
    if (out.length >= limit) break;
    if (!block || !onlyComments(block)) continue;
    const head = block.parent ?? block;
    out.push({ line: head.startPosition.row + 1, column: head.startPosition.column + 1, message: 'syntax error: expected an indented block' });
  }
  if (!hasError) return out;
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
  visit(root);
  return out;
}

/** True when a block has no named child but comments. */
function onlyComments(block: Node): boolean {
  const count = block.namedChildCount;
  for (let i = 0; i < count; i++) {
    const child = block.namedChild(i);
    if (child && child.type !== 'comment') return false;
  }
  return true;
}

/**
 * Node types whose (descendant) children may be blocks, from the grammar's node types: the compound statements,
 * their clauses, blocks and the module. Expressions hold none.
 */
const BLOCK_HOLDERS = new Set([
  'module', 'block', 'decorated_definition', 'function_definition', 'class_definition', 'if_statement', 'elif_clause',
  'else_clause', 'for_statement', 'while_statement', 'try_statement', 'except_clause', 'finally_clause',
  'with_statement', 'match_statement', 'case_clause',
]);
/** Holders whose only child that may hold blocks is their last one: the body / the decorated definition. */
const LAST_CHILD_HOLDERS = new Set(['decorated_definition', 'function_definition', 'class_definition']);
/** Per grammar, by node type id: 1 for BLOCK_HOLDERS, 2 for `block`, 3 for LAST_CHILD_HOLDERS. */
const holderTables = new WeakMap<Language, Uint8Array>();

/**
 * The blocks of a tree without syntax errors that may be empty, in document order (outer first, like
 * `descendantsOfType`): a cursor visits only the statements and clauses that can hold blocks (not expressions;
 * of a def, class or decorated definition only the last child), and keeps the blocks with an empty range or
 * starting with `#`. Any other block starts with a statement (its first child), so it is not empty.
 */
function emptyBlockCandidates(tree: Tree): Node[] {
  const language = tree.language;
  let kinds = holderTables.get(language);
  if (!kinds) {
    kinds = new Uint8Array(0x10000);
    language.types.forEach((name, id) => {
      if (name === 'block') kinds![id] = 2;
      else if (LAST_CHILD_HOLDERS.has(name)) kinds![id] = 3;
      else if (BLOCK_HOLDERS.has(name)) kinds![id] = 1;
    });
    holderTables.set(language, kinds);
  }
  const text = sourceText(tree);
  const out: Node[] = [];
  const cursor = tree.walk();
  // Pre-order walk of the holders below the root.
  let depth = 0;
  for (;;) {
    const kind = depth === 0 || kinds[cursor.nodeTypeId];
    if (kind === 2) {
      const start = cursor.startIndex;
      if (cursor.endIndex === start || text.charCodeAt(start) === 0x23) out.push(cursor.currentNode);
    }
    if (kind && (kind === 3 ? cursor.gotoLastChild() : cursor.gotoFirstChild())) {
      depth++;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (depth === 0 || !cursor.gotoParent()) {
        cursor.delete();
        return out;
      }
      depth--;
    }
  }
}
