export * from "./operation.js";
