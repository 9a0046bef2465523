import type { Node } from '@remodel/python';
import { lineEnd, lineStart } from '../shared/text.js';
import { indentAt } from './text.js';

/** How a class-body statement binds its member. */
export type MemberKind = 'method' | 'property' | 'accessor' | 'staticmethod' | 'classmethod' | 'attribute' | 'class' | 'other';

/** One statement of a class body. */
export interface BodyStatement {
  node: Node;
  /** The function_definition of a (decorated) def, else null. */
  def: Node | null;
  /** Decorator nodes of a decorated definition. */
  decorators: Node[];
  /** Names the statement binds in the class namespace. */
  names: string[];
  kind: MemberKind;
  /** `async def`. */
  isAsync: boolean;
  /** Range moved or removed: from the first comment line directly above (no blank line between) to the end of its last line. */
  start: number;
  end: number;
  /** Position in the body (0-based, comments excluded). */
  index: number;
}

/** A top-level class as the operation sees it. */
export interface ClassModel {
  name: string;
  node: Node;
  body: Node;
  /** Indentation of the members (the body's first statement). */
  indent: string;
  /** The class docstring statement, if any. */
  docstring: Node | null;
  /** Body statements in order, docstring excluded. */
  statements: BodyStatement[];
  /** Member name -> the statements binding it (a property's getter, setter and deleter share a name). */
  members: Map<string, BodyStatement[]>;
}

const STRUCTURAL = /^(property|(functools\.)?cached_property|staticmethod|classmethod|(abc\.)?abstractmethod)$/;

/** Decorator expression text without the `@` (`property`, `x.setter`, `retry(3)`). */
export function decoratorText(decorator: Node): string {
  return decorator.text.replace(/^@\s*/, '').trim();
}

/** Whether a decorator only shapes the member (descriptor kind), as opposed to wrapping its behaviour. */
export function isStructuralDecorator(decorator: Node, memberName: string): boolean {
  const text = decoratorText(decorator);
  return STRUCTURAL.test(text) || text === `${memberName}.setter` || text === `${memberName}.getter` || text === `${memberName}.deleter`;
}

function kindOf(decorators: Node[], name: string): MemberKind {
  for (const d of decorators) {
    const text = decoratorText(d);
    if (text === 'staticmethod') return 'staticmethod';
    if (text === 'classmethod') return 'classmethod';
    if (/^(property|(functools\.)?cached_property)$/.test(text)) return 'property';
    if (text === `${name}.setter` || text === `${name}.deleter` || text === `${name}.getter`) return 'accessor';
  }
  return 'method';
}

function targetNames(node: Node, out: string[]): void {
  if (node.type === 'identifier') out.push(node.text);
  else if (['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression', 'expression_list'].includes(node.type)) {
    for (const c of node.namedChildren) if (c) targetNames(c, out);
  }
}

/** Names an assignment statement binds (`a = b = 1`, `a, b = ...`, `a: int = 1`). */
function assignedNames(statement: Node): string[] {
  const out: string[] = [];
  let expr = statement.namedChildren[0] ?? null;
  while (expr && expr.type === 'assignment') {
    const left = expr.childForFieldName('left');
    if (left) targetNames(left, out);
    expr = expr.childForFieldName('right');
  }
  return out;
}

function isDocstring(node: Node): boolean {
  return node.type === 'expression_statement' && node.namedChildCount === 1 && node.namedChild(0)?.type === 'string';
}

/** Start of the comment block directly above `node` (same indentation, no blank line between), else its line start. */
function leadingStart(text: string, node: Node, indent: string): number {
  let start = lineStart(text, node.startIndex);
  while (start > 0) {
    const prev = lineStart(text, start - 1);
    const line = text.slice(prev, start).replace(/\r?\n$/, '');
    if (!line.trim().startsWith('#') || /^[ \t]*/.exec(line)![0] !== indent) break;
    start = prev;
  }
  return start;
}

/**
 * Reads the body of a top-level class: each statement with the names it binds, its kind and its range.
 * Does not handle: members bound inside `if`/`try` blocks of the class body (their kind is `other`; the
 * operation refuses to move them), names bound by walrus or `for` in the class body.
 */
export function readClass(text: string, node: Node): ClassModel {
  const name = node.childForFieldName('name')!.text;
  const body = node.childForFieldName('body')!;
  const children = body.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  const docstring = children.length > 0 && isDocstring(children[0]) ? children[0] : null;
  const first = children.find((c) => c !== docstring) ?? children[0];
  const indent = first && first.startPosition.row !== node.startPosition.row ? indentAt(text, first.startIndex) : '';
  const statements: BodyStatement[] = [];
  const members = new Map<string, BodyStatement[]>();
  for (const child of children) {
    if (child === docstring) continue;
    let def: Node | null = null;
    let decorators: Node[] = [];
    let names: string[] = [];
    let kind: MemberKind = 'other';
    let inner = child;
    if (child.type === 'decorated_definition') {
      decorators = child.namedChildren.filter((c): c is Node => c !== null && c.type === 'decorator');
      inner = child.childForFieldName('definition')!;
    }
    if (inner.type === 'function_definition') {
      def = inner;
      names = [inner.childForFieldName('name')!.text];
      kind = kindOf(decorators, names[0]);
    } else if (inner.type === 'class_definition') {
      names = [inner.childForFieldName('name')!.text];
      kind = 'class';
    } else if (child.type === 'expression_statement' && child.namedChild(0)?.type === 'assignment') {
      names = assignedNames(child);
      kind = 'attribute';
    }
    const statement: BodyStatement = {
      node: child,
      def,
      decorators,
      names,
      kind,
      isAsync: !!def && def.children.some((c) => c?.type === 'async'),
      start: indent ? leadingStart(text, child, indent) : child.startIndex,
      end: lineEnd(text, child.endIndex),
      index: statements.length,
    };
    statements.push(statement);
    for (const n of names) {
      const list = members.get(n);
      if (list) list.push(statement);
      else members.set(n, [statement]);
    }
  }
  return { name, node, body, indent, docstring, statements, members };
}

/** Every identifier node under `node`, excluding `node`'s nested function bodies and lambda bodies when `evaluatedOnly`. */
export function identifiers(node: Node, evaluatedOnly = false): Node[] {
  const out: Node[] = [];
  const visit = (n: Node): void => {
    if (evaluatedOnly && (n.type === 'lambda' || n.type === 'block')) return;
    if (n.type === 'identifier') {
      out.push(n);
      return;
    }
    for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(node);
  return out;
}

/**
 * Identifiers a class-body statement evaluates while the class body runs (decorators, default values, parameter
 * and return annotations, class-attribute values, nested class bases), as plain names (not attribute names or
 * keyword names). These see the class namespace; method bodies do not.
 */
export function classTimeReads(statement: BodyStatement): Node[] {
  const reads: Node[] = [];
  const take = (n: Node | null): void => {
    if (!n) return;
    for (const id of identifiers(n, true)) {
      const parent = id.parent;
      if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === id.id) continue;
      if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === id.id) continue;
      reads.push(id);
    }
  };
  for (const d of statement.decorators) take(d);
  if (statement.def) {
    const params = statement.def.childForFieldName('parameters');
    for (const p of params?.namedChildren ?? []) {
      if (!p) continue;
      if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') take(p.childForFieldName('value'));
      if (p.type === 'typed_parameter' || p.type === 'typed_default_parameter') take(p.childForFieldName('type'));
    }
    take(statement.def.childForFieldName('return_type'));
  } else if (statement.kind === 'attribute') {
    let expr = statement.node.namedChildren[0] ?? null;
    while (expr && expr.type === 'assignment') {
      take(expr.childForFieldName('type'));
      const right = expr.childForFieldName('right');
      if (right?.type !== 'assignment') take(right);
      expr = right;
    }
  } else if (statement.kind === 'class') {
    const inner = statement.node.type === 'decorated_definition' ? statement.node.childForFieldName('definition')! : statement.node;
    take(inner.childForFieldName('superclasses'));
  } else {
    take(statement.node);
  }
  return reads;
}
