import type { Node, Project } from '@remodel/python';

/** Decorators that neither read nor re-evaluate the annotations of the function they wrap. */
const PLAIN_DECORATORS = new Set([
  'staticmethod', 'classmethod', 'property', 'setter', 'getter', 'deleter', 'abstractmethod', 'contextmanager',
  'asynccontextmanager', 'overload', 'override', 'final', 'cache', 'lru_cache', 'cached_property', 'wraps',
]);

/**
 * Whether the name read at `node` sits in an annotation that Python never evaluates: a local variable annotation,
 * or a function signature annotation that is a string or is postponed (`lazy`: `from __future__ import
 * annotations`) on a function whose decorators are all plain (FastAPI, pydantic's `validate_call`, `singledispatch`
 * and the like evaluate signatures). Class-body annotations always count as evaluated (pydantic, dataclasses,
 * attrs resolve them, strings included); so do module-level ones.
 */
export function unevaluatedAnnotation(node: Node, lazy: boolean): boolean {
  const holders = new Set(['typed_parameter', 'typed_default_parameter', 'assignment', 'function_definition']);
  const scopes = new Set(['function_definition', 'class_definition', 'module', 'lambda']);
  let inString = false;
  let cur: Node = node;
  let holder: Node | null = null;
  while (cur.parent) {
    if (cur.type === 'string') inString = true;
    // The outermost `type` node is the annotation (`list[tuple[V, ...]]` nests `type` nodes).
    if (cur.type === 'type' && holders.has(cur.parent.type)) {
      holder = cur.parent;
      break;
    }
    if (scopes.has(cur.parent.type)) return false;
    cur = cur.parent;
  }
  if (!holder) return false;
  if (holder.type === 'assignment') {
    const scope = enclosing(holder);
    return scope?.type === 'function_definition';
  }
  let fn: Node | null = null;
  if (holder.type === 'function_definition' && holder.childForFieldName('return_type')?.id === cur.id) fn = holder;
  else if ((holder.type === 'typed_parameter' || holder.type === 'typed_default_parameter') && holder.parent?.type === 'parameters') fn = holder.parent.parent;
  if (!fn || fn.type !== 'function_definition') return false;
  if (!lazy && !inString) return false;
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : null;
  for (const d of decorated?.namedChildren ?? []) {
    if (d?.type !== 'decorator') continue;
    const expr = d.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null;
    const callee = expr?.type === 'call' ? expr.childForFieldName('function') : expr;
    const last = callee?.text.split('.').pop() ?? '';
    if (!PLAIN_DECORATORS.has(last)) return false;
  }
  return true;
}

/** The nearest function or class definition around `node` (null at module level). */
function enclosing(node: Node): Node | null {
  for (let cur = node.parent; cur; cur = cur.parent) if (cur.type === 'function_definition' || cur.type === 'class_definition') return cur;
  return null;
}

/** Whether `path` has `from __future__ import annotations` (annotations are stored as strings, never evaluated). */
export function postponesAnnotations(project: Project, path: string): boolean {
  return project.index(path).imports.some((x) => x.module === '__future__' && x.name === 'annotations');
}
