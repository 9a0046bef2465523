import { defineOperation, PlanError } from '@remodel/runtime';
import { emit } from './emit.js';
import { assignGroups, includeOrder } from './groups.js';
import { readSource, siblingModule } from './model.js';
import { place } from './placement.js';
import { splitRouterSchema, type SplitRouterParams } from './schema.js';

/** Resolves the `module` field (dotted or path) to a project file path. */
function sourcePath(project: { files: Map<string, unknown>; fileOfModule(m: string): { path: string } | undefined }, value: string): string {
  if (value.endsWith('.py')) {
    if (!project.files.has(value)) throw new PlanError('no-module', `split-router: module: ${value} is not in the project`);
    return value;
  }
  const file = project.fileOfModule(value);
  if (!file) throw new PlanError('no-module', `split-router: module: no module ${value} in the project`);
  return file.path;
}

/**
 * `split-router`: splits a FastAPI routes module into one sub-router module per group of endpoints, a shared
 * helpers module and one owner of the module state; the original module becomes the aggregator. See schema.ts.
 */
export const splitRouter = defineOperation<SplitRouterParams>({
  name: 'split-router',
  description:
    'Split a FastAPI routes module into sub-router modules (one per group of endpoints) included by the original, which keeps its router, route order and every name other code uses.',
  schema: splitRouterSchema as unknown as Record<string, unknown>,
  plan(ctx, params) {
    const path = sourcePath(ctx.project, params.module);
    const source = readSource(ctx.project, path, params.router ?? 'router');
    if (!source.units.some((u) => u.role === 'endpoint')) {
      const targets = params.groups.map((g, i) => siblingModule(source, g.module, `groups[${i}].module`));
      const missing = targets.filter((t) => !ctx.project.files.has(t.path));
      if (missing.length === 0) {
        ctx.note(`${path}: already split (no endpoint left on \`${source.router}\`)`);
        return;
      }
      throw new PlanError('no-endpoints', `split-router: ${path} has no endpoint decorated with @${source.router}.<method>(...)`);
    }
    for (const [i, g] of params.groups.entries()) {
      const t = siblingModule(source, g.module, `groups[${i}].module`);
      if (t.path === path) throw new PlanError('target-is-source', `split-router: groups[${i}].module: ${g.module} is the module being split`);
      if (ctx.project.files.has(t.path)) throw new PlanError('target-exists', `split-router: groups[${i}].module: ${t.path} already exists`);
    }
    const groups = assignGroups(source, params.groups);
    const order = includeOrder(source, groups);
    const placement = place(source, groups, params);
    for (const t of placement.targets) {
      if (t.kind !== 'group' && ctx.project.files.has(t.path)) throw new PlanError('target-exists', `split-router: ${t.kind}: ${t.path} already exists`);
    }
    emit(ctx, source, placement, order);
  },
});

export default splitRouter;
