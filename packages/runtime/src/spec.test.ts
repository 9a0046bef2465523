import { SpecError } from './errors.js';
import { defineOperation } from './operation.js';
import { codemodSchema, parseSpec } from './spec.js';

const moveOp = defineOperation<{ from: string; symbols: string[] }>({
  name: 'move-things',
  description: 'test op',
  schema: {
    type: 'object',
    required: ['from', 'symbols'],
    properties: {
      from: { type: 'string', description: 'source module' },
      symbols: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'names' },
    },
  },
  plan: () => undefined,
});
const registry = new Map([[moveOp.name, moveOp]]);

const valid = `id: demo
title: Demo codemod
rationale: |
  Because.
steps:
  - op: move-things
    from: a
    symbols: [X]
`;

function specError(text: string, file = 'codemods/demo.yaml'): SpecError {
  try {
    parseSpec(text, file, registry);
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw error;
  }
  throw new Error('expected a SpecError');
}

describe('parseSpec', () => {
  it('reads id, title, rationale and steps with their lines', () => {
    const spec = parseSpec(valid, 'codemods/demo.yaml', registry);
    expect(spec).toMatchObject({ id: 'demo', title: 'Demo codemod', rationale: 'Because.' });
    expect(spec.steps).toEqual([{ op: 'move-things', params: { from: 'a', symbols: ['X'] }, line: 6 }]);
  });

  it('names file, line and field of a wrong type', () => {
    const error = specError(valid.replace('symbols: [X]', 'symbols: X'));
    expect(error.message).toBe('codemods/demo.yaml:8: steps[0].symbols: must be array');
    expect(error.exitCode).toBe(2);
  });

  it('names a missing required field', () => {
    expect(specError(valid.replace('    from: a\n', '')).message).toBe('codemods/demo.yaml:6: steps[0].from: is required');
  });

  it('rejects unknown fields of a step', () => {
    expect(specError(valid.replace('from: a', 'from: a\n    form: b')).message).toBe('codemods/demo.yaml:8: steps[0].form: is not a known field');
  });

  it('rejects an unknown operation', () => {
    expect(specError(valid.replace('op: move-things', 'op: teleport')).message).toBe('codemods/demo.yaml:6: steps[0].op: must be one of move-things');
  });

  it('reports YAML syntax errors with a line', () => {
    expect(specError('id: demo\ntitle: [unclosed\n').message).toMatch(/^codemods\/demo\.yaml:3: invalid YAML: Flow sequence/);
  });

  it('requires the id to equal the file name', () => {
    expect(specError(valid, 'codemods/other.yaml').message).toBe('codemods/other.yaml:1: id: "demo" must equal the file name "other"');
  });
});

describe('codemodSchema', () => {
  it('has one conditional branch per operation and documents each field', () => {
    const schema = codemodSchema(registry) as { properties: { steps: { items: { allOf: unknown[] } } } };
    expect(schema.properties.steps.items.allOf).toHaveLength(1);
    expect(JSON.stringify(schema)).toContain('source module');
  });
});
