import path from 'node:path';
import { moduleNames, parsePython, PYTHON_BUILTINS, syntaxProblems, type Node, type Project, type SourceFile } from '@remodel/python';
import { defineOperation, PlanError, type ImportRequest } from '@remodel/runtime';
import { extractFunctionSchema, type ExtractFunctionParams } from './schema.js';
import { wildcardRegExp } from '../shared/wildcards.js';

export type { ExtractFunctionParams } from './schema.js';

/** One token of the expression: a leaf node, or a parameter slot. */
interface Token {
  type: string;
  text: string;
  param: number | null;
}

/** An occurrence of the expression in a module. */
interface Site {
  file: SourceFile;
  node: Node;
  args: string[];
}

/**
 * `extract-function`: turns an expression that several modules repeat into one function in a shared module (new or
 * existing) and replaces every occurrence in `modules` with a call, passing the identifiers that vary (`parameters`).
 * The call returns the very value the expression produced: the function's body is the expression, its other names
 * are imported in the new module exactly as each occurring module imports them, and arguments are plain name loads.
 * Refuses (PlanError): an expression that does not parse or is not one expression, a name it reads that is local at
 * an occurrence, defined by the occurring module itself, bound differently in two modules, or patched by a test
 * through the occurring module (`patch("m.re")` would stop reaching the function), and a `name` that `to` already
 * defines differently. Occurrences inside other occurrences are replaced once (the outer one). Running it again
 * finds no occurrence and the function in place: nothing to do.
 */
export const extractFunction = defineOperation<ExtractFunctionParams>({
  name: 'extract-function',
  description: 'Replace an expression several modules repeat with calls to one function in a shared module.',
  schema: extractFunctionSchema as unknown as Record<string, unknown>,
  plan(ctx, params) {
    const { project } = ctx;
    const fail = (code: string, field: string, message: string): never => {
      throw new PlanError(code, `${ctx.origin.codemod}: steps[${ctx.origin.step}].${field}: ${message}`);
    };
    const paramSpecs = (params.parameters ?? []).map((p) => {
      const [name, type] = p.split(':').map((x) => x.trim());
      return { name, type: type || null };
    });
    const paramNames = paramSpecs.map((p) => p.name);
    const tree = parsePython(params.expression);
    const stmts = tree.rootNode.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
    const pattern = stmts.length === 1 && stmts[0].type === 'expression_statement' && stmts[0].namedChildCount === 1 ? stmts[0].namedChild(0) : null;
    if (syntaxProblems(tree, 1).length > 0 || !pattern || pattern.type === 'assignment') fail('bad-expression', 'expression', `\`${params.expression}\` is not one Python expression`);
    const tokens = leaves(pattern!).map((n): Token => ({ type: n.type, text: n.text, param: role(n) === 'name' && paramNames.includes(n.text) ? paramNames.indexOf(n.text) : null }));
    for (const p of paramNames) if (!tokens.some((t) => t.param === paramNames.indexOf(p))) fail('unused-parameter', 'parameters', `\`${p}\` does not occur in the expression`);
    const globals = [...new Set(leaves(pattern!).filter((n) => role(n) === 'name' && !paramNames.includes(n.text)).map((n) => n.text))];
    const needle = tokens.filter((t) => t.param === null).map((t) => t.text).sort((a, b) => b.length - a.length)[0] ?? '';

    const target = resolveTarget(project, params.to) ?? fail('module-not-importable', 'to', `"${params.to}" would not be an importable module (its package is not in the project)`);
    const source = functionSource(params, paramSpecs);
    const existing = project.files.get(target.path);
    if (existing && project.index(existing.path).defs.has(params.name)) {
      const def = project.index(existing.path).defs.get(params.name)!;
      if (existing.text.slice(def.start, def.end).trim() !== source.trim()) fail('name-taken', 'name', `\`${params.name}\` is already defined differently in ${existing.path}`);
    }

    // Occurrences, outermost first, with the identifier each passes for each parameter.
    const sites: Site[] = [];
    const patterns = params.modules.map(globPattern);
    // The function's own body is the expression: never an occurrence (that would make it call itself).
    const own = existing ? project.index(existing.path).defs.get(params.name) : undefined;
    const isOwn = (file: SourceFile, n: Node): boolean => !!own && file.path === target.path && own.start <= n.startIndex && n.endIndex <= own.end;
    for (const file of project.files.values()) {
      if (!patterns.some((re) => re.test(file.path) || (file.module !== null && re.test(file.module)))) continue;
      if (!file.text.includes(needle)) continue;
      const visit = (n: Node): void => {
        if (isOwn(file, n)) return;
        if (n.type === pattern!.type) {
          const args = match(n, tokens, paramNames.length);
          if (args) {
            sites.push({ file, node: n, args });
            return;
          }
        }
        for (const c of n.namedChildren) if (c) visit(c);
      };
      visit(file.tree.rootNode);
    }
    if (sites.length === 0) {
      if (existing && project.index(existing.path).defs.has(params.name)) return ctx.note(`no occurrence of the expression left; \`${params.name}\` is in ${existing.path}: nothing to do`);
      fail('not-found', 'expression', `\`${params.expression}\` occurs in none of ${params.modules.join(', ')}`);
    }

    // The names the expression reads must mean the same thing at every occurrence, and in the new module.
    const imports = new Map<string, ImportRequest | null>();
    for (const site of sites) {
      const where = `${site.file.path}:${site.node.startPosition.row + 1}`;
      const free = project.scopes(site.file.path).freeNames(site.node);
      const index = project.index(site.file.path);
      for (const g of globals) {
        if (!free.has(g)) fail('local-name', 'expression', `\`${g}\` is a local name at ${where}, not the module-level name the function would read`);
        const binding = index.imports.find((b) => b.topLevel && !b.typeChecking && b.local === g);
        let request: ImportRequest | null;
        if (binding) {
          if (binding.guarded) fail('guarded-import', 'expression', `\`${g}\` is imported inside try/except at ${site.file.path}:${binding.line}`);
          const absolute = project.absoluteModule(site.file.path, binding);
          request = binding.name === null ? { module: binding.module, alias: binding.alias ?? undefined, level: 0 } : { module: absolute, name: binding.name, alias: binding.alias ?? undefined, level: 0 };
        } else if (index.defs.has(g) || project.scopes(site.file.path).moduleBindings().has(g)) {
          fail('module-definition', 'expression', `\`${g}\` is defined in ${site.file.path} itself (${where}); move it to ${target.module} first`);
        } else if (PYTHON_BUILTINS.has(g)) request = null;
        else fail('undefined-name', 'expression', `\`${g}\` is not defined at ${where}`);
        const key = JSON.stringify(request!);
        if (imports.has(g) && JSON.stringify(imports.get(g)) !== key) fail('different-bindings', 'expression', `\`${g}\` means different things in the occurring modules (${where}: ${key})`);
        imports.set(g, request!);
        const patched = project.references(site.file.module ?? '', g).find((r) => r.kind === 'string' || r.kind === 'patch-object');
        if (patched) fail('patched-name', 'expression', `\`${site.file.module}.${g}\` is patched at ${patched.path}:${patched.line}; the function would read ${target.module}.${g} instead`);
      }
    }

    // The function: appended to `to`, or `to` created.
    const defined = existing && project.index(existing.path).defs.has(params.name);
    const requests = [...imports.values()].filter((r): r is ImportRequest => r !== null);
    if (!existing) {
      for (const r of requests) ctx.imports.require(target.path, r);
      const header = ctx.imports.renderNewFile(target.path, target.module);
      const text = params['module-docstring'] ?? `Helpers shared by ${[...new Set(sites.map((s) => s.file.module))].join(', ')}.`;
      const doc = `"""${text.replace(/"""/g, '\\"\\"\\"').trim()}"""`;
      ctx.changes.create(target.path, `${doc}\n\n${header ? `${header}\n\n` : '\n'}${source}`, ctx.origin);
    } else if (!defined) {
      for (const r of requests) ctx.imports.require(target.path, r);
      const lead = existing.text.length === 0 || existing.text.endsWith('\n') ? '' : '\n';
      ctx.changes.insert(target.path, existing.text.length, `${lead}\n\n${source}`, ctx.origin);
    }

    const byFile = new Map<string, Site[]>();
    for (const s of sites) byFile.set(s.file.path, [...(byFile.get(s.file.path) ?? []), s]);
    for (const [p, list] of byFile) {
      for (const s of list) ctx.changes.replace(p, s.node.startIndex, s.node.endIndex, `${params.name}(${s.args.join(', ')})`, ctx.origin);
      if (p !== target.path) ctx.imports.require(p, { module: target.module, name: params.name, level: 0 });
      for (const [g, r] of imports) if (r) ctx.imports.removeUnused(p, g);
      ctx.note(`${p}: ${list.length} occurrence${list.length > 1 ? 's' : ''} (line${list.length > 1 ? 's' : ''} ${list.map((s) => s.node.startPosition.row + 1).join(', ')}) now call \`${params.name}\` from ${target.module}`);
    }
  },
});

export default extractFunction;

/** Leaf tokens of a node (comments excluded). */
function leaves(node: Node): Node[] {
  const out: Node[] = [];
  const visit = (n: Node): void => {
    if (n.type === 'comment') return;
    if (n.childCount === 0) {
      out.push(n);
      return;
    }
    for (const c of n.children) if (c) visit(c);
  };
  visit(node);
  return out;
}

/** `name`: an identifier read as a variable; `label`: an attribute or keyword-argument name; `other`: anything else. */
function role(n: Node): 'name' | 'label' | 'other' {
  if (n.type !== 'identifier') return 'other';
  const p = n.parent;
  if (p?.type === 'attribute' && p.childForFieldName('attribute')?.id === n.id) return 'label';
  if (p?.type === 'keyword_argument' && p.childForFieldName('name')?.id === n.id) return 'label';
  return 'name';
}

/** The identifiers an occurrence passes for each parameter, or null when `node` is no occurrence. */
function match(node: Node, tokens: Token[], params: number): string[] | null {
  const got = leaves(node);
  if (got.length !== tokens.length) return null;
  const args: (string | undefined)[] = new Array(params);
  for (const [i, t] of tokens.entries()) {
    const n = got[i];
    if (n.type !== t.type) return null;
    if (t.param === null) {
      if (n.text !== t.text) return null;
      continue;
    }
    if (role(n) !== 'name') return null;
    if (args[t.param] !== undefined && args[t.param] !== n.text) return null;
    args[t.param] = n.text;
  }
  return args as string[];
}

function globPattern(spec: string): RegExp {
  if (!spec.includes('/') && !spec.endsWith('.py') && !spec.includes('*')) return new RegExp(`^${spec.replace(/\./g, '\\.')}$`);
  return wildcardRegExp(spec, true);
}

function resolveTarget(project: Project, spec: string): { path: string; module: string } | null {
  if (spec.includes('/') || spec.endsWith('.py')) {
    const p = path.posix.normalize(spec.endsWith('.py') ? spec : `${spec}.py`).replace(/^\.\//, '');
    const module = project.files.get(p)?.module ?? moduleNames([...project.files.keys(), p]).get(p)?.module;
    return module ? { path: p, module } : null;
  }
  const file = project.fileOfModule(spec);
  if (file) return { path: file.path, module: spec };
  const parent = project.fileOfModule(spec.split('.').slice(0, -1).join('.'));
  if (!parent?.isPackage) return null;
  return { path: `${path.posix.dirname(parent.path)}/${spec.split('.').pop()}.py`, module: spec };
}

/** Source of the new function, ending with a newline. */
function functionSource(params: ExtractFunctionParams, specs: { name: string; type: string | null }[]): string {
  const signature = specs.map((p) => (p.type ? `${p.name}: ${p.type}` : p.name)).join(', ');
  const returns = params.returns ? ` -> ${params.returns}` : '';
  const expr = params.expression.trim();
  const body = expr.includes('\n') ? `return (\n        ${expr.split('\n').map((l) => l.trim()).join('\n        ')}\n    )` : `return ${expr}`;
  const doc = params.docstring ? `    """${params.docstring.replace(/"""/g, '\\"\\"\\"').trim()}"""\n` : '';
  return `def ${params.name}(${signature})${returns}:\n${doc}    ${body}\n`;
}
