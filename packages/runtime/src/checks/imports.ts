import type { ImportBinding, Project } from '@remodel/python';
import type { Check, Problem } from './check.js';

/**
 * Every `import` / `from ... import` of a project module or name, anywhere in the project (tests included, function
 * level included), still resolves. An import whose target was already missing before the change (the same absolute
 * module and name, anywhere in the project) is not reported again.
 */
export const importsCheck: Check = ({ before, after }) => {
  const missingBefore = new Set<string>();
  if (before) for (const { key } of missingImports(before)) missingBefore.add(key);
  const out: Problem[] = [];
  for (const { path, binding, key, module, name } of missingImports(after)) {
    if (missingBefore.has(key)) continue;
    const where = after.fileOfModule(module);
    const message =
      name && where
        ? `\`${statementText(binding)}\`: \`${name}\` is not defined in ${where.path}`
        : `\`${statementText(binding)}\`: no project module \`${name && !where ? `${module}` : module}\``;
    out.push({ path, line: binding.line, message, check: 'imports' });
  }
  return out;
};

function missingImports(project: Project): { path: string; binding: ImportBinding; key: string; module: string; name: string | null }[] {
  const out: { path: string; binding: ImportBinding; key: string; module: string; name: string | null }[] = [];
  for (const path of [...project.files.keys()].sort()) {
    if (!path.endsWith('.py')) continue;
    for (const binding of project.index(path).imports) {
      if (binding.name === '*') continue;
      const resolved = project.resolveImport(path, binding);
      if (resolved.kind !== 'missing') continue;
      const absolute = project.absoluteModule(path, binding);
      const key = `${absolute}:${binding.name ?? ''}`;
      out.push({ path, binding, key, module: resolved.module, name: resolved.name });
    }
  }
  return out;
}

function statementText(binding: ImportBinding): string {
  const first = binding.statement.text.split('\n')[0];
  return first.length > 80 ? `${first.slice(0, 77)}...` : first;
}
