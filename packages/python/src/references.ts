import type { Node } from './parse.js';
import type { Project } from './project.js';
import type { Access, Scope } from './scopes.js';
import { allEntryNodes, stringValue } from './symbols.js';
import type { ImportBinding, Reference, SourceFile } from './types.js';

/** Identifiers a patch-like call chain can start with. */
const PATCH_ROOTS = new Set(['patch', 'mock', 'mocker', 'monkeypatch', 'unittest']);
/** Matches a text that may contain one of PATCH_ROOTS. */
const PATCH_WORDS = /patch|mock|unittest/;
const PATCH_CALLEES = new Set(['patch', 'mock.patch', 'unittest.mock.patch', 'mocker.patch']);

export function refKey(module: string, name: string): string {
  return `${module}\0${name}`;
}

/** Positional (non-keyword) arguments of a call. */
function positional(call: Node): Node[] {
  const args = call.lastNamedChild;
  if (!args || args.type !== 'argument_list') return [];
  const out: Node[] = [];
  for (const a of args.namedChildren) {
    if (!a || a.type === 'comment') continue;
    if (a.type === 'keyword_argument' || a.type === 'list_splat' || a.type === 'dictionary_splat') break;
    out.push(a);
  }
  return out;
}

function sameNode(a: Node | null, b: Node): boolean {
  return a !== null && a.startIndex === b.startIndex && a.endIndex === b.endIndex;
}

/** Collects the references of one file into `out` (see `Project.references`). */
class FileReferences {
  private readonly byStart = new Map<number, ImportBinding>();
  private readonly aliasCache = new Map<Scope, Map<string, string | null>>();
  private accesses: Access[] = [];

  constructor(
    private readonly project: Project,
    private readonly file: SourceFile,
    private readonly out: Map<string, Reference[]>,
  ) {}

  private add(module: string, name: string, kind: Reference['kind'], node: Node, value?: string): void {
    const ref: Reference = { path: this.file.path, kind, node, line: node.startPosition.row + 1 };
    if (value !== undefined) ref.value = value;
    const key = refKey(module, name);
    const list = this.out.get(key);
    if (list) list.push(ref);
    else this.out.set(key, [ref]);
  }

  run(): void {
    const { project, file } = this;
    const index = project.index(file.path);
    for (const b of index.imports) {
      this.byStart.set(b.node.startIndex, b);
      if (b.name === null || b.name === '*') continue;
      const r = project.resolveImport(file.path, b);
      if (r.kind === 'symbol' || r.kind === 'missing') this.add(r.module, b.name, 'import', b.node);
      else if (r.kind === 'module') this.add(r.module.slice(0, r.module.lastIndexOf('.')), b.name, 'import', b.node);
    }
    if (file.module) {
      for (const node of allEntryNodes(index)) this.add(file.module, stringValue(node) ?? '', 'all', node, stringValue(node) ?? '');
    }
    // The other kinds start at a read of a name bound to a project module by an import, or at a patch-like call
    // (its root is one of PATCH_ROOTS): without either, the file's scope analysis is not needed.
    const aliases = index.imports.some((b) => project.aliasTarget(file.path, b) !== null);
    if (!aliases && !PATCH_WORDS.test(file.text)) return;
    this.accesses = project.scopeModel(file.path).accesses;
    for (const a of this.accesses) {
      if (a.write) continue;
      if (a.resolved?.imports?.has(a.name)) {
        const module = this.aliasOf(a);
        if (module) this.attributeChain(a.node, module);
      }
      if (PATCH_ROOTS.has(a.name)) this.patchCall(a);
    }
  }

  /** The project module an identifier read refers to through an import binding in its scope. */
  private aliasOf(a: Access): string | null {
    const s = a.resolved;
    const bindingNode = s?.imports?.get(a.name);
    if (!s || !bindingNode) return null;
    let cache = this.aliasCache.get(s);
    if (!cache) this.aliasCache.set(s, (cache = new Map()));
    let module = cache.get(a.name);
    if (module === undefined) {
      const b = this.byStart.get(bindingNode.startIndex);
      module = b ? this.project.aliasTarget(this.file.path, b) : null;
      cache.set(a.name, module);
    }
    return module;
  }

  /** `m.name`, `a.b.name` (through submodules) from an identifier bound to module `module`. */
  private attributeChain(start: Node, module: string): void {
    let cur = start;
    let m = module;
    for (;;) {
      const parent = cur.parent;
      if (!parent || parent.type !== 'attribute') return;
      const attr = parent.lastNamedChild!.text;
      const sub = `${m}.${attr}`;
      if (this.project.fileOfModule(sub) && parent.parent?.type === 'attribute') {
        cur = parent;
        m = sub;
        continue;
      }
      this.add(m, attr, 'attribute', parent);
      return;
    }
  }

  /** The project module an expression (`alias`, `pkg.sub`) denotes, or null. */
  private moduleOfExpr(expr: Node): string | null {
    if (expr.type === 'identifier') {
      const a = this.accessAt(expr.startIndex);
      return a ? this.aliasOf(a) : null;
    }
    if (expr.type === 'attribute') {
      const base = this.moduleOfExpr(expr.firstNamedChild!);
      const sub = base ? `${base}.${expr.lastNamedChild!.text}` : null;
      return sub && this.project.fileOfModule(sub) ? sub : null;
    }
    return null;
  }

  private accessAt(start: number): Access | null {
    const list = this.accesses;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].start < start) lo = mid + 1;
      else hi = mid;
    }
    return lo < list.length && list[lo].start === start ? list[lo] : null;
  }

  private patchCall(a: Access): void {
    const chain = [a.name];
    let cur = a.node;
    let parent = cur.parent;
    while (parent?.type === 'attribute') {
      chain.push(parent.lastNamedChild!.text);
      cur = parent;
      parent = parent.parent;
    }
    if (parent?.type !== 'call' || !sameNode(parent.firstNamedChild, cur)) return;
    const callee = chain.join('.');
    const last = chain[chain.length - 1];
    const before = chain.slice(0, -1).join('.');
    const args = positional(parent);
    if (PATCH_CALLEES.has(callee) || (last === 'dict' && PATCH_CALLEES.has(before))) {
      if (args[0]) this.dottedString(args[0]);
    } else if (last === 'object' && PATCH_CALLEES.has(before)) {
      if (args.length >= 2) this.patchObject(args[0], args[1]);
    } else if (chain[0] === 'monkeypatch' && chain.length === 2 && (last === 'setattr' || last === 'delattr')) {
      if (!args[0]) return;
      const v = stringValue(args[0]);
      if (v !== null && (v.includes('.') || !args[1])) this.dottedString(args[0]);
      else if (args[1]) this.patchObject(args[0], args[1]);
    }
  }

  /** `"pkg.mod.Name.attr"`: the longest prefix that is a project module, and the name after it. */
  private dottedString(node: Node): void {
    const v = stringValue(node);
    if (!v) return;
    const parts = v.split('.');
    for (let i = parts.length - 1; i >= 1; i--) {
      const m = parts.slice(0, i).join('.');
      if (this.project.fileOfModule(m)) {
        this.add(m, parts[i], 'string', node, v);
        return;
      }
    }
  }

  private patchObject(target: Node, nameNode: Node): void {
    const name = stringValue(nameNode);
    if (!name) return;
    const module = this.moduleOfExpr(target);
    if (module) this.add(module, name, 'patch-object', nameNode, name);
  }
}

/** One file's references (see `Project.references`), keyed `module\0name`, each list in source order. */
export function fileReferences(project: Project, file: SourceFile): Map<string, Reference[]> {
  const out = new Map<string, Reference[]>();
  new FileReferences(project, file, out).run();
  return out;
}

/** Sorts references by path, then offset (stable: ties keep their order). */
export function sortReferences(list: Reference[]): Reference[] {
  return list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.node.startIndex - b.node.startIndex));
}

/**
 * Builds the reference table of a whole project: `module\0name` -> references, each list sorted by path then
 * offset, from every file's {@link fileReferences} (`perFile` supplies, and receives, the tables already built).
 */
export function buildReferenceIndex(project: Project, perFile: Map<string, Map<string, Reference[]>> = new Map()): Map<string, Reference[]> {
  const out = new Map<string, Reference[]>();
  for (const file of project.files.values()) {
    let refs = perFile.get(file.path);
    if (!refs) perFile.set(file.path, (refs = fileReferences(project, file)));
    for (const [key, list] of refs) {
      const all = out.get(key);
      if (all) all.push(...list);
      else out.set(key, [...list]);
    }
  }
  for (const list of out.values()) sortReferences(list);
  return out;
}
