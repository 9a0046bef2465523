import type { CommandModule } from 'yargs';
import { preloadPython } from '../preload.js';

export interface RoutesArgs {
  root: string;
  json: boolean;
  app?: string;
}

/**
 * `remodel routes`: the FastAPI application's route table, read statically, in registration order (one route per
 * line; `--json` for a list of objects). The app is the project's module-level `FastAPI(...)` assignment, or the
 * one named by `--app module:var` (any APIRouter works too). Routes the extractor could not follow are reported on
 * stderr.
 */
export const routesCommand: CommandModule<object, RoutesArgs> = {
  command: 'routes',
  describe: "Print the FastAPI app's routes in registration order (read statically)",
  builder: (y) =>
    y
      .option('root', { type: 'string', default: '.', describe: 'Project root' })
      .option('app', { type: 'string', describe: 'The app (or router) as module:variable, e.g. venom_core.main:app' })
      .option('json', { type: 'boolean', default: false, describe: 'Print a JSON list of {methods, path, name, status_code, response_model, tags}' }) as never,
  // The project model and the route extractor are loaded only when the command runs.
  handler: async (args) => {
    preloadPython();
    return (await import('../list-routes.js')).listRoutes(args);
  },
};
