// Every test run gets its own summary cache (see `loadProject`), so no run reads a pack another one wrote and the
// user's ~/.cache is left alone; test workers and the CLI processes the tests spawn inherit the variable.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup() {
  process.env.REMODEL_CACHE_DIR = mkdtempSync(join(tmpdir(), 'remodel-test-cache-'));
}
