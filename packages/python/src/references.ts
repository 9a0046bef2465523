import { lazyNode, nodeRef, type NodeRef } from './node-ref.js';
import type { Node } from './parse.js';
import type { Project } from './project.js';
import type { Access, ScopeModel } from './scopes.js';
import { allEntryNodes, stringValue } from './symbols.js';
import type { ModuleIndex, Reference, SourceFile } from './types.js';
import { sameNode } from './syntax.js';

/** Identifiers a patch-like call chain can start with. */
const PATCH_ROOTS = new Set(['patch', 'mock', 'mocker', 'monkeypatch', 'unittest']);
/** Matches a text that may contain one of PATCH_ROOTS. */
const PATCH_WORDS = /patch|mock|unittest/;
const PATCH_CALLEES = new Set(['patch', 'mock.patch', 'unittest.mock.patch', 'mocker.patch']);

/**
 * A place in one file that may reference a project module's name, found without knowing the rest of the project
 * (plain data, so a worker thread can collect it). `binding` is an index into the file's `ModuleIndex.imports`
 * (-1 when the name is bound by no import binding the index knows). Node fields are {@link NodeRef}s; `nodes`
 * holds the nodes themselves when collected in this thread.
 */
export type ReferenceSite =
  /** An import binding of the file. */
  | { kind: 'import'; binding: number; node: NodeRef }
  /** An entry of the file's own literal `__all__`. */
  | { kind: 'all'; node: NodeRef; value: string }
  /** A read of a name bound by an import, followed by `.attr` chains (each attribute node, innermost first). */
  | { kind: 'attribute'; binding: number; chain: { attr: string; node: NodeRef }[] }
  /** The dotted string a patch-like call names. */
  | { kind: 'string'; node: NodeRef; value: string }
  /** `patch.object(target, "name")`: target = an import-bound name and attributes after it (null: anything else). */
  | { kind: 'patch-object'; target: { binding: number; attrs: string[] } | null; node: NodeRef; name: string };

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


const DOT = 0x2e;
const PAREN = 0x28;

/**
 * The first character code at or after `i` that is not whitespace, a line continuation or a comment (-1 at the
 * end). After an identifier read, only `.` can start an attribute of it and only `(` a call of it.
 */
function nextCode(text: string, i: number): number {
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x5c) continue;
    if (c !== 0x23) return c;
    while (i < text.length && text.charCodeAt(i) !== 0x0a) i++;
  }
  return -1;
}

/** Collects the {@link ReferenceSite}s of one file. */
class SiteCollector {
  readonly sites: ReferenceSite[] = [];
  /** Nodes of the sites' NodeRefs, when kept. */
  readonly nodes = new Map<NodeRef, Node>();
  private readonly bindingAt = new Map<number, number>();
  private accesses: Access[] = [];

  constructor(
    private readonly index: ModuleIndex,
    private readonly text: string,
    private readonly keepNodes: boolean,
  ) {}

  private ref(node: Node): NodeRef {
    const r = nodeRef(node);
    if (this.keepNodes) this.nodes.set(r, node);
    return r;
  }

  imports(): void {
    this.index.imports.forEach((b, i) => {
      this.bindingAt.set(b.node.startIndex, i);
      this.sites.push({ kind: 'import', binding: i, node: this.ref(b.node) });
    });
    for (const node of allEntryNodes(this.index)) this.sites.push({ kind: 'all', node: this.ref(node), value: stringValue(node) ?? '' });
  }

  scoped(model: ScopeModel): void {
    this.accesses = model.accesses;
    for (const a of this.accesses) {
      if (a.write) continue;
      const next = nextCode(this.text, a.start + a.name.length);
      if (next !== DOT && next !== PAREN) continue;
      if (next === DOT && a.resolved?.imports?.has(a.name) && a.node.parent?.type === 'attribute') this.attributeChain(a);
      if (PATCH_ROOTS.has(a.name)) this.patchCall(a);
    }
  }

  /** The import binding (index) an identifier read refers to, or -1. */
  private bindingOf(a: Access): number {
    const bindingNode = a.resolved?.imports?.get(a.name);
    return bindingNode ? (this.bindingAt.get(bindingNode.startIndex) ?? -1) : -1;
  }

  private attributeChain(a: Access): void {
    const chain: { attr: string; node: NodeRef }[] = [];
    for (let parent = a.node.parent; parent?.type === 'attribute'; parent = parent.parent) {
      chain.push({ attr: parent.lastNamedChild!.text, node: this.ref(parent) });
    }
    this.sites.push({ kind: 'attribute', binding: this.bindingOf(a), chain });
  }

  /** `alias` or `alias.sub.sub` as an import binding and the attributes after it, or null. */
  private targetOf(expr: Node): { binding: number; attrs: string[] } | null {
    const attrs: string[] = [];
    let cur = expr;
    while (cur.type === 'attribute') {
      attrs.unshift(cur.lastNamedChild!.text);
      cur = cur.firstNamedChild!;
    }
    if (cur.type !== 'identifier') return null;
    const a = this.accessAt(cur.startIndex);
    return a ? { binding: this.bindingOf(a), attrs } : null;
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

  private dottedString(node: Node): void {
    const value = stringValue(node);
    if (value) this.sites.push({ kind: 'string', node: this.ref(node), value });
  }

  private patchObject(target: Node, nameNode: Node): void {
    const name = stringValue(nameNode);
    if (name) this.sites.push({ kind: 'patch-object', target: this.targetOf(target), node: this.ref(nameNode), name });
  }
}

/**
 * The reference sites of one file, in the order references are reported. `model`: the file's scope model, or
 * null to skip the sites found through scopes (attribute chains and patch calls). `keepNodes` records each
 * NodeRef's node in the returned map (for references made in this thread; without it, references find their node
 * in the file's tree when first read).
 */
export function referenceSites(index: ModuleIndex, model: ScopeModel | null, text: string, keepNodes = false): { sites: ReferenceSite[]; nodes: Map<NodeRef, Node> } {
  const collector = new SiteCollector(index, text, keepNodes);
  collector.imports();
  if (model) collector.scoped(model);
  return { sites: collector.sites, nodes: collector.nodes };
}

/** Offsets of references whose node is found lazily (sorting must not parse their file). */
const starts = new WeakMap<Reference, number>();

/** Turns one file's sites into references of project names (see `Project.references`), keyed `module\0name`. */
export function resolveSites(project: Project, file: SourceFile, sites: ReferenceSite[], nodes: ReadonlyMap<NodeRef, Node> | null): Map<string, Reference[]> {
  const out = new Map<string, Reference[]>();
  const index = project.index(file.path);
  const aliases = new Map<number, string | null>();
  const aliasOf = (i: number): string | null => {
    if (i < 0) return null;
    let m = aliases.get(i);
    if (m === undefined) aliases.set(i, (m = project.aliasTarget(file.path, index.imports[i])));
    return m;
  };
  const add = (module: string, name: string, kind: Reference['kind'], at: NodeRef, value?: string): void => {
    const node = nodes?.get(at);
    const ref = node ? { path: file.path, kind, node, line: at.line } : lazyNode({ path: file.path, kind, line: at.line } as Reference, 'node', at, () => file.tree);
    starts.set(ref, at.start);
    if (value !== undefined) ref.value = value;
    const key = refKey(module, name);
    const list = out.get(key);
    if (list) list.push(ref);
    else out.set(key, [ref]);
  };
  for (const site of sites) {
    switch (site.kind) {
      case 'import': {
        const b = index.imports[site.binding];
        if (b.name === null || b.name === '*') break;
        const r = project.resolveImport(file.path, b);
        if (r.kind === 'symbol' || r.kind === 'missing') add(r.module, b.name, 'import', site.node);
        else if (r.kind === 'module') add(r.module.slice(0, r.module.lastIndexOf('.')), b.name, 'import', site.node);
        break;
      }
      case 'all':
        if (file.module) add(file.module, site.value, 'all', site.node, site.value);
        break;
      case 'attribute': {
        const alias = aliasOf(site.binding);
        if (!alias) break;
        let m: string = alias;
        // `a.b.name` through submodules: follow the chain while it names project modules.
        for (let i = 0; i < site.chain.length; i++) {
          const { attr, node } = site.chain[i];
          const sub: string = `${m}.${attr}`;
          if (i + 1 < site.chain.length && project.fileOfModule(sub)) {
            m = sub;
            continue;
          }
          add(m, attr, 'attribute', node);
          break;
        }
        break;
      }
      case 'string': {
        // `"pkg.mod.Name.attr"`: the longest prefix that is a project module, and the name after it.
        const parts = site.value.split('.');
        for (let i = parts.length - 1; i >= 1; i--) {
          const m = parts.slice(0, i).join('.');
          if (project.fileOfModule(m)) {
            add(m, parts[i], 'string', site.node, site.value);
            break;
          }
        }
        break;
      }
      case 'patch-object': {
        if (!site.target) break;
        let m = aliasOf(site.target.binding);
        for (const attr of site.target.attrs) {
          if (!m) break;
          const sub: string = `${m}.${attr}`;
          m = project.fileOfModule(sub) ? sub : null;
        }
        if (m) add(m, site.name, 'patch-object', site.node, site.name);
        break;
      }
    }
  }
  return out;
}

/** One file's references (see `Project.references`), keyed `module\0name`, each list in source order. */
export function fileReferences(project: Project, file: SourceFile): Map<string, Reference[]> {
  const summarized = project.summarySites(file.path);
  if (summarized) return resolveSites(project, file, summarized, null);
  const index = project.index(file.path);
  // Attribute chains start at a name bound to a project module by an import, patch calls at one of PATCH_ROOTS:
  // without either, the file's scope analysis is not needed.
  const scoped = index.imports.some((b) => project.aliasTarget(file.path, b) !== null) || PATCH_WORDS.test(file.text);
  const { sites, nodes } = referenceSites(index, scoped ? project.scopeModel(file.path) : null, file.text, true);
  return resolveSites(project, file, sites, nodes);
}

/** Sorts references by path, then offset (stable: ties keep their order). */
export function sortReferences(list: Reference[]): Reference[] {
  const start = (r: Reference): number => starts.get(r) ?? r.node.startIndex;
  return list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : start(a) - start(b)));
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
