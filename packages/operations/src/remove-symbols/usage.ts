import type { Node, Project, SourceFile, TopLevelDef } from '@remodel/python';

/** Why a name cannot go: a stable code and a one-line reason (without the step prefix). */
export interface Blocker {
  code: string;
  reason: string;
}

/** Decorators that only wrap or describe a definition: they register it nowhere. */
export const WRAPPING = new Set([
  'functools.wraps', 'wraps', 'lru_cache', 'functools.lru_cache', 'cache', 'functools.cache', 'cached_property',
  'functools.cached_property', 'dataclass', 'dataclasses.dataclass', 'total_ordering', 'functools.total_ordering',
  'final', 'typing.final', 'contextmanager', 'contextlib.contextmanager', 'asynccontextmanager',
  'contextlib.asynccontextmanager', 'deprecated', 'typing.deprecated', 'warnings.deprecated',
]);

/** Bases whose machinery finds no subclass by itself (no registry, no discovery). */
export const PLAIN_BASES = new Set([
  'object', 'str', 'int', 'float', 'bytes', 'dict', 'list', 'tuple', 'set', 'frozenset', 'Exception', 'BaseException',
  'RuntimeError', 'ValueError', 'TypeError', 'KeyError', 'LookupError', 'OSError', 'IOError', 'NotImplementedError',
  'Enum', 'IntEnum', 'StrEnum', 'Flag', 'IntFlag', 'enum.Enum', 'enum.IntEnum', 'enum.StrEnum', 'ABC', 'abc.ABC',
  'Protocol', 'typing.Protocol', 'Generic', 'typing.Generic', 'NamedTuple', 'typing.NamedTuple', 'TypedDict',
  'typing.TypedDict',
]);

/** Calls a class body may make without effects outside the class (dataclass / pydantic field declarations). */
const PURE_CALLS = new Set(['field', 'dataclasses.field', 'Field', 'pydantic.Field', 'TypeVar', 'typing.TypeVar']);

/** `path:line` of a node. */
export const at = (file: SourceFile, node: Node): string => `${file.path}:${node.startPosition.row + 1}`;
/** Whether `node` lies within `[start, end)`. */
export const inside = (node: Node, start: number, end: number): boolean => start <= node.startIndex && node.endIndex <= end;

/** `name` as a whole word (not part of a longer identifier). */
export function wordPattern(name: string): RegExp {
  return new RegExp(`(^|[^A-Za-z0-9_])${name}([^A-Za-z0-9_]|$)`);
}

/** Identifier nodes in binding position at module scope (function, class, lambda and comprehension bodies skipped). */
export function moduleBindings(root: Node, name: string): Node[] {
  const out: Node[] = [];
  const visit = (n: Node, binding: boolean): void => {
    if (n.type === 'identifier') {
      if (binding && n.text === name) out.push(n);
      return;
    }
    if (n.type === 'function_definition' || n.type === 'class_definition') {
      const id = n.childForFieldName('name');
      if (id?.text === name) out.push(id);
      for (const c of n.namedChildren) if (c && c.type !== 'block' && c.type !== 'identifier') visit(c, false);
      return;
    }
    if (n.type === 'lambda' || /comprehension$|^generator_expression$/.test(n.type)) return;
    for (const c of n.namedChildren) {
      if (!c) continue;
      visit(c, binding || isTarget(n, c));
    }
  };
  visit(root, false);
  return out;
}

/** Whether `child` is a target that `parent` binds (assignment, for, with, except, walrus, del; imports are indexed apart). */
export function isTarget(parent: Node, child: Node): boolean {
  const field = (f: string): boolean => parent.childForFieldName(f)?.id === child.id;
  switch (parent.type) {
    case 'assignment':
    case 'augmented_assignment':
    case 'for_statement':
      return field('left');
    case 'named_expression':
      return field('name');
    case 'as_pattern_target':
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'delete_statement':
    case 'global_statement':
    case 'nonlocal_statement':
      return true;
    case 'as_pattern':
      return parent.namedChildren.indexOf(child) > 0 || child.type === 'as_pattern_target';
    case 'except_clause':
      return child.type === 'identifier' && parent.namedChildren.indexOf(child) > 0;
    default:
      return false;
  }
}

/** The plain text of decorator `d` without `@` and call arguments (`router.get`, `lru_cache`). */
export function decoratorName(d: Node): string {
  const expr = d.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null;
  const target = expr?.type === 'call' ? expr.childForFieldName('function') : expr;
  return target?.text.replace(/\s+/g, '') ?? d.text;
}

/** Calls, awaits and yields evaluated inside `node` (calls to `allowed` callees excepted). */
export function calls(node: Node | null, allowed: Set<string> = new Set()): Node[] {
  if (!node) return [];
  return node.descendantsOfType(['call', 'await', 'yield']).filter((c): c is Node => {
    if (!c) return false;
    if (c.type !== 'call') return true;
    return !allowed.has(c.childForFieldName('function')?.text ?? '');
  });
}

/**
 * What the definition itself does or announces that makes removing it visible even when nothing names it:
 * `global` writers elsewhere, other bindings of the name, siblings of a tuple assignment, registering decorators,
 * discoverable classes, and effects of evaluating it at import time.
 */
export function definitionBlocker(project: Project, file: SourceFile, def: TopLevelDef, listed: Set<string>): Blocker | null {
  const name = def.name;
  if (/^__\w+__$/.test(name)) return { code: 'dunder', reason: `\`${name}\` is a dunder name Python or tools read without naming it` };
  const missing = def.siblings.filter((s) => !listed.has(s));
  if (missing.length > 0) return { code: 'siblings', reason: `\`${name}\` is assigned together with ${missing.map((s) => `\`${s}\``).join(', ')} (line ${def.node.startPosition.row + 1}); list them too` };
  const writers = project.index(file.path).globalWrites.get(name);
  if (writers?.length) return { code: 'global-write', reason: `\`${name}\` is rebound through \`global\` at ${at(file, writers[0])}` };
  const bindings = moduleBindings(file.tree.rootNode, name).filter((n) => !inside(n, def.start, def.end));
  if (bindings.length > 0) return { code: 'rebound', reason: `\`${name}\` is also bound at ${at(file, bindings[0])}` };
  const imported = project.index(file.path).imports.find((b) => b.topLevel && b.local === name);
  if (imported) return { code: 'rebound', reason: `\`${name}\` is also imported at ${file.path}:${imported.line}` };

  const inner = def.node.type === 'decorated_definition' ? def.node.childForFieldName('definition')! : def.node;
  if (def.node.type === 'decorated_definition') {
    for (const d of def.node.namedChildren) {
      if (d?.type !== 'decorator') continue;
      const deco = decoratorName(d);
      if (!WRAPPING.has(deco)) return { code: 'registering-decorator', reason: `\`${name}\` is decorated with \`@${deco}\` (${at(file, d)}), which may register it (routes, handlers, fixtures)` };
    }
  }
  if (inner.type === 'function_definition') {
    const params = inner.childForFieldName('parameters');
    const effect = [...calls(params), ...calls(inner.childForFieldName('return_type'))][0];
    if (effect) return { code: 'import-time-effect', reason: `\`${name}\` evaluates \`${effect.text.split('\n')[0]}\` when the module is imported (${at(file, effect)})` };
  } else if (inner.type === 'class_definition') {
    const problem = classBlocker(project, file, inner, name, new Set());
    if (problem) return problem;
  } else {
    const expr = inner.firstNamedChild;
    const value = expr?.type === 'assignment' ? expr.childForFieldName('right') : expr;
    const effect = [...calls(value), ...calls(expr?.type === 'assignment' ? expr.childForFieldName('type') : null)][0];
    if (effect) return { code: 'import-time-effect', reason: `\`${name}\` runs \`${effect.text.split('\n')[0]}\` when the module is imported (${at(file, effect)}); deleting it would skip that` };
  }
  return null;
}

/** A class is visible without being named when a base or metaclass can find it, or its body has effects. */
function classBlocker(project: Project, file: SourceFile, cls: Node, name: string, seen: Set<number>): Blocker | null {
  seen.add(cls.id);
  for (const base of cls.childForFieldName('superclasses')?.namedChildren ?? []) {
    if (!base || base.type === 'comment') continue;
    if (base.type === 'keyword_argument') return { code: 'discoverable-class', reason: `\`${name}\` is created with \`${base.text}\` (${at(file, base)}), which may register it` };
    const text = base.type === 'subscript' ? base.childForFieldName('value')!.text : base.text;
    if (PLAIN_BASES.has(text)) continue;
    const target = projectClass(project, file, text);
    if (!target) return { code: 'discoverable-class', reason: `\`${name}\` derives from \`${text}\` (${at(file, base)}), whose machinery may find subclasses without naming them` };
    if (seen.has(target.node.id)) continue;
    const own = target.node.childForFieldName('body')?.namedChildren.some((s) => {
      const fn = s?.type === 'decorated_definition' ? s.childForFieldName('definition') : s;
      return fn?.type === 'function_definition' && fn.childForFieldName('name')?.text === '__init_subclass__';
    });
    if (own) return { code: 'discoverable-class', reason: `\`${name}\` derives from \`${text}\`, whose \`__init_subclass__\` (${at(target.file, target.node)}) sees every subclass` };
    const up = classBlocker(project, target.file, target.node, name, seen);
    if (up) return up;
  }
  const body = cls.childForFieldName('body');
  for (const stmt of body?.namedChildren ?? []) {
    if (!stmt || stmt.type === 'function_definition') continue;
    if (stmt.type === 'decorated_definition') {
      for (const d of stmt.namedChildren) {
        if (d?.type === 'decorator' && !WRAPPING.has(decoratorName(d)) && !/^(staticmethod|classmethod|property|\w+\.(setter|getter|deleter)|abstractmethod|abc\.abstractmethod)$/.test(decoratorName(d))) {
          return { code: 'registering-decorator', reason: `\`${name}\` has a member decorated with \`@${decoratorName(d)}\` (${at(file, d)}), which may register it` };
        }
      }
      continue;
    }
    const effect = calls(stmt, PURE_CALLS)[0];
    if (effect) return { code: 'import-time-effect', reason: `the body of \`${name}\` runs \`${effect.text.split('\n')[0]}\` when the module is imported (${at(file, effect)})` };
  }
  return null;
}

/** The class a base expression names inside the project (same module or imported from a project module), or null. */
function projectClass(project: Project, file: SourceFile, text: string): { file: SourceFile; node: Node } | null {
  const [head, ...rest] = text.split('.');
  const index = project.index(file.path);
  const classIn = (f: SourceFile, n: string): { file: SourceFile; node: Node } | null => {
    const d = project.index(f.path).defs.get(n);
    if (!d) return null;
    const node = d.node.type === 'decorated_definition' ? d.node.childForFieldName('definition')! : d.node;
    return node.type === 'class_definition' ? { file: f, node } : null;
  };
  if (rest.length === 0 && index.defs.has(head)) return classIn(file, head);
  const binding = index.imports.find((b) => b.topLevel && b.local === head);
  if (!binding) return null;
  const resolved = project.resolveImport(file.path, binding);
  if (resolved.kind === 'symbol' && rest.length === 0) {
    const target = project.fileOfModule(resolved.module);
    return target ? classIn(target, resolved.name ?? head) : null;
  }
  if (resolved.kind === 'module' && rest.length === 1) {
    const target = project.fileOfModule(resolved.module);
    return target ? classIn(target, rest[0]) : null;
  }
  return null;
}

/**
 * Anything that may use `name` of `file`'s module from outside its definition (`start`..`end`, plus `removed`
 * ranges of this step): project references, reads in the module, string literals anywhere, `.name` attributes,
 * config files. Comments only warn (returned separately).
 */
export function usageBlocker(
  project: Project,
  file: SourceFile,
  name: string,
  removed: [number, number][],
  configs: { path: string; text: string }[],
): { blocker: Blocker | null; comments: string[] } {
  const gone = (f: SourceFile, n: Node): boolean => f.path === file.path && removed.some(([s, e]) => inside(n, s, e));
  const module = file.module!;
  const refs = project.references(module, name).filter((r) => !gone(project.file(r.path), r.node));
  if (refs.length > 0) {
    const r = refs[0];
    const what = r.kind === 'all' ? 'listed in `__all__`' : r.kind === 'string' || r.kind === 'patch-object' ? `named by the patch target \`${r.node.text}\`` : r.kind === 'import' ? 'imported' : `used as \`${r.node.text}\``;
    const more = refs.length > 1 ? ` (and ${refs.length - 1} more)` : '';
    return { blocker: { code: 'referenced', reason: `\`${name}\` is ${what} at ${r.path}:${r.line}${more}` }, comments: [] };
  }
  const reads = (project.scopes(file.path).freeNames(file.tree.rootNode).get(name) ?? []).filter((n) => !gone(file, n));
  if (reads.length > 0) return { blocker: { code: 'used-in-module', reason: `\`${name}\` is read at ${at(file, reads[0])}` }, comments: [] };
  const word = wordPattern(name);
  const comments: string[] = [];
  for (const f of project.files.values()) {
    if (!f.text.includes(name)) continue;
    for (const n of f.tree.rootNode.descendantsOfType(['string', 'comment', 'attribute'])) {
      if (!n || gone(f, n)) continue;
      if (n.type === 'attribute') {
        if (n.childForFieldName('attribute')?.text !== name) continue;
        return { blocker: { code: 'unresolved-attribute', reason: `\`.${name}\` is read at ${at(f, n)} on \`${n.childForFieldName('object')!.text}\`, which may be this module` }, comments: [] };
      }
      if (!word.test(n.text)) continue;
      if (n.type === 'comment') comments.push(at(f, n));
      else if (n.parent?.type !== 'string') {
        return { blocker: { code: 'string-mention', reason: `\`${name}\` is named in a string at ${at(f, n)} (getattr, entry points and patch targets find names that way)` }, comments: [] };
      }
    }
  }
  for (const c of configs) {
    const line = c.text.split('\n').findIndex((l) => word.test(l));
    if (line >= 0) return { blocker: { code: 'config-mention', reason: `\`${name}\` is named in ${c.path}:${line + 1}` }, comments: [] };
  }
  return { blocker: null, comments };
}
