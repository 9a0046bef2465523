export { review, analyse, resolveOptions, RULE_IDS, TOOL_VERSION, type ReviewFile, type ProjectInput } from './review.js';
export * from './types.js';
