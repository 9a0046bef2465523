import { sourceText, type Node, type Tree } from './parse.js';
import { catchesImportError, hasGlobalKeyword, isTypeChecking, Walker, type ImportSite } from './scope-walker.js';
import { hasFullScopes, scopeModel } from './scopes.js';
import { sameNode } from './syntax.js';

/*
 * Statements found from their keywords: the text is searched for the keyword, each hit is looked up in the tree,
 * and only the statements found are inspected. Each result equals what the full scope walk reports (the walk
 * stays the reference for trees with syntax errors, and is used when it has already run).
 */

const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

const sitesCache = new WeakMap<Tree, ImportSite[]>();
/** {@link isStarImport} of the statements {@link importSites} found from the text. */
const starCache = new WeakMap<Node, boolean>();
const allCache = new WeakMap<Tree, Node[]>();
const globalsCache = new WeakMap<Tree, Map<string, Node[]>>();

/**
 * Every import statement of a file in source order, with its TYPE_CHECKING / ImportError-guard / module-level
 * context: the same list as the scope walk's, found without walking the file: each statement has an `import`
 * keyword, so only the places where the text says `import` are looked up in the tree, and the context comes from
 * the statement's ancestors. A tree with syntax errors uses the scope walk, which is the reference (error recovery
 * can put statements where the walk does not look). Cached per tree.
 */
export function importSites(tree: Tree): ImportSite[] {
  let sites = sitesCache.get(tree);
  if (!sites) {
    const root = tree.rootNode;
    if (root.hasError) sites = scopeModel(tree).importSites;
    else {
      sites = [];
      const text = sourceText(tree);
      for (let at = text.indexOf('import'); at !== -1; at = text.indexOf('import', at + 6)) {
        // A keyword is a word of its own (`importlib`, `_import` are names).
        if (isWordChar(text.charCodeAt(at - 1)) || isWordChar(text.charCodeAt(at + 6))) continue;
        const keyword = root.descendantForIndex(at, at + 6);
        if (keyword?.type !== 'import' || keyword.startIndex !== at) continue;
        const statement = keyword.parent;
        const type = statement?.type;
        if (!statement || !IMPORT_TYPES.has(type!)) continue;
        sites.push({ statement, ...contextOf(statement) });
        // `from m import *`: the keyword is followed by the wildcard (in a tree without syntax errors).
        starCache.set(statement, type === 'import_from_statement' && text.charCodeAt(skipSpace(text, at + 6)) === 0x2a);
      }
    }
    sitesCache.set(tree, sites);
  }
  return sites;
}

/**
 * Module-level expression statements starting with `__all__` (not inside def / class bodies), in source order: the
 * scope walk's `allStatements`, found the same way as {@link importSites}. Cached per tree.
 */
export function allStatements(tree: Tree): Node[] {
  let list = allCache.get(tree);
  if (!list) {
    const root = tree.rootNode;
    const text = sourceText(tree);
    if (!text.includes('__all__')) list = [];
    else if (root.hasError) list = scopeModel(tree).allStatements;
    else {
      list = [];
      for (let at = text.indexOf('__all__'); at !== -1; at = text.indexOf('__all__', at + 7)) {
        let node = root.descendantForIndex(at, at + 7);
        while (node && node.startIndex === at && node.type !== 'expression_statement') node = node.parent;
        if (node && node.startIndex === at && node.type === 'expression_statement' && contextOf(node).topLevel) list.push(node);
      }
    }
    allCache.set(tree, list);
  }
  return list;
}

/**
 * Module-level names rebound through `global` inside functions (or class bodies) -> the binding identifiers, in
 * source order: the scope walk's `globalWrites`, from a walk of only the outermost defs / classes that hold a
 * `global` statement. Cached per tree.
 */
export function globalWrites(tree: Tree): Map<string, Node[]> {
  let writes = globalsCache.get(tree);
  if (!writes) {
    const root = tree.rootNode;
    const text = sourceText(tree);
    if (!hasGlobalKeyword(text)) writes = new Map();
    else if (root.hasError || hasFullScopes(tree)) writes = scopeModel(tree).globalWrites;
    else {
      const scopes: Node[] = [];
      for (let at = text.indexOf('global'); at !== -1; at = text.indexOf('global', at + 6)) {
        const keyword = root.descendantForIndex(at, at + 6);
        if (keyword?.type !== 'global' || keyword.startIndex !== at || keyword.parent?.type !== 'global_statement') continue;
        const scope = outermostScope(keyword.parent);
        const last = scopes[scopes.length - 1];
        // Hits come in source order, so a scope holding several `global` statements repeats at the end.
        if (scope && !(last && last.startIndex <= scope.startIndex && scope.endIndex <= last.endIndex)) scopes.push(scope);
      }
      const walker = new Walker(tree);
      for (const scope of scopes) walker.visit(scope, walker.module);
      writes = walker.globalWrites;
    }
    globalsCache.set(tree, writes);
  }
  return writes;
}

/** A character of a name (or any non-ASCII one). */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c > 127;
}

/** The outermost def / class around a node (null at module level). */
function outermostScope(node: Node): Node | null {
  let found: Node | null = null;
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition' || p.type === 'class_definition') found = p;
  return found;
}


/** Skips spaces and line continuations. */
function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 12) i++;
    else if (c === 92 && text.charCodeAt(i + 1) === 10) i += 2;
    else if (c === 92 && text.charCodeAt(i + 1) === 13) i += text.charCodeAt(i + 2) === 10 ? 3 : 2;
    else return i;
  }
}

/** True for `from m import *`. */
export function isStarImport(statement: Node): boolean {
  const known = starCache.get(statement);
  if (known !== undefined) return known;
  if (statement.type !== 'import_from_statement') return false;
  let first = true;
  for (const b of statement.namedChildren) {
    if (!b) continue;
    const type = b.type;
    if (type === 'comment') continue;
    if (first) {
      first = false; // module_name
      continue;
    }
    if (type === 'wildcard_import') return true;
  }
  return false;
}

const MODULE_LEVEL: Omit<ImportSite, 'statement'> = { typeChecking: false, guarded: false, topLevel: true };

/**
 * The walk's context flags of a statement, from its ancestors: inside the consequence of `if TYPE_CHECKING:` (the
 * first block of the `if`, not elif / else), inside the body or a handler of a `try` that catches ImportError, and
 * outside every def / class body. In a tree without syntax errors (the only ones asked here), a statement starting
 * a line at column 0 is a statement of the module itself: it has none of those ancestors.
 */
function contextOf(statement: Node): Omit<ImportSite, 'statement'> {
  if (statement.startPosition.column === 0) return MODULE_LEVEL;
  let typeChecking = false;
  let guarded = false;
  let topLevel = true;
  let child = statement;
  // The type of `child`: the previous parent's, read once.
  let childType: string | null = null;
  for (let parent = statement.parent; parent; child = parent, parent = parent.parent) {
    const parentType = parent.type;
    switch (parentType) {
      case 'function_definition':
      case 'class_definition':
        topLevel = false;
        break;
      case 'if_statement':
        if (!typeChecking && (childType ??= child.type) === 'block') {
          const kids = parent.namedChildren;
          if (isTypeChecking(kids[0]) && sameNode(kids.find((k) => k?.type === 'block'), child)) typeChecking = true;
        }
        break;
      case 'try_statement':
        if (!guarded) {
          const type = (childType ??= child.type);
          if ((type === 'block' || type === 'except_clause') && catchesImportError(parent.namedChildren)) guarded = true;
        }
        break;
    }
    childType = parentType;
  }
  return { typeChecking, guarded, topLevel };
}
