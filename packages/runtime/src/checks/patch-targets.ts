import type { Node, Project, SourceFile, Tree } from '@remodel/python';
import { changedModules, readsWhole, type Check, type Problem } from './check.js';

/** A dotted target string in a patch-like call: `patch("a.b.C")`, `mocker.patch.dict(...)`, `monkeypatch.setattr("a.b", v)`. */
export interface PatchString {
  path: string;
  value: string;
  node: Node;
  line: number;
}

const PATCH_CALLEES = /^(?:(?:unittest\.)?mock\.|mocker\.)?patch(?:\.dict)?$/;
const MONKEYPATCH = /^monkeypatch\.(?:setattr|delattr)$/;
const cache = new WeakMap<Tree, { value: string; node: Node }[]>();

/** Every dotted target string of patch-like calls in `file` (decorators included), cached per parsed tree. */
export function patchStrings(file: SourceFile): PatchString[] {
  let found = cache.get(file.tree);
  if (!found) {
    const list: { value: string; node: Node }[] = [];
    for (const call of patchCalls(file.tree, file.text)) {
      const callee = call.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
      if (PATCH_CALLEES.test(callee) || MONKEYPATCH.test(callee)) {
        const first = call.childForFieldName('arguments')?.namedChildren.find((c) => c !== null && c.type !== 'comment');
        const value = first ? plainString(first) : null;
        if (first && value !== null && /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$/.test(value)) list.push({ value, node: first });
      }
    }
    cache.set(file.tree, (found = list));
  }
  return found.map(({ value, node }) => ({ path: file.path, value, node, line: node.startPosition.row + 1 }));
}

/**
 * The calls that may be patch-like, in tree order (outer calls first), outside string literals (an f-string's
 * interpolations are not searched). Every patch-like callee contains the identifier `patch` or `monkeypatch`, so
 * only those identifiers are looked up in the tree, and the calls whose callee they begin, end or sit in (through
 * an attribute chain) are kept. A tree with syntax errors is walked whole.
 */
function patchCalls(tree: Tree, text: string): Node[] {
  const root = tree.rootNode;
  if (!text.includes('patch')) return [];
  if (root.hasError) return walkCalls(root);
  const calls: Node[] = [];
  const seen = new Set<string>();
  for (let at = text.indexOf('patch'); at !== -1; at = text.indexOf('patch', at + 5)) {
    const id = root.descendantForIndex(at, at + 5);
    if (id?.type !== 'identifier' || id.endIndex !== at + 5) continue;
    const name = id.text;
    if (name !== 'patch' && name !== 'monkeypatch') continue;
    let callee: Node = id;
    for (let parent = callee.parent; parent; callee = parent, parent = parent.parent) {
      if (parent.type === 'attribute') continue;
      if (parent.type === 'call' && sameNode(parent.childForFieldName('function'), callee) && !insideString(parent)) {
        const key = `${parent.startIndex}:${parent.endIndex}`;
        if (!seen.has(key)) {
          seen.add(key);
          calls.push(parent);
        }
      }
      break;
    }
  }
  return calls.sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
}

/** Every call of the tree in tree order, not looking into strings, comments and identifiers. */
function walkCalls(root: Node): Node[] {
  const out: Node[] = [];
  const visit = (node: Node): void => {
    if (node.type === 'call') out.push(node);
    if (node.type === 'string' || node.type === 'comment' || node.type === 'identifier') return;
    for (const child of node.namedChildren) if (child) visit(child);
  };
  visit(root);
  return out;
}

function insideString(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'string') return true;
  return false;
}

function sameNode(a: Node | null, b: Node): boolean {
  return a !== null && a.startIndex === b.startIndex && a.endIndex === b.endIndex;
}

/** Value of a plain string literal node (no prefix, no interpolation), else null. */
function plainString(node: Node): string | null {
  if (node.type !== 'string') return null;
  if (/^[A-Za-z]/.test(node.text)) return null;
  if (node.namedChildren.some((c) => c?.type === 'interpolation')) return null;
  const content = node.namedChildren.filter((c) => c?.type === 'string_content');
  return content.map((c) => c!.text).join('');
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
    !!before?.files.get(path) && patchStrings(before.files.get(path)!).some((s) => s.value === value);
  const out: Problem[] = [];
  for (const file of files) {
    for (const s of patchStrings(file)) {
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
    if (file.text.includes(value) && patchStrings(file).some((s) => s.value === value)) return true;
  }
  return false;
}

/** Touched files, and files whose text holds the dotted name of a module a touched file is (before or after). */
function affectedFiles(before: Project, after: Project, touched: string[]): SourceFile[] {
  const modules = changedModules(before, after, touched);
  const touchedSet = new Set(touched);
  return [...after.files.values()].filter((f) => touchedSet.has(f.path) || [...modules].some((m) => f.text.includes(m)));
}
