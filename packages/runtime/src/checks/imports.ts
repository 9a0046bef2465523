import type { ImportBinding, Project } from '@remodel/python';
import { changedModules, readsWhole, type Check, type Problem } from './check.js';

/**
 * Every `import` / `from ... import` of a project module or name, anywhere in the project (tests included, function
 * level included), still resolves. An import whose target was already missing before the change (the same absolute
 * module and name, anywhere in the project) is not reported again.
 * An untouched file's import resolves differently only when the module it names changed, so with a `before` only
 * the touched files and the files that may import a touched module (see `Project.mayImport`) are read, unless
 * the change reshapes the module tree (an `__init__.py` or a top-level module created or deleted).
 */
export const importsCheck: Check = (input) => {
  const { before, after, touched } = input;
  let missing: MissingImport[];
  if (before && !readsWhole(input)) {
    const changed = changedModules(before, after, touched);
    const touchedSet = new Set(touched);
    // In an untouched file only an import naming a changed module can resolve differently.
    const names = (path: string, b: ImportBinding): boolean => {
      if (touchedSet.has(path)) return true;
      const absolute = after.absoluteModule(path, b);
      return changed.has(absolute) || (b.name !== null && changed.has(`${absolute}.${b.name}`));
    };
    missing = missingImports(after, affectedFiles(after, touched, changed), names);
  } else {
    missing = missingImports(after, [...after.files.keys()].sort());
  }
  const out: Problem[] = [];
  for (const { path, binding, key, absolute, module, name } of missing) {
    if (before && missingIn(before, key, absolute)) continue;
    const where = after.fileOfModule(module);
    const message =
      name && where
        ? `\`${statementText(binding)}\`: \`${name}\` is not defined in ${where.path}`
        : `\`${statementText(binding)}\`: no project module \`${module}\``;
    out.push({ path, line: binding.line, message, check: 'imports' });
  }
  return out;
};

interface MissingImport {
  path: string;
  binding: ImportBinding;
  key: string;
  absolute: string;
  module: string;
  name: string | null;
}

function missingImports(project: Project, paths: string[], only?: (path: string, binding: ImportBinding) => boolean): MissingImport[] {
  const out: MissingImport[] = [];
  for (const path of paths) {
    if (!path.endsWith('.py')) continue;
    for (const binding of project.index(path).imports) {
      if (binding.name === '*' || (only && !only(path, binding))) continue;
      const resolved = project.resolveImport(path, binding);
      if (resolved.kind !== 'missing') continue;
      const absolute = project.absoluteModule(path, binding);
      out.push({ path, binding, key: `${absolute}:${binding.name ?? ''}`, absolute, module: resolved.module, name: resolved.name });
    }
  }
  return out;
}

/** Whether some file of `project` has a missing import with this key (only files that may import the module are read). */
function missingIn(project: Project, key: string, absolute: string): boolean {
  const paths = [...project.files.keys()].filter((p) => p.endsWith('.py') && project.mayImport(p, absolute));
  return missingImports(project, paths.sort()).some((m) => m.key === key);
}

/** Touched files, and files that may import one of `modules`, sorted. */
function affectedFiles(after: Project, touched: string[], modules: Set<string>): string[] {
  const out = new Set(touched.filter((p) => after.files.has(p)));
  for (const path of after.files.keys()) {
    if (!out.has(path) && [...modules].some((m) => after.mayImport(path, m))) out.add(path);
  }
  return [...out].sort();
}

function statementText(binding: ImportBinding): string {
  const first = binding.statement.text.split('\n')[0];
  return first.length > 80 ? `${first.slice(0, 77)}...` : first;
}
