import type { Node } from '@remodel/python';
import { classTimeReads, identifiers, isStructuralDecorator, type BodyStatement, type ClassModel } from './class-model.js';
import { initOf, refuse, type Group } from './groups.js';

const MODULE_DUNDERS = new Set(['__name__', '__file__', '__spec__', '__package__', '__loader__', '__path__', '__cached__', '__builtins__']);

function line(node: Node): number {
  return node.startPosition.row + 1;
}

function memberLabel(model: ClassModel, s: BodyStatement): string {
  return `\`${model.name}.${s.names.join(', ')}\``;
}

/**
 * Refuses members whose meaning depends on the class body they are written in:
 * name-mangled identifiers (`self.__x`), `super()` whose lookup would start elsewhere, `__class__`,
 * module dunders (`__file__`, `__name__`) whose value changes with the module, and, for delegates, classmethods,
 * `__init__` and `__new__`.
 */
export function checkMovable(model: ClassModel, groups: Group[]): void {
  const mixins = groups.filter((g) => g.style === 'mixin');
  for (const group of groups) {
    for (const s of group.statements) {
      const label = memberLabel(model, s);
      if (group.style === 'delegate') {
        if (s.kind === 'classmethod') refuse('delegate-classmethod', `${label} is a classmethod: a collaborator cannot stand in for the class (use style mixin)`);
        if (s.kind === 'class') refuse('delegate-nested-class', `${label} is a nested class: use style mixin`);
        if (s.names.includes('__init__') || s.names.includes('__new__')) refuse('delegate-constructor', `${label} cannot be delegated`);
      }
      for (const id of identifiers(s.node)) {
        const t = id.text;
        if (t.startsWith('__') && !t.endsWith('__')) {
          refuse('name-mangled', `${label} uses name-mangled \`${t}\` (line ${line(id)}), which only resolves inside ${model.name}'s own body`);
        }
        const isAttrName = id.parent?.type === 'attribute' && id.parent.childForFieldName('attribute')?.id === id.id;
        if (t === '__class__' && !isAttrName) refuse('class-cell', `${label} uses \`__class__\` (line ${line(id)}), which names the class the code is written in`);
        if (MODULE_DUNDERS.has(t) && !isAttrName) {
          refuse('module-dunder', `${label} reads \`${t}\` (line ${line(id)}), whose value changes in the new module`);
        }
        if (t === 'super' && id.parent?.type === 'call' && id.parent.childForFieldName('function')?.id === id.id) {
          checkSuper(model, group, mixins, id.parent, label);
        }
      }
    }
  }
  if (groups.some((g) => g.style === 'delegate') && groups.some((g) => g.names.has('__init__'))) {
    refuse('delegate-constructor', `\`${model.name}.__init__\` cannot move in a step that adds a delegate (the collaborator is built there)`);
  }
}

function checkSuper(model: ClassModel, group: Group, mixins: Group[], call: Node, label: string): void {
  const args = call.childForFieldName('arguments')?.namedChildren.filter((a) => a !== null) ?? [];
  const where = `(line ${line(call)})`;
  if (group.style === 'delegate') refuse('super-call', `${label} calls \`super()\` ${where}; in a collaborator it would look up the collaborator's bases`);
  const parent = call.parent;
  const attr = parent?.type === 'attribute' && parent.childForFieldName('object')?.id === call.id ? parent.childForFieldName('attribute')!.text : null;
  if (!attr) refuse('super-call', `${label} uses \`super()\` without an attribute ${where}; its meaning would change`);
  let after: Group[];
  if (args.length === 0) after = mixins.slice(mixins.indexOf(group) + 1);
  else if (args[0]?.text === model.name) after = mixins;
  else return;
  const hit = after.find((g) => g.names.has(attr));
  if (hit) {
    refuse('super-call', `${label} calls \`super().${attr}\` ${where}, which would now find ${hit.name}.${attr} (moved by groups[${hit.index}])`);
  }
}

/**
 * Class-body names (members, class attributes) read while the class body runs — decorators, default values,
 * annotations, class-attribute values — must be defined in the same class after the move. A delegate's wrapping
 * decorators stay on the owner's delegating member, so they are not checked for the collaborator.
 */
export function checkClassBodyNames(model: ClassModel, groups: Group[]): void {
  const ownerOf = new Map<BodyStatement, Group | null>();
  for (const s of model.statements) ownerOf.set(s, groups.find((g) => g.statements.includes(s)) ?? null);
  const bound = new Map<string, BodyStatement[]>(model.members);
  for (const s of model.statements) {
    const owner = ownerOf.get(s)!;
    const skip = new Set<number>();
    if (owner?.style === 'delegate') {
      for (const d of s.decorators) if (!isStructuralDecorator(d, s.names[0] ?? '')) for (const id of identifiers(d)) skip.add(id.id);
    }
    for (const id of classTimeReads(s)) {
      if (skip.has(id.id)) continue;
      const defs = bound.get(id.text);
      if (!defs || defs.includes(s)) continue;
      for (const d of defs) {
        const other = ownerOf.get(d)!;
        // A delegated member stays visible on the owner (as a delegating member or a class-attribute alias).
        const visible = other === owner || (owner === null && other?.style === 'delegate');
        if (!visible) {
          const here = owner ? `${owner.name} (groups[${owner.index}])` : model.name;
          const there = other ? `${other.name} (groups[${other.index}])` : model.name;
          refuse(
            'class-body-name',
            `${memberLabel(model, s)} reads class-body name \`${id.text}\` at line ${line(id)} while the class body runs; it would be in ${here} but \`${id.text}\` in ${there}; move them together`,
          );
        }
      }
    }
  }
}

/** Delegate groups need `__init__` in the class body, and `__init__` must not call a delegated member. */
export function checkDelegateInit(model: ClassModel, groups: Group[]): void {
  const delegates = groups.filter((g) => g.style === 'delegate');
  if (delegates.length === 0) return;
  const init = initOf(model);
  if (!init?.def) refuse('no-init', `${model.name} has no \`__init__\` to build ${delegates[0].name} in; add one or use style mixin`);
  const body = init.def.childForFieldName('body')!;
  for (const stmt of body.namedChildren) {
    if (stmt?.type === 'return_statement') refuse('init-returns', `\`${model.name}.__init__\` returns early (line ${line(stmt)}); the collaborator could not be built at its end`);
  }
  for (const id of identifiers(body)) {
    const parent = id.parent;
    if (parent?.type !== 'attribute' || parent.childForFieldName('attribute')?.id !== id.id) continue;
    if (parent.childForFieldName('object')?.text !== 'self') continue;
    const g = delegates.find((d) => d.names.has(id.text));
    if (g) refuse('init-calls-delegate', `\`${model.name}.__init__\` uses \`self.${id.text}\` (line ${line(id)}) before ${g.name} exists`);
  }
}
