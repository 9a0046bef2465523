import type { Operation } from '@remodel/runtime';
import extractFunction from './extract-function/index.js';
import extractMembers from './extract-members/index.js';
import extractSharedHelper from './extract-shared-helper/index.js';
import memoize from './memoize/index.js';
import moveSymbols from './move-symbols/index.js';
import removeSymbols from './remove-symbols/index.js';
import splitRouter from './split-router/index.js';

/** Every operation remodel ships, in documentation order. Each op's `name` is its folder name. */
export const operations: Operation<any>[] = [
  extractFunction,
  extractMembers,
  extractSharedHelper,
  memoize,
  moveSymbols,
  removeSymbols,
  splitRouter,
];

/** Operations by name, as the runtime expects them. */
export const registry: ReadonlyMap<string, Operation<any>> = new Map(operations.map((op) => [op.name, op]));
