import type { Node, Project, SourceFile } from '@remodel/python';
import { changedModules, readsWhole, type Check, type Problem } from './check.js';

/** A dotted target string in a patch-like call, in a file of a project (see `Project.patchStrings`). */
export interface PatchString {
  path: string;
  value: string;
  node: Node;
  line: number;
}

/** Every dotted target string of patch-like calls in the file at `path` (decorators included). */
export function patchStrings(project: Project, path: string): PatchString[] {
  return project.patchStrings(path).map(({ value, node, line }) => ({ path, value, node, line }));
}

/**
 * Whether a dotted target resolves in `project`: `ok` when the longest project-module prefix binds the next name at
 * top level (and, for a class defined there, the class body or a base may provide the attribute after it);
 * `null` when the string does not name a project module at all (external targets are not checked).
 */
export function resolveDotted(project: Project, value: string): { ok: boolean; reason: string } | null {
  let known = resolvedCache.get(project);
  if (!known) resolvedCache.set(project, (known = new Map()));
  let r = known.get(value);
  if (r === undefined) known.set(value, (r = resolveUncached(project, value)));
  return r && { ...r };
}

/** `resolveDotted` results per project and target (a project never changes). */
const resolvedCache = new WeakMap<Project, Map<string, { ok: boolean; reason: string } | null>>();

function resolveUncached(project: Project, value: string): { ok: boolean; reason: string } | null {
  const parts = value.split('.');
  let k = parts.length;
  while (k > 0 && !project.fileOfModule(parts.slice(0, k).join('.'))) k--;
  if (k === 0) {
    const top = parts[0];
    const claimed = [...project.files.values()].some(
      (f) => !!f.module && (f.module === top || f.module.startsWith(`${top}.`)) && (f.path === `${top}.py` || f.path.startsWith(`${top}/`)),
    );
    return claimed ? { ok: false, reason: `no project module \`${top}\`` } : null;
  }
  const module = parts.slice(0, k).join('.');
  if (k === parts.length) return { ok: true, reason: '' };
  const file = project.fileOfModule(module)!;
  const name = parts[k];
  const scopes = project.scopes(file.path);
  const index = project.index(file.path);
  const bound =
    scopes.hasStarImport ||
    scopes.moduleBindings().has(name) ||
    index.defs.has(name) ||
    index.globalWrites.has(name) ||
    index.imports.some((b) => b.topLevel && b.local === name) ||
    scopes.moduleBindings().has('__getattr__');
  if (!bound) return { ok: false, reason: `\`${name}\` is not defined in ${file.path}` };
  const rest = parts.slice(k + 1);
  const def = index.defs.get(name);
  if (rest.length > 0 && def?.kind === 'class') {
    const cls = def.node.type === 'decorated_definition' ? def.node.childForFieldName('definition') : def.node;
    const hasBases = !!cls?.childForFieldName('superclasses')?.namedChildCount;
    if (!hasBases && cls && !classBinds(cls, rest[0])) return { ok: false, reason: `class \`${name}\` in ${file.path} has no attribute \`${rest[0]}\`` };
  }
  return { ok: true, reason: '' };
}

function classBinds(cls: Node, attr: string): boolean {
  const body = cls.childForFieldName('body');
  if (!body) return true;
  for (const stmt of body.namedChildren) {
    if (!stmt) continue;
    const def = stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if ((def?.type === 'function_definition' || def?.type === 'class_definition') && def.childForFieldName('name')?.text === attr) return true;
    if (stmt.type === 'expression_statement') {
      const left = stmt.firstNamedChild?.childForFieldName('left');
      if (left && new RegExp(`(^|[^\\w])${attr}($|[^\\w])`).test(left.text)) return true;
    }
  }
  // Attributes set in methods (`self.x = ...`) or by metaclasses are not modelled: only plain bodies are judged.
  return /self\.|__slots__|__getattr__/.test(body.text);
}

/**
 * Every dotted patch target (`patch("a.b.X")`, `monkeypatch.setattr("a.b.X", v)`, `patch.dict(...)`) that resolved
 * before the change still resolves after it (module + attribute chain). New strings the change wrote must resolve
 * too. Without `before`, every project target that does not resolve is reported.
 * A target resolves differently only when a module it names changed, and its string then holds that module's
 * dotted name; so with a `before` only the touched files and the files whose text holds a touched module's name
 * are read, unless the change reshapes the module tree.
 */
export const patchTargetsCheck: Check = (input) => {
  const { before, after, touched } = input;
  const touchedSet = new Set(touched);
  const files = before && !readsWhole(input) ? affectedFiles(before, after, touched) : [...after.files.values()];
  const existedBefore = (path: string, value: string): boolean =>
    !!before?.files.get(path) && before.patchStrings(path).some((s) => s.value === value);
  const out: Problem[] = [];
  for (const file of files) {
    for (const s of after.patchStrings(file.path)) {
      const r = resolveDotted(after, s.value);
      if (!r || r.ok) continue;
      if (before) {
        // Report targets that resolved before, and targets the change itself introduced.
        const introduced = touchedSet.has(file.path) && !existedBefore(file.path, s.value);
        if (!introduced && !resolvedBefore(before, s.value)) continue;
      }
      out.push({ path: file.path, line: s.line, message: `patch target "${s.value}" does not resolve: ${r.reason}`, check: 'patch-targets' });
    }
  }
  return out;
};

/** True when some file of `before` patches `value` and it resolved there. */
function resolvedBefore(before: Project, value: string): boolean {
  if (!resolveDotted(before, value)?.ok) return false;
  for (const file of before.files.values()) {
    if (file.text.includes(value) && before.patchStrings(file.path).some((s) => s.value === value)) return true;
  }
  return false;
}

/** Touched files, and files whose text holds the dotted name of a module a touched file is (before or after). */
function affectedFiles(before: Project, after: Project, touched: string[]): SourceFile[] {
  const modules = changedModules(before, after, touched);
  const touchedSet = new Set(touched);
  return [...after.files.values()].filter((f) => touchedSet.has(f.path) || [...modules].some((m) => f.text.includes(m)));
}
