import path from 'node:path';
import { findApps, findRouters, formatRoute, routeTable, type FastApiRoute, type Project, type RouterRef } from '@remodel/python';
import { SpecError } from '@remodel/runtime';
import { openProject } from './session.js';
import type { RoutesArgs as Args } from './commands/routes.js';

/** `remodel routes`: prints the app's route table (see `routesCommand`). */
export async function listRoutes(args: Args): Promise<void> {
  const root = path.resolve(args.root);
  const { project } = await openProject(root);
  const app = chooseApp(project, args.app, root);
  let table;
  try {
    table = routeTable(project, app);
  } catch (error) {
    throw new SpecError('routes-app', `--app ${app.module}:${app.name}: ${(error as Error).message}`);
  }
  if (args.json) process.stdout.write(`${JSON.stringify(table.routes.map(routeJson), null, 2)}\n`);
  else process.stdout.write(table.routes.map((r) => `${formatRoute(r)}\n`).join(''));
  for (const warning of table.warnings) process.stderr.write(`remodel: warning: ${warning}\n`);
}

function chooseApp(project: Project, choice: string | undefined, root: string): RouterRef | { module: string; name: string } {
  if (choice) {
    const m = /^([A-Za-z_][\w.]*):([A-Za-z_]\w*)$/.exec(choice);
    if (!m) throw new SpecError('routes-app', `--app ${choice}: expected module:variable, e.g. venom_core.main:app`);
    if (!project.fileOfModule(m[1])) throw new SpecError('routes-app', `--app ${choice}: no module ${m[1]} under ${root}`);
    return { module: m[1], name: m[2] };
  }
  const apps = findApps(project);
  if (apps.length === 1) return apps[0];
  if (apps.length === 0) {
    const routers = findRouters(project).length;
    throw new SpecError('routes-no-app', `no module-level FastAPI(...) app under ${root}${routers ? ` (${routers} APIRouter objects found)` : ''}; name one with --app module:variable`);
  }
  throw new SpecError('routes-many-apps', `several FastAPI apps under ${root}: ${apps.map((a) => `${a.module}:${a.name}`).join(', ')}; choose one with --app`);
}

function routeJson(r: FastApiRoute): Record<string, unknown> {
  return {
    methods: r.kind === 'http' ? r.methods : [],
    path: r.path,
    name: r.name,
    status_code: r.statusCode !== null && /^\d+$/.test(r.statusCode) ? Number(r.statusCode) : r.statusCode,
    response_model: r.responseModel,
    tags: r.tags,
    kind: r.kind,
    endpoint: r.endpoint,
    module: r.module,
    conditions: r.conditions,
    file: r.file,
    line: r.line,
  };
}
