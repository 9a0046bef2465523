import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { operations, registry } from '@remodel/operations';
import { codemodSchema, loadSpec } from '@remodel/runtime';

const OPS_DIR = 'packages/operations/src';

describe('operation registry', () => {
  const folders = readdirSync(OPS_DIR).filter((d) => statSync(path.join(OPS_DIR, d)).isDirectory() && d !== 'shared');

  it('lists exactly the operation folders', () => {
    expect(operations.map((op) => op.name).sort()).toEqual(folders.sort());
  });

  it.each(folders)('%s has a schema, a test, a golden fixture and a README section', (name) => {
    expect(existsSync(path.join(OPS_DIR, name, 'schema.ts'))).toBe(true);
    expect(existsSync(path.join(OPS_DIR, name, `${name}.test.ts`))).toBe(true);
    expect(existsSync(path.join('fixtures', name))).toBe(true);
    expect(readFileSync('README.md', 'utf8')).toContain(`\`${name}\``);
    const op = registry.get(name)!;
    for (const [field, schema] of Object.entries((op.schema.properties ?? {}) as Record<string, { description?: string }>)) {
      expect([field, schema.description?.length ?? 0]).not.toEqual([field, 0]);
    }
  });
});

describe('codemods/', () => {
  const specs = readdirSync('codemods').filter((f) => f.endsWith('.yaml'));

  it.each(specs)('%s validates and its id equals its file name', (file) => {
    const spec = loadSpec(path.join('codemods', file), registry);
    expect(spec.id).toBe(file.replace(/\.yaml$/, ''));
  });

  it('ships an up-to-date JSON Schema (npm run schema)', () => {
    const committed = JSON.parse(readFileSync('codemods/schema.json', 'utf8'));
    expect(committed).toEqual(codemodSchema(registry));
  });

  it('ships a valid draft-07 schema (the runtime compiles it without the meta-schema check)', () => {
    const ajv = new Ajv({ strict: false });
    expect(ajv.validateSchema(codemodSchema(registry))).toBe(true);
    expect(ajv.errors ?? []).toEqual([]);
  });
});
