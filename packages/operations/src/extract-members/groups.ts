import path from 'node:path';
import { moduleNames, type Project, type SourceFile } from '@remodel/python';
import { PlanError } from '@remodel/runtime';
import { readClass, type BodyStatement, type ClassModel } from './class-model.js';
import type { ExtractMembersParams, MemberGroupSpec } from './schema.js';
import { snakeCase } from './text.js';

/** A group of the spec, resolved against the project. */
export interface Group {
  index: number;
  spec: MemberGroupSpec;
  name: string;
  style: 'mixin' | 'delegate';
  /** Target file (project-relative) and its dotted module. */
  path: string;
  module: string;
  /** The target file exists before the step. */
  exists: boolean;
  /** The class statements to move, in body order. */
  statements: BodyStatement[];
  /** Every name those statements bind. */
  names: Set<string>;
  /** Delegate: attribute of the owner holding the collaborator. */
  attribute: string;
  coupling: 'keep-on-owner' | 'refuse';
}

/** Refuses with a stable code and a one-line message prefixed by the operation name. */
export function refuse(code: string, message: string): never {
  throw new PlanError(code, `extract-members: ${message}`);
}

/** The source file named by `module` (dotted or path). */
export function resolveSource(project: Project, module: string): SourceFile {
  const file = isPath(module) ? project.files.get(normalizePath(module)) : project.fileOfModule(module);
  if (!file) refuse('module-not-found', `module: "${module}" is not a module of the project`);
  if (!file.module) refuse('module-not-importable', `module: ${file.path} has no importable dotted name`);
  return file;
}

function isPath(spec: string): boolean {
  return spec.includes('/') || spec.endsWith('.py');
}

function normalizePath(p: string): string {
  return path.posix.normalize(p.replace(/\\/g, '/')).replace(/^\.\//, '');
}

/** Path and dotted module of a group's target, created next to the project's other files when missing. */
export function resolveTarget(project: Project, source: SourceFile, spec: string, where: string): { path: string; module: string; exists: boolean } {
  if (isPath(spec)) {
    const p = normalizePath(spec.endsWith('.py') ? spec : `${spec}.py`);
    const existing = project.files.get(p);
    if (existing) {
      if (!existing.module) refuse('module-not-importable', `${where}.module: ${p} has no importable dotted name`);
      return { path: p, module: existing.module, exists: true };
    }
    const names = moduleNames([...project.files.keys(), p]);
    const module = names.get(p)?.module;
    if (!module) refuse('module-not-importable', `${where}.module: ${p} would not be importable (its directory is not a package)`);
    return { path: p, module, exists: false };
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(spec)) refuse('bad-module', `${where}.module: "${spec}" is not a dotted module name`);
  const existing = project.fileOfModule(spec);
  if (existing) return { path: existing.path, module: spec, exists: true };
  // A new module lives beside its parent package's files; the source's own root prefix covers src/ layouts.
  const parent = spec.includes('.') ? spec.slice(0, spec.lastIndexOf('.')) : '';
  const leaf = spec.slice(spec.lastIndexOf('.') + 1);
  let dir: string | null = null;
  const parentFile = parent ? project.fileOfModule(parent) : undefined;
  if (parentFile?.isPackage) dir = path.posix.dirname(parentFile.path);
  else {
    const srcParts = source.module!.split('.');
    const fileParts = source.path.replace(/\.py$/, '').split('/');
    if (source.isPackage) fileParts.pop();
    const prefix = fileParts.slice(0, fileParts.length - srcParts.length).join('/');
    dir = [prefix, ...parent.split('.').filter(Boolean)].filter(Boolean).join('/');
  }
  const p = dir ? `${dir}/${leaf}.py` : `${leaf}.py`;
  const names = moduleNames([...project.files.keys(), p]);
  if (names.get(p)?.module !== spec) refuse('module-not-importable', `${where}.module: "${spec}" has no package directory in the project`);
  return { path: p, module: spec, exists: false };
}

/** The top-level class `name` of `source`, read. */
export function resolveClass(project: Project, source: SourceFile, name: string): ClassModel {
  const def = project.index(source.path).defs.get(name);
  if (!def || def.kind !== 'class') refuse('class-not-found', `class: "${name}" is not a top-level class of ${source.path}`);
  const node = def.node.type === 'decorated_definition' ? def.node.childForFieldName('definition')! : def.node;
  return readClass(source.text, node);
}

/**
 * Resolves every group; members are looked up later (a group may already be extracted).
 * Refuses duplicate members, a group targeting the source module, and reused class names.
 */
export function resolveGroups(project: Project, source: SourceFile, params: ExtractMembersParams): Group[] {
  const seen = new Map<string, number>();
  const names = new Set<string>();
  return params.groups.map((spec, index) => {
    const where = `groups[${index}]`;
    const target = resolveTarget(project, source, spec.module, where);
    if (target.path === source.path) refuse('same-module', `${where}.module: "${spec.module}" is the class's own module`);
    if (names.has(spec.name)) refuse('duplicate-group', `${where}.name: "${spec.name}" names two groups`);
    names.add(spec.name);
    for (const m of spec.members) {
      const other = seen.get(m);
      if (other !== undefined) refuse('duplicate-member', `${where}.members: "${m}" is also listed in groups[${other}]`);
      seen.set(m, index);
    }
    if (spec.style === 'mixin' && (spec.attribute || spec.coupling)) {
      refuse('bad-option', `${where}: \`attribute\` and \`coupling\` apply to style delegate only`);
    }
    return {
      index,
      spec,
      name: spec.name,
      style: spec.style,
      ...target,
      statements: [],
      names: new Set<string>(),
      attribute: spec.attribute ?? `_${snakeCase(spec.name)}`,
      coupling: spec.coupling ?? 'keep-on-owner',
    };
  });
}

/**
 * True when the group was extracted by an earlier run: the target module defines the class with every member, and
 * the class inherits from it (mixin) or builds it in `__init__` (delegate). Refuses a half-done state.
 */
export function alreadyExtracted(project: Project, model: ClassModel, group: Group): boolean {
  const file = project.files.get(group.path);
  if (!file) return false;
  const def = project.index(group.path).defs.get(group.name);
  if (!def) return false;
  const where = `groups[${group.index}]`;
  if (def.kind !== 'class') refuse('name-taken', `${where}.name: "${group.name}" is already bound in ${group.path} (line ${def.node.startPosition.row + 1})`);
  const node = def.node.type === 'decorated_definition' ? def.node.childForFieldName('definition')! : def.node;
  const target = readClass(file.text, node);
  const missing = group.spec.members.filter((m) => !target.members.has(m));
  const linked =
    group.style === 'mixin'
      ? (model.node.childForFieldName('superclasses')?.namedChildren ?? []).some((b) => b?.text === group.name)
      : new RegExp(`self\\.${group.attribute}\\s*=\\s*${group.name}\\(`).test(initOf(model)?.node.text ?? '');
  if (missing.length === 0 && linked) return true;
  refuse(
    'partially-extracted',
    `${where}: class ${group.name} already exists in ${group.path} (line ${def.node.startPosition.row + 1}) but ${
      missing.length > 0 ? `lacks ${missing.map((m) => `\`${m}\``).join(', ')}` : `${model.name} does not ${group.style === 'mixin' ? 'inherit from' : 'build'} it`
    }; finish or undo the earlier extraction first`,
  );
}

/** The `__init__` definition of a class, if it has one in its body. */
export function initOf(model: ClassModel): BodyStatement | undefined {
  return model.members.get('__init__')?.find((s) => s.def !== null);
}

/** Fills `statements` / `names` of each group; refuses unknown members and members the body cannot move. */
export function bindMembers(model: ClassModel, groups: Group[], sourcePath: string): void {
  for (const group of groups) {
    const chosen = new Set<BodyStatement>();
    for (const member of group.spec.members) {
      const statements = model.members.get(member);
      if (!statements) {
        refuse('member-not-found', `groups[${group.index}].members: "${member}" is not a member of ${model.name} in ${sourcePath}`);
      }
      for (const s of statements) {
        if (s.kind === 'other') {
          refuse('member-not-movable', `groups[${group.index}].members: "${member}" is bound by a ${s.node.type} at line ${s.node.startPosition.row + 1}; only defs, classes and plain assignments move`);
        }
        chosen.add(s);
      }
    }
    group.statements = [...chosen].sort((a, b) => a.index - b.index);
    for (const s of group.statements) for (const n of s.names) group.names.add(n);
    for (const n of group.names) {
      if (!group.spec.members.includes(n)) {
        refuse('member-not-listed', `groups[${group.index}].members: "${n}" is bound by the same statement as a listed member; list it too`);
      }
    }
  }
}
