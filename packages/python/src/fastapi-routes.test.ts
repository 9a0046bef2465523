import { loadPython } from './parse.js';
import { Project } from './project.js';
import { findApps, findRouters, formatRoute, pathPatternsOverlap, routeTable, routesOverlap, type FastApiRoute } from './fastapi-routes.js';

beforeAll(loadPython);

function project(files: Record<string, string>): Project {
  return new Project(Object.entries(files).map(([path, text]) => ({ path, text })));
}

const brief = (routes: FastApiRoute[]): string[] => routes.map((r) => `${r.kind === 'http' ? r.methods.join(',') : r.kind} ${r.path} ${r.name}`);

describe('routeTable', () => {
  it('reads every field of a decorated route and applies the router prefix, tags and dependencies', () => {
    const p = project({
      'app/__init__.py': '',
      'app/routes.py': [
        'from fastapi import APIRouter, Depends',
        'from app.schemas import Item',
        'router = APIRouter(prefix="/api/v1", tags=["items"], dependencies=[Depends(auth)])',
        '',
        '@router.post("/items", status_code=201, response_model=Item, tags=["write"], name="create", summary="Create it",',
        '             dependencies=[Depends(audit)], deprecated=True)',
        'async def create_item(item: Item):',
        '    """Creates an item.',
        '',
        '    More text.',
        '    """',
        '    return item',
        '',
      ].join('\n'),
      'app/schemas.py': 'class Item: pass\n',
    });
    const table = routeTable(p, { module: 'app.routes', name: 'router' });
    expect(table.routes).toHaveLength(1);
    expect(table.routes[0]).toMatchObject({
      kind: 'http',
      methods: ['POST'],
      path: '/api/v1/items',
      name: 'create',
      endpoint: 'create_item',
      module: 'app.routes',
      statusCode: '201',
      responseModel: 'Item',
      tags: ['items', 'write'],
      dependencies: ['Depends(auth)', 'Depends(audit)'],
      summary: 'Create it',
      docstring: 'Creates an item.\n\nMore text.',
      options: { deprecated: 'True' },
      conditions: [],
      file: 'app/routes.py',
      line: 5,
    });
    expect(table.warnings).toEqual([]);
  });

  it('follows app.include_router across modules through aliases, in registration order, with include prefix and tags', () => {
    const p = project({
      'svc/__init__.py': '',
      'svc/api/__init__.py': '',
      'svc/api/users.py': 'from fastapi import APIRouter\nrouter = APIRouter(prefix="/users", tags=["users"])\n@router.get("/{user_id}")\ndef get_user(user_id: int): ...\n@router.get("/me")\ndef me(): ...\n',
      'svc/api/items.py': 'import fastapi\nrouter = fastapi.APIRouter()\n@router.api_route("/items", methods=["get", "post"])\ndef items(): ...\n',
      'svc/main.py': [
        'from fastapi import FastAPI',
        'from svc.api import users as users_routes',
        'import svc.api.items',
        'app = FastAPI(docs_url=None, redoc_url=None)',
        'app.include_router(users_routes.router, prefix="/v2", tags=["v2"])',
        'app.include_router(svc.api.items.router)',
        '@app.get("/healthz")',
        'def healthz(): ...',
        '',
      ].join('\n'),
    });
    expect(findApps(p).map((a) => `${a.module}:${a.name}`)).toEqual(['svc.main:app']);
    const table = routeTable(p, { module: 'svc.main', name: 'app' });
    expect(brief(table.routes)).toEqual([
      'GET,HEAD /openapi.json openapi',
      'GET /v2/users/{user_id} get_user',
      'GET /v2/users/me me',
      'GET,POST /items items',
      'GET /healthz healthz',
    ]);
    expect(table.routes[1].tags).toEqual(['v2', 'users']);
  });

  it('resolves includes lazily, as current FastAPI does, and warns about routes registered after the include', () => {
    const p = project({
      'm.py': [
        'from fastapi import APIRouter, FastAPI',
        'app = FastAPI(openapi_url=None)',
        'r = APIRouter()',
        '@r.get("/early")',
        'def early(): ...',
        'app.include_router(r)',
        '@app.get("/app")',
        'def on_app(): ...',
        '@r.get("/late")',
        'def late(): ...',
        '',
      ].join('\n'),
    });
    const table = routeTable(p, { module: 'm', name: 'app' });
    expect(brief(table.routes)).toEqual(['GET /early early', 'GET /late late', 'GET /app on_app']);
    expect(table.warnings).toEqual([
      'm.py:9: route `/late` is registered on `r` after it was included (m.py:6); FastAPI versions that copy routes at include time do not serve it',
    ]);
  });

  it('carries the condition of a conditional include to the included routes', () => {
    const p = project({
      'sub.py': 'from fastapi import APIRouter\nrouter = APIRouter()\n@router.get("/x")\ndef x(): ...\n',
      'm.py': 'from fastapi import FastAPI\nimport sub\napp = FastAPI(openapi_url=None)\nif FLAG:\n    app.include_router(sub.router)\n',
    });
    expect(routeTable(p, { module: 'm', name: 'app' }).routes.map((r) => r.conditions)).toEqual([['FLAG']]);
  });

  it('reads an aggregator router that includes prefix-less sub-routers through relative imports', () => {
    const p = project({
      'pkg/__init__.py': '',
      'pkg/routes_a.py': 'from fastapi import APIRouter\nrouter = APIRouter()\n@router.get("/a/{x}")\ndef a(x): ...\n',
      'pkg/routes_b.py': 'from fastapi import APIRouter\nrouter = APIRouter()\n@router.get("/a/fixed")\ndef b(): ...\n',
      'pkg/routes.py': [
        'from fastapi import APIRouter',
        'from . import routes_a',
        'from .routes_b import router as b_router',
        'router = APIRouter(prefix="/api", tags=["t"])',
        'router.include_router(b_router)',
        'router.include_router(routes_a.router)',
        '',
      ].join('\n'),
    });
    const table = routeTable(p, { module: 'pkg.routes', name: 'router' });
    expect(brief(table.routes)).toEqual(['GET /api/a/fixed b', 'GET /api/a/{x} a']);
    expect(table.routes.map((r) => r.tags)).toEqual([['t'], ['t']]);
  });

  it('registers stacked decorators bottom-up and reads add_api_route, websocket and mount', () => {
    const p = project({
      'm.py': [
        'from fastapi import FastAPI',
        'from fastapi.staticfiles import StaticFiles',
        'app = FastAPI(openapi_url=None)',
        '@app.get("/second")',
        '@app.get("/first")',
        'def both(): ...',
        'def plain(): ...',
        'app.add_api_route("/plain", plain, methods=["PUT"], name="plain_put")',
        '@app.websocket("/ws")',
        'async def ws(websocket): ...',
        'app.mount("/static", StaticFiles(directory="s"), name="static")',
        '',
      ].join('\n'),
    });
    expect(brief(routeTable(p, { module: 'm', name: 'app' }).routes)).toEqual([
      'GET /first both',
      'GET /second both',
      'PUT /plain plain_put',
      'websocket /ws ws',
      'mount /static static',
    ]);
  });

  it('resolves prefixes from constants and f-strings, and records module-level if conditions', () => {
    const p = project({
      'consts.py': 'API = "/api"\n',
      'm.py': [
        'from fastapi import APIRouter',
        'from consts import API',
        'VERSION = "v1"',
        'router = APIRouter(prefix=f"{API}/{VERSION}")',
        'if SETTINGS.LEGACY:',
        '    @router.get("/", include_in_schema=False)',
        '    def legacy(): ...',
        'else:',
        '    @router.get("/new")',
        '    def new(): ...',
        '',
      ].join('\n'),
    });
    const table = routeTable(p, { module: 'm', name: 'router' });
    expect(table.routes.map((r) => [r.path, r.conditions, r.options])).toEqual([
      ['/api/v1/', ['SETTINGS.LEGACY'], { include_in_schema: 'False' }],
      ['/api/v1/new', ['not (SETTINGS.LEGACY)'], {}],
    ]);
  });

  it('warns about what it cannot follow instead of guessing', () => {
    const p = project({
      'm.py': 'from fastapi import APIRouter\nfrom elsewhere import other\nrouter = APIRouter(prefix=make_prefix())\nrouter.include_router(other)\n@router.get("/x")\ndef x(): ...\n',
    });
    const table = routeTable(p, { module: 'm', name: 'router' });
    expect(table.routes.map((r) => r.path)).toEqual(['{?make_prefix()}/x']);
    expect(table.warnings).toEqual([
      'm.py:3: path part `make_prefix()` is not a literal string',
      'm.py:4: cannot resolve included router `other`; its routes are not listed',
    ]);
  });

  it('throws a one-line error when the root is not a router', () => {
    const p = project({ 'm.py': 'router = 1\n' });
    expect(() => routeTable(p, { module: 'm', name: 'router' })).toThrow('m.py: "router" is not an APIRouter or FastAPI object');
  });

  it('ignores look-alike calls not imported from fastapi', () => {
    const p = project({ 'm.py': 'class APIRouter: ...\nrouter = APIRouter()\n' });
    expect(findRouters(p)).toEqual([]);
  });
});

describe('routesOverlap', () => {
  const route = (methods: string[], path: string, kind: FastApiRoute['kind'] = 'http'): FastApiRoute => ({
    kind, methods, path, name: 'x', endpoint: null, module: null, statusCode: null, responseModel: null, tags: [], dependencies: [],
    summary: null, docstring: null, options: {}, conditions: [], file: 'm.py', line: 1,
  });

  it.each([
    ['/models/{name}/config', '/models/operations/{id}', true],
    ['/models/usage', '/models/{name}', true],
    ['/models/usage', '/models/news', false],
    ['/models/{name}', '/models/{name}/config', false],
    ['/files/{p:path}', '/files/a/b/c', true],
    ['/files/{p:path}', '/files', false],
    ['/items/{id:int}', '/items/me', false],
    ['/items/{id:int}', '/items/42', true],
    ['/items/{id}.json', '/items/a.json', true],
    ['/items/{id}.json', '/items/a.xml', false],
  ])('%s vs %s -> %s', (a, b, expected) => {
    expect(pathPatternsOverlap(a, b)).toBe(expected);
    expect(pathPatternsOverlap(b, a)).toBe(expected);
  });

  it('needs a common method, and never mixes websocket and http', () => {
    expect(routesOverlap(route(['GET'], '/a/{x}'), route(['POST'], '/a/b'))).toBe(false);
    expect(routesOverlap(route(['GET', 'POST'], '/a/{x}'), route(['POST'], '/a/b'))).toBe(true);
    expect(routesOverlap(route([], '/ws', 'websocket'), route(['GET'], '/ws'))).toBe(false);
    expect(routesOverlap(route([], '/static', 'mount'), route(['GET'], '/static/app.js'))).toBe(true);
  });

  it('formats one line per route', () => {
    expect(formatRoute({ ...route(['GET'], '/a'), statusCode: '201', tags: ['t'] })).toBe('GET     /a  x  [status=201; tags=t]');
  });
});
