import { parsePython, sourceText, type Node, type Tree } from './parse.js';
import { mayInterpolate, SourceLexer } from './source-lexer.js';
import { namedOf, namedOfMaybe, push, TARGET_GROUPS } from './syntax.js';

export type ScopeKind = 'module' | 'class' | 'function' | 'lambda' | 'comprehension';

/**
 * One Python scope: the names it binds, and its `global` / `nonlocal` declarations. The identifiers the lexer
 * found bound are kept as offsets and looked up in the scope's node when {@link bindings} is first read.
 */
export class Scope {
  globals: Set<string> | null = null;
  nonlocals: Set<string> | null = null;
  /** Names bound in this scope by an import statement -> the import's binding node (dotted_name / aliased_import). */
  imports: Map<string, Node> | null = null;
  /** Name -> its binding identifiers: nodes, or the start offsets of identifiers not looked up yet. */
  private readonly bound = new Map<string, (Node | number)[]>();
  private offsets = false;

  constructor(
    readonly kind: ScopeKind,
    /** The module, class_definition, function_definition, lambda or comprehension node. */
    readonly node: Node,
    readonly parent: Scope | null,
  ) {}

  /** Name -> binding identifier nodes (implicit bindings such as `__class__` have no node). */
  get bindings(): Map<string, Node[]> {
    if (this.offsets) {
      for (const [name, list] of this.bound) {
        for (let i = 0; i < list.length; i++) {
          const at = list[i];
          if (typeof at === 'number') list[i] = this.node.descendantForIndex(at, at + name.length)!;
        }
      }
      this.offsets = false;
    }
    return this.bound as Map<string, Node[]>;
  }

  /** True when the scope binds `name`. */
  binds(name: string): boolean {
    return this.bound.has(name);
  }

  /** The names the scope binds (without looking up their binding nodes). */
  names(): IterableIterator<string> {
    return this.bound.keys();
  }

  /** Records a binding of `name`: its identifier node, or the identifier's start offset (inside {@link node}). */
  add(name: string, binding: Node | number): void {
    if (typeof binding === 'number') this.offsets = true;
    push(this.bound, name, binding);
  }

  /** Records an implicit binding (`__class__`, `__module__`, `__qualname__`). */
  declare(name: string): void {
    this.bound.set(name, []);
  }
}

/** One identifier read (or a write through `global` / `nonlocal`), resolved after the whole file is walked. */
export interface Access {
  name: string;
  node: Node;
  start: number;
  /** Scope the identifier occurs in. */
  scope: Scope;
  /** A write through `global` / `nonlocal` (not a read). */
  write: boolean;
  /** Scope that binds the name, or null (builtin or undefined). */
  resolved: Scope | null;
}

/** An import statement met by the walk, with the context the module index reports. */
export interface ImportSite {
  statement: Node;
  typeChecking: boolean;
  guarded: boolean;
  topLevel: boolean;
}

const IMPORT_ERRORS = new Set(['ImportError', 'ModuleNotFoundError', 'Exception', 'BaseException']);

/** `TYPE_CHECKING` or `<anything>.TYPE_CHECKING`. */
export function isTypeChecking(cond: Node | null | undefined): boolean {
  if (!cond) return false;
  const type = cond.type;
  if (type === 'identifier') return cond.text === 'TYPE_CHECKING';
  return type === 'attribute' && cond.lastNamedChild?.text === 'TYPE_CHECKING';
}

/** True when a handler of the try statement catches ImportError (or a base of it, or everything). */
export function catchesImportError(handlers: (Node | null)[]): boolean {
  for (const c of handlers) {
    if (c?.type !== 'except_clause') continue;
    const first = c.firstNamedChild;
    const firstType = first?.type;
    if (!first || firstType === 'block') return true;
    const caught = firstType === 'as_pattern' ? first.firstNamedChild! : first;
    const caughtType = caught === first ? firstType : caught.type;
    const names = caughtType === 'tuple' || caughtType === 'parenthesized_expression' ? caught.namedChildren : [caught];
    for (const n of names) {
      if (!n) continue;
      const name = (n === caught ? caughtType : n.type) === 'attribute' ? n.lastNamedChild?.text : n.text;
      if (name && IMPORT_ERRORS.has(name)) return true;
    }
  }
  return false;
}

const COMPREHENSIONS = ['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression'];
const LEAVES = [
  'comment', 'string_start', 'string_content', 'string_end', 'integer', 'float', 'true', 'false', 'none',
  'escape_sequence', 'escape_interpolation', 'type_conversion', 'ellipsis', 'pass_statement', 'break_statement',
  'continue_statement', 'import_prefix', 'wildcard_import', 'line_continuation', 'keyword_separator',
  'positional_separator',
];

// How Walker.visit handles a node type (one map lookup, then a switch on small integers).
const CHILDREN = 0;
const LEAF = 1;
const IDENTIFIER = 2;
const ATTRIBUTE = 3;
const KEYWORD_ARGUMENT = 4;
const STRING = 5;
const TYPE = 6;
const GENERIC_TYPE = 7;
const SUBSCRIPT = 8;
const MEMBER_TYPE = 9;
const FUNCTION_DEF = 10;
const CLASS_DEF = 11;
const LAMBDA = 12;
const NAMED_EXPRESSION = 13;
const ASSIGNMENT = 14; // also for_statement: the first named child is a target
const AUGMENTED_ASSIGNMENT = 15;
const AS_PATTERN = 16;
const GLOBAL = 17;
const NONLOCAL = 18;
const IF = 19;
const TRY = 20;
const EXPRESSION_STATEMENT = 21;
const IMPORT = 22;
const IMPORT_FROM = 23; // also future_import_statement
const CASE_CLAUSE = 24;
const TYPE_ALIAS = 25;
const COMPREHENSION = 26;
/** An expression the walk visits by visiting its named children, which the lexer may read instead. */
const EXPRESSION = 27;
/** A statement of a keyword and expressions (`return`, `assert`, `del`, `raise`), which the lexer may read past the keyword. */
const KEYWORD_STATEMENT = 28;
/** A block, or the module: a list of statements the lexer may read from the text. */
const BLOCK = 29;
/** A decorator: `@` and an expression, which the lexer may read. */
const DECORATOR = 30;

const KINDS = new Map<string, number>([
  ...LEAVES.map((t) => [t, LEAF] as const),
  ...COMPREHENSIONS.map((t) => [t, COMPREHENSION] as const),
  ...[
    'call', 'argument_list', 'binary_operator', 'comparison_operator', 'boolean_operator', 'not_operator',
    'unary_operator', 'conditional_expression', 'parenthesized_expression', 'tuple', 'list', 'set', 'dictionary',
    'expression_list', 'concatenated_string', 'await',
  ].map((t) => [t, EXPRESSION] as const),
  ['identifier', IDENTIFIER], ['attribute', ATTRIBUTE], ['keyword_argument', KEYWORD_ARGUMENT], ['string', STRING],
  ['type', TYPE], ['generic_type', GENERIC_TYPE], ['subscript', SUBSCRIPT], ['member_type', MEMBER_TYPE],
  ['function_definition', FUNCTION_DEF], ['class_definition', CLASS_DEF], ['lambda', LAMBDA],
  ['named_expression', NAMED_EXPRESSION], ['assignment', ASSIGNMENT], ['for_statement', ASSIGNMENT],
  ['augmented_assignment', AUGMENTED_ASSIGNMENT], ['as_pattern', AS_PATTERN], ['global_statement', GLOBAL],
  ['nonlocal_statement', NONLOCAL], ['if_statement', IF], ['try_statement', TRY],
  ['expression_statement', EXPRESSION_STATEMENT], ['import_statement', IMPORT],
  ['import_from_statement', IMPORT_FROM], ['future_import_statement', IMPORT_FROM], ['case_clause', CASE_CLAUSE],
  ['type_alias_statement', TYPE_ALIAS], ['return_statement', KEYWORD_STATEMENT],
  ['assert_statement', KEYWORD_STATEMENT], ['delete_statement', KEYWORD_STATEMENT],
  ['raise_statement', KEYWORD_STATEMENT], ['block', BLOCK], ['module', BLOCK], ['decorator', DECORATOR],
]);

/**
 * A read found by the {@link SourceLexer}: its identifier node is looked up when first asked for, in the node of its
 * scope (which holds every read recorded in the scope).
 */
class LexedRead implements Access {
  declare readonly name: string;
  declare readonly start: number;
  declare readonly scope: Scope;
  declare readonly write: boolean;
  declare resolved: Scope | null;
  declare private found: Node | null;

  // Fields assigned here, not declared with initialisers: one shape, built fast even before the code is optimised.
  constructor(name: string, start: number, scope: Scope) {
    this.name = name;
    this.start = start;
    this.scope = scope;
    this.write = false;
    this.resolved = null;
    this.found = null;
  }

  get node(): Node {
    return (this.found ??= this.scope.node.descendantForIndex(this.start, this.start + this.name.length)!);
  }
}

/** The last component name of a callee / subscript value (`Literal`, `typing.Literal` -> `Literal`). */
function lastName(node: Node): string {
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') return node.lastNamedChild?.text ?? '';
  return '';
}

/**
 * One walk over a module: records scopes, bindings, accesses, import sites; {@link Walker.run} resolves.
 * A `shallow` walk only collects the bindings of the module scope: it records no reads and skips function, class
 * and lambda bodies (their bindings belong to their own scopes). It is exact for the module scope's bindings only
 * when the file has no `global` statement (see {@link hasGlobalKeyword}); its other results are partial.
 * A full walk of a tree without syntax errors reads most expressions, simple statements, blocks of them and
 * function headers from the source text (see {@link SourceLexer}) instead of node by node, with the same results; the
 * accesses it records that way find their identifier node when `node` is first read.
 */
export class Walker {
  readonly module: Scope;
  readonly accesses: Access[] = [];
  readonly globalWrites = new Map<string, Node[]>();
  readonly importSites: ImportSite[] = [];
  /** Module-level expression statements starting with `__all__`. */
  readonly allStatements: Node[] = [];
  hasStarImport = false;
  private typeChecking = false;
  private guarded = false;
  /** 0: not in an annotation; 1: in one (plain strings are type expressions); 2: in `Literal[...]` / metadata. */
  private annotation: 0 | 1 | 2 = 0;
  private source: string | null = null;
  /** The lexer of a full walk of a tree without syntax errors; null when expressions are walked node by node. */
  private readonly lexer: SourceLexer | null = null;

  constructor(
    readonly tree: Tree,
    private readonly shallow = false,
  ) {
    const root = tree.rootNode;
    this.module = new Scope('module', root, null);
    if (!shallow && !root.hasError) {
      SourceLexer.prime();
      this.lexer = new SourceLexer((this.source = sourceText(tree)));
    }
  }

  run(): void {
    this.visit(this.tree.rootNode, this.module);
    if (this.shallow) return;
    for (const a of this.accesses) a.resolved = resolve(a.scope, a.name, this.module);
    this.accesses.sort((a, b) => a.start - b.start);
  }

  private read(node: Node, s: Scope): void {
    if (this.shallow) return;
    this.accesses.push({ name: node.text, node, start: node.startIndex, scope: s, write: false, resolved: null });
  }

  private bind(s: Scope, node: Node, name = node.text): void {
    if (s.globals?.has(name) && s !== this.module) {
      this.module.add(name, node);
      push(this.globalWrites, name, node);
      this.accesses.push({ name, node, start: node.startIndex, scope: s, write: true, resolved: null });
    } else if (s.nonlocals?.has(name)) {
      this.accesses.push({ name, node, start: node.startIndex, scope: s, write: true, resolved: null });
    } else {
      s.add(name, node);
    }
  }

  /**
   * {@link bind} of the identifier `name` the lexer found at `start` (inside `within`): its node is looked up now
   * only for a write through `global` / `nonlocal`.
   */
  private bindLexed(s: Scope, within: Node, start: number, name: string): void {
    if ((s.globals?.has(name) && s !== this.module) || s.nonlocals?.has(name)) {
      this.bind(s, within.descendantForIndex(start, start + name.length)!, name);
    } else s.add(name, start);
  }

  private importSite(statement: Node, s: Scope): void {
    this.importSites.push({ statement, typeChecking: this.typeChecking, guarded: this.guarded, topLevel: s === this.module });
  }

  private bindImport(s: Scope, name: string, nameNode: Node, bindingNode: Node): void {
    this.bind(s, nameNode, name);
    (s.imports ??= new Map()).set(name, bindingNode);
  }

  visit(node: Node, s: Scope): void {
    this.visitAs(node, node.type, s);
  }

  /** {@link visit} of a node whose type is known. */
  private visitAs(node: Node, type: string, s: Scope): void {
    const kind = KINDS.get(type) ?? CHILDREN;
    if (kind === LEAF) return;
    // Outside annotations, the lexer may read an expression or statement from the text (see SourceLexer).
    const lexer = this.lexer !== null && this.annotation === 0 && node.tree === this.tree ? this.lexer : null;
    switch (kind) {
      case IDENTIFIER:
        this.read(node, s);
        return;
      case EXPRESSION:
        if (lexer && this.lexed(lexer.expression(node.startIndex, node.endIndex), node, s)) return;
        break;
      case KEYWORD_STATEMENT:
        if (lexer && this.lexed(lexer.keywordStatement(node.startIndex), node, s)) return;
        break;
      case DECORATOR:
        if (lexer && this.lexed(lexer.expression(node.startIndex + 1, node.endIndex), node, s)) return;
        break;
      case ATTRIBUTE: {
        if (lexer && this.lexed(lexer.expression(node.startIndex, node.endIndex), node, s)) return;
        const obj = node.firstNamedChild;
        if (obj) this.visit(obj, s);
        return;
      }
      case KEYWORD_ARGUMENT: {
        if (node.namedChildCount > 1) this.visit(node.lastNamedChild!, s);
        return;
      }
      case STRING:
        if (this.annotation === 1) {
          if (this.stringAnnotation(node, s)) return;
        } else if (!mayInterpolate((this.source ??= sourceText(this.tree)), node.startIndex)) return;
        else if (lexer && this.lexed(lexer.expression(node.startIndex, node.endIndex), node, s)) return;
        break;
      case TYPE: {
        const was = this.annotation;
        // Without strings (string annotations), an annotation reads what an expression does.
        if (lexer && this.lexed(lexer.annotation(node.startIndex, node.endIndex), node, s)) return;
        if (was === 0) this.annotation = 1;
        this.children(node, s);
        this.annotation = was;
        return;
      }
      case SUBSCRIPT:
        if (lexer && this.lexed(lexer.expression(node.startIndex, node.endIndex), node, s)) return;
      // falls through
      case GENERIC_TYPE:
        if (this.annotation === 1) {
          const value = node.firstNamedChild!;
          const kind = lastName(value);
          if (kind === 'Literal' || kind === 'Annotated') {
            this.visit(value, s);
            const args = type === 'generic_type' ? namedOfMaybe(value.nextNamedSibling) : namedOf(node).slice(1);
            args.forEach((arg, i) => {
              if (!arg) return;
              const was = this.annotation;
              this.annotation = kind === 'Annotated' && i === 0 ? 1 : 2;
              this.visit(arg, s);
              this.annotation = was;
            });
            return;
          }
        }
        break;
      case MEMBER_TYPE: {
        const first = node.firstNamedChild;
        if (first) this.visit(first, s);
        return;
      }
      case FUNCTION_DEF:
        this.functionDef(node, s);
        return;
      case CLASS_DEF:
        this.classDef(node, s);
        return;
      case LAMBDA:
        this.lambda(node, s);
        return;
      case NAMED_EXPRESSION: {
        const name = node.firstNamedChild!;
        const value = node.lastNamedChild!;
        this.visit(value, s);
        let t = s;
        while (t.kind === 'comprehension' && t.parent) t = t.parent;
        if (name.type === 'identifier') this.bind(t, name);
        return;
      }
      case ASSIGNMENT: {
        const kids = namedOf(node);
        this.target(kids[0]!, s);
        for (let i = 1; i < kids.length; i++) this.visit(kids[i]!, s);
        return;
      }
      case AUGMENTED_ASSIGNMENT: {
        const left = node.firstNamedChild!;
        if (left.type === 'identifier') {
          this.read(left, s);
          this.bind(s, left);
        } else this.target(left, s);
        this.visit(node.lastNamedChild!, s);
        return;
      }
      case AS_PATTERN: {
        const kids = namedOf(node);
        for (const k of kids) {
          if (!k) continue;
          const t = k.type;
          if (t === 'as_pattern_target') this.target(k, s);
          else this.visitAs(k, t, s);
        }
        return;
      }
      case GLOBAL:
        if (s !== this.module) for (const id of namedOf(node)) if (id?.type === 'identifier') (s.globals ??= new Set()).add(id.text);
        return;
      case NONLOCAL:
        for (const id of namedOf(node)) if (id?.type === 'identifier') (s.nonlocals ??= new Set()).add(id.text);
        return;
      case IF: {
        const ks = namedOf(node);
        let tc = isTypeChecking(ks[0]);
        for (let i = 0; i < ks.length; i++) {
          const k = ks[i]!;
          if (!tc) {
            this.visit(k, s);
            continue;
          }
          const t = k.type;
          if (t === 'block') {
            tc = false; // the consequence only, not elif / else
            const was = this.typeChecking;
            this.typeChecking = true;
            this.visitAs(k, t, s);
            this.typeChecking = was;
          } else this.visitAs(k, t, s);
        }
        return;
      }
      case TRY: {
        const ks = namedOf(node);
        const guarded = catchesImportError(ks);
        for (const k of ks) {
          if (!k) continue;
          if (!guarded) {
            this.visit(k, s);
            continue;
          }
          const t = k.type;
          if (t === 'block' || t === 'except_clause') {
            const was = this.guarded;
            this.guarded = true;
            this.visitAs(k, t, s);
            this.guarded = was;
          } else this.visitAs(k, t, s);
        }
        return;
      }
      case EXPRESSION_STATEMENT:
        if (s === this.module) {
          const src = (this.source ??= sourceText(this.tree));
          if (src.startsWith('__all__', node.startIndex)) this.allStatements.push(node);
        }
        if (lexer && this.lexed(lexer.expressionStatement(node.startIndex), node, s)) return;
        break;
      case IMPORT:
        this.importSite(node, s);
        for (const b of namedOf(node)) {
          if (!b) continue;
          if (b.type === 'dotted_name') {
            const first = b.firstNamedChild!;
            this.bindImport(s, first.text, first, b);
          } else if (b.type === 'aliased_import') {
            const alias = b.lastNamedChild!;
            this.bindImport(s, alias.text, alias, b);
          }
        }
        return;
      case IMPORT_FROM: {
        this.importSite(node, s);
        let first = type === 'import_from_statement';
        for (const b of namedOf(node)) {
          if (!b || b.type === 'comment') continue;
          if (first) {
            first = false; // module_name
            continue;
          }
          if (b.type === 'dotted_name') {
            const id = b.lastNamedChild!;
            this.bindImport(s, id.text, id, b);
          } else if (b.type === 'aliased_import') {
            const alias = b.lastNamedChild!;
            this.bindImport(s, alias.text, alias, b);
          } else if (b.type === 'wildcard_import') this.hasStarImport = true;
        }
        return;
      }
      case CASE_CLAUSE:
        for (const k of namedOf(node)) {
          if (!k) continue;
          if (k.type === 'case_pattern') this.pattern(k, s);
          else this.visit(k, s);
        }
        return;
      case TYPE_ALIAS: {
        const left = node.firstNamedChild;
        const id = left?.firstNamedChild;
        if (id?.type === 'identifier') this.bind(s, id);
        else if (id?.type === 'generic_type' && id.firstNamedChild) this.bind(s, id.firstNamedChild);
        const right = node.lastNamedChild;
        if (right && right !== left) this.visit(right, s);
        return;
      }
      case COMPREHENSION:
        this.comprehension(node, s);
        return;
      case BLOCK:
        if (lexer) {
          this.lexedBlock(lexer, node, s);
          return;
        }
    }
    this.children(node, s);
  }

  /**
   * Walks a block (or the module): runs of its statements from the text while the lexer reads them (see
   * {@link SourceLexer.statements}), each statement it cannot read node by node, then the next run after it.
   */
  private lexedBlock(lexer: SourceLexer, block: Node, s: Scope): void {
    const end = block.endIndex;
    // A module-level `__all__` statement is recorded with its node.
    const stopBefore = s === this.module ? '__all__' : null;
    for (let at = block.startIndex; ; ) {
      const stop = lexer.statements(at, end, stopBefore);
      if (stop < 0) {
        this.commit(s, block);
        return;
      }
      const statement = block.firstNamedChildForIndex(stop);
      if (!statement || statement.startIndex !== stop) {
        // Not the statement the text says: walk the rest of the block node by node.
        lexer.reset();
        for (const k of namedOf(block)) if (k && k.startIndex >= at) this.visit(k, s);
        return;
      }
      this.commit(s, block);
      this.visit(statement, s);
      at = statement.endIndex;
    }
  }

  /**
   * Records the lexer's reads, then binds its assignment targets, in scope `s`. The identifier node of a write
   * through `global` / `nonlocal` is looked up in `within` (the node lexed: a shorter search than from the root).
   */
  private commit(s: Scope, within: Node): void {
    const src = this.source!;
    const { reads, binds } = this.lexer!;
    for (let i = 0; i < reads.length; i += 2) {
      const at = reads[i];
      if (at >= 0) this.accesses.push(new LexedRead(src.slice(at, reads[i + 1]), at, s));
    }
    for (let i = 0; i < binds.length; i += 2) this.bindLexed(s, within, binds[i], src.slice(binds[i], binds[i + 1]));
  }

  /**
   * When the lexer could read `node` (`read`: what one of its entry points returned), records what it read (see
   * {@link commit}). Returns `read`: false when the node is to be walked (nothing recorded).
   */
  private lexed(read: boolean, node: Node, s: Scope): boolean {
    if (read) this.commit(s, node);
    return read;
  }

  private children(node: Node, s: Scope): void {
    const kids = namedOf(node);
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i];
      if (c) this.visit(c, s);
    }
  }

  /** Binds assignment / for / with targets; attribute and subscript targets read their object. */
  private target(node: Node, s: Scope): void {
    const type = node.type;
    if (type === 'identifier') this.bind(s, node);
    else if (TARGET_GROUPS.has(type)) {
      for (const c of namedOf(node)) if (c) this.target(c, s);
    } else if (type !== 'comment') this.visitAs(node, type, s);
  }

  private pattern(node: Node, s: Scope): void {
    switch (node.type) {
      case 'identifier':
        this.bind(s, node);
        return;
      case 'dotted_name': {
        if (node.namedChildCount === 1) {
          const id = node.firstNamedChild!;
          if (id.text !== '_') this.bind(s, id);
        } else this.read(node.firstNamedChild!, s);
        return;
      }
      case 'as_pattern': {
        const kids = namedOf(node);
        for (let i = 0; i < kids.length; i++) {
          const k = kids[i]!;
          if (i === kids.length - 1 && k.type === 'identifier') this.bind(s, k);
          else this.pattern(k, s);
        }
        return;
      }
      case 'keyword_pattern': {
        const kids = namedOf(node);
        for (let i = 1; i < kids.length; i++) this.pattern(kids[i]!, s);
        return;
      }
      case 'class_pattern': {
        const kids = namedOf(node);
        const cls = kids[0]!;
        if (cls.type === 'dotted_name') this.read(cls.firstNamedChild!, s);
        for (let i = 1; i < kids.length; i++) this.pattern(kids[i]!, s);
        return;
      }
      case 'string':
      case 'concatenated_string':
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
      case 'complex_pattern':
      case 'comment':
        return;
      default:
        for (const c of namedOf(node)) if (c) this.pattern(c, s);
    }
  }

  private functionDef(node: Node, s: Scope): void {
    if (this.lexer !== null && this.annotation === 0 && node.tree === this.tree && this.lexedFunction(node, s)) return;
    const name = node.childForFieldName('name');
    const fs = new Scope('function', node, s);
    if (s.kind === 'class') fs.declare('__class__');
    for (const k of namedOf(node)) {
      if (!k) continue;
      const t = k.type;
      switch (t) {
        case 'parameters':
          this.parameters(k, s, fs);
          break;
        case 'type_parameter':
          this.typeParameters(k, fs);
          break;
        case 'type':
          this.visitAs(k, t, s);
          break;
        case 'block':
          if (!this.shallow) this.visitAs(k, t, fs);
          break;
        case 'identifier':
          break;
        default:
          this.visitAs(k, t, s);
      }
    }
    if (name) this.bind(s, name);
  }

  /**
   * {@link functionDef} with the header read by {@link SourceLexer.functionHeader}: parameters bound in the
   * function's scope, annotations and defaults read in `s`, the body walked, then the name bound in `s`. False
   * (nothing recorded) when the lexer gives up.
   */
  private lexedFunction(node: Node, s: Scope): boolean {
    const lexer = this.lexer!;
    const src = this.source!;
    if (!lexer.functionHeader(node.startIndex)) return false;
    const body = node.childForFieldName('body');
    if (!body) return false;
    const fs = new Scope('function', node, s);
    if (s.kind === 'class') fs.declare('__class__');
    const { reads, binds } = lexer;
    for (let i = 0; i < binds.length; i += 2) fs.add(src.slice(binds[i], binds[i + 1]), binds[i]);
    for (let i = 0; i < reads.length; i += 2) {
      this.accesses.push(new LexedRead(src.slice(reads[i], reads[i + 1]), reads[i], s));
    }
    const { name, nameEnd } = lexer;
    if (!this.shallow) this.visitAs(body, 'block', fs); // the grammar makes every body a block
    this.bindLexed(s, node, name, src.slice(name, nameEnd));
    return true;
  }

  private typeParameters(node: Node, inner: Scope): void {
    for (const t of namedOf(node)) {
      const first = t?.firstNamedChild;
      if (!first) continue;
      const id = first.type === 'constrained_type' || first.type === 'splat_type' ? first.firstNamedChild : first;
      const name = id?.type === 'type' ? id.firstNamedChild : id;
      if (name?.type === 'identifier') inner.add(name.text, name);
    }
  }

  private parameters(node: Node, outer: Scope, inner: Scope): void {
    for (const p of namedOf(node)) {
      if (!p) continue;
      const t = p.type;
      switch (t) {
        case 'identifier':
          inner.add(p.text, p);
          break;
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern':
        case 'tuple_pattern':
          this.paramTarget(p, inner);
          break;
        case 'typed_parameter':
        case 'default_parameter':
        case 'typed_default_parameter': {
          const kids = namedOf(p);
          this.paramTarget(kids[0]!, inner);
          for (let i = 1; i < kids.length; i++) this.visit(kids[i]!, outer);
          break;
        }
        default:
          this.visitAs(p, t, outer);
      }
    }
  }

  private paramTarget(node: Node, inner: Scope): void {
    if (node.type === 'identifier') inner.add(node.text, node);
    else for (const c of namedOf(node)) if (c) this.paramTarget(c, inner);
  }

  private classDef(node: Node, s: Scope): void {
    const name = node.childForFieldName('name');
    const cs = new Scope('class', node, s);
    cs.declare('__module__');
    cs.declare('__qualname__');
    for (const k of namedOf(node)) {
      if (!k) continue;
      const t = k.type;
      if (t === 'block') {
        if (!this.shallow) this.visitAs(k, t, cs);
      } else if (t === 'type_parameter') this.typeParameters(k, cs);
      else if (t !== 'identifier' || k.startIndex !== name?.startIndex) this.visitAs(k, t, s);
    }
    if (name) this.bind(s, name);
  }

  private lambda(node: Node, s: Scope): void {
    const ls = new Scope('lambda', node, s);
    for (const k of namedOf(node)) {
      if (!k) continue;
      const t = k.type;
      if (t === 'lambda_parameters') this.parameters(k, s, ls);
      else if (!this.shallow) this.visitAs(k, t, ls);
    }
  }

  private comprehension(node: Node, s: Scope): void {
    const cs = new Scope('comprehension', node, s);
    let first = true;
    for (const k of namedOf(node)) {
      if (!k) continue;
      const t = k.type;
      if (t === 'for_in_clause') {
        const kids = namedOf(k);
        this.target(kids[0]!, cs);
        for (let i = 1; i < kids.length; i++) this.visit(kids[i]!, first ? s : cs);
        first = false;
      } else this.visitAs(k, t, cs);
    }
  }

  /**
   * A plain string inside an annotation (`x: "Foo"`, `-> Optional["a.B"]`) is parsed as an expression and its
   * names count as reads. The parse is of a same-length copy of the file blanked out except for the string
   * content, so the reported nodes carry the file's own offsets and rows (but belong to that separate tree).
   */
  private stringAnnotation(node: Node, s: Scope): boolean {
    const kids = namedOf(node);
    if (kids.length !== 3 || kids[1]!.type !== 'string_content') return kids.length === 2;
    const prefix = kids[0]!.text;
    if (/[fFbB]/.test(prefix)) return false;
    const content = kids[1]!;
    const value = content.text;
    if (value.includes('\\') || !value.trim()) return true;
    this.source ??= sourceText(this.tree);
    const start = content.startIndex;
    const padded = '(' + this.source.slice(1, start).replace(/[^\n]/g, ' ') + value + ')';
    const sub = parsePython(padded);
    if (sub.rootNode.hasError) return true;
    const expr = sub.rootNode.firstNamedChild?.firstNamedChild?.firstNamedChild;
    if (expr) this.visit(expr, s);
    return true;
  }
}

/**
 * True when `text` may hold a `global` statement (the word appears anywhere). Without one, no code inside a function
 * or class body can bind a module-level name, so a shallow walk sees every module binding.
 */
export function hasGlobalKeyword(text: string): boolean {
  return text.includes('global');
}

/** Python name resolution from scope `s`: class scopes are skipped except the one the name occurs in. */
function resolve(s: Scope, name: string, module: Scope): Scope | null {
  let cur: Scope | null = s;
  let first = true;
  while (cur) {
    if (cur.kind === 'module') return cur.binds(name) ? cur : null;
    if (first || cur.kind !== 'class') {
      if (cur.globals?.has(name)) return module.binds(name) ? module : null;
      if (cur.nonlocals?.has(name)) {
        cur = cur.parent;
        first = false;
        while (cur && cur.kind !== 'module') {
          if (cur.kind !== 'class' && cur.binds(name)) return cur;
          cur = cur.parent;
        }
        return null;
      }
      if (cur.binds(name)) return cur;
    }
    cur = cur.parent;
    first = false;
  }
  return null;
}
