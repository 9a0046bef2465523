import { jest } from '@jest/globals';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yargs from 'yargs';
import { routesCommand } from './routes.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'remodel-routes-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), text);
  }
  return dir;
}

async function run(args: string[]): Promise<{ out: string; err: string; error: unknown }> {
  let out = '';
  let err = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  let error: unknown = null;
  try {
    await yargs(args).command(routesCommand).strict().fail((msg, e2) => { throw e2 ?? new Error(msg); }).parseAsync();
  } catch (x) {
    error = x;
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  return { out, err, error };
}

const APP = {
  'shop/__init__.py': '',
  'shop/api.py': 'from fastapi import APIRouter\nrouter = APIRouter(prefix="/api", tags=["shop"])\n@router.get("/items/{id}", status_code=200, response_model=dict)\ndef item(id): ...\n@router.post("/items")\ndef add(): ...\n',
  'shop/main.py': 'from fastapi import FastAPI\nfrom shop import api\napp = FastAPI(openapi_url=None)\napp.include_router(api.router)\napp.include_router(unknown.router)\n',
};

describe('remodel routes', () => {
  it('prints the app table in registration order, one route per line, and warnings on stderr', async () => {
    const { out, err, error } = await run(['routes', '--root', tree(APP)]);
    expect(error).toBeNull();
    expect(out).toBe('GET     /api/items/{id}  item  [status=200; model=dict; tags=shop]\nPOST    /api/items  add  [tags=shop]\n');
    expect(err.split('\n').filter((l) => l.startsWith('remodel:')).join('\n') + '\n').toBe('remodel: warning: shop/main.py:5: cannot resolve included router `unknown.router`; its routes are not listed\n');
  });

  it('prints JSON objects with methods, path, name, status_code, response_model, tags', async () => {
    const { out } = await run(['routes', '--root', tree(APP), '--json']);
    const routes = JSON.parse(out) as Record<string, unknown>[];
    expect(routes.map(({ methods, path: p, name, status_code, response_model, tags }) => ({ methods, path: p, name, status_code, response_model, tags }))).toEqual([
      { methods: ['GET'], path: '/api/items/{id}', name: 'item', status_code: 200, response_model: 'dict', tags: ['shop'] },
      { methods: ['POST'], path: '/api/items', name: 'add', status_code: null, response_model: null, tags: ['shop'] },
    ]);
  });

  it('reads a router chosen with --app', async () => {
    const { out } = await run(['routes', '--root', tree(APP), '--app', 'shop.api:router']);
    expect(out.split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('refuses with a one-line usage error when there is no app or several', async () => {
    const none = await run(['routes', '--root', tree({ 'a.py': 'x = 1\n' })]);
    expect((none.error as { code: string; exitCode: number }).code).toBe('routes-no-app');
    expect((none.error as { exitCode: number }).exitCode).toBe(2);
    const two = await run(['routes', '--root', tree({ 'a.py': 'from fastapi import FastAPI\napp = FastAPI()\n', 'b.py': 'import fastapi\nweb = fastapi.FastAPI()\n' })]);
    expect((two.error as { code: string }).code).toBe('routes-many-apps');
    expect((two.error as Error).message).toMatch(/: a:app, b:web; choose one with --app$/);
    const bad = await run(['routes', '--root', tree(APP), '--app', 'shop.api']);
    expect((bad.error as { code: string }).code).toBe('routes-app');
    const notRouter = await run(['routes', '--root', tree(APP), '--app', 'shop.api:item']);
    expect((notRouter.error as Error).message).toBe('--app shop.api:item: shop/api.py: "item" is not an APIRouter or FastAPI object');
  });
});
