/** Spec fields of `split-router` (JSON Schema draft-07); the TypeScript type below mirrors it. */
export const splitRouterSchema = {
  type: 'object',
  required: ['module', 'groups'],
  properties: {
    module: {
      type: 'string',
      minLength: 1,
      description:
        'The routes module to split (dotted `app.api.routes.items` or path `app/api/routes/items.py`). It stays as the aggregator: it keeps its APIRouter (prefix, tags, dependencies), includes the sub-routers in an order that keeps every overlapping route pair in order, and re-exports every name other code, tests and patch targets use.',
    },
    router: {
      type: 'string',
      default: 'router',
      pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
      description: 'Name of the module-level `APIRouter(...)` whose decorated endpoints are split.',
    },
    groups: {
      type: 'array',
      minItems: 1,
      description:
        'One sub-router module per group. Every endpoint of the router must land in exactly one group. Each group module gets its own prefix-less `APIRouter()` (its `route_class` copied), so full paths, methods, status codes, response models, tags, dependencies, names and docstrings stay as they are.',
      items: {
        type: 'object',
        required: ['module'],
        additionalProperties: false,
        properties: {
          module: {
            type: 'string',
            minLength: 1,
            description: 'The new module (dotted or path); it must not exist yet and must sit in the same package directory as `module`.',
          },
          endpoints: {
            type: 'array',
            items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
            uniqueItems: true,
            description: 'Endpoint functions (by name) of this group.',
          },
          paths: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description:
              'Path patterns selecting endpoints by route path: the decorator path or the full path (router prefix included). `*` matches within one segment, `**` across segments. Names in `endpoints` of another group win over patterns.',
          },
          rest: {
            type: 'boolean',
            default: false,
            description: 'This group also takes every endpoint no other group selects (at most one group).',
          },
          docstring: { type: 'string', description: 'Module docstring of the new module (default: one naming the source module and the group).' },
        },
      },
    },
    shared: {
      type: 'string',
      minLength: 1,
      description:
        'Module for the helpers (functions, classes, constants) used by endpoints of several groups (default `<module>_common`). Created only when needed.',
    },
    state: {
      type: 'string',
      minLength: 1,
      description:
        'The one owner module of the module state (default `<module>_state`): names rebound through `global` (with the functions rebinding them, e.g. `set_dependencies`), names other code assigns through the module (`routes._x = ...`), and names tests patch whole (`patch("pkg.routes.name")`) that several modules look up. Every other module reads them as `<state>.<name>`, never through `from ... import`, so one value is seen everywhere. Created only when needed.',
    },
  },
} as const;

/** One group of `split-router`. */
export interface SplitRouterGroup {
  module: string;
  endpoints?: string[];
  paths?: string[];
  rest?: boolean;
  docstring?: string;
}

/** Parameters of one `split-router` step, defaults not applied. */
export interface SplitRouterParams {
  module: string;
  router?: string;
  groups: SplitRouterGroup[];
  shared?: string;
  state?: string;
}
