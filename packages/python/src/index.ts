export * from './parse.js';
export * from './types.js';
export { indexModule } from './symbols.js';
export { analyzeScopes } from './scopes.js';
export { selfAttributes, type SelfAttributes } from './self-attributes.js';
export { moduleNames, resolveRelative, type ModuleName } from './modules.js';
export { Project } from './project.js';
export { PYTHON_BUILTINS } from './builtins.js';
export * from './fastapi-routes.js';
