import { loadPython, Project } from '@remodel/python';
import { routesCheck } from './routes.js';

beforeAll(loadPython);

function project(files: Record<string, string>): Project {
  return new Project(Object.entries(files).map(([path, text]) => ({ path, text })));
}

const BEFORE = {
  'api/__init__.py': '',
  'api/items.py': [
    'from fastapi import APIRouter',
    'from api.schemas import Item',
    'router = APIRouter(prefix="/api", tags=["items"])',
    '@router.get("/items/special", response_model=Item)',
    'def special(): ...',
    '@router.get("/items/{item_id}", response_model=Item)',
    'def get_item(item_id: str): ...',
    '@router.post("/other")',
    'def other(): ...',
    '',
  ].join('\n'),
  'api/schemas.py': 'class Item: ...\n',
  'main.py': 'from fastapi import FastAPI\nfrom api import items\napp = FastAPI()\napp.include_router(items.router)\n',
};

/** The router split in two prefix-less sub-routers, included in `order`. */
function split(order: string[], subTags = '', model = 'Item'): Record<string, string> {
  const files: Record<string, string> = {
    ...BEFORE,
    'api/items_read.py': [
      'from fastapi import APIRouter',
      'from api import schemas',
      `router = APIRouter(${subTags})`,
      `@router.get("/items/special", response_model=${model === 'Item' ? 'schemas.Item' : model})`,
      'def special(): ...',
      `@router.get("/items/{item_id}", response_model=${model === 'Item' ? 'schemas.Item' : model})`,
      'def get_item(item_id: str): ...',
      '',
    ].join('\n'),
    'api/items_special.py': 'from fastapi import APIRouter\nrouter = APIRouter()\n',
    'api/items_other.py': 'from fastapi import APIRouter\nrouter = APIRouter()\n@router.post("/other")\ndef other(): ...\n',
    'api/items.py': [
      'from fastapi import APIRouter',
      'from api import items_other, items_read',
      'router = APIRouter(prefix="/api", tags=["items"])',
      ...order.map((m) => `router.include_router(${m}.router)`),
      '',
    ].join('\n'),
  };
  return files;
}

const touched = ['api/items.py', 'api/items_read.py', 'api/items_other.py'];

describe('routesCheck', () => {
  it('accepts a split whose route table is equal and order-safe (module-qualified response models are the same model)', () => {
    expect(routesCheck({ before: project(BEFORE), after: project(split(['items_other', 'items_read'])), touched })).toEqual([]);
  });

  it('reports a removed route, route by route', () => {
    const after = { ...BEFORE, 'api/items.py': BEFORE['api/items.py'].replace('@router.post("/other")\ndef other(): ...\n', '') };
    const problems = routesCheck({ before: project(BEFORE), after: project(after), touched: ['api/items.py'] });
    expect(problems).toEqual([
      { path: 'api/items.py', line: 8, message: 'route removed: POST    /api/other  other  [tags=items] (from main:app)', check: 'routes' },
    ]);
  });

  it('reports overlapping routes whose relative order changed, and only those', () => {
    const files = split(['items_read', 'items_other']);
    files['api/items_read.py'] = files['api/items_read.py'].replace(
      /(@router.get\("\/items\/special".*\ndef special\(\): \.\.\.\n)(@router.get\("\/items\/\{item_id\}".*\ndef get_item\(item_id: str\): \.\.\.\n)/,
      '$2$1',
    );
    const problems = routesCheck({ before: project(BEFORE), after: project(files), touched });
    expect(problems.map((p) => p.message)).toEqual([
      'route order changed: GET /api/items/special (special) must come before GET /api/items/{item_id} (get_item); both can match the same request',
    ]);
    expect(problems[0]).toMatchObject({ path: 'api/items_read.py', line: 6 });
  });

  it('reports changed details such as tags doubled by a sub-router that repeats the parent tags', () => {
    const problems = routesCheck({ before: project(BEFORE), after: project(split(['items_read', 'items_other'], 'tags=["items"]')), touched });
    expect(problems.map((p) => p.message)).toEqual([
      'route changed: GET /api/items/special special: tags ["items"] -> ["items","items"]',
      'route changed: GET /api/items/{item_id} get_item: tags ["items"] -> ["items","items"]',
    ]);
  });

  it('reports a response model that is really different', () => {
    const problems = routesCheck({ before: project(BEFORE), after: project(split(['items_read', 'items_other'], '', 'dict')), touched });
    expect(problems.map((p) => p.message)[0]).toBe('route changed: GET /api/items/special special: response_model Item -> dict');
  });

  it('reports a route table that can no longer be read', () => {
    const after = { ...BEFORE, 'main.py': 'from fastapi import FastAPI\nfrom api import items\napp = FastAPI()\napp.include_router(make())\n' };
    const messages = routesCheck({ before: project(BEFORE), after: project(after), touched: ['main.py'] }).map((p) => p.message);
    expect(messages).toContain('route table cannot be fully read after the change: cannot resolve included router `make()`; its routes are not listed');
    expect(messages).toContain('route removed: GET     /api/items/special  special  [model=Item; tags=items] (from main:app)');
  });

  it('on a tree check, reports routes shadowed by an identical earlier route', () => {
    const tree = project({ 'm.py': 'from fastapi import FastAPI\napp = FastAPI(openapi_url=None)\n@app.get("/a")\ndef one(): ...\n@app.get("/a")\ndef two(): ...\n' });
    expect(routesCheck({ before: null, after: tree, touched: ['m.py'] })).toEqual([
      { path: 'm.py', line: 5, message: 'route GET /a (two) is never reached: one at m.py:3 has the same methods and path', check: 'routes' },
    ]);
  });
});
