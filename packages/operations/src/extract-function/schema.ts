/** Spec fields of `extract-function` (JSON Schema draft-07); the TypeScript type below mirrors it. */
export const extractFunctionSchema = {
  type: 'object',
  required: ['to', 'name', 'expression', 'modules'],
  properties: {
    to: {
      type: 'string',
      minLength: 1,
      description:
        'Module that receives the new function: dotted (`app.core.utils`) or a project-relative path. Created when missing (its package must exist); otherwise the function is appended to it.',
    },
    name: {
      type: 'string',
      pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
      description: 'Name of the new function. A second run finds it in `to` with the same body and does nothing.',
    },
    expression: {
      type: 'string',
      minLength: 1,
      description:
        'The repeated expression, as Python source (`not model_name or not re.match(r"^[\\w.:-]+$", model_name)`). An occurrence must have the same tokens (layout and comments aside); identifiers listed in `parameters` may be any identifier at each occurrence. Every other name it reads must be a module-level name of each occurring module bound to the same thing everywhere (the same import, or a builtin); the new module imports it the same way.',
    },
    parameters: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*(: *[^:]+)?$' },
      description:
        'The identifiers of `expression` that vary between occurrences, in the order the function takes them, optionally annotated (`model_name: str`). Each occurrence passes its own identifier (a local, a parameter or a global): loading a name has no effect, so evaluation order and results stay the same.',
    },
    returns: {
      type: 'string',
      minLength: 1,
      description: 'Return annotation of the new function (`bool`). Default: none.',
    },
    docstring: {
      type: 'string',
      minLength: 1,
      description: 'Docstring of the new function.',
    },
    'module-docstring': {
      type: 'string',
      minLength: 1,
      description: 'Docstring of `to` when this step creates it. Default: "Helpers shared by <the modules with occurrences>."',
    },
    modules: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', minLength: 1 },
      description:
        'Where occurrences are replaced: project-relative paths with `*` (any characters but `/`) and `**` (any path) wildcards, or dotted module names. Modules that do not exist match nothing. Each module that had an occurrence imports the function from `to`; imports only the expression used are removed when nothing else uses them.',
    },
  },
} as const;

/** Parameters of one `extract-function` step, defaults not applied. */
export interface ExtractFunctionParams {
  to: string;
  name: string;
  expression: string;
  parameters?: string[];
  returns?: string;
  docstring?: string;
  'module-docstring'?: string;
  modules: string[];
}
