/** Spec fields of `extract-shared-helper` (JSON Schema draft-07); the TypeScript type below mirrors it. */
export const extractSharedHelperSchema = {
  type: 'object',
  required: ['module', 'helpers'],
  properties: {
    module: {
      type: 'string',
      minLength: 1,
      description: 'Module holding the duplicated functions or methods (dotted or path); the helpers are defined there, before the first statement that holds a duplicate (move them elsewhere afterwards with move-symbols).',
    },
    helpers: {
      type: 'array',
      minItems: 1,
      description:
        'One entry per helper to create. Each selected body must be the same as the others up to the names of parameters and local variables (and, when `parameters` is given, up to literals). Each function keeps its place, decorators, signature and docstring; its body becomes `return <helper>(...)` with its own literals passed, so error messages stay word for word.',
      items: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: {
            type: 'string',
            pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
            description: 'Name of the new module-level helper function.',
          },
          functions: {
            type: 'array',
            minItems: 2,
            uniqueItems: true,
            items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?$' },
            description: 'The duplicates, as `function` or `Class.method` of `module`.',
          },
          match: {
            type: 'string',
            minLength: 1,
            description:
              'Instead of `functions`: a pattern over `function` / `Class.method` names (`*` = any characters, e.g. `*Request.validate_name`); every match must be a duplicate of the others (at least two).',
          },
          parameters: {
            type: 'array',
            uniqueItems: true,
            items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
            description:
              'Names for the literals that differ between the duplicates, in order of first appearance (literals that always differ together share one name). Without it, any differing literal refuses the step and the error lists them.',
          },
        },
        oneOf: [{ required: ['functions'] }, { required: ['match'] }],
      },
    },
  },
} as const;

/** One helper of `extract-shared-helper`. */
export interface SharedHelperSpec {
  name: string;
  functions?: string[];
  match?: string;
  parameters?: string[];
}

/** Parameters of one `extract-shared-helper` step, defaults not applied. */
export interface ExtractSharedHelperParams {
  module: string;
  helpers: SharedHelperSpec[];
}
