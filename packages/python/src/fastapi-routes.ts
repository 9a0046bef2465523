import type { Node } from './parse.js';
import type { ImportBinding, ModuleIndex, ResolvedImport, SourceFile } from './types.js';

/**
 * The part of `Project` the route extractor reads (kept structural so the extractor stays a pure reader).
 */
export interface RouteProject {
  files: Map<string, SourceFile>;
  fileOfModule(module: string): SourceFile | undefined;
  index(path: string): ModuleIndex;
  resolveImport(path: string, binding: ImportBinding): ResolvedImport;
}

/** One route as FastAPI would register it on the application (or on the router being read). */
export interface FastApiRoute {
  kind: 'http' | 'websocket' | 'mount';
  /** Upper-case HTTP methods, sorted; empty for websocket routes and mounts. */
  methods: string[];
  /** Full path: every router prefix and include prefix applied. Unresolvable parts read `{?expr}`. */
  path: string;
  /** Route name: the `name=` argument, else the endpoint function's name. */
  name: string;
  /** Endpoint function name (null when it cannot be read, e.g. a mounted app). */
  endpoint: string | null;
  /** Module defining the endpoint function. */
  module: string | null;
  /** Source text of `status_code=` (null when absent). */
  statusCode: string | null;
  /** Source text of `response_model=` (null when absent). */
  responseModel: string | null;
  /** Tags in the order FastAPI combines them (include tags, router tags, route tags); literals unquoted. */
  tags: string[];
  /** Dependencies (source text) in FastAPI's order. */
  dependencies: string[];
  /** `summary=` literal, or null. */
  summary: string | null;
  /** The endpoint's docstring (dedented), or null. */
  docstring: string | null;
  /** Every other keyword argument of the decorator, router and includes that shapes the route, as source text. */
  options: Record<string, string>;
  /** `if` conditions (module level) under which the route is registered; empty when unconditional. */
  conditions: string[];
  /** Where the route is declared. */
  file: string;
  line: number;
}

/** A module-level `APIRouter(...)` / `FastAPI(...)` assignment. */
export interface RouterRef {
  module: string;
  name: string;
  kind: 'app' | 'router';
  file: string;
  line: number;
}

/** The routes of one app or router in registration order, with what could not be followed statically. */
export interface RouteTable {
  root: RouterRef;
  routes: FastApiRoute[];
  warnings: string[];
}

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'options', 'head', 'trace'];
/** Keyword arguments that never change a route's identity (documentation-only ones are kept). */
const ROUTE_FIELDS = new Set(['path', 'methods', 'name', 'status_code', 'response_model', 'tags', 'dependencies', 'summary', 'endpoint']);

interface RouterObj {
  ref: RouterRef;
  prefix: string;
  tags: string[];
  dependencies: string[];
  options: Record<string, string>;
  /** Own routes (prefix, tags and dependencies of this router applied) and includes, in registration order. */
  entries: Entry[];
  /** Where this router was first included into another one (for the late-registration warning). */
  includedAt: string | null;
}

/** `parent.include_router(child, ...)`: resolved lazily, when the table is read (FastAPI >= 0.14x semantics). */
interface IncludeEntry {
  kind: 'include';
  child: RouterObj;
  prefix: string;
  tags: string[];
  dependencies: string[];
  options: Record<string, string>;
  conditions: string[];
  where: string;
}

type Entry = FastApiRoute | IncludeEntry;

type Value =
  | { kind: 'router'; router: RouterObj }
  | { kind: 'module'; module: string }
  | { kind: 'external'; module: string; name: string | null }
  | { kind: 'string'; value: string }
  | { kind: 'function'; node: Node; module: string; file: string }
  | { kind: 'unknown' };

const UNKNOWN: Value = { kind: 'unknown' };

/**
 * Lists module-level `X = APIRouter(...)` and `X = FastAPI(...)` assignments (also inside module-level
 * `if`/`try`/`with` blocks) whose callee is imported from `fastapi`. Does not see routers built inside
 * functions (app factories), subclasses of APIRouter, or routers created by a helper call.
 */
export function findRouters(project: RouteProject): RouterRef[] {
  const out: RouterRef[] = [];
  for (const file of [...project.files.values()].sort((a, b) => a.path.localeCompare(b.path))) {
    if (!file.module || !/\b(APIRouter|FastAPI)\b/.test(file.text)) continue;
    const fastapiNames = fastapiBindings(project.index(file.path));
    for (const stmt of moduleStatements(file.tree.rootNode)) {
      const assign = assignmentOf(stmt.node);
      if (!assign) continue;
      const kind = constructorKind(assign.right, fastapiNames);
      if (kind) out.push({ module: file.module, name: assign.left.text, kind, file: file.path, line: stmt.node.startPosition.row + 1 });
    }
  }
  return out;
}

/** The module-level FastAPI applications of a project (see {@link findRouters}). */
export function findApps(project: RouteProject): RouterRef[] {
  return findRouters(project).filter((r) => r.kind === 'app');
}

/**
 * Reads the routes of `root` (an app or router) in registration order by replaying import-time execution:
 * the root's module runs its module-level statements in order; an import of a project module runs that
 * module first (once); `@x.get/post/put/patch/delete/options/head/trace/api_route/route/websocket(...)`,
 * `x.add_api_route(...)`, `x.mount(...)` register on router `x`; `x.include_router(y, prefix=, tags=,
 * dependencies=)` inserts y's routes at that position, resolved when the table is read (current FastAPI
 * includes lazily; older versions copied the routes at include time, so a route registered on y after the
 * include gets a warning). Both branches of a module-level `if` run (routes record the condition). Not
 * followed: code inside functions (app factories, lazy imports), star imports, routers passed through
 * containers, dynamic paths (shown as `{?expr}` with a warning). Mounts of an included router are dropped,
 * as FastAPI does.
 */
export function routeTable(project: RouteProject, root: { module: string; name: string }): RouteTable {
  const sim = new Simulation(project);
  sim.run(root.module);
  const value = sim.namespaces.get(root.module)?.get(root.name);
  const file = project.fileOfModule(root.module);
  if (!value || value.kind !== 'router') {
    throw new Error(`${file?.path ?? root.module}: "${root.name}" is not an APIRouter or FastAPI object`);
  }
  const routes = sim.flatten(value.router, [value.router]);
  return { root: value.router.ref, routes, warnings: sim.warnings };
}

/**
 * Route tables of several roots from one replay (modules run once, in the order of `roots`; see
 * {@link routeTable}). A root that does not exist (module gone, name no longer a router) maps to null.
 * Keys are `module:name`. Warnings are shared by every table of the replay. `consulted`, when given, receives every
 * module name the replay looked up (run, imported from, or probed as a submodule, whether it exists or not): the
 * tables depend on nothing else.
 */
export function routeTables(
  project: RouteProject,
  roots: { module: string; name: string }[],
  consulted?: Set<string>,
): Map<string, RouteTable | null> {
  const sim = new Simulation(project, consulted);
  for (const root of roots) sim.run(root.module);
  const out = new Map<string, RouteTable | null>();
  for (const root of roots) {
    const value = sim.namespaces.get(root.module)?.get(root.name);
    out.set(`${root.module}:${root.name}`, value?.kind === 'router'
      ? { root: value.router.ref, routes: sim.flatten(value.router, [value.router]), warnings: sim.warnings }
      : null);
  }
  return out;
}

/** One line per route: `GET,POST /api/v1/x  name  [status=.., model=.., tags=..]`. */
export function formatRoute(route: FastApiRoute): string {
  const methods = route.kind === 'websocket' ? 'WS' : route.kind === 'mount' ? 'MOUNT' : route.methods.join(',');
  const extras: string[] = [];
  if (route.statusCode) extras.push(`status=${route.statusCode}`);
  if (route.responseModel) extras.push(`model=${route.responseModel}`);
  if (route.tags.length) extras.push(`tags=${route.tags.join(',')}`);
  if (route.conditions.length) extras.push(`if ${route.conditions.join(' and ')}`);
  return `${methods.padEnd(7)} ${route.path}  ${route.name}${extras.length ? `  [${extras.join('; ')}]` : ''}`;
}

/**
 * True when some request could be matched by both routes: same kind, a common method (mounts match any),
 * and paths whose segments pair up (literal == literal, or either side a `{param}`; a `{p:path}` parameter
 * or a mount prefix matches the rest). Conservative: partial-segment patterns (`{id}.json`) are assumed
 * to overlap a literal when a regex match says so, and always overlap another pattern.
 */
export function routesOverlap(a: FastApiRoute, b: FastApiRoute): boolean {
  const isWs = (r: FastApiRoute): boolean => r.kind === 'websocket';
  if (a.kind !== 'mount' && b.kind !== 'mount') {
    if (isWs(a) !== isWs(b)) return false;
    if (!isWs(a) && !a.methods.some((m) => b.methods.includes(m))) return false;
  }
  return pathsOverlap(segmentsOf(a), segmentsOf(b));
}

/** Whether two path patterns can match one URL (see {@link routesOverlap}). */
export function pathPatternsOverlap(a: string, b: string): boolean {
  return pathsOverlap(splitPath(a), splitPath(b));
}

function segmentsOf(route: FastApiRoute): string[] {
  const segs = splitPath(route.path);
  return route.kind === 'mount' ? [...segs, '{rest:path}'] : segs;
}

function splitPath(path: string): string[] {
  return path.split('/').slice(1);
}

const REST = /^\{[^{}:]+:path\}$/;
const PARAM = /^\{([^{}:]+)(?::([^{}]+))?\}$/;

function pathsOverlap(a: string[], b: string[]): boolean {
  for (let i = 0; ; i++) {
    // `{p:path}` needs the slash before it (`/files/{p:path}` does not match `/files`).
    if (i === a.length || i === b.length) return a.length === b.length;
    if (REST.test(a[i]) || REST.test(b[i])) return true;
    if (!segmentsOverlap(a[i], b[i])) return false;
  }
}

function segmentsOverlap(x: string, y: string): boolean {
  const px = x.includes('{');
  const py = y.includes('{');
  if (!px && !py) return x === y;
  if (px && py) return true;
  const [pattern, literal] = px ? [x, y] : [y, x];
  const whole = PARAM.exec(pattern);
  if (whole) {
    if (literal === '') return false;
    if (whole[2] === 'int') return /^[0-9]+$/.test(literal);
    if (whole[2] === 'float') return /^[0-9]+(\.[0-9]+)?$/.test(literal);
    return true;
  }
  const regex = new RegExp(`^${pattern.split(/\{[^{}]*\}/).map(escapeRegex).join('[^/]+')}$`);
  return regex.test(literal);
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------- simulation

class Simulation {
  readonly namespaces = new Map<string, Map<string, Value>>();
  readonly warnings: string[] = [];
  private readonly started = new Set<string>();

  constructor(
    private readonly project: RouteProject,
    private readonly consulted: Set<string> = new Set(),
  ) {}

  run(module: string): void {
    if (this.started.has(module)) return;
    this.started.add(module);
    this.consulted.add(module);
    const parts = module.split('.');
    for (let i = 1; i < parts.length; i++) this.run(parts.slice(0, i).join('.'));
    const file = this.project.fileOfModule(module);
    const ns = new Map<string, Value>();
    this.namespaces.set(module, ns);
    if (!file) return;
    for (const stmt of moduleStatements(file.tree.rootNode)) this.execute(file, ns, stmt.node, stmt.conditions);
  }

  private warn(file: SourceFile, node: Node, message: string): void {
    this.note(`${file.path}:${node.startPosition.row + 1}: ${message}`);
  }

  private note(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  private execute(file: SourceFile, ns: Map<string, Value>, node: Node, conditions: string[]): void {
    switch (node.type) {
      case 'import_statement':
      case 'import_from_statement':
        this.importStatement(file, ns, node);
        return;
      case 'decorated_definition': {
        const def = node.childForFieldName('definition');
        if (!def) return;
        const decorators = node.namedChildren.filter((c): c is Node => c?.type === 'decorator');
        const fn: Value = { kind: 'function', node: def, module: file.module ?? file.path, file: file.path };
        // Decorators apply bottom-up: the one nearest the `def` registers first.
        for (const deco of [...decorators].reverse()) {
          const expr = deco.namedChildren[0];
          if (expr?.type === 'call') this.registerCall(file, ns, expr, conditions, def.type === 'function_definition' ? fn : null);
        }
        const name = def.childForFieldName('name');
        if (name) ns.set(name.text, def.type === 'function_definition' ? fn : UNKNOWN);
        return;
      }
      case 'function_definition': {
        const name = node.childForFieldName('name');
        if (name) ns.set(name.text, { kind: 'function', node, module: file.module ?? file.path, file: file.path });
        return;
      }
      case 'class_definition': {
        const name = node.childForFieldName('name');
        if (name) ns.set(name.text, UNKNOWN);
        return;
      }
      case 'expression_statement': {
        const inner = node.namedChildren[0];
        if (!inner) return;
        if (inner.type === 'assignment') this.assignment(file, ns, node, inner);
        else if (inner.type === 'call') this.registerCall(file, ns, inner, conditions, null);
        return;
      }
      default:
        return;
    }
  }

  private importStatement(file: SourceFile, ns: Map<string, Value>, node: Node): void {
    const bindings = this.project.index(file.path).imports.filter((b) => b.statement.startIndex === node.startIndex);
    for (const binding of bindings) {
      if (binding.name === '*') {
        this.warn(file, node, 'star import not followed');
        continue;
      }
      const resolved = this.project.resolveImport(file.path, binding);
      this.consulted.add(resolved.module);
      if (binding.name !== null) this.consulted.add(`${resolved.module}.${binding.name}`);
      if (resolved.kind === 'external' || resolved.kind === 'missing') {
        ns.set(binding.local, { kind: 'external', module: resolved.module || binding.module, name: binding.name });
        continue;
      }
      if (resolved.kind === 'module') {
        this.run(resolved.module);
        // `import a.b` binds `a`; `import a.b as c` and `from a import b` bind the target.
        const bindsTop = binding.name === null && binding.alias === null;
        ns.set(binding.local, { kind: 'module', module: bindsTop ? resolved.module.split('.')[0] : resolved.module });
        continue;
      }
      this.run(resolved.module);
      const value = this.namespaces.get(resolved.module)?.get(resolved.name ?? binding.name ?? '');
      ns.set(binding.local, value ?? UNKNOWN);
    }
  }

  private assignment(file: SourceFile, ns: Map<string, Value>, stmt: Node, assign: Node): void {
    const left = assign.childForFieldName('left');
    const right = assign.childForFieldName('right');
    if (!left || !right) return;
    if (left.type !== 'identifier') {
      for (const id of identifiersIn(left)) ns.set(id, UNKNOWN);
      return;
    }
    const kind = right.type === 'call' ? this.constructorOf(ns, right) : null;
    if (kind && file.module) {
      const router: RouterObj = {
        ref: { module: file.module, name: left.text, kind, file: file.path, line: stmt.startPosition.row + 1 },
        prefix: '',
        tags: [],
        dependencies: [],
        options: {},
        entries: [],
        includedAt: null,
      };
      const args = callArgs(right);
      const prefix = args.keywords.get('prefix');
      if (prefix) router.prefix = this.stringOf(file, ns, prefix);
      router.tags = this.listOf(file, ns, args.keywords.get('tags'));
      router.dependencies = this.listOf(file, ns, args.keywords.get('dependencies'), false);
      for (const [key, value] of args.keywords) if (!['prefix', 'tags', 'dependencies'].includes(key)) router.options[key] = norm(value.text);
      if (kind === 'app') this.appDefaults(file, ns, router, args, stmt);
      ns.set(left.text, { kind: 'router', router });
      return;
    }
    const literal = literalString(right);
    if (literal !== null) ns.set(left.text, { kind: 'string', value: literal });
    else if (right.type === 'identifier' || right.type === 'attribute') ns.set(left.text, this.resolve(ns, right));
    else ns.set(left.text, UNKNOWN);
  }

  /** The documentation routes `FastAPI.setup()` adds (openapi, swagger UI, its oauth2 redirect, redoc). */
  private appDefaults(file: SourceFile, ns: Map<string, Value>, app: RouterObj, args: CallArgs, stmt: Node): void {
    const url = (key: string, fallback: string): string | null => {
      const node = args.keywords.get(key);
      if (!node) return fallback;
      if (node.type === 'none') return null;
      return this.stringOf(file, ns, node);
    };
    const openapi = url('openapi_url', '/openapi.json');
    if (openapi === null) return;
    const docs = url('docs_url', '/docs');
    const redirect = url('swagger_ui_oauth2_redirect_url', '/docs/oauth2-redirect');
    const redoc = url('redoc_url', '/redoc');
    const add = (path: string, name: string): void => {
      app.entries.push(this.route(file, stmt, [], {
        kind: 'http', methods: ['GET', 'HEAD'], path, name, endpoint: null, module: null, statusCode: null, responseModel: null,
        tags: [], dependencies: [], summary: null, docstring: null, options: { include_in_schema: 'False' },
      }));
    };
    add(openapi, 'openapi');
    if (docs) {
      add(docs, 'swagger_ui_html');
      if (redirect) add(redirect, 'swagger_ui_redirect');
    }
    if (redoc) add(redoc, 'redoc_html');
  }

  private constructorOf(ns: Map<string, Value>, call: Node): 'app' | 'router' | null {
    const fn = call.childForFieldName('function');
    if (!fn) return null;
    const value = this.resolve(ns, fn);
    if (value.kind !== 'external' || !/^(fastapi|starlette)(\.|$)/.test(value.module)) return null;
    const name = value.name ?? fn.text.split('.').pop();
    if (name === 'FastAPI') return 'app';
    if (name === 'APIRouter') return 'router';
    return null;
  }

  /** Registers the effect of `router.<method>(...)` (a decorator call when `fn` is given). */
  private registerCall(file: SourceFile, ns: Map<string, Value>, call: Node, conditions: string[], fn: Value | null): void {
    const callee = call.childForFieldName('function');
    if (!callee || callee.type !== 'attribute') return;
    const method = callee.childForFieldName('attribute')?.text ?? '';
    const objectNode = callee.childForFieldName('object');
    if (!objectNode) return;
    const target = this.resolve(ns, objectNode);
    if (target.kind !== 'router') {
      if (isRouteMethod(method) && target.kind === 'unknown' && /router|app/i.test(objectNode.text)) {
        this.warn(file, call, `cannot resolve \`${objectNode.text}\` to an APIRouter; its route is not listed`);
      }
      return;
    }
    const router = target.router;
    const args = callArgs(call);
    if (method === 'include_router') {
      this.include(file, ns, router, args, call, conditions);
      return;
    }
    if (method === 'mount') {
      const pathNode = args.positional[0] ?? args.keywords.get('path');
      const path = pathNode ? this.stringOf(file, ns, pathNode) : '';
      const nameNode = args.keywords.get('name');
      this.addRoute(router, file, call, this.route(file, call, conditions, {
        kind: 'mount', methods: [], path: router.prefix + path, name: nameNode ? literalString(nameNode) ?? nameNode.text : '',
        endpoint: null, module: null, statusCode: null, responseModel: null, tags: [], dependencies: [], summary: null, docstring: null, options: {},
      }));
      return;
    }
    let endpoint: Value | null = fn;
    let pathNode = args.positional[0] ?? args.keywords.get('path');
    if (method === 'add_api_route' || method === 'add_api_websocket_route' || method === 'add_route') {
      const epNode = args.positional[1] ?? args.keywords.get('endpoint');
      endpoint = epNode ? this.resolve(ns, epNode) : null;
    } else if (!fn) {
      return;
    }
    let kind: FastApiRoute['kind'];
    let methods: string[];
    if (HTTP_METHODS.includes(method)) {
      kind = 'http';
      methods = [method.toUpperCase()];
    } else if (method === 'api_route' || method === 'route' || method === 'add_api_route' || method === 'add_route') {
      kind = 'http';
      const m = args.keywords.get('methods') ?? (method === 'add_route' ? args.positional[2] : undefined);
      methods = m ? this.listOf(file, ns, m).map((x) => x.toUpperCase()) : ['GET'];
    } else if (method === 'websocket' || method === 'add_api_websocket_route' || method === 'websocket_route') {
      kind = 'websocket';
      methods = [];
    } else {
      return;
    }
    const fnNode = endpoint?.kind === 'function' ? endpoint.node : null;
    const endpointName = fnNode?.childForFieldName('name')?.text ?? null;
    const nameNode = args.keywords.get('name');
    const summaryNode = args.keywords.get('summary');
    const options: Record<string, string> = { ...router.options };
    for (const [key, value] of args.keywords) if (!ROUTE_FIELDS.has(key)) options[key] = norm(value.text);
    const statusNode = args.keywords.get('status_code');
    const modelNode = args.keywords.get('response_model');
    this.addRoute(router, file, call, this.route(file, call, conditions, {
      kind,
      methods: [...new Set(methods)].sort(),
      path: router.prefix + (pathNode ? this.stringOf(file, ns, pathNode) : ''),
      name: nameNode ? literalString(nameNode) ?? norm(nameNode.text) : endpointName ?? '?',
      endpoint: endpointName,
      module: endpoint?.kind === 'function' ? endpoint.module : null,
      statusCode: statusNode ? norm(statusNode.text) : null,
      responseModel: modelNode ? norm(modelNode.text) : null,
      tags: [...router.tags, ...this.listOf(file, ns, args.keywords.get('tags'))],
      dependencies: [...router.dependencies, ...this.listOf(file, ns, args.keywords.get('dependencies'), false)],
      summary: summaryNode ? literalString(summaryNode) ?? norm(summaryNode.text) : null,
      docstring: fnNode ? docstringOf(fnNode) : null,
      options,
    }));
  }

  private route(file: SourceFile, node: Node, conditions: string[], r: Omit<FastApiRoute, 'conditions' | 'file' | 'line'>): FastApiRoute {
    return { ...r, conditions: [...conditions], file: file.path, line: node.startPosition.row + 1 };
  }

  private include(file: SourceFile, ns: Map<string, Value>, router: RouterObj, args: CallArgs, call: Node, conditions: string[]): void {
    const childNode = args.positional[0] ?? args.keywords.get('router');
    const child = childNode ? this.resolve(ns, childNode) : UNKNOWN;
    if (child.kind !== 'router') {
      this.warn(file, call, `cannot resolve included router \`${childNode?.text ?? '?'}\`; its routes are not listed`);
      return;
    }
    const prefixNode = args.keywords.get('prefix');
    const options: Record<string, string> = {};
    for (const [key, value] of args.keywords) if (!['router', 'prefix', 'tags', 'dependencies'].includes(key)) options[key] = norm(value.text);
    const where = `${file.path}:${call.startPosition.row + 1}`;
    child.router.includedAt ??= where;
    router.entries.push({
      kind: 'include',
      child: child.router,
      prefix: prefixNode ? this.stringOf(file, ns, prefixNode) : '',
      tags: this.listOf(file, ns, args.keywords.get('tags')),
      dependencies: this.listOf(file, ns, args.keywords.get('dependencies'), false),
      options,
      conditions: [...conditions],
      where,
    });
  }

  private addRoute(router: RouterObj, file: SourceFile, node: Node, route: FastApiRoute): void {
    if (router.includedAt) {
      this.warn(file, node, `route \`${route.path}\` is registered on \`${router.ref.name}\` after it was included (${router.includedAt}); FastAPI versions that copy routes at include time do not serve it`);
    }
    router.entries.push(route);
  }

  /** The routes of `router` with its includes expanded (FastAPI's include context: parent first). */
  flatten(router: RouterObj, stack: RouterObj[]): FastApiRoute[] {
    const out: FastApiRoute[] = [];
    for (const entry of router.entries) {
      if (entry.kind !== 'include') {
        out.push({ ...entry, conditions: [...entry.conditions] });
        continue;
      }
      if (stack.includes(entry.child)) {
        this.note(`${entry.where}: \`${entry.child.ref.name}\` includes itself (directly or through other routers)`);
        continue;
      }
      for (const route of this.flatten(entry.child, [...stack, entry.child])) {
        if (route.kind === 'mount') {
          this.note(`${entry.where}: mount \`${route.path}\` of \`${entry.child.ref.name}\` is dropped by include_router (FastAPI behaviour)`);
          continue;
        }
        out.push({
          ...route,
          path: router.prefix + entry.prefix + route.path,
          tags: [...router.tags, ...entry.tags, ...route.tags],
          dependencies: [...router.dependencies, ...entry.dependencies, ...route.dependencies],
          options: { ...router.options, ...entry.options, ...route.options },
          conditions: [...entry.conditions, ...route.conditions],
        });
      }
    }
    return out;
  }

  private resolve(ns: Map<string, Value>, node: Node): Value {
    if (node.type === 'identifier') return ns.get(node.text) ?? UNKNOWN;
    if (node.type === 'attribute') {
      const object = node.childForFieldName('object');
      const attr = node.childForFieldName('attribute')?.text ?? '';
      if (!object) return UNKNOWN;
      const base = this.resolve(ns, object);
      if (base.kind === 'module') {
        const found = this.namespaces.get(base.module)?.get(attr);
        if (found) return found;
        const sub = `${base.module}.${attr}`;
        this.consulted.add(sub);
        if (this.project.fileOfModule(sub)) {
          this.run(sub);
          return { kind: 'module', module: sub };
        }
        return UNKNOWN;
      }
      if (base.kind === 'external') return { kind: 'external', module: base.name ? `${base.module}.${base.name}` : base.module, name: attr };
      if (base.kind === 'router' && attr === 'router') return base;
      return UNKNOWN;
    }
    return UNKNOWN;
  }

  private stringOf(file: SourceFile, ns: Map<string, Value>, node: Node): string {
    const literal = literalString(node, (n) => {
      const v = this.resolve(ns, n);
      return v.kind === 'string' ? v.value : null;
    });
    if (literal !== null) return literal;
    this.warn(file, node, `path part \`${node.text}\` is not a literal string`);
    return `{?${norm(node.text)}}`;
  }

  private listOf(file: SourceFile, ns: Map<string, Value>, node: Node | undefined, strings = true): string[] {
    if (!node) return [];
    if (node.type !== 'list' && node.type !== 'tuple') return [norm(node.text)];
    return node.namedChildren
      .filter((c): c is Node => !!c && c.type !== 'comment')
      .map((c) => (strings ? literalString(c) ?? norm(c.text) : norm(c.text)));
  }
}

// ---------------------------------------------------------------- syntax helpers

interface CallArgs {
  positional: Node[];
  keywords: Map<string, Node>;
}

function callArgs(call: Node): CallArgs {
  const out: CallArgs = { positional: [], keywords: new Map() };
  const list = call.childForFieldName('arguments');
  for (const child of list?.namedChildren ?? []) {
    if (!child || child.type === 'comment') continue;
    if (child.type === 'keyword_argument') {
      const name = child.childForFieldName('name')?.text;
      const value = child.childForFieldName('value');
      if (name && value) out.keywords.set(name, value);
    } else {
      out.positional.push(child);
    }
  }
  return out;
}

function isRouteMethod(method: string): boolean {
  return HTTP_METHODS.includes(method) || ['api_route', 'route', 'websocket', 'include_router', 'add_api_route', 'mount'].includes(method);
}

/** Module-level statements in execution order, descending into if/try/with/for/while blocks. */
function moduleStatements(root: Node): { node: Node; conditions: string[] }[] {
  const out: { node: Node; conditions: string[] }[] = [];
  const walk = (block: Node, conditions: string[]): void => {
    for (const stmt of block.namedChildren) {
      if (!stmt) continue;
      switch (stmt.type) {
        case 'if_statement': {
          const cond = stmt.childForFieldName('condition')?.text ?? '?';
          const consequence = stmt.childForFieldName('consequence');
          if (consequence) walk(consequence, [...conditions, norm(cond)]);
          const negated = [`not (${norm(cond)})`];
          for (const alt of stmt.childrenForFieldName('alternative')) {
            if (!alt) continue;
            const body = alt.childForFieldName('body') ?? alt.namedChildren.find((c) => c?.type === 'block') ?? null;
            if (alt.type === 'elif_clause') {
              const c = norm(alt.childForFieldName('condition')?.text ?? '?');
              if (body) walk(body, [...conditions, ...negated, c]);
              negated.push(`not (${c})`);
            } else if (body) {
              walk(body, [...conditions, ...negated]);
            }
          }
          break;
        }
        case 'try_statement':
        case 'with_statement':
        case 'for_statement':
        case 'while_statement':
          for (const child of stmt.namedChildren) {
            if (!child) continue;
            if (child.type === 'block') walk(child, conditions);
            else if (['except_clause', 'else_clause', 'finally_clause', 'except_group_clause'].includes(child.type)) {
              const body = child.namedChildren.find((c) => c?.type === 'block');
              if (body) walk(body, conditions);
            }
          }
          break;
        default:
          out.push({ node: stmt, conditions });
      }
    }
  };
  walk(root, []);
  return out;
}

function assignmentOf(stmt: Node): { left: Node; right: Node } | null {
  if (stmt.type !== 'expression_statement') return null;
  const inner = stmt.namedChildren[0];
  if (inner?.type !== 'assignment') return null;
  const left = inner.childForFieldName('left');
  const right = inner.childForFieldName('right');
  if (left?.type !== 'identifier' || right?.type !== 'call') return null;
  return { left, right };
}

/** Local names bound to fastapi's FastAPI/APIRouter (or to the `fastapi` module) by module-level imports. */
function fastapiBindings(index: ModuleIndex): Map<string, string> {
  const out = new Map<string, string>();
  for (const b of index.imports) {
    if (!b.topLevel || b.level !== 0 || !/^(fastapi|starlette)(\.|$)/.test(b.module)) continue;
    out.set(b.local, b.name ?? '(module)');
  }
  return out;
}

function constructorKind(call: Node, fastapiNames: Map<string, string>): 'app' | 'router' | null {
  const fn = call.childForFieldName('function');
  if (!fn) return null;
  let name: string | undefined;
  if (fn.type === 'identifier') name = fastapiNames.get(fn.text);
  else if (fn.type === 'attribute') {
    const root = fn.text.split('.')[0];
    if (fastapiNames.get(root) === '(module)') name = fn.childForFieldName('attribute')?.text;
  }
  if (name === 'FastAPI') return 'app';
  if (name === 'APIRouter') return 'router';
  return null;
}

function identifiersIn(node: Node): string[] {
  if (node.type === 'identifier') return [node.text];
  if (node.type === 'pattern_list' || node.type === 'tuple_pattern' || node.type === 'list_pattern') {
    return node.namedChildren.flatMap((c) => (c ? identifiersIn(c) : []));
  }
  return [];
}

/** Collapses whitespace outside string literals well enough to compare source snippets. */
function norm(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/([([{]) /g, '$1').replace(/ ([)\]}])/g, '$1').replace(/,([)\]}])/g, '$1').trim();
}

/**
 * The value of a string literal, implicit concatenation, `+` of strings, or an f-string whose fields
 * `lookup` can resolve; null otherwise.
 */
export function literalString(node: Node, lookup?: (node: Node) => string | null): string | null {
  if (node.type === 'concatenated_string' || node.type === 'binary_operator') {
    if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text !== '+') return null;
    const parts = node.type === 'binary_operator'
      ? [node.childForFieldName('left'), node.childForFieldName('right')]
      : node.namedChildren;
    let out = '';
    for (const part of parts) {
      const v = part ? literalString(part, lookup) : null;
      if (v === null) return null;
      out += v;
    }
    return out;
  }
  if (node.type === 'identifier' || node.type === 'attribute') return lookup ? lookup(node) : null;
  if (node.type === 'parenthesized_expression') {
    const inner = node.namedChildren[0];
    return inner ? literalString(inner, lookup) : null;
  }
  if (node.type !== 'string') return null;
  const start = node.namedChildren.find((c) => c?.type === 'string_start')?.text ?? '"';
  const prefix = start.replace(/['"]/g, '').toLowerCase();
  if (prefix.includes('b')) return null;
  const raw = prefix.includes('r');
  let out = '';
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'string_content') out += raw ? child.text : unescape(child.text);
    else if (child.type === 'interpolation') {
      const expr = child.namedChildren.find((c) => c && c.type !== 'format_specifier' && c.type !== 'type_conversion');
      const v = expr && lookup ? lookup(expr) : null;
      if (v === null) return null;
      out += v;
    } else if (child.type === 'escape_sequence') out += raw ? child.text : unescape(child.text);
  }
  return out;
}

function unescape(text: string): string {
  const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
  return text.replace(/\\(.)/gs, (m, c: string) => (c in map ? map[c] : c === '\n' ? '' : m));
}

function docstringOf(fn: Node): string | null {
  const body = fn.childForFieldName('body');
  const first = body?.namedChildren.find((c) => c?.type !== 'comment');
  if (first?.type !== 'expression_statement') return null;
  const str = first.namedChildren[0];
  if (!str || str.type !== 'string') return null;
  const value = literalString(str);
  if (value === null) return null;
  const lines = value.split('\n');
  const indents = lines.slice(1).filter((l) => l.trim()).map((l) => l.length - l.trimStart().length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return [lines[0].trim(), ...lines.slice(1).map((l) => l.slice(cut).trimEnd())].join('\n').trim();
}
