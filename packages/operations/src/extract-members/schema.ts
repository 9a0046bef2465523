/** Spec fields of `extract-members` (JSON Schema draft-07); the TypeScript types below mirror it. */
export const extractMembersSchema = {
  type: 'object',
  required: ['module', 'class', 'groups'],
  properties: {
    module: {
      type: 'string',
      minLength: 1,
      description: 'Module holding the class: a dotted module name (`app.core.orchestrator`) or a project-relative path (`app/core/orchestrator.py`).',
    },
    class: {
      type: 'string',
      pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
      description: 'Top-level class whose members are extracted. It stays in `module` and keeps its public API.',
    },
    groups: {
      type: 'array',
      minItems: 1,
      description: 'Groups of members, each extracted into a new class. A member may appear in one group only; members not named stay byte-identical.',
      items: {
        type: 'object',
        required: ['name', 'module', 'style', 'members'],
        additionalProperties: false,
        properties: {
          name: {
            type: 'string',
            pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
            description: 'Name of the new class (`QueueMixin` for a mixin, `TaskQueue` for a collaborator).',
          },
          module: {
            type: 'string',
            minLength: 1,
            description:
              'Module receiving the new class, dotted or as a path. Created when missing (several groups may share one module); it must not be `module` itself. Its package must already exist.',
          },
          style: {
            enum: ['mixin', 'delegate'],
            description:
              '`mixin`: the class inherits from the new class (placed before its original bases), so every `self.x` keeps working unchanged. `delegate`: the new class is a collaborator built in `__init__`; the class keeps thin delegating members with the same names, signatures, decorators, docstrings and async-ness.',
          },
          members: {
            type: 'array',
            minItems: 1,
            uniqueItems: true,
            items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
            description:
              'Names of the members to move: methods (sync or async), properties (getter, setter and deleter move together), staticmethods, classmethods (mixin only) and class attributes. Comments directly above a member move with it.',
          },
          attribute: {
            type: 'string',
            pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
            description: 'Delegate only: attribute of the class holding the collaborator. Default: `_` + the snake_case of `name`.',
          },
          coupling: {
            enum: ['keep-on-owner', 'refuse'],
            default: 'keep-on-owner',
            description:
              'Delegate only: what to do with attributes the group writes that other code reads (or that other code rebinds while the group reads them). `keep-on-owner` leaves them on the class and has the collaborator reach them through its owner (each is reported); `refuse` stops the step and lists them.',
          },
          rationale: {
            type: 'string',
            description: 'One line saying why these members belong together and why this style; it becomes the new class docstring and is quoted in the report.',
          },
        },
      },
    },
  },
} as const;

/** One group of an `extract-members` step. */
export interface MemberGroupSpec {
  name: string;
  module: string;
  style: 'mixin' | 'delegate';
  members: string[];
  attribute?: string;
  coupling?: 'keep-on-owner' | 'refuse';
  rationale?: string;
}

/** Parameters of one `extract-members` step, defaults not applied. */
export interface ExtractMembersParams {
  module: string;
  class: string;
  groups: MemberGroupSpec[];
}
