import { sourceText, type Node, type Tree } from './parse.js';
import { allStatements, globalWrites, importSites } from './statements.js';
import type { ImportSite } from './scopes.js';
import type { ImportBinding, ModuleIndex, TopLevelDef } from './types.js';

type Context = Omit<ImportSite, 'statement'>;

/** Extra data kept beside a ModuleIndex for the project analyses (string nodes of `__all__`). */
const allNodes = new WeakMap<ModuleIndex, Node[]>();
const cache = new WeakMap<Tree, ModuleIndex>();

/** The string nodes of the literal `__all__` entries of an index built by {@link indexModule}. */
export function allEntryNodes(index: ModuleIndex): Node[] {
  return allNodes.get(index) ?? [];
}

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * `a.b.c` of a dotted_name: its identifiers joined by dots. Read from the text (`text`: the tree's source, or null
 * for a tree with syntax errors) when that is only names and dots.
 */
function dottedText(node: Node, text: string | null): string {
  if (text !== null) {
    const plain = text.slice(node.startIndex, node.endIndex);
    if (DOTTED.test(plain)) return plain;
  }
  const parts: string[] = [];
  for (const c of node.namedChildren) if (c?.type === 'identifier') parts.push(c.text);
  return parts.join('.');
}

/** String literal value of a plain (non f-, non bytes) string node, or null. Escapes are kept as written. */
export function stringValue(node: Node): string | null {
  if (node.type !== 'string') return null;
  const kids = node.namedChildren;
  const types = kids.map((k) => k?.type);
  if (types.includes('interpolation')) return null;
  const start = kids[0]?.text ?? '';
  if (/[fFbB]/.test(start)) return null;
  let v = '';
  for (let i = 0; i < kids.length; i++) if (types[i] === 'string_content') v += kids[i]!.text;
  return v;
}

/** Literal strings of a list / tuple (or `a + b` of those); null when not literal. */
function literalNames(node: Node, nodes: Node[]): string[] | null {
  if (node.type === 'parenthesized_expression') {
    const inner = node.firstNamedChild;
    return inner ? literalNames(inner, nodes) : null;
  }
  if (node.type === 'binary_operator') {
    const l = literalNames(node.firstNamedChild!, nodes);
    const r = literalNames(node.lastNamedChild!, nodes);
    return l && r && node.child(1)?.type === '+' ? [...l, ...r] : null;
  }
  if (node.type !== 'list' && node.type !== 'tuple') return null;
  const out: string[] = [];
  for (const e of node.namedChildren) {
    if (!e || e.type === 'comment') continue;
    const v = stringValue(e);
    if (v === null) return null;
    out.push(v);
    nodes.push(e);
  }
  return out;
}

/** Names bound by an assignment target (identifiers in tuples / lists / starred), skipping attributes and subscripts. */
function targetNames(node: Node, out: { name: string; node: Node }[]): void {
  switch (node.type) {
    case 'identifier':
      out.push({ name: node.text, node });
      return;
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'parenthesized_expression':
    case 'list_splat_pattern':
    case 'list_splat':
      for (const c of node.namedChildren) if (c) targetNames(c, out);
  }
}

class Indexer {
  readonly defs = new Map<string, TopLevelDef>();
  readonly imports: ImportBinding[] = [];
  all: string[] | null = null;
  private allDynamic = false;
  readonly allNodes: Node[] = [];

  /** The source text for reading dotted names, or null (a tree with syntax errors: read them node by node). */
  private readonly dottedSource: string | null;

  constructor(
    readonly text: string,
    hasError: boolean,
  ) {
    this.dottedSource = hasError ? null : text;
  }

  importStatement(node: Node, ctx: Context): void {
    let module = '';
    let level = 0;
    const type = node.type;
    const from = type !== 'import_statement';
    if (type === 'future_import_statement') module = '__future__';
    let first = type === 'import_from_statement';
    const statementLine = node.startPosition.row + 1;
    for (const b of node.namedChildren) {
      if (!b) continue;
      const bType = b.type;
      if (bType === 'comment') continue;
      if (first) {
        first = false;
        if (bType === 'relative_import') {
          level = b.firstNamedChild?.text.length ?? 0;
          const dn = b.lastNamedChild;
          module = dn?.type === 'dotted_name' ? dottedText(dn, this.dottedSource) : '';
        } else module = dottedText(b, this.dottedSource);
        continue;
      }
      const base = { statement: node, node: b, level, typeChecking: ctx.typeChecking, guarded: ctx.guarded, topLevel: ctx.topLevel, line: b.startPosition.row + 1, statementLine };
      if (bType === 'wildcard_import') {
        this.imports.push({ local: '*', module, name: '*', alias: null, ...base });
      } else if (bType === 'dotted_name' || bType === 'aliased_import') {
        const dn = bType === 'aliased_import' ? b.firstNamedChild! : b;
        const alias = bType === 'aliased_import' ? b.lastNamedChild!.text : null;
        const text = dottedText(dn, this.dottedSource);
        if (from) this.imports.push({ local: alias ?? text, module, name: text, alias, ...base });
        else this.imports.push({ local: alias ?? text.split('.')[0], module: text, name: null, alias, ...base });
      }
    }
  }

  allStatement(node: Node): void {
    const e = node.firstNamedChild;
    if (!e) return;
    let left: Node | null = null;
    let value: Node | null = null;
    let extend = false;
    if (e.type === 'assignment' || e.type === 'augmented_assignment') {
      left = e.firstNamedChild;
      value = e.lastNamedChild;
      extend = e.type === 'augmented_assignment';
      if (value?.type === 'type') return;
    } else if (e.type === 'call') {
      const fn = e.firstNamedChild;
      if (fn?.type !== 'attribute') return;
      const method = fn.lastNamedChild?.text;
      if (method !== 'extend' && method !== 'append') return;
      left = fn.firstNamedChild;
      const args = e.lastNamedChild?.namedChildren.filter((a) => a && a.type !== 'comment') ?? [];
      if (args.length !== 1) value = null;
      else if (method === 'append') {
        const v = stringValue(args[0]!);
        if (left?.text === '__all__' && !this.allDynamic && this.all && v !== null) {
          this.all.push(v);
          this.allNodes.push(args[0]!);
          return;
        }
        value = null;
      } else value = args[0]!;
      extend = true;
    } else return;
    if (left?.type !== 'identifier' || left.text !== '__all__') return;
    if (this.allDynamic) return;
    const nodes: Node[] = [];
    const names = value ? literalNames(value, nodes) : null;
    if (names === null || (extend && this.all === null)) {
      this.all = null;
      this.allDynamic = true;
      this.allNodes.length = 0;
      return;
    }
    if (extend) this.all!.push(...names);
    else {
      this.all = names;
      this.allNodes.length = 0;
    }
    this.allNodes.push(...nodes);
  }

  /** Top-level definitions of the module: its direct statements (not those nested in if / try). */
  topLevel(root: Node): void {
    const text = this.text;
    let comments: Node[] = [];
    /** The previous statement: a comment on its last row trails it (its end is read only then). */
    let prev: Node | null = null;
    let prevFunction: string | null = null;
    for (const node of root.namedChildren) {
      if (!node) continue;
      const startRow = node.startPosition.row;
      const type = node.type;
      if (type === 'comment') {
        const last = comments[comments.length - 1];
        if (node.startPosition.column !== 0 || (prev !== null && startRow <= prev.endPosition.row)) comments = [];
        else if (last && last.startPosition.row !== startRow - 1) comments = [node];
        else comments.push(node);
        continue;
      }
      const bound = this.boundNames(node, type);
      if (bound.length) {
        let start = node.startIndex - node.startPosition.column;
        const lastComment = comments[comments.length - 1];
        if (lastComment && lastComment.startPosition.row === startRow - 1) start = comments[0].startIndex;
        let end = node.endIndex;
        const nl = text.indexOf('\n', end);
        end = nl === -1 ? text.length : nl + 1;
        const names = bound.map((b) => b.name.name);
        const fn = bound.length === 1 && bound[0].kind === 'function' ? names[0] : null;
        if (fn !== null && fn === prevFunction) {
          // `@overload` stubs and the implementation: one range.
          this.defs.get(fn)!.end = end;
          comments = [];
          prev = node;
          continue;
        }
        prevFunction = fn;
        for (const { name, kind } of bound) {
          if (this.defs.has(name.name)) continue;
          this.defs.set(name.name, {
            name: name.name,
            kind,
            node,
            nameNode: name.node,
            start,
            end,
            siblings: names.filter((n) => n !== name.name),
          });
        }
      }
      else prevFunction = null;
      comments = [];
      prev = node;
    }
  }

  /** Names a top-level statement (of type `type`) binds. */
  private boundNames(node: Node, type: string): { name: { name: string; node: Node }; kind: TopLevelDef['kind'] }[] {
    let def = node;
    let defType = type;
    if (type === 'decorated_definition') {
      const definition = node.childForFieldName('definition');
      if (definition) {
        def = definition;
        defType = definition.type;
      }
    }
    if (defType === 'function_definition' || defType === 'class_definition') {
      const name = def.childForFieldName('name');
      if (!name) return [];
      return [{ name: { name: name.text, node: name }, kind: defType === 'class_definition' ? 'class' : 'function' }];
    }
    if (type !== 'expression_statement') return [];
    const out: { name: string; node: Node }[] = [];
    let e = node.firstNamedChild;
    for (let eType = e?.type; e && (eType === 'assignment' || eType === 'augmented_assignment'); eType = e?.type) {
      const left = e.firstNamedChild;
      if (left) targetNames(left, out);
      const right: Node | null = e.lastNamedChild;
      e = right && right !== left ? right : null;
    }
    const seen = new Set<string>();
    return out.filter((n) => !seen.has(n.name) && seen.add(n.name)).map((name) => ({ name, kind: 'assignment' as const }));
  }
}

/**
 * Index of a module: top-level definitions (direct statements only: def, async def, class, decorated
 * definitions, assignments incl. tuple / starred / annotated / chained / augmented targets; the first
 * statement binding a name wins, later rebinding statements are not recorded, except that consecutive
 * definitions of one function (`@overload` stubs + implementation) share one range), every import binding anywhere in
 * the file with its TYPE_CHECKING / ImportError-guard / module-level flags, literal `__all__` (list / tuple / `+`
 * of those, `+=`, `.extend([...])`, `.append("x")`; null once any non-literal change is seen), and names rebound
 * through `global`. Cached per tree (do not mutate). Does not see: definitions nested in module-level if / try
 * blocks (use `ScopeAnalysis.moduleBindings()`), `globals()[...] = ...`, `setattr(sys.modules[...])`, dynamic
 * `importlib` / `__import__` imports. A def range ends at the end of its last line, so `a = 1; b = 2` on one line
 * share it.
 */
export function indexModule(tree: Tree): ModuleIndex {
  const cached = cache.get(tree);
  if (cached) return cached;
  const root = tree.rootNode;
  const indexer = new Indexer(sourceText(tree), root.hasError);
  indexer.topLevel(root);
  for (const site of importSites(tree)) indexer.importStatement(site.statement, site);
  for (const statement of allStatements(tree)) indexer.allStatement(statement);
  const index: ModuleIndex = {
    defs: indexer.defs,
    imports: indexer.imports,
    all: indexer.all,
    globalWrites: globalWrites(tree),
  };
  allNodes.set(index, indexer.all ? indexer.allNodes : []);
  cache.set(tree, index);
  return index;
}
