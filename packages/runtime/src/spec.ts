import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ErrorObject, SchemaValidateFunction, ValidateFunction } from 'ajv';
import type { Document, LineCounter } from 'yaml';
import { SpecError } from './errors.js';
import type { Operation } from './operation.js';

/**
 * Ajv and yaml are loaded on first use, not when the runtime is imported: commands that read no spec (verify,
 * review, routes) never load them. Both ship CommonJS, so a synchronous `require` keeps `loadSpec` synchronous.
 */
const requireLazy = createRequire(import.meta.url);
const loadAjv = (): typeof import('ajv') => requireLazy('ajv');
const loadYaml = (): typeof import('yaml') => requireLazy('yaml');

/** The operations a run can use, by `op` name. Built by the CLI and passed in; the runtime never imports operations. */
export type OperationRegistry = ReadonlyMap<string, Operation<any>>;

/** One step of a codemod: an operation name and its parameters. */
export interface StepSpec {
  op: string;
  params: Record<string, unknown>;
  /** 1-based line of the step in the spec file. */
  line: number;
}

/** A parsed and validated codemod spec (`codemods/<id>.yaml`). */
export interface CodemodSpec {
  id: string;
  title: string;
  rationale: string;
  steps: StepSpec[];
  /** Path of the spec file as given. */
  file: string;
}

/** JSON Schema (draft-07) of the codemod format, with one `if/then` branch per registered operation. */
export function codemodSchema(registry: OperationRegistry): Record<string, unknown> {
  const names = [...registry.keys()].sort();
  return envelopeSchema(names, {
    allOf: names.map((name) => ({
      if: { properties: { op: { const: name } } },
      then: withOp(registry.get(name)!.schema),
    })),
  });
}

/** The codemod format around the steps' parameters; `stepRules` checks each step against its operation's schema. */
function envelopeSchema(names: string[], stepRules: Record<string, unknown>): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://remodel.dev/schema/codemod.json',
    title: 'remodel codemod',
    description: 'A declarative refactoring: ordered steps, each an operation with its parameters.',
    type: 'object',
    additionalProperties: false,
    required: ['id', 'title', 'steps'],
    properties: {
      $schema: { type: 'string' },
      id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', description: 'Unique id, equal to the file name without `.yaml`; used in commit messages (`refactor(<id>): ...`).' },
      title: { type: 'string', minLength: 1, description: 'One-line summary, used as the commit subject and in `remodel list`.' },
      rationale: { type: 'string', description: 'Why this refactor: free text quoted by the change report.' },
      steps: {
        type: 'array',
        minItems: 1,
        description: 'Operations applied in order; each step sees the code the previous one produced.',
        items: {
          type: 'object',
          required: ['op'],
          properties: { op: { enum: names, description: 'Operation name.' } },
          ...stepRules,
        },
      },
    },
  };
}

function withOp(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = { ...(schema.properties as Record<string, unknown> | undefined), op: { type: 'string' } };
  return { ...schema, type: 'object', properties, additionalProperties: false };
}

/** Ajv keyword standing in for the `allOf` of {@link codemodSchema} in the compiled envelope. */
const STEP_PARAMS = 'remodelStepParams';

const validators = new WeakMap<OperationRegistry, { names: string; validate: ValidateFunction }>();

/**
 * Validator of {@link codemodSchema} that compiles only what a spec uses: the envelope once per registry, and each
 * operation's parameter schema the first time a step names it. A custom keyword takes the place of the `if/then`
 * branches, at the same position, so errors come out in the order the whole schema would give them.
 */
function specValidator(registry: OperationRegistry): ValidateFunction {
  const names = [...registry.keys()].sort();
  const cached = validators.get(registry);
  if (cached && cached.names === names.join('\n')) return cached.validate;
  const { Ajv } = loadAjv();
  // Each validator runs a few times per process, so compiling fast beats running fast: no meta-schema check (compiling
  // draft-07's own validator costs more than everything else here; tests/meta.test.ts checks the published schema
  // against draft-07 instead) and no optimisation pass over the generated code.
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, code: { optimize: false } });
  const compiled = new Map<Operation<any>, ValidateFunction>();
  const paramsValidator = (op: Operation<any>): ValidateFunction => {
    let validate = compiled.get(op);
    if (!validate) {
      validate = ajv.compile(withOp(op.schema));
      compiled.set(op, validate);
    }
    return validate;
  };
  const stepParams: SchemaValidateFunction = (_schema, step, _parent, cxt) => {
    const errors: ErrorObject[] = [];
    for (const op of branchesFor(step, names, registry)) {
      const validate = paramsValidator(op);
      if (validate(step)) continue;
      for (const error of validate.errors ?? []) errors.push({ ...error, instancePath: `${cxt?.instancePath ?? ''}${error.instancePath}` });
    }
    stepParams.errors = errors;
    return errors.length === 0;
  };
  ajv.addKeyword({ keyword: STEP_PARAMS, schemaType: 'boolean', errors: true, validate: stepParams });
  const validate = ajv.compile(envelopeSchema(names, { [STEP_PARAMS]: true }));
  validators.set(registry, { names: names.join('\n'), validate });
  return validate;
}

/**
 * The operations whose `if: {properties: {op: {const}}}` branch holds for a step: the one it names; none when
 * `op` is not a registered name; every one when the step is not an object or has no `op`, since `properties`
 * then holds vacuously (as in the published schema).
 */
function branchesFor(step: unknown, names: string[], registry: OperationRegistry): Operation<any>[] {
  const isObject = typeof step === 'object' && step !== null && !Array.isArray(step);
  const op = isObject ? (step as Record<string, unknown>).op : undefined;
  if (op === undefined) return names.map((name) => registry.get(name)!);
  return typeof op === 'string' && registry.has(op) ? [registry.get(op)!] : [];
}

/** Reads and validates a spec file; errors name the file, line and field. */
export function loadSpec(file: string, registry: OperationRegistry): CodemodSpec {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    throw new SpecError('spec-unreadable', `${file}: cannot read codemod spec`);
  }
  return parseSpec(source, file, registry);
}

/** Parses spec text (see {@link loadSpec}). */
export function parseSpec(source: string, file: string, registry: OperationRegistry): CodemodSpec {
  const { LineCounter, parseDocument } = loadYaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const line = lineCounter.linePos(err.pos[0]).line;
    throw new SpecError('spec-yaml', `${file}:${line}: invalid YAML: ${err.message.split('\n')[0]}`);
  }
  const data = doc.toJS() as unknown;
  const validate = specValidator(registry);
  if (!validate(data)) {
    const error = mostSpecificError(validate.errors ?? []);
    const at = fieldPath(error);
    const line = lineOf(doc, lineCounter, at);
    throw new SpecError('spec-invalid', `${file}:${line}: ${fieldName(at)}: ${describe(error)}`);
  }
  const spec = data as { id: string; title: string; rationale?: string; steps: Array<Record<string, unknown>> };
  const expectedId = path.basename(file).replace(/\.ya?ml$/, '');
  if (/\.ya?ml$/.test(file) && spec.id !== expectedId) {
    throw new SpecError('spec-id', `${file}:${lineOf(doc, lineCounter, ['id'])}: id: "${spec.id}" must equal the file name "${expectedId}"`);
  }
  return {
    id: spec.id,
    title: spec.title,
    rationale: (spec.rationale ?? '').trim(),
    file,
    steps: spec.steps.map((step, i) => {
      const { op, ...params } = step;
      return { op: op as string, params, line: lineOf(doc, lineCounter, ['steps', i]) };
    }),
  };
}

function mostSpecificError(errors: ErrorObject[]): ErrorObject {
  // Without `op` no parameter of the step can be judged: say that, not which parameter some operation lacks.
  const noOp = errors.find((e) => e.keyword === 'required' && (e.params as { missingProperty?: string }).missingProperty === 'op');
  if (noOp) return noOp;
  const useful = errors.filter((e) => e.keyword !== 'if');
  const pool = useful.length > 0 ? useful : errors;
  return pool.reduce((best, e) => (e.instancePath.length > best.instancePath.length ? e : best), pool[0]);
}

function pointerToPath(pointer: string): Array<string | number> {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map((p) => {
    const s = p.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(s) ? Number(s) : s;
  });
}

/** Path of the offending field: the instance path, plus the missing or unknown property it names. */
function fieldPath(error: ErrorObject): Array<string | number> {
  const parts = pointerToPath(error.instancePath);
  if (error.keyword === 'required') parts.push((error.params as { missingProperty: string }).missingProperty);
  if (error.keyword === 'additionalProperties') parts.push((error.params as { additionalProperty: string }).additionalProperty);
  return parts;
}

function fieldName(parts: Array<string | number>): string {
  if (parts.length === 0) return '(root)';
  return parts.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'enum':
      return `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    default:
      return error.message ?? 'is invalid';
  }
}

function lineOf(doc: Document, lineCounter: LineCounter, at: Array<string | number>): number {
  const { isNode } = loadYaml();
  for (let n = at.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(at.slice(0, n), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return 1;
}
