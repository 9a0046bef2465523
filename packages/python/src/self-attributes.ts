import type { Node } from './parse.js';
import { namedOf, push, TARGET_GROUPS } from './syntax.js';

/** `self.x` usage inside one method. */
export interface SelfAttributes {
  /** `self.x` read (not called). */
  reads: Map<string, Node[]>;
  /** `self.x = ...`, `self.x += ...`, `for self.x in`, `with ... as self.x`, `del self.x` (node = attribute node). */
  writes: Map<string, Node[]>;
  /** `self.m(...)` (node = attribute node). */
  calls: Map<string, Node[]>;
}

/**
 * Attribute usage on a method's first parameter (whatever its name; `self`, `cls`, ...) inside `funcNode`
 * (function_definition or decorated_definition). Nested functions and lambdas count unless they rebind the name
 * as a parameter. Augmented assignment counts as read and write. Empty for a function without parameters or
 * whose first parameter is `*args`. Does not track aliases (`s = self; s.x`), `getattr(self, "x")`, or `super()`.
 */
export function selfAttributes(funcNode: Node): SelfAttributes {
  const out: SelfAttributes = { reads: new Map(), writes: new Map(), calls: new Map() };
  const fn = funcNode.type === 'decorated_definition' ? funcNode.childForFieldName('definition') : funcNode;
  if (!fn || fn.type !== 'function_definition') return out;
  const params = fn.childForFieldName('parameters');
  const first = params?.firstNamedChild;
  let selfName: string | null = null;
  if (first?.type === 'identifier') selfName = first.text;
  else if (first && (first.type === 'typed_parameter' || first.type === 'default_parameter' || first.type === 'typed_default_parameter')) {
    const id = first.firstNamedChild;
    if (id?.type === 'identifier') selfName = id.text;
  }
  const body = fn.childForFieldName('body');
  if (!selfName || !body) return out;
  const name = selfName;

  const isSelfAttr = (n: Node): boolean => {
    const obj = n.firstNamedChild;
    return obj !== null && obj.type === 'identifier' && obj.text === name;
  };
  const attrName = (n: Node): string => n.lastNamedChild!.text;
  const rebinds = (n: Node): boolean => {
    const ps = n.childForFieldName('parameters');
    if (!ps) return false;
    for (const p of ps.namedChildren) {
      if (!p) continue;
      let id: Node | null = p;
      if (p.type !== 'identifier') id = p.firstNamedChild;
      if (id && id.type !== 'identifier') id = id.firstNamedChild;
      if (id?.type === 'identifier' && id.text === name) return true;
    }
    return false;
  };
  const target = (n: Node): void => {
    if (n.type === 'attribute' && isSelfAttr(n)) push(out.writes, attrName(n), n);
    else if (TARGET_GROUPS.has(n.type)) for (const c of namedOf(n)) c && target(c);
    else visit(n);
  };
  const visit = (n: Node): void => {
    switch (n.type) {
      case 'attribute':
        if (isSelfAttr(n)) {
          const parent = n.parent;
          if (parent?.type === 'call' && parent.firstNamedChild?.startIndex === n.startIndex && parent.firstNamedChild.endIndex === n.endIndex) {
            push(out.calls, attrName(n), n);
          } else push(out.reads, attrName(n), n);
          return;
        }
        break;
      case 'assignment': {
        const kids = namedOf(n);
        target(kids[0]!);
        for (let i = 1; i < kids.length; i++) visit(kids[i]!);
        return;
      }
      case 'augmented_assignment': {
        const left = n.firstNamedChild!;
        if (left.type === 'attribute' && isSelfAttr(left)) {
          push(out.reads, attrName(left), left);
          push(out.writes, attrName(left), left);
        } else visit(left);
        visit(n.lastNamedChild!);
        return;
      }
      case 'for_statement':
      case 'for_in_clause': {
        const kids = namedOf(n);
        target(kids[0]!);
        for (let i = 1; i < kids.length; i++) visit(kids[i]!);
        return;
      }
      case 'as_pattern_target':
      case 'delete_statement':
        for (const c of namedOf(n)) c && target(c);
        return;
      case 'function_definition':
      case 'lambda':
        if (rebinds(n)) return;
        break;
    }
    for (const c of namedOf(n)) if (c) visit(c);
  };
  visit(body);
  return out;
}
