import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { SpecError } from './errors.js';
import type { Operation } from './operation.js';

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
          allOf: names.map((name) => ({
            if: { properties: { op: { const: name } } },
            then: withOp(registry.get(name)!.schema),
          })),
        },
      },
    },
  };
}

function withOp(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = { ...(schema.properties as Record<string, unknown> | undefined), op: { type: 'string' } };
  return { ...schema, type: 'object', properties, additionalProperties: false };
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
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const line = lineCounter.linePos(err.pos[0]).line;
    throw new SpecError('spec-yaml', `${file}:${line}: invalid YAML: ${err.message.split('\n')[0]}`);
  }
  const data = doc.toJS() as unknown;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(codemodSchema(registry));
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
  for (let n = at.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(at.slice(0, n), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return 1;
}
