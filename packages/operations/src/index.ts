export * from './registry.js';
export { default as extractMembers } from './extract-members/index.js';
export * from './move-symbols/index.js';
export { splitRouter } from './split-router/index.js';
export { extractSharedHelper } from './extract-shared-helper/index.js';
export { removeSymbols } from './remove-symbols/index.js';
export { memoize } from './memoize/index.js';
export { extractFunction } from './extract-function/index.js';
