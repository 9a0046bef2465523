import type { Node, Project } from '@remodel/python';
import { decoratorText, isStructuralDecorator, type BodyStatement, type ClassModel } from './class-model.js';
import { initOf, refuse, type Group } from './groups.js';
import { lineEnd, lineStart } from '../shared/text.js';
import type { LocalEdit } from './text.js';

/** How a delegate group's collaborator is wired to its owner. */
export interface DelegatePlan {
  /** Constructor parameters: attributes the collaborator receives by value (param name, owner attribute). */
  params: { param: string; attr: string }[];
  /** The collaborator keeps a reference to its owner (`self._owner`). */
  needsOwner: boolean;
  /** Edits inside each moved statement: `self.x` -> `self._owner.x`, bare `self` -> `self._owner`, wrapping decorators dropped. */
  edits: Map<BodyStatement, LocalEdit[]>;
  /** Report lines about attributes that stay on the owner. */
  notes: string[];
}

interface SelfUse {
  /** The `self` identifier. */
  self: Node;
  /** `self.attr` node, or null for a bare `self`. */
  attribute: Node | null;
  attr: string | null;
  write: boolean;
}

/** Every use of a method's first parameter in its body (nested defs / lambdas that rebind the name are skipped). */
export function selfUses(def: Node): { name: string | null; uses: SelfUse[] } {
  const params = def.childForFieldName('parameters');
  const first = params?.namedChildren.find((p) => p !== null) ?? null;
  let name: string | null = null;
  if (first?.type === 'identifier') name = first.text;
  else if (first && /^(typed_parameter|default_parameter|typed_default_parameter)$/.test(first.type)) {
    const id = first.type === 'typed_parameter' ? first.namedChildren.find((c) => c?.type === 'identifier') : first.childForFieldName('name');
    if (id?.type === 'identifier') name = id.text;
  }
  const uses: SelfUse[] = [];
  const body = def.childForFieldName('body');
  if (!name || !body) return { name, uses };
  const rebinds = (n: Node): boolean => (n.childForFieldName('parameters')?.descendantsOfType('identifier') ?? []).some((p) => p?.text === name);
  const visit = (n: Node): void => {
    if ((n.type === 'function_definition' || n.type === 'lambda') && rebinds(n)) return;
    if (n.type === 'identifier' && n.text === name) {
      const parent = n.parent;
      if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === n.id) return;
      if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === n.id) return;
      if (parent?.type === 'attribute' && parent.childForFieldName('object')?.id === n.id) {
        uses.push({ self: n, attribute: parent, attr: parent.childForFieldName('attribute')!.text, write: isWrite(parent) });
      } else {
        // getattr(self, "x", ...) and friends name an attribute too: route them like self.x.
        const byName = reflectiveAttribute(n);
        uses.push({ self: n, attribute: null, attr: byName?.attr ?? null, write: byName?.write ?? false });
      }
      return;
    }
    for (const c of n.children) if (c) visit(c);
  };
  visit(body);
  return { name, uses };
}

/** `getattr(self, "x")`, `hasattr(self, "x")`, `setattr(self, "x", v)`, `delattr(self, "x")` with `self` at `n`. */
function reflectiveAttribute(n: Node): { attr: string; write: boolean } | null {
  const args = n.parent;
  const call = args?.parent;
  if (args?.type !== 'argument_list' || call?.type !== 'call') return null;
  const fn = call.childForFieldName('function')?.text ?? '';
  if (!['getattr', 'hasattr', 'setattr', 'delattr'].includes(fn)) return null;
  const list = args.namedChildren.filter((a): a is Node => a !== null && a.type !== 'comment');
  if (list[0]?.id !== n.id || list[1]?.type !== 'string') return null;
  const content = list[1].namedChildren.filter((c) => c?.type === 'string_content');
  if (content.length !== 1 || list[1].text.length !== content[0]!.text.length + 2) return null;
  return { attr: content[0]!.text, write: fn === 'setattr' || fn === 'delattr' };
}

/** Whether an attribute node is assigned, augmented, deleted or used as a loop / `with` target. */
export function isWrite(node: Node): boolean {
  let cur = node;
  for (let p = node.parent; p; cur = p, p = p.parent) {
    if (/^(pattern_list|tuple_pattern|list_pattern|tuple|list|parenthesized_expression|expression_list)$/.test(p.type)) continue;
    if (p.type === 'assignment' || p.type === 'augmented_assignment') return p.childForFieldName('left')?.id === cur.id;
    if (p.type === 'for_statement' || p.type === 'for_in_clause') return p.childForFieldName('left')?.id === cur.id;
    if (p.type === 'delete_statement' || p.type === 'as_pattern_target') return true;
    return false;
  }
  return false;
}

/** Uses of attribute names across the project outside a set of ranges of the source file. */
interface AttributeUses {
  /** Read or written anywhere outside the excluded ranges. */
  used: Set<string>;
  /** Written outside the excluded ranges and outside top-level statements of the owner's `__init__`. */
  written: Map<string, string>;
  /** Assigned by a top-level statement of the owner's `__init__`. */
  initialised: Set<string>;
}

/**
 * Scans every project file for `x.attr` and `"attr"` (getattr / setattr / patch.object) mentions of `attrs`.
 * `self.attr` inside a class other than the owner (or a subclass of it) is another object and is ignored;
 * any other object may be an instance of the owner, so its writes count (conservative, by name).
 */
function scanAttributes(project: Project, sourcePath: string, model: ClassModel, attrs: Set<string>, exclude: Node[]): AttributeUses {
  const out: AttributeUses = { used: new Set(), written: new Map(), initialised: new Set() };
  if (attrs.size === 0) return out;
  const init = initOf(model);
  const initTop = new Set((init?.def?.childForFieldName('body')?.namedChildren ?? []).filter((n): n is Node => n !== null).map((n) => n.id));
  const pattern = new RegExp(`[.'"](${[...attrs].map((a) => a.replace(/[^\w]/g, '')).join('|')})\\b`);
  const excluded = (file: string, n: Node): boolean => file === sourcePath && exclude.some((e) => e.startIndex <= n.startIndex && n.endIndex <= e.endIndex);
  const names = [...attrs].map((a) => a.replace(/[^\w]/g, '')).join('|');
  // Visit only the occurrences the text shows: `.attr` and quoted "attr" (no full-tree walk per file).
  // ... and dotted patch targets naming the member on the class: "pkg.mod.Owner.attr".
  const cls = model.name.replace(/[^\w]/g, '');
  const occurrences = new RegExp(`(\\.\\s*)(${names})\\b|(['"])(${names})['"]|(['"][\\w.]*\\b${cls}\\.)(${names})['"]`, 'g');
  for (const file of project.files.values()) {
    if (!pattern.test(file.text)) continue;
    const where = (n: Node): string => `${file.path}:${n.startPosition.row + 1}`;
    for (const m of file.text.matchAll(occurrences)) {
      if (m[6] !== undefined) {
        // `patch("pkg.mod.Owner.attr")` / `monkeypatch.setattr("pkg.mod.Owner.attr", ...)` replaces it on the class.
        const leaf = file.tree.rootNode.descendantForIndex(m.index! + 1, m.index! + 2);
        const string = leaf?.type === 'string' ? leaf : leaf?.parent;
        if (string?.type !== 'string' || string.text !== m[0] || excluded(file.path, string)) continue;
        out.used.add(m[6]);
        if (!out.written.has(m[6])) out.written.set(m[6], where(string));
        continue;
      }
      const at = m.index! + (m[1] !== undefined ? m[1].length : 0);
      const leaf = file.tree.rootNode.descendantForIndex(at, at + 1);
      let attr: string;
      let write: boolean;
      let node: Node;
      if (m[2] !== undefined) {
        const parent = leaf?.parent;
        if (leaf?.type !== 'identifier' || parent?.type !== 'attribute' || parent.childForFieldName('attribute')?.id !== leaf.id) continue;
        node = parent;
        if (excluded(file.path, node)) continue;
        attr = m[2];
        const object = node.childForFieldName('object');
        if (object?.type === 'identifier' && object.text === 'self' && !ownerClass(node, model, file.path === sourcePath)) continue;
        write = isWrite(node);
        if (write && file.path === sourcePath && init?.def && inInitTop(node, initTop)) {
          out.initialised.add(attr);
          out.used.add(attr);
          continue;
        }
      } else {
        const string = leaf?.type === 'string' ? leaf : leaf?.parent;
        if (string?.type !== 'string' || string.text.length !== m[4].length + 2) continue;
        node = string;
        if (excluded(file.path, node)) continue;
        attr = m[4];
        const call = node.parent?.parent;
        const fn = call?.type === 'call' ? call.childForFieldName('function')?.text : '';
        write = !(fn === 'getattr' || fn === 'hasattr');
      }
      out.used.add(attr);
      if (write && !out.written.has(attr)) out.written.set(attr, where(node));
    }
  }
  return out;
}

function inInitTop(node: Node, initTop: Set<number>): boolean {
  for (let p: Node | null = node; p; p = p.parent) {
    if (initTop.has(p.id)) return p.type === 'expression_statement';
  }
  return false;
}

/** Whether `self` at `node` is an instance of the owner class: inside it, or inside a class deriving from it. */
function ownerClass(node: Node, model: ClassModel, sameFile: boolean): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type !== 'class_definition') continue;
    if (sameFile && p.startIndex === model.node.startIndex) return true;
    const bases = p.childForFieldName('superclasses')?.namedChildren ?? [];
    return bases.some((b) => b !== null && (b.text === model.name || b.text.endsWith(`.${model.name}`)));
  }
  return false;
}

/** Members of `names` that project classes deriving from the owner define again -> where (path:line). */
function subclassOverrides(project: Project, model: ClassModel, names: Set<string>): Map<string, string> {
  const out = new Map<string, string>();
  const base = new RegExp(`\\b${model.name}\\b`);
  for (const file of project.files.values()) {
    if (!base.test(file.text)) continue;
    for (const cls of file.tree.rootNode.descendantsOfType('class_definition')) {
      if (!cls || cls.startIndex === model.node.startIndex) continue;
      const bases = cls.childForFieldName('superclasses')?.namedChildren ?? [];
      if (!bases.some((b) => b !== null && (b.text === model.name || b.text.endsWith(`.${model.name}`)))) continue;
      for (const stmt of cls.childForFieldName('body')?.namedChildren ?? []) {
        if (!stmt) continue;
        const inner = stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
        let name: string | null = null;
        if (inner?.type === 'function_definition') name = inner.childForFieldName('name')?.text ?? null;
        else if (inner?.type === 'expression_statement' && inner.namedChild(0)?.type === 'assignment') {
          const left = inner.namedChild(0)!.childForFieldName('left');
          if (left?.type === 'identifier') name = left.text;
        }
        if (name && names.has(name) && !out.has(name)) out.set(name, `${file.path}:${stmt.startPosition.row + 1}`);
      }
    }
  }
  return out;
}

/**
 * Plans one delegate group: which `self.x` the collaborator receives by value (assigned once, by a top-level
 * statement of `__init__`, and rebound nowhere else), which it reaches through its owner (owner members, attributes
 * other code rebinds, attributes the group writes and other code reads, members tests replace on the instance),
 * and which it owns (attributes only the group touches). Refuses per `coupling: refuse`.
 */
export function planDelegate(project: Project, sourcePath: string, text: string, model: ClassModel, group: Group): DelegatePlan {
  const plan: DelegatePlan = { params: [], needsOwner: false, edits: new Map(), notes: [] };
  const perStatement = new Map<BodyStatement, SelfUse[]>();
  const attrs = new Set<string>();
  const writtenByGroup = new Set<string>();
  for (const s of group.statements) {
    if (!s.def) continue;
    const { uses } = selfUses(s.def);
    if (s.kind === 'staticmethod') continue;
    perStatement.set(s, uses);
    for (const u of uses) {
      if (!u.attr) continue;
      attrs.add(u.attr);
      if (u.write) writtenByGroup.add(u.attr);
    }
  }
  const scan = scanAttributes(project, sourcePath, model, attrs, group.statements.map((s) => s.node));
  const overrides = subclassOverrides(project, model, group.names);
  const route = new Map<string, 'owner' | 'keep' | 'param'>();
  const kept: string[] = [];
  const live: string[] = [];
  for (const attr of [...attrs].sort()) {
    if (group.names.has(attr)) {
      // Keep dynamic dispatch where something can replace the member on the owner: instances, subclasses, or the
      // owner's alias of a class attribute.
      const isAttribute = group.statements.some((s) => s.kind === 'attribute' && s.names.includes(attr));
      const why = scan.written.get(attr) ?? (overrides.get(attr) ? `overridden in ${overrides.get(attr)}` : isAttribute ? 'a class attribute the owner re-exports' : null);
      route.set(attr, why ? 'owner' : 'keep');
      if (why) plan.notes.push(`${group.name} reaches \`${attr}\` through ${model.name}: ${scan.written.has(attr) ? `it is replaced on instances (${why})` : why}`);
    } else if (model.members.has(attr)) {
      route.set(attr, 'owner');
    } else if (writtenByGroup.has(attr)) {
      if (scan.used.has(attr)) {
        route.set(attr, 'owner');
        kept.push(attr);
      } else route.set(attr, 'keep');
    } else if (scan.initialised.has(attr) && !scan.written.has(attr)) {
      route.set(attr, 'param');
    } else {
      route.set(attr, 'owner');
      live.push(attr);
    }
  }
  if (group.coupling === 'refuse' && (kept.length > 0 || live.length > 0)) {
    const parts = [
      ...kept.map((a) => `\`${a}\` (written by the group, used elsewhere)`),
      ...live.map((a) => `\`${a}\` (${scan.written.has(a) ? `rebound at ${scan.written.get(a)}` : `not assigned by ${model.name}.__init__`})`),
    ];
    refuse('coupling', `groups[${group.index}] ${group.name} shares state with ${model.name}: ${parts.join(', ')}`);
  }
  for (const a of kept) plan.notes.push(`\`${a}\` stays on ${model.name}: ${group.name} writes it and other code reads it`);
  for (const a of live) {
    const why = scan.written.has(a) ? `it is rebound at ${scan.written.get(a)}` : `${model.name}.__init__ does not assign it`;
    plan.notes.push(`${group.name} reads \`${a}\` through ${model.name}: ${why}`);
  }
  const taken = new Set(['self', 'owner']);
  for (const [attr, r] of route) {
    if (r !== 'param') continue;
    let param = attr.replace(/^_+/, '') || attr;
    if (taken.has(param) || !/^[A-Za-z_]\w*$/.test(param)) param = attr;
    taken.add(param);
    plan.params.push({ param, attr });
  }
  for (const s of group.statements) {
    const edits: LocalEdit[] = [];
    for (const d of s.decorators) {
      if (!isStructuralDecorator(d, s.names[0])) edits.push({ start: lineStart(text, d.startIndex), end: lineEnd(text, d.endIndex), text: '' });
    }
    for (const u of perStatement.get(s) ?? []) {
      if (u.attr === null || route.get(u.attr) === 'owner') {
        edits.push({ start: u.self.startIndex, end: u.self.endIndex, text: `${u.self.text}._owner` });
        plan.needsOwner = true;
      }
    }
    plan.edits.set(s, edits);
  }
  return plan;
}

/** Arguments forwarding a def's parameters (first one dropped for methods): `a, b, *args, key=key, **kw`. */
export function forwardArguments(def: Node, dropFirst: boolean): string {
  const params = (def.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is Node => p !== null && p.type !== 'comment');
  const out: string[] = [];
  let keyword = false;
  for (const [i, p] of params.entries()) {
    if (i === 0 && dropFirst) continue;
    if (p.type === 'positional_separator') continue;
    if (p.type === 'keyword_separator') {
      keyword = true;
      continue;
    }
    if (p.type === 'list_splat_pattern' || (p.type === 'typed_parameter' && p.firstNamedChild?.type === 'list_splat_pattern')) {
      out.push(`*${identifierIn(p)}`);
      keyword = true;
      continue;
    }
    if (p.type === 'dictionary_splat_pattern' || (p.type === 'typed_parameter' && p.firstNamedChild?.type === 'dictionary_splat_pattern')) {
      out.push(`**${identifierIn(p)}`);
      continue;
    }
    const name = identifierIn(p);
    out.push(keyword ? `${name}=${name}` : name);
  }
  return out.join(', ');
}

function identifierIn(p: Node): string {
  if (p.type === 'identifier') return p.text;
  const named = p.childForFieldName('name');
  if (named) return named.text;
  return p.descendantsOfType('identifier')[0]?.text ?? p.text;
}

/** Whether a def's own body yields (nested defs, lambdas and classes excluded). */
export function isGenerator(def: Node): boolean {
  const visit = (n: Node): boolean => {
    if (n.type === 'yield') return true;
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    return n.namedChildren.some((c) => c !== null && visit(c));
  };
  const body = def.childForFieldName('body');
  return !!body && visit(body);
}

/** The delegating member left on the owner in place of a moved def. */
export function stubFor(text: string, s: BodyStatement, group: Group, unit: string): string {
  const def = s.def!;
  const head = text.slice(lineStart(text, s.node.startIndex), def.startIndex);
  const colon = def.children.find((c) => c?.type === ':')!;
  const body = def.childForFieldName('body')!;
  const defIndent = /^[ \t]*/.exec(text.slice(lineStart(text, def.startIndex)))![0];
  const firstStmt = body.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null;
  const sameLine = firstStmt !== null && firstStmt.startPosition.row === def.startPosition.row;
  const bodyIndent = firstStmt && !sameLine ? /^[ \t]*/.exec(text.slice(lineStart(text, firstStmt.startIndex)))![0] : defIndent + unit;
  const signatureEnd = sameLine ? colon.endIndex : Math.min(lineEnd(text, colon.endIndex), body.startIndex) ;
  let out = head + text.slice(def.startIndex, signatureEnd).replace(/\s+$/, '') + '\n';
  const doc = firstStmt && firstStmt.type === 'expression_statement' && firstStmt.namedChildCount === 1 && firstStmt.namedChild(0)?.type === 'string' ? firstStmt : null;
  if (doc) out += `${bodyIndent}${doc.text}\n`;
  const { name: selfName } = selfUses(def);
  const member = s.names[0];
  const via = s.kind === 'staticmethod' ? group.name : `${selfName}.${group.attribute}`;
  const target = `${via}.${member}`;
  const decorators = s.decorators.map(decoratorText);
  let line: string;
  if (s.kind === 'property' || decorators.includes(`${member}.getter`)) line = `return ${target}`;
  else if (decorators.includes(`${member}.setter`)) line = `${target} = ${forwardArguments(def, true)}`;
  else if (decorators.includes(`${member}.deleter`)) line = `del ${target}`;
  else {
    const call = `${target}(${forwardArguments(def, s.kind !== 'staticmethod')})`;
    const generator = isGenerator(def);
    if (s.isAsync && generator) line = `async for item in ${call}:\n${bodyIndent}${unit}yield item`;
    else if (generator) line = `return (yield from ${call})`;
    else line = s.isAsync ? `return await ${call}` : `return ${call}`;
  }
  return (out + `${bodyIndent}${line}\n`).replace(/\r\n/g, '\n');
}
