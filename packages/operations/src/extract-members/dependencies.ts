import { Project, type ImportBinding, type Node, type Reference, type SourceFile, type TopLevelDef } from '@remodel/python';
import { relativeFrom, type ImportRequest } from '@remodel/runtime';
import { isStructuralDecorator, type BodyStatement } from './class-model.js';
import { refuse, type Group } from './groups.js';
import { retargetable } from './patches.js';
import { postponesAnnotations, unevaluatedAnnotation } from '../shared/annotations.js';

/** What one new module needs at module level, and what each moved function imports at call time. */
export interface GroupNeeds {
  /** Import-time imports of the target module (copies of the source's bindings, relative ones adjusted), with the
   * offset of the source statement they copy (to keep the source's order and grouping). */
  imports: { request: ImportRequest; at: number }[];
  /** Module constants that move from the source into the target (used by this group only), in source order. */
  moved: TopLevelDef[];
  /** Per-module statements copied into the target (`logger = get_logger(__name__)`), in source order. */
  copied: TopLevelDef[];
  /** Names each moved function imports from the source module when it runs (shared state, patch targets, source defs). */
  lazy: Map<BodyStatement, string[]>;
}

/** How the names the moved members read are provided after the move. */
export interface Dependencies {
  needs: Map<Group, GroupNeeds>;
  /** Patch references to rewrite: each now targets `to` (`pkg.new_module.NAME`). */
  retargets: { ref: Reference; to: string }[];
  /** Import bindings of the source that only moved code read and no other file names: removed from the source. */
  sourceImports: string[];
  /** Human-readable lines for the report. */
  notes: string[];
}

type Container = { kind: 'group'; group: Group; statement: BodyStatement } | { kind: 'const'; def: TopLevelDef } | { kind: 'stay' };

interface Read {
  node: Node;
  container: Container;
  /** Read when a moved function runs (inside its body), not while a class body or module runs. */
  callTime: boolean;
  /** In the signature of a delegated member: the owner's delegating member keeps it, so the source still reads it. */
  keptByOwner: boolean;
}

function inside(node: Node, outer: Node): boolean {
  return outer.startIndex <= node.startIndex && node.endIndex <= outer.endIndex;
}

/** A module constant whose value is built from the module's own name: each module gets its own copy. */
function isPerModuleIdiom(def: TopLevelDef): boolean {
  return def.kind === 'assignment' && def.siblings.length === 0 && /\b__name__\b/.test(def.node.text);
}

/**
 * Decides, for every module-level name the moved members read, how the new module gets it:
 * - builtins: nothing; imports of the source: the same import in the new module (relative ones adjusted);
 * - constants read only by one group (directly or through other such constants): moved there, re-exported by the
 *   source; per-module idioms (`logger = get_logger(__name__)`): copied;
 * - everything else the source owns (constants shared with code that stays, functions, classes, names assigned by
 *   loops or `global`), and any name tests patch on the source while code that stays also reads it: imported from
 *   the source inside each function when it runs — the new module never imports the source at import time, and a
 *   `patch("source.NAME")` keeps reaching the moved code;
 * - a name tests patch on the source that only one group reads: the patch targets are rewritten to the new module.
 * Refuses names needed while a class body runs (decorators, defaults) that only the source can provide.
 */
export function planDependencies(project: Project, source: SourceFile, groups: Group[]): Dependencies {
  const M = source.module!;
  const scopes = project.scopes(source.path);
  const index = project.index(source.path);
  if (scopes.hasStarImport) refuse('star-import', `${source.path} has a star import; the names moved code reads cannot be resolved`);

  const bindings = new Map<string, ImportBinding[]>();
  for (const b of index.imports) {
    if (!b.topLevel) continue;
    const list = bindings.get(b.local);
    if (list) list.push(b);
    else bindings.set(b.local, [b]);
  }
  const moduleNames = scopes.moduleBindings();
  const consts = [...index.defs.values()].filter((d) => d.kind === 'assignment');
  // A new target module copies the source's `from __future__` imports; an existing one keeps its own.
  const lazyAnnotations = (g: Group): boolean => postponesAnnotations(project, project.files.has(g.path) ? g.path : source.path);
  const relativeSource = index.imports.some((b) => b.topLevel && b.level > 0);
  const sourceModuleFor = (g: Group): { module: string; level: number } => {
    const rel = relativeSource ? relativeFrom(g.module, false, M) : null;
    return rel ?? { module: M, level: 0 };
  };
  const lastImport = Math.max(0, ...index.imports.filter((b) => b.topLevel).map((b) => b.statement.startIndex));

  const containerOf = (node: Node): Container => {
    for (const g of groups) {
      for (const s of g.statements) {
        if (!inside(node, s.node)) continue;
        // A delegate's wrapping decorators stay on the owner's delegating member.
        if (g.style === 'delegate' && s.decorators.some((d) => inside(node, d) && !isStructuralDecorator(d, s.names[0]))) return { kind: 'stay' };
        return { kind: 'group', group: g, statement: s };
      }
    }
    for (const d of consts) if (d.start <= node.startIndex && node.endIndex <= d.end) return { kind: 'const', def: d };
    return { kind: 'stay' };
  };
  const reads = new Map<string, Read[]>();
  for (const [name, nodes] of scopes.freeNames(source.tree.rootNode)) {
    if (!moduleNames.has(name)) continue;
    const list: Read[] = [];
    for (const node of nodes) {
      const container = containerOf(node);
      const def = container.kind === 'group' ? container.statement.def : null;
      const body = def?.childForFieldName('body');
      const callTime = !!body && inside(node, body);
      const keptByOwner = container.kind === 'group' && container.group.style === 'delegate' && !!def && !callTime && inside(node, def);
      list.push({ node, container, callTime, keptByOwner });
    }
    reads.set(name, list);
  }
  const groupReads = (name: string): Read[] => (reads.get(name) ?? []).filter((r) => r.container.kind === 'group');

  const patchRefs = new Map<string, Reference[]>();
  let mentioning: Project | null = null;
  const patchesOf = (name: string): Reference[] => {
    let refs = patchRefs.get(name);
    if (!refs) {
      mentioning ??= filesMentioning(project, source);
      refs = mentioning.references(M, name).filter((r) => isPatch(r, `${M}.${name}`));
      patchRefs.set(name, refs);
    }
    return refs;
  };

  // Constants that can move: read (transitively) by exactly one group, never by code that stays.
  const owner = new Map<string, Group>();
  const candidates = new Set<TopLevelDef>();
  const addCandidate = (d: TopLevelDef): void => {
    if (candidates.has(d) || isPerModuleIdiom(d) || index.globalWrites.has(d.name)) return;
    candidates.add(d);
    for (const dep of scopes.freeNames(d.node).keys()) {
      const c = index.defs.get(dep);
      if (c?.kind === 'assignment' && c !== d) addCandidate(c);
    }
  };
  for (const d of consts) if (groupReads(d.name).length > 0) addCandidate(d);
  for (let changed = true; changed; ) {
    changed = false;
    for (const d of [...candidates]) {
      const owners = new Set<Group | 'stay'>();
      for (const r of reads.get(d.name) ?? []) {
        const c = r.container;
        if (r.keptByOwner) owners.add('stay');
        if (c.kind === 'group') owners.add(c.group);
        else if (c.kind === 'stay') owners.add('stay');
        else if (c.def.node !== d.node) {
          if (!candidates.has(c.def)) owners.add('stay');
          else if (owner.has(c.def.name)) owners.add(owner.get(c.def.name)!);
        }
      }
      const deps = [...scopes.freeNames(d.node).keys()].filter((n) => moduleNames.has(n) && !d.siblings.includes(n) && n !== d.name);
      const depsOk = deps.every((n) => {
        const c = index.defs.get(n);
        if (c?.kind === 'assignment') return candidates.has(c);
        return !c && importBinding(bindings.get(n)) !== null;
      });
      const siblingsOk = d.siblings.every((n) => {
        const c = index.defs.get(n);
        return !!c && candidates.has(c);
      });
      const patchesOk = patchesOf(d.name).every(retargetable);
      if (owners.size === 0 && depsOk && siblingsOk && patchesOk) continue; // read only by candidates not yet placed
      const only = owners.size === 1 ? [...owners][0] : null;
      if (!only || only === 'stay' || !depsOk || !siblingsOk || !patchesOk) {
        candidates.delete(d);
        owner.delete(d.name);
        changed = true;
      } else if (owner.get(d.name) !== only) {
        owner.set(d.name, only);
        changed = true;
      }
    }
  }
  for (const d of [...candidates]) if (!owner.has(d.name)) candidates.delete(d);
  // Siblings of one statement must agree on their group.
  for (const d of [...candidates]) {
    if (d.siblings.some((n) => owner.get(n) !== owner.get(d.name))) {
      for (const n of [d.name, ...d.siblings]) candidates.delete(index.defs.get(n)!);
    }
  }

  const deps: Dependencies = { needs: new Map(), retargets: [], sourceImports: [], notes: [] };
  for (const g of groups) deps.needs.set(g, { imports: [], moved: [], copied: [], lazy: new Map() });

  const readersOf = (name: string): Set<Group | 'stay'> => {
    const out = new Set<Group | 'stay'>();
    for (const r of reads.get(name) ?? []) {
      const c = r.container;
      if (r.keptByOwner) out.add('stay');
      if (c.kind === 'group') out.add(c.group);
      else if (c.kind === 'const' && candidates.has(c.def) && owner.has(c.def.name)) out.add(owner.get(c.def.name)!);
      else if (!(c.kind === 'const' && c.def.name === name)) out.add('stay');
    }
    return out;
  };
  // `import anyio` + `import anyio.to_thread` bind one name: the target gets every such statement.
  const requestsFor = (b: ImportBinding, target: Group): { request: ImportRequest; at: number }[] =>
    (b.name === null ? (bindings.get(b.local) ?? []).filter((x) => !x.typeChecking && x.name === null) : [b]).map((x) => ({
      request: adjustImport(project, source, x, target),
      at: x.statement.startIndex,
    }));
  const sourceImports = new Set<string>();
  const lazyOf = (g: Group, s: BodyStatement, name: string): void => {
    const needs = deps.needs.get(g)!;
    const list = needs.lazy.get(s) ?? [];
    if (!list.includes(name)) list.push(name);
    needs.lazy.set(s, list);
  };
  const noteOnce = new Set<string>();
  const note = (line: string): void => {
    if (!noteOnce.has(line)) deps.notes.push(line);
    noteOnce.add(line);
  };

  for (const [name, list] of reads) {
    const inGroups = list.filter((r) => r.container.kind === 'group');
    if (inGroups.length === 0) continue;
    const readers = readersOf(name);
    const patches = patchesOf(name);
    const binding = importBinding(bindings.get(name));
    const def = index.defs.get(name);
    const exclusive = readers.size === 1 && !readers.has('stay') ? ([...readers][0] as Group) : null;
    const canRetarget = patches.length > 0 && exclusive !== null && patches.every(retargetable);
    const sharedPatch = patches.length > 0 && !canRetarget;
    let boundInTarget = false;
    for (const r of inGroups) {
      const c = r.container as Extract<Container, { kind: 'group' }>;
      const g = c.group;
      const needs = deps.needs.get(g)!;
      const atDefinition = !r.callTime;
      const fromSource = (why: string): void => {
        if (unevaluatedAnnotation(r.node, lazyAnnotations(g))) {
          // Only type checkers read it: the target imports it from the source under `if TYPE_CHECKING:`.
          pushUnique(needs.imports, { request: { ...sourceModuleFor(g), name, typeChecking: true }, at: lastImport });
          return;
        }
        if (atDefinition) {
          refuse(
            'import-cycle',
            `\`${name}\` (line ${r.node.startPosition.row + 1}) is read while ${g.name}'s class body runs and only ${M} provides it (${why}); ${g.module} importing ${M} at import time would create an import cycle`,
          );
        }
        lazyOf(g, c.statement, name);
      };
      if (binding && !sharedPatch) {
        if (binding.guarded) fromSource('a guarded import');
        else {
          for (const r of requestsFor(binding, g)) pushUnique(needs.imports, r);
          sourceImports.add(name);
          boundInTarget = true;
        }
      } else if (binding) {
        if (atDefinition) for (const r of requestsFor(binding, g)) pushUnique(needs.imports, r);
        else {
          lazyOf(g, c.statement, name);
          note(`${g.name} reads \`${name}\` from ${M} at call time: tests patch it there and code that stays reads it too`);
        }
      } else if (def?.kind === 'assignment' && candidates.has(def) && !sharedPatch) {
        if (!needs.moved.includes(def)) needs.moved.push(def);
        boundInTarget = true;
      } else if (def && isPerModuleIdiom(def) && patches.length === 0 && idiomDepsOk(def)) {
        if (!needs.copied.includes(def)) needs.copied.push(def);
      } else if (def?.kind === 'assignment') {
        fromSource('a constant shared with code that stays');
      } else if (def) {
        fromSource(`a ${def.kind} defined there`);
      } else {
        fromSource('a name bound there by a statement other than an import or assignment');
      }
    }
    if (canRetarget && exclusive && boundInTarget) {
      const to = `${exclusive.module}.${name}`;
      for (const ref of patches) deps.retargets.push({ ref, to });
      note(`patch targets of \`${M}.${name}\` now point at \`${to}\` (only ${exclusive.name} reads it)`);
    }
  }

  // Moved constants and copied idioms bring the imports their own values need.
  for (const g of groups) {
    const needs = deps.needs.get(g)!;
    needs.moved.sort((a, b) => a.start - b.start);
    for (const d of [...needs.moved]) {
      for (const n of d.siblings) {
        const s = index.defs.get(n)!;
        if (!needs.moved.includes(s)) needs.moved.push(s);
      }
    }
    const seen = new Set<number>();
    needs.moved = needs.moved.filter((d) => (seen.has(d.start) ? false : (seen.add(d.start), true))).sort((a, b) => a.start - b.start);
    const closure = [...needs.moved, ...needs.copied];
    for (let i = 0; i < closure.length; i++) {
      for (const dep of scopes.freeNames(closure[i].node).keys()) {
        const b = importBinding(bindings.get(dep));
        if (b) {
          for (const r of requestsFor(b, g)) pushUnique(needs.imports, r);
          sourceImports.add(dep);
        }
      }
    }
    needs.copied.sort((a, b) => a.start - b.start);
    for (const d of needs.moved) {
      if (deps.retargets.some((t) => t.to === `${g.module}.${d.name}`)) continue;
      const patches = patchesOf(d.name);
      for (const ref of patches) deps.retargets.push({ ref, to: `${g.module}.${d.name}` });
      if (patches.length > 0) note(`patch targets of \`${M}.${d.name}\` now point at \`${g.module}.${d.name}\` (it moved there)`);
    }
    for (const d of needs.moved) note(`moved \`${d.name}\` from ${M} to ${g.module} (only ${g.name} uses it); ${M} re-exports it`);
    for (const d of needs.copied) note(`${g.module} defines its own \`${d.name}\` like ${M} (${d.node.text.trim().split('\n')[0]})`);
    for (const [s, names] of needs.lazy) {
      note(`${g.name}.${s.names[0]} imports ${names.map((n) => `\`${n}\``).join(', ')} from ${M} when it runs (no import cycle, one owner)`);
    }
  }
  // Source imports the moved code read and nothing else needs any more: no read left in the source, not in
  // `__all__`, not guarded or `__future__`, not a package's re-export, and named by no other file.
  deps.sourceImports = [...sourceImports].filter((local) => {
    if ((reads.get(local) ?? []).some((r) => r.keptByOwner || (r.container.kind !== 'group' && !(r.container.kind === 'const' && candidates.has(r.container.def))))) return false;
    if (source.isPackage || index.all?.includes(local)) return false;
    const b = bindings.get(local) ?? [];
    if (b.length !== 1 || b[0].guarded || b[0].module === '__future__') return false;
    mentioning ??= filesMentioning(project, source);
    return mentioning.references(M, local).every((r) => r.path === source.path);
  });
  return deps;

  function idiomDepsOk(d: TopLevelDef): boolean {
    return [...scopes.freeNames(d.node).keys()].every((n) => !moduleNames.has(n) || (importBinding(bindings.get(n)) !== null && !importBinding(bindings.get(n))!.guarded));
  }
}

/**
 * The part of the project that can refer to the source module: files whose text contains the module's last name
 * (any import, alias or dotted patch string naming it must), plus every `__init__.py` so module names stay the same.
 * Parsed trees are reused, so building the reference index over it costs a fraction of the whole project's.
 */
function filesMentioning(project: Project, source: SourceFile): Project {
  const leaf = source.module!.slice(source.module!.lastIndexOf('.') + 1);
  const files = [...project.files.values()].filter((f) => f.isPackage || f.path === source.path || f.text.includes(leaf));
  if (files.length === project.files.size) return project;
  return new Project(files.map((f) => ({ path: f.path, text: f.text })), project.files);
}

/**
 * The one runtime import binding of a name (a TYPE_CHECKING-only binding when that is all there is), or null.
 * Several runtime bindings count as guarded (conditional), except `import a` with `import a.b` (one module object).
 */
function importBinding(list: ImportBinding[] | undefined): ImportBinding | null {
  if (!list || list.length === 0) return null;
  const runtime = list.filter((b) => !b.typeChecking);
  if (runtime.length > 1 && !runtime.every((b) => b.name === null && b.alias === null && !b.guarded)) return { ...runtime[0], guarded: true };
  return runtime[0] ?? list[0];
}

function pushUnique(list: { request: ImportRequest; at: number }[], item: { request: ImportRequest; at: number }): void {
  const r = item.request;
  const same = list.find(({ request: o }) => o.module === r.module && o.name === r.name && o.alias === r.alias && o.level === r.level);
  if (!same) list.push(item);
  else if (!r.typeChecking) same.request.typeChecking = false;
}

/** A reference that rebinds `M.NAME` for a test: `patch("M.NAME")`, `patch.object(m, "NAME")`, `m.NAME = ...`. */
function isPatch(ref: Reference, dotted: string): boolean {
  if (ref.kind === 'string') return ref.value === dotted;
  if (ref.kind === 'patch-object') return true;
  if (ref.kind === 'attribute') {
    const parent = ref.node.parent;
    if (!parent) return false;
    if (parent.type === 'assignment' || parent.type === 'augmented_assignment') return parent.childForFieldName('left')?.id === ref.node.id;
    return parent.type === 'delete_statement';
  }
  return false;
}

/** The import the target module needs for a binding of the source: same text, relative imports re-based. */
function adjustImport(project: Project, source: SourceFile, b: ImportBinding, target: Group): ImportRequest {
  const typeChecking = b.typeChecking || undefined;
  if (b.level === 0) {
    if (b.name === null) return { module: b.module, alias: b.alias ?? undefined, level: 0, typeChecking };
    return { module: b.module, name: b.name, alias: b.alias ?? undefined, level: 0, typeChecking };
  }
  const absolute = project.absoluteModule(source.path, b);
  const sourcePkg = source.module!.split('.').slice(0, source.isPackage ? undefined : -1).join('.');
  const targetPkg = target.module.split('.').slice(0, -1).join('.');
  if (sourcePkg === targetPkg && !source.isPackage) {
    return { module: b.module, name: b.name ?? undefined, alias: b.alias ?? undefined, level: b.level, typeChecking };
  }
  // Keep the relative style when both modules share a top-level package; re-base the dots.
  const rel = absolute.startsWith('.') ? null : relativeFrom(target.module, false, absolute);
  if (rel) return { module: rel.module, name: b.name ?? undefined, alias: b.alias ?? undefined, level: rel.level, typeChecking };
  return { module: absolute, name: b.name ?? undefined, alias: b.alias ?? undefined, level: 0, typeChecking };
}

