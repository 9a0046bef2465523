import { rmSync } from 'node:fs';

/** Removes the summary cache of this test run (see global-setup.mjs). */
export default function teardown() {
  if (process.env.REMODEL_CACHE_DIR) rmSync(process.env.REMODEL_CACHE_DIR, { recursive: true, force: true });
}
