#!/usr/bin/env node
// Writes codemods/schema.json (JSON Schema of the codemod format) from the operations' schema.ts files.
// Run after `npm run build`; tests/meta.test.ts fails when the committed file is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { registry } from '../packages/operations/dist/index.js';
import { codemodSchema } from '../packages/runtime/dist/index.js';

const target = fileURLToPath(new URL('../codemods/schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(codemodSchema(registry), null, 2)}\n`);
console.log(`wrote ${target}`);
