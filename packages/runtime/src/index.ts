export * from "./operation.js";
export * from './spec.js';
export * from './pipeline.js';
export * from './report.js';
