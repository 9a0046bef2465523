import { parsePython, sourceText, type Node, type Tree } from './parse.js';
import { namedOf, namedOfMaybe, push, TARGET_GROUPS } from './syntax.js';

export type ScopeKind = 'module' | 'class' | 'function' | 'lambda' | 'comprehension';

/** One Python scope: the names it binds, and its `global` / `nonlocal` declarations. */
export interface Scope {
  kind: ScopeKind;
  /** The module, class_definition, function_definition, lambda or comprehension node. */
  node: Node;
  parent: Scope | null;
  /** Name -> binding identifier nodes (implicit bindings such as `__class__` have no node). */
  bindings: Map<string, Node[]>;
  globals: Set<string> | null;
  nonlocals: Set<string> | null;
  /** Names bound in this scope by an import statement -> the import's binding node (dotted_name / aliased_import). */
  imports: Map<string, Node> | null;
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
  if (cond.type === 'identifier') return cond.text === 'TYPE_CHECKING';
  return cond.type === 'attribute' && cond.lastNamedChild?.text === 'TYPE_CHECKING';
}

/** True when a handler of the try statement catches ImportError (or a base of it, or everything). */
export function catchesImportError(handlers: (Node | null)[]): boolean {
  for (const c of handlers) {
    if (c?.type !== 'except_clause') continue;
    const first = c.firstNamedChild;
    if (!first || first.type === 'block') return true;
    const caught = first.type === 'as_pattern' ? first.firstNamedChild! : first;
    const names = caught.type === 'tuple' || caught.type === 'parenthesized_expression' ? caught.namedChildren : [caught];
    for (const n of names) {
      if (!n) continue;
      const name = n.type === 'attribute' ? n.lastNamedChild?.text : n.text;
      if (name && IMPORT_ERRORS.has(name)) return true;
    }
  }
  return false;
}

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);
const LEAVES = new Set([
  'comment', 'string_start', 'string_content', 'string_end', 'integer', 'float', 'true', 'false', 'none',
  'escape_sequence', 'escape_interpolation', 'type_conversion', 'ellipsis', 'pass_statement', 'break_statement',
  'continue_statement', 'import_prefix', 'wildcard_import', 'line_continuation', 'keyword_separator',
  'positional_separator',
]);
function newScope(kind: ScopeKind, node: Node, parent: Scope | null): Scope {
  return { kind, node, parent, bindings: new Map(), globals: null, nonlocals: null, imports: null };
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

  constructor(
    readonly tree: Tree,
    private readonly shallow = false,
  ) {
    this.module = newScope('module', tree.rootNode, null);
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
      push(this.module.bindings, name, node);
      push(this.globalWrites, name, node);
      this.accesses.push({ name, node, start: node.startIndex, scope: s, write: true, resolved: null });
    } else if (s.nonlocals?.has(name)) {
      this.accesses.push({ name, node, start: node.startIndex, scope: s, write: true, resolved: null });
    } else {
      push(s.bindings, name, node);
    }
  }

  private importSite(statement: Node, s: Scope): void {
    this.importSites.push({ statement, typeChecking: this.typeChecking, guarded: this.guarded, topLevel: s === this.module });
  }

  private bindImport(s: Scope, name: string, nameNode: Node, bindingNode: Node): void {
    this.bind(s, nameNode, name);
    (s.imports ??= new Map()).set(name, bindingNode);
  }

  visit(node: Node, s: Scope): void {
    const type = node.type;
    if (LEAVES.has(type)) return;
    switch (type) {
      case 'identifier':
        this.read(node, s);
        return;
      case 'attribute': {
        const obj = node.firstNamedChild;
        if (obj) this.visit(obj, s);
        return;
      }
      case 'keyword_argument': {
        if (node.namedChildCount > 1) this.visit(node.lastNamedChild!, s);
        return;
      }
      case 'string':
        if (this.annotation === 1) {
          if (this.stringAnnotation(node, s)) return;
        } else if (!this.mayInterpolate(node)) return;
        break;
      case 'type': {
        const was = this.annotation;
        if (was === 0) this.annotation = 1;
        this.children(node, s);
        this.annotation = was;
        return;
      }
      case 'generic_type':
      case 'subscript':
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
      case 'member_type': {
        const first = node.firstNamedChild;
        if (first) this.visit(first, s);
        return;
      }
      case 'function_definition':
        this.functionDef(node, s);
        return;
      case 'class_definition':
        this.classDef(node, s);
        return;
      case 'lambda':
        this.lambda(node, s);
        return;
      case 'named_expression': {
        const name = node.firstNamedChild!;
        const value = node.lastNamedChild!;
        this.visit(value, s);
        let t = s;
        while (t.kind === 'comprehension' && t.parent) t = t.parent;
        if (name.type === 'identifier') this.bind(t, name);
        return;
      }
      case 'assignment': {
        const kids = namedOf(node);
        this.target(kids[0]!, s);
        for (let i = 1; i < kids.length; i++) this.visit(kids[i]!, s);
        return;
      }
      case 'augmented_assignment': {
        const left = node.firstNamedChild!;
        if (left.type === 'identifier') {
          this.read(left, s);
          this.bind(s, left);
        } else this.target(left, s);
        this.visit(node.lastNamedChild!, s);
        return;
      }
      case 'for_statement': {
        const kids = namedOf(node);
        this.target(kids[0]!, s);
        for (let i = 1; i < kids.length; i++) this.visit(kids[i]!, s);
        return;
      }
      case 'as_pattern': {
        const kids = namedOf(node);
        for (const k of kids) {
          if (!k) continue;
          if (k.type === 'as_pattern_target') this.target(k, s);
          else this.visit(k, s);
        }
        return;
      }
      case 'global_statement':
        if (s !== this.module) for (const id of namedOf(node)) if (id?.type === 'identifier') (s.globals ??= new Set()).add(id.text);
        return;
      case 'nonlocal_statement':
        for (const id of namedOf(node)) if (id?.type === 'identifier') (s.nonlocals ??= new Set()).add(id.text);
        return;
      case 'if_statement': {
        const ks = namedOf(node);
        let tc = isTypeChecking(ks[0]);
        for (let i = 0; i < ks.length; i++) {
          const k = ks[i]!;
          if (tc && k.type === 'block') {
            tc = false; // the consequence only, not elif / else
            const was = this.typeChecking;
            this.typeChecking = true;
            this.visit(k, s);
            this.typeChecking = was;
          } else this.visit(k, s);
        }
        return;
      }
      case 'try_statement': {
        const ks = namedOf(node);
        const guarded = catchesImportError(ks);
        for (const k of ks) {
          if (!k) continue;
          if (guarded && (k.type === 'block' || k.type === 'except_clause')) {
            const was = this.guarded;
            this.guarded = true;
            this.visit(k, s);
            this.guarded = was;
          } else this.visit(k, s);
        }
        return;
      }
      case 'expression_statement':
        if (s === this.module) {
          const src = (this.source ??= sourceText(this.tree));
          if (src.startsWith('__all__', node.startIndex)) this.allStatements.push(node);
        }
        break;
      case 'import_statement':
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
      case 'import_from_statement':
      case 'future_import_statement': {
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
      case 'delete_statement':
        this.children(node, s);
        return;
      case 'match_statement':
        this.children(node, s);
        return;
      case 'case_clause':
        for (const k of namedOf(node)) {
          if (!k) continue;
          if (k.type === 'case_pattern') this.pattern(k, s);
          else this.visit(k, s);
        }
        return;
      case 'type_alias_statement': {
        const left = node.firstNamedChild;
        const id = left?.firstNamedChild;
        if (id?.type === 'identifier') this.bind(s, id);
        else if (id?.type === 'generic_type' && id.firstNamedChild) this.bind(s, id.firstNamedChild);
        const right = node.lastNamedChild;
        if (right && right !== left) this.visit(right, s);
        return;
      }
      case 'decorated_definition':
        break;
      default:
        if (COMPREHENSIONS.has(type)) {
          this.comprehension(node, s);
          return;
        }
    }
    this.children(node, s);
  }

  /** False for strings without an `f` prefix (no interpolation to walk), read from the source text. */
  private mayInterpolate(node: Node): boolean {
    const src = (this.source ??= sourceText(this.tree));
    for (let i = node.startIndex; i < src.length; i++) {
      const c = src.charCodeAt(i) | 0x20;
      if (c === 0x66) return true; // f / F
      if (c < 0x61 || c > 0x7a) return false;
    }
    return false;
  }

  private children(node: Node, s: Scope): void {
    for (const c of namedOf(node)) if (c) this.visit(c, s);
  }

  /** Binds assignment / for / with targets; attribute and subscript targets read their object. */
  private target(node: Node, s: Scope): void {
    const type = node.type;
    if (type === 'identifier') this.bind(s, node);
    else if (TARGET_GROUPS.has(type)) {
      for (const c of namedOf(node)) if (c) this.target(c, s);
    } else if (type !== 'comment') this.visit(node, s);
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
    const name = node.childForFieldName('name');
    const fs = newScope('function', node, s);
    if (s.kind === 'class') fs.bindings.set('__class__', []);
    for (const k of namedOf(node)) {
      if (!k) continue;
      switch (k.type) {
        case 'parameters':
          this.parameters(k, s, fs);
          break;
        case 'type_parameter':
          this.typeParameters(k, fs);
          break;
        case 'type':
          this.visit(k, s);
          break;
        case 'block':
          if (!this.shallow) this.visit(k, fs);
          break;
        case 'identifier':
          break;
        default:
          this.visit(k, s);
      }
    }
    if (name) this.bind(s, name);
  }

  private typeParameters(node: Node, inner: Scope): void {
    for (const t of namedOf(node)) {
      const first = t?.firstNamedChild;
      if (!first) continue;
      const id = first.type === 'constrained_type' || first.type === 'splat_type' ? first.firstNamedChild : first;
      const name = id?.type === 'type' ? id.firstNamedChild : id;
      if (name?.type === 'identifier') push(inner.bindings, name.text, name);
    }
  }

  private parameters(node: Node, outer: Scope, inner: Scope): void {
    for (const p of namedOf(node)) {
      if (!p) continue;
      switch (p.type) {
        case 'identifier':
          push(inner.bindings, p.text, p);
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
          this.visit(p, outer);
      }
    }
  }

  private paramTarget(node: Node, inner: Scope): void {
    if (node.type === 'identifier') push(inner.bindings, node.text, node);
    else for (const c of namedOf(node)) if (c) this.paramTarget(c, inner);
  }

  private classDef(node: Node, s: Scope): void {
    const name = node.childForFieldName('name');
    const cs = newScope('class', node, s);
    cs.bindings.set('__module__', []);
    cs.bindings.set('__qualname__', []);
    for (const k of namedOf(node)) {
      if (!k) continue;
      if (k.type === 'block') {
        if (!this.shallow) this.visit(k, cs);
      } else if (k.type === 'type_parameter') this.typeParameters(k, cs);
      else if (k.type !== 'identifier' || k.startIndex !== name?.startIndex) this.visit(k, s);
    }
    if (name) this.bind(s, name);
  }

  private lambda(node: Node, s: Scope): void {
    const ls = newScope('lambda', node, s);
    for (const k of namedOf(node)) {
      if (!k) continue;
      if (k.type === 'lambda_parameters') this.parameters(k, s, ls);
      else if (!this.shallow) this.visit(k, ls);
    }
  }

  private comprehension(node: Node, s: Scope): void {
    const cs = newScope('comprehension', node, s);
    let first = true;
    for (const k of namedOf(node)) {
      if (!k) continue;
      if (k.type === 'for_in_clause') {
        const kids = namedOf(k);
        this.target(kids[0]!, cs);
        for (let i = 1; i < kids.length; i++) this.visit(kids[i]!, first ? s : cs);
        first = false;
      } else this.visit(k, cs);
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
    if (cur.kind === 'module') return cur.bindings.has(name) ? cur : null;
    if (first || cur.kind !== 'class') {
      if (cur.globals?.has(name)) return module.bindings.has(name) ? module : null;
      if (cur.nonlocals?.has(name)) {
        cur = cur.parent;
        first = false;
        while (cur && cur.kind !== 'module') {
          if (cur.kind !== 'class' && cur.bindings.has(name)) return cur;
          cur = cur.parent;
        }
        return null;
      }
      if (cur.bindings.has(name)) return cur;
    }
    cur = cur.parent;
    first = false;
  }
  return null;
}
