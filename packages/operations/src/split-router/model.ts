import {
  routeTable,
  type FastApiRoute,
  type ImportBinding,
  type Node,
  type Project,
  type Reference,
  type SourceFile,
  type TopLevelDef,
} from '@remodel/python';
import { PlanError } from '@remodel/runtime';

/** What a top-level definition of the split module is. */
export type Role = 'endpoint' | 'router' | 'state' | 'state-fn' | 'copy' | 'helper';

/** One top-level definition (one statement; `a, b = ...` is one unit) of the module being split. */
export interface Unit {
  names: string[];
  def: TopLevelDef;
  role: Role;
  /** Module-level names the unit reads (and, for state functions, rebinds), with the identifier nodes. */
  reads: Map<string, Node[]>;
  /** Routes registered by the unit's decorators (endpoints only). */
  routes: FastApiRoute[];
  /** Decorator paths as written (endpoints only). */
  decoratorPaths: string[];
}

/** Module-level code of the split module that is neither an import nor a definition (stays in place). */
export interface OtherStatement {
  node: Node;
  reads: Map<string, Node[]>;
}

/** The split module read once: its units, imports, references from other files and route table. */
export interface SourceModel {
  file: SourceFile;
  module: string;
  /** Dotted package of the module (`app.api.routes`). */
  pkg: string;
  /** Directory of the module (`app/api/routes`), '' at the root. */
  dir: string;
  router: string;
  routerUnit: Unit;
  units: Unit[];
  byName: Map<string, Unit>;
  others: OtherStatement[];
  /** Top-level import bindings by local name (several when rebound). */
  imports: Map<string, ImportBinding[]>;
  /** Every module-level binding name. */
  bound: Set<string>;
  routes: FastApiRoute[];
  /** References from other files to each top-level name of the module. */
  refs: Map<string, Reference[]>;
  /** Names assigned through the module from outside (`mod.x = ...`, `patch.object(mod, "x")`, `patch("pkg.mod.x")`). */
  replacedFromOutside: Set<string>;
  /** The source uses relative imports for its own package (new imports follow that style). */
  relativeStyle: boolean;
}

const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

/** Reads the module `path` for splitting router `router`; refuses what the op cannot split safely. */
export function readSource(project: Project, path: string, router: string): SourceModel {
  const file = project.file(path);
  if (!file.module) throw new PlanError('not-a-module', `split-router: ${path} is not importable as a module`);
  if (file.isPackage) throw new PlanError('package-module', `split-router: ${path} is a package __init__; split a plain module`);
  const index = project.index(path);
  const scopes = project.scopes(path);
  if (scopes.hasStarImport) throw new PlanError('star-import', `split-router: ${path} has a star import; the names it reads cannot be told apart`);
  const routerDef = index.defs.get(router);
  if (!routerDef || routerDef.kind !== 'assignment' || !/APIRouter\s*\(/.test(routerDef.node.text)) {
    throw new PlanError('no-router', `split-router: ${path} has no module-level \`${router} = APIRouter(...)\``);
  }
  const module = file.module;
  const parts = module.split('.');
  const pkg = parts.slice(0, -1).join('.');
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';

  const units: Unit[] = [];
  const byName = new Map<string, Unit>();
  const seen = new Set<number>();
  for (const def of [...index.defs.values()].sort((a, b) => a.start - b.start)) {
    if (seen.has(def.start)) continue;
    seen.add(def.start);
    const unit: Unit = { names: [def.name, ...def.siblings], def, role: 'helper', reads: scopes.freeNames(def.node), routes: [], decoratorPaths: [] };
    units.push(unit);
    for (const n of unit.names) byName.set(n, unit);
  }
  const defStarts = new Set(units.map((u) => u.def.node.startIndex));
  const others: OtherStatement[] = [];
  for (const node of file.tree.rootNode.namedChildren) {
    if (!node || node.type === 'comment' || IMPORT_TYPES.has(node.type) || defStarts.has(node.startIndex)) continue;
    if (isDocstring(node) && others.length === 0 && units.every((u) => u.def.node.startIndex > node.startIndex)) continue;
    if (isGuardedImports(node)) continue;
    others.push({ node, reads: scopes.freeNames(node) });
  }

  const imports = new Map<string, ImportBinding[]>();
  for (const b of index.imports) {
    if (!b.topLevel || b.local === '*') continue;
    imports.set(b.local, [...(imports.get(b.local) ?? []), b]);
  }

  const table = routeTable(project, { module, name: router });
  const routerUnit = byName.get(router)!;
  routerUnit.role = 'router';
  for (const unit of units) {
    const paths = endpointDecoratorPaths(unit.def, router);
    if (paths === null) continue;
    unit.role = 'endpoint';
    unit.decoratorPaths = paths;
  }
  const hasEndpoints = units.some((u) => u.role === 'endpoint');
  for (const route of hasEndpoints ? table.routes : []) {
    const unit = units.find((u) => u.role === 'endpoint' && route.file === path && u.def.node.startIndex <= lineOffset(file.text, route.line) && lineOffset(file.text, route.line) < u.def.node.endIndex);
    if (!unit) {
      throw new PlanError('foreign-route', `split-router: \`${router}\` gets ${route.methods.join(',') || route.kind} ${route.path} from ${route.file}:${route.line}; only endpoints decorated at the top level of ${path} can be split`);
    }
    unit.routes.push(route);
  }
  for (const o of hasEndpoints ? others : []) {
    if (o.reads.has(router)) {
      throw new PlanError('router-statement', `split-router: ${path}:${o.node.startPosition.row + 1} uses \`${router}\` outside an endpoint decorator; move or remove that statement first`);
    }
  }

  const stateNames = new Set<string>();
  for (const name of index.globalWrites.keys()) if (byName.get(name)?.def.kind === 'assignment') stateNames.add(name);
  const refs = new Map<string, Reference[]>();
  const replacedFromOutside = new Set<string>();
  for (const name of new Set([...byName.keys(), ...imports.keys()])) {
    const list = project.references(module, name).filter((r) => r.path !== path);
    if (list.length === 0) continue;
    refs.set(name, list);
    if (list.some((r) => replacesBinding(r, module, name))) replacedFromOutside.add(name);
  }
  for (const name of replacedFromOutside) if (byName.get(name)?.def.kind === 'assignment') stateNames.add(name);
  for (const name of stateNames) {
    const unit = byName.get(name)!;
    if (unit.role === 'router') throw new PlanError('router-state', `split-router: \`${router}\` is rebound at run time; it cannot be split`);
    unit.role = 'state';
  }
  // Functions that rebind state through `global` go to the state owner with it.
  for (const [name, writes] of index.globalWrites) {
    if (!stateNames.has(name)) continue;
    for (const w of writes) {
      const unit = units.find((u) => u.def.node.startIndex <= w.startIndex && w.endIndex <= u.def.node.endIndex);
      if (!unit) continue;
      if (unit.role === 'endpoint') {
        throw new PlanError('endpoint-writes-state', `split-router: endpoint \`${unit.def.name}\` rebinds module state \`${name}\` (global); move that write into a setter first`);
      }
      if (unit.role === 'helper') unit.role = 'state-fn';
    }
  }
  for (const unit of units) {
    if (unit.role === 'helper' && unit.def.kind === 'assignment' && unit.names.every((n) => !replacedFromOutside.has(n)) && (unit.reads.has('__name__') || /\b__name__\b/.test(unit.def.node.text))) {
      unit.role = 'copy';
    }
  }
  const relativeStyle = index.imports.some((b) => b.topLevel && b.level > 0);
  return { file, module, pkg, dir, router, routerUnit, units, byName, others, imports, bound: scopes.moduleBindings(), routes: table.routes, refs, replacedFromOutside, relativeStyle };
}

/** A reference that rebinds `module.name` from outside: attribute assignment, patch.object / monkeypatch, `patch("module.name")`. */
export function replacesBinding(r: Reference, module: string, name: string): boolean {
  if (r.kind === 'patch-object') return true;
  if (r.kind === 'string') return r.value === `${module}.${name}`;
  if (r.kind === 'attribute') {
    const parent = r.node.parent;
    if (!parent) return false;
    if ((parent.type === 'assignment' || parent.type === 'augmented_assignment') && parent.childForFieldName('left')?.startIndex === r.node.startIndex && parent.childForFieldName('left')?.endIndex === r.node.endIndex) return true;
    if (parent.type === 'delete_statement') return true;
  }
  return false;
}

/** Paths of the `@<router>.<method>(path, ...)` decorators of a definition, or null when it is not an endpoint. */
function endpointDecoratorPaths(def: TopLevelDef, router: string): string[] | null {
  if (def.node.type !== 'decorated_definition') return null;
  const out: string[] = [];
  let found = false;
  for (const deco of def.node.namedChildren) {
    if (deco?.type !== 'decorator') continue;
    const call = deco.namedChildren[0];
    const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
    if (fn?.type !== 'attribute' || fn.childForFieldName('object')?.text !== router) continue;
    found = true;
    const first = call!.childForFieldName('arguments')?.namedChildren.find((c) => c && c.type !== 'comment' && c.type !== 'keyword_argument');
    const kw = call!.childForFieldName('arguments')?.namedChildren.find((c) => c?.type === 'keyword_argument' && c.childForFieldName('name')?.text === 'path');
    const node = first ?? kw?.childForFieldName('value') ?? null;
    if (node?.type === 'string') out.push(node.text.replace(/^[a-zA-Z]*(['"]{1,3})([\s\S]*)\1$/, '$2'));
  }
  return found ? out : null;
}

function isDocstring(node: Node): boolean {
  return node.type === 'expression_statement' && node.namedChildCount === 1 && node.namedChild(0)?.type === 'string';
}

function isGuardedImports(node: Node): boolean {
  if (node.type !== 'try_statement') return false;
  const body = node.childForFieldName('body');
  return !!body && body.namedChildren.every((c) => !c || c.type === 'comment' || IMPORT_TYPES.has(c.type));
}

function lineOffset(text: string, line: number): number {
  let offset = 0;
  for (let i = 1; i < line; i++) offset = text.indexOf('\n', offset) + 1;
  return offset;
}

/**
 * Resolves a module given in the spec (dotted or path) to a path beside the split module. Refuses another package
 * directory: moved code keeps its relative imports and lazy imports as written only in the same package.
 */
export function siblingModule(source: SourceModel, value: string, field: string): { path: string; module: string; stem: string } {
  let stem: string;
  let dir: string;
  if (value.endsWith('.py')) {
    dir = value.includes('/') ? value.slice(0, value.lastIndexOf('/')) : '';
    stem = value.slice(value.lastIndexOf('/') + 1, -3);
  } else {
    const parts = value.split('.');
    stem = parts.pop()!;
    if (parts.join('.') !== source.pkg) {
      throw new PlanError('other-package', `split-router: ${field}: ${value} must be in package ${source.pkg || '(root)'} beside ${source.module}`);
    }
    dir = source.dir;
  }
  if (dir !== source.dir) throw new PlanError('other-package', `split-router: ${field}: ${value} must be in ${source.dir || 'the root directory'}/ beside ${source.file.path}`);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(stem)) throw new PlanError('bad-module', `split-router: ${field}: "${value}" is not a valid module name`);
  const path = dir ? `${dir}/${stem}.py` : `${stem}.py`;
  return { path, module: source.pkg ? `${source.pkg}.${stem}` : stem, stem };
}
