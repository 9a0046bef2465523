import type { Node, Project } from '@remodel/python';
import { PlanError } from '@remodel/runtime';

/** One parameter of a duplicated function. */
export interface Param {
  name: string;
  kind: 'positional' | 'star' | 'double-star' | 'keyword';
}

/** A function or method whose body is one of the duplicates. */
export interface Member {
  qualname: string;
  fn: Node;
  params: Param[];
  block: Node;
  docstring: Node | null;
  /** Body statements after the docstring (comments excluded). */
  statements: Node[];
  isAsync: boolean;
}

/** The canonical form of a body: tokens equal across duplicates, and the literal nodes in token order. */
interface Canonical {
  tokens: string[];
  /** 1-based line of each token. */
  lines: number[];
  literals: Node[];
  /** Canonical index of each parameter that the body reads (by position). */
  usedParams: Set<number>;
  /** Names the body binds or reads (to keep new parameter names from colliding). */
  names: Set<string>;
}

/** A set of duplicates ready to become one helper. */
export interface CloneSet {
  members: Member[];
  /** Parameters (by position) the helper takes, in order. */
  usedParams: number[];
  /** Literal slots that differ between members: token positions sharing one helper parameter each. */
  slots: { name: string; positions: number[] }[];
  /** Literal nodes per member, in token order. */
  literals: Node[][];
}

const LITERALS = new Set(['string', 'concatenated_string', 'integer', 'float', 'true', 'false', 'none']);

/** Reads a function_definition (or the definition inside a decorated_definition) as a Member. */
export function memberOf(qualname: string, node: Node): Member {
  const fn = node.type === 'decorated_definition' ? node.childForFieldName('definition')! : node;
  const block = fn.childForFieldName('body')!;
  const params: Param[] = [];
  let keywordOnly = false;
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p || p.type === 'comment' || p.type === 'positional_separator') continue;
    if (p.type === 'keyword_separator') {
      keywordOnly = true;
      continue;
    }
    if (p.type === 'list_splat_pattern') {
      params.push({ name: p.namedChildren[0]?.text ?? '', kind: 'star' });
      keywordOnly = true;
      continue;
    }
    if (p.type === 'dictionary_splat_pattern') {
      params.push({ name: p.namedChildren[0]?.text ?? '', kind: 'double-star' });
      continue;
    }
    const nameNode = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier') ?? null);
    if (!nameNode) throw new PlanError('unsupported-parameter', `extract-shared-helper: ${qualname}: parameter \`${p.text}\` is not supported`);
    params.push({ name: nameNode.text, kind: keywordOnly ? 'keyword' : 'positional' });
  }
  const children = block.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const first = children[0];
  const docstring = first && first.type === 'expression_statement' && first.namedChildCount === 1 && first.namedChild(0)?.type === 'string' ? first : null;
  const statements = docstring ? children.slice(1) : children;
  if (statements.length === 0) throw new PlanError('empty-body', `extract-shared-helper: ${qualname} has no statement besides its docstring`);
  const isAsync = fn.children.some((c) => c?.type === 'async');
  return { qualname, fn, params, block, docstring, statements, isAsync };
}

/** Canonical tokens of a member's body: local names numbered by first use, free names and field names kept. */
function canonical(project: Project, path: string, m: Member): Canonical {
  const free = new Set<number>();
  for (const nodes of project.scopes(path).freeNames(m.fn).values()) for (const n of nodes) free.add(n.startIndex);
  const locals = new Map<string, number>();
  m.params.forEach((p, i) => locals.set(p.name, i));
  const out: Canonical = { tokens: [], lines: [], literals: [], usedParams: new Set(), names: new Set() };
  const emit = (token: string, node: Node): void => {
    out.tokens.push(token);
    out.lines.push(node.startPosition.row + 1);
  };
  const refuse = (node: Node, why: string): never => {
    throw new PlanError('unsafe-body', `extract-shared-helper: ${m.qualname} (line ${node.startPosition.row + 1}): ${why}; its body cannot move out of the ${m.qualname.includes('.') ? 'class' : 'function'}`);
  };
  const visit = (node: Node): void => {
    if (node.type === 'comment') return;
    if (LITERALS.has(node.type) && !(node.type === 'string' && node.namedChildren.some((c) => c?.type === 'interpolation'))) {
      emit('LIT', node);
      out.literals.push(node);
      return;
    }
    switch (node.type) {
      case 'yield':
        refuse(node, 'it is a generator');
        break;
      case 'global_statement':
      case 'nonlocal_statement':
        refuse(node, `it uses ${node.type.split('_')[0]}`);
        break;
      case 'identifier': {
        const parent = node.parent;
        const name = node.text;
        if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.startIndex === node.startIndex) {
          if (/^__\w*[^_]_?$/.test(name) && !name.endsWith('__')) refuse(node, `\`${name}\` is name-mangled`);
          emit(`.${name}`, node);
          return;
        }
        if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.startIndex === node.startIndex) {
          emit(`kw:${name}`, node);
          return;
        }
        out.names.add(name);
        if (name === '__class__') refuse(node, 'it uses __class__');
        if (name === 'super' && parent?.type === 'call' && (parent.childForFieldName('arguments')?.namedChildCount ?? 0) === 0) refuse(node, 'it calls super() without arguments');
        if (free.has(node.startIndex)) {
          emit(`G:${name}`, node);
          return;
        }
        if (!locals.has(name)) locals.set(name, locals.size);
        const index = locals.get(name)!;
        if (index < m.params.length) out.usedParams.add(index);
        emit(`L${index}`, node);
        return;
      }
    }
    emit(`(${node.type}`, node);
    for (const child of node.children) {
      if (!child) continue;
      if (child.isNamed) visit(child);
      else emit(child.type, child);
    }
    emit(')', node);
  };
  for (const s of m.statements) visit(s);
  return out;
}

/**
 * Checks that `members` are duplicates and computes the helper's parameters: the original parameters the bodies
 * read, then one parameter per group of differing literals (named from `parameterNames`). Refuses with the first
 * structural difference, or the list of differing literals when no names were given.
 */
export function cloneSet(project: Project, path: string, members: Member[], parameterNames: string[] | undefined): CloneSet {
  const forms = members.map((m) => canonical(project, path, m));
  const [first] = members;
  for (const [i, m] of members.entries()) {
    if (i === 0) continue;
    const shape = (x: Member): string => x.params.map((p) => p.kind).join(',');
    if (shape(m) !== shape(first)) {
      throw new PlanError('not-duplicates', `extract-shared-helper: ${m.qualname} and ${first.qualname} take different parameters (${m.params.map((p) => p.name).join(', ')} vs ${first.params.map((p) => p.name).join(', ')})`);
    }
    if (m.isAsync !== first.isAsync) throw new PlanError('not-duplicates', `extract-shared-helper: ${m.qualname} and ${first.qualname}: one is async`);
    const a = forms[0].tokens;
    const b = forms[i].tokens;
    const at = a.findIndex((t, k) => t !== b[k]);
    if (at >= 0 || a.length !== b.length) {
      const line = (f: Canonical, mem: Member): number => f.lines[at >= 0 ? at : f.lines.length - 1] ?? mem.statements[0].startPosition.row + 1;
      throw new PlanError('not-duplicates', `extract-shared-helper: ${m.qualname} (line ${line(forms[i], m)}) differs from ${first.qualname} (line ${line(forms[0], first)}) beyond names and literals`);
    }
  }
  const literals = forms.map((f) => f.literals);
  const bySignature = new Map<string, number[]>();
  forms[0].literals.forEach((_, k) => {
    const values = literals.map((l) => l[k].text);
    if (values.every((v) => v === values[0])) return;
    const key = JSON.stringify(values);
    bySignature.set(key, [...(bySignature.get(key) ?? []), k]);
  });
  const groups = [...bySignature.values()];
  if (groups.length > 0 && !parameterNames) {
    const list = groups.map((g) => literals.map((l) => l[g[0]].text).join(' / ')).join('; ');
    throw new PlanError('differing-literals', `extract-shared-helper: ${members.map((m) => m.qualname).join(', ')} differ in ${groups.length} literal(s): ${list}; name them with parameters: [...]`);
  }
  if (parameterNames && parameterNames.length !== groups.length) {
    throw new PlanError('parameter-count', `extract-shared-helper: ${groups.length} differing literal(s) need ${groups.length} parameter name(s), got ${parameterNames.length}`);
  }
  const usedParams = [...new Set(forms.flatMap((f) => [...f.usedParams]))].sort((x, y) => x - y);
  const taken = new Set([...forms[0].names, ...usedParams.map((i) => first.params[i].name)]);
  for (const name of parameterNames ?? []) {
    if (taken.has(name)) throw new PlanError('parameter-name-taken', `extract-shared-helper: parameter name "${name}" is already used in ${first.qualname}`);
  }
  return { members, usedParams, slots: groups.map((positions, i) => ({ name: parameterNames![i], positions })), literals };
}
