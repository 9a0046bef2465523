import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { SpecError } from './errors.js';
import { defineOperation, type Operation } from './operation.js';
import { codemodSchema, parseSpec, type OperationRegistry } from './spec.js';

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
const renameOp = defineOperation<{ module: string; names?: string[] }>({
  name: 'rename-things',
  description: 'second test op',
  schema: {
    type: 'object',
    required: ['module'],
    properties: {
      module: { type: 'string', minLength: 1, description: 'module to rename in' },
      names: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z_]+$' }, description: 'names' },
    },
  },
  plan: () => undefined,
});
const registry = new Map([[moveOp.name, moveOp]]);
const twoOps = new Map<string, Operation<any>>([[moveOp.name, moveOp], [renameOp.name, renameOp]]);

const valid = `id: demo
title: Demo codemod
rationale: |
  Because.
steps:
  - op: move-things
    from: a
    symbols: [X]
`;

const twoSteps = `id: demo
title: Demo codemod
steps:
  - op: move-things
    from: a
    symbols: [X]
  - op: rename-things
    module: app.users
    names: [Y]
`;

function specError(text: string, file = 'codemods/demo.yaml', ops: OperationRegistry = registry): SpecError {
  try {
    parseSpec(text, file, ops);
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

describe('parseSpec with several operations', () => {
  it('checks each step against its own operation', () => {
    expect(parseSpec(twoSteps, 'codemods/demo.yaml', twoOps).steps.map((s) => [s.op, s.line])).toEqual([['move-things', 4], ['rename-things', 7]]);
    expect(specError(twoSteps.replace('module: app.users', 'module: 5'), undefined, twoOps).message).toBe('codemods/demo.yaml:8: steps[1].module: must be string');
    expect(specError(twoSteps.replace('symbols: [X]', 'symbols: []'), undefined, twoOps).message).toBe('codemods/demo.yaml:6: steps[0].symbols: must NOT have fewer than 1 items');
    expect(specError(twoSteps.replace('module: app.users', 'module: app.users\n    from: a'), undefined, twoOps).message).toBe('codemods/demo.yaml:9: steps[1].from: is not a known field');
  });

  it('reports the deepest error of the whole spec, whichever step it is in', () => {
    const both = twoSteps.replace('    from: a\n', '').replace('names: [Y]', 'names: [Y, "not a name"]');
    expect(specError(both, undefined, twoOps).message).toBe('codemods/demo.yaml:8: steps[1].names[1]: must match pattern "^[A-Za-z_]+$"');
    // Equally deep errors: the first step's wins.
    const tie = twoSteps.replace('symbols: [X]', 'symbols: X').replace('names: [Y]', 'names: [Y, "not a name"]');
    expect(specError(tie, undefined, twoOps).message).toBe('codemods/demo.yaml:6: steps[0].symbols: must be array');
  });

  it('compiles only the operations a spec uses, once per registry', () => {
    const reads = new Map<string, number>();
    const tracked = (op: Operation<any>): Operation<any> => ({
      ...op,
      get schema() {
        reads.set(op.name, (reads.get(op.name) ?? 0) + 1);
        return op.schema;
      },
    });
    const ops = new Map([moveOp, renameOp].map((op) => [op.name, tracked(op)]));
    parseSpec(valid, 'codemods/demo.yaml', ops);
    parseSpec(valid.replace('symbols: [X]', 'symbols: [X, Y]'), 'codemods/demo.yaml', ops);
    expect(Object.fromEntries(reads)).toEqual({ 'move-things': 1 });
    parseSpec(twoSteps, 'codemods/demo.yaml', ops);
    expect(Object.fromEntries(reads)).toEqual({ 'move-things': 1, 'rename-things': 1 });
  });

  // Validation compiles the schema piecewise; it must accept exactly what the published schema accepts.
  it.each([
    ['both steps valid', twoSteps],
    ['a field of the other operation', twoSteps.replace('names: [Y]', 'symbols: [Y]')],
    ['a step without op', twoSteps.replace('op: rename-things\n    ', '')],
    ['a step without op that fits one operation', twoSteps.replace('op: move-things\n    ', '')],
    ['a step that is not a mapping', twoSteps.replace('  - op: rename-things\n    module: app.users\n    names: [Y]\n', '  - rename-things\n')],
    ['an unknown operation', twoSteps.replace('op: rename-things', 'op: teleport')],
    ['op null', twoSteps.replace('op: rename-things', 'op: null')],
    ['an empty step list', 'id: demo\ntitle: Demo\nsteps: []\n'],
  ])('agrees with the published schema: %s', (_name, text) => {
    const published = new Ajv({ strict: false }).compile(codemodSchema(twoOps))(parseYaml(text));
    let accepted = true;
    try {
      parseSpec(text, 'codemods/demo.yaml', twoOps);
    } catch (error) {
      if (!(error instanceof SpecError) || error.code !== 'spec-invalid') throw error;
      accepted = false;
    }
    expect(accepted).toBe(published);
  });

  it('names the missing op of a step, not a parameter some operation would need', () => {
    expect(specError(twoSteps.replace('op: rename-things\n    ', ''), undefined, twoOps).message).toBe('codemods/demo.yaml:7: steps[1].op: is required');
  });
});

describe('load cost', () => {
  it('loads ajv and yaml when a spec is read, not when the runtime is imported', () => {
    const text = readFileSync(new URL('./spec.ts', import.meta.url), 'utf8');
    const loaded = [...text.matchAll(/^import\s+(?!type\s)[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]);
    expect(loaded).toEqual(expect.arrayContaining(['node:fs', './errors.js']));
    expect(loaded.filter((spec) => spec === 'ajv' || spec === 'yaml')).toEqual([]);
  });
});

describe('codemodSchema', () => {
  it('has one conditional branch per operation and documents each field', () => {
    const schema = codemodSchema(registry) as { properties: { steps: { items: { allOf: unknown[] } } } };
    expect(schema.properties.steps.items.allOf).toHaveLength(1);
    expect(JSON.stringify(schema)).toContain('source module');
  });
});
