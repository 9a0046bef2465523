import path from 'node:path';
import { moduleNames, type Node, type Project, type SourceFile } from '@remodel/python';
import { defineOperation, PlanError, type OperationContext } from '@remodel/runtime';
import { lineStart } from '../shared/text.js';
import { HELPER_IMPORTS, helperSource } from './helper.js';
import { memoizeSchema, type MemoizeParams } from './schema.js';

export type { MemoizeParams } from './schema.js';

/** Return types whose values cannot be changed by the caller that receives a shared cached result. */
const IMMUTABLE = /^(str|int|float|bool|bytes|complex|None|NoneType|frozenset|tuple|Tuple|FrozenSet|Optional|Union|Literal)$/;
const LOGGING = /^(logger|log|logging|_logger|LOGGER)\.\w+$|^(print|warnings\.warn)$/;

/**
 * `memoize` (key `file-stat`): decorates one function or method with a cache that reuses a result only while the file
 * its path argument names is unchanged (device, inode, size, mtime in ns, stat-ed on every call) and the other
 * arguments are equal — so callers never see content older than the file. The decorator is generated once (in the
 * module or in `helper-module`); the function keeps its name, signature, docstring and place.
 * Refuses (PlanError): async functions, generators, methods that use `self`/`cls`, `global`/`nonlocal`, a return type
 * that is not immutable (a shared cached list could be mutated by one caller for all), an unknown path argument.
 * Warns when the body logs or prints: a cached call skips that output. Running it again changes nothing.
 */
export const memoize = defineOperation<MemoizeParams>({
  name: 'memoize',
  description: 'Cache the result of a function that reads a file, validated by the file’s stat on every call.',
  schema: memoizeSchema as unknown as Record<string, unknown>,
  plan(ctx, params) {
    const fail = (code: string, field: string, message: string): never => {
      throw new PlanError(code, `${ctx.origin.codemod}: steps[${ctx.origin.step}].${field}: ${message}`);
    };
    const { project } = ctx;
    const file = resolveModule(project, params.module) ?? fail('module-not-found', 'module', `"${params.module}" is not a module of the project`);
    const [owner, member] = params.function.includes('.') ? params.function.split('.') : [null, params.function];
    const found = findFunction(file, owner, member) ?? fail('function-not-found', 'function', `\`${params.function}\` is not defined in ${file.path}`);
    const { def, decorators, isMethod } = found;
    const where = `\`${params.function}\` (${file.path}:${def.startPosition.row + 1})`;

    const local = !params['helper-module'];
    const helperName = local ? '_cache_while_file_unchanged' : 'cache_while_file_unchanged';
    if (decorators.some((d) => d.text.replace(/^@/, '').split('(')[0].trim().endsWith(helperName))) {
      ctx.note(`${where} is already cached; nothing to do`);
      return;
    }
    if (def.children.some((c) => c?.type === 'async')) fail('async', 'function', `${where} is async: its result is a coroutine, which cannot be reused`);
    const body = def.childForFieldName('body')!;
    const own = ownNodes(body);
    if (own.some((n) => n.type === 'yield')) fail('generator', 'function', `${where} is a generator: its result is an iterator, which cannot be reused`);
    const scope = own.find((n) => n.type === 'global_statement' || n.type === 'nonlocal_statement');
    if (scope) fail('shared-state', 'function', `${where} declares \`${scope.text}\`: its result may depend on state the cache key does not see`);
    const params_ = parameters(def);
    if (isMethod) {
      const kinds = decorators.map((d) => d.text.replace(/^@/, '').trim());
      if (kinds.some((k) => k === 'property' || k.endsWith('.setter') || k === 'classmethod')) fail('not-a-plain-method', 'function', `${where} is a property or classmethod`);
      if (!kinds.includes('staticmethod')) {
        const self = params_[0];
        if (!self) fail('no-self', 'function', `${where} has no \`self\` parameter`);
        const use = body.descendantsOfType('identifier').find((id) => id?.text === self);
        if (use) fail('uses-self', 'function', `${where} reads \`${self}\` at line ${use.startPosition.row + 1}: its result may depend on the instance, which the cache key does not see`);
        params_.shift();
      }
    }
    const pathArg = params['path-argument'] ?? params_[0];
    if (!pathArg || !params_.includes(pathArg)) fail('path-argument', 'path-argument', `${where} has no parameter \`${pathArg ?? ''}\` (parameters: ${params_.join(', ') || 'none'})`);
    const returns =
      def.childForFieldName('return_type') ??
      fail('mutable-result', 'function', `${where} has no return annotation: one cached result is shared by every caller, so only immutable results may be cached (annotate it, e.g. \`-> Optional[str]\`)`);
    if (returns.descendantsOfType('string').length > 0) fail('mutable-result', 'function', `${where} has a string return annotation (\`${returns.text}\`), which cannot be checked for immutability`);
    // `typing.Optional[str]`: the attribute name counts, not the module it is read from.
    const names = returns.descendantsOfType('identifier').filter((id): id is Node => id !== null && !(id.parent?.type === 'attribute' && id.parent.childForFieldName('object')?.id === id.id));
    const mutable = names.find((id) => !IMMUTABLE.test(id.text));
    if (mutable) fail('mutable-result', 'function', `${where} returns \`${returns.text}\`: \`${mutable.text}\` is not immutable, and one cached result would be shared by every caller`);
    for (const call of own.filter((n) => n.type === 'call')) {
      const callee = call.childForFieldName('function')?.text ?? '';
      if (LOGGING.test(callee)) {
        ctx.warn(`${where} calls \`${callee}\` (line ${call.startPosition.row + 1}): a cached call skips that output until the file changes`);
        break;
      }
    }

    const helper = ensureHelper(ctx, file, params['helper-module'], helperName);
    const indent = file.text.slice(lineStart(file.text, def.startIndex), def.startIndex);
    const ignore = isMethod && !decorators.some((d) => d.text.includes('staticmethod')) ? `, ignore=(${JSON.stringify(parameters(def)[0])},)` : '';
    const max = params['max-entries'] ?? 128;
    const line = `${indent}@${helper}(${JSON.stringify(pathArg)}${ignore}${max !== 128 ? `, max_entries=${max}` : ''})\n`;
    ctx.changes.insert(file.path, lineStart(file.text, def.startIndex), line, ctx.origin);
    ctx.note(`${params.function} (${file.path}) caches its result while \`${pathArg}\`'s file is unchanged (os.stat: device, inode, size, mtime), at most ${max} entries`);
  },
});

export default memoize;

function resolveModule(project: Project, spec: string): SourceFile | undefined {
  if (spec.includes('/') || spec.endsWith('.py')) return project.files.get(path.posix.normalize(spec).replace(/^\.\//, ''));
  return project.fileOfModule(spec);
}

/** The def node of `name` (or `Owner.name`) at top level / in the class body, with its decorators. */
function findFunction(file: SourceFile, owner: string | null, name: string): { def: Node; decorators: Node[]; isMethod: boolean } | null {
  const unwrap = (n: Node | null): { def: Node; decorators: Node[] } | null => {
    if (!n) return null;
    if (n.type === 'function_definition') return { def: n, decorators: [] };
    if (n.type === 'decorated_definition') {
      const def = n.childForFieldName('definition');
      if (def?.type !== 'function_definition') return null;
      return { def, decorators: n.namedChildren.filter((c): c is Node => c?.type === 'decorator') };
    }
    return null;
  };
  let body: (Node | null)[] = file.tree.rootNode.namedChildren;
  if (owner) {
    const cls = body.map((n) => (n?.type === 'decorated_definition' ? n.childForFieldName('definition') : n)).find((n) => n?.type === 'class_definition' && n.childForFieldName('name')?.text === owner);
    if (!cls) return null;
    body = cls.childForFieldName('body')?.namedChildren ?? [];
  }
  for (const n of body) {
    const f = unwrap(n);
    if (f && f.def.childForFieldName('name')?.text === name) return { ...f, isMethod: owner !== null };
  }
  return null;
}

function parameters(def: Node): string[] {
  const out: string[] = [];
  for (const p of def.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p || p.type === 'comment' || p.type === 'positional_separator' || p.type === 'keyword_separator') continue;
    if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') continue;
    const id = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier') ?? null);
    if (id?.type === 'identifier') out.push(id.text);
  }
  return out;
}

/** Nodes of a body outside nested function, class and lambda bodies. */
function ownNodes(body: Node): Node[] {
  const out: Node[] = [];
  const visit = (n: Node): void => {
    out.push(n);
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return;
    for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(body);
  return out;
}

/** Makes the decorator available in `file` (defined there, or imported from the helper module) and returns its local name. */
function ensureHelper(ctx: OperationContext, file: SourceFile, helperModule: string | undefined, name: string): string {
  const { project } = ctx;
  if (!helperModule) {
    if (project.index(file.path).defs.has(name)) return name;
    const first = file.tree.rootNode.namedChildren.find((n) => n !== null && /^(function_definition|class_definition|decorated_definition)$/.test(n.type));
    const def = first ? [...project.index(file.path).defs.values()].find((d) => d.node.id === first.id) : undefined;
    const at = def ? def.start : first ? lineStart(file.text, first.startIndex) : file.text.length;
    const lead = first ? '' : '\n\n';
    ctx.changes.insert(file.path, at, `${lead}${helperSource(name)}\n\n`, ctx.origin);
    for (const m of HELPER_IMPORTS) ctx.imports.require(file.path, { module: m, level: 0 });
    return name;
  }
  const existing = resolveModule(project, helperModule);
  if (existing) {
    if (!project.index(existing.path).defs.has(name)) {
      throw new PlanError('helper-missing', `${ctx.origin.codemod}: steps[${ctx.origin.step}].helper-module: ${existing.path} exists but does not define \`${name}\``);
    }
  } else {
    const target = newModulePath(project, helperModule);
    const imports = HELPER_IMPORTS.map((m) => `import ${m}`).join('\n');
    const doc = '"""Caching helpers generated by remodel: results reused while the file they read is unchanged."""';
    ctx.changes.create(target.path, `${doc}\n\n${imports}\n\n\n${helperSource(name)}`, ctx.origin);
  }
  const module = existing?.module ?? newModulePath(project, helperModule).module;
  if (module !== file.module) ctx.imports.require(file.path, { module, name, level: 0 });
  return name;
}

function newModulePath(project: Project, spec: string): { path: string; module: string } {
  let p: string;
  if (spec.includes('/') || spec.endsWith('.py')) p = path.posix.normalize(spec.endsWith('.py') ? spec : `${spec}.py`);
  else {
    // Next to the parent package's __init__.py, wherever the project keeps it (src layouts included).
    const parent = project.fileOfModule(spec.split('.').slice(0, -1).join('.'));
    if (!parent?.isPackage) throw new PlanError('module-not-importable', `memoize: helper-module: the package of ${spec} is not in the project`);
    p = `${path.posix.dirname(parent.path)}/${spec.split('.').pop()}.py`;
  }
  const module = moduleNames([...project.files.keys(), p]).get(p)?.module;
  if (!module) throw new PlanError('module-not-importable', `memoize: helper-module: ${p} would not be importable (its directory is not a package)`);
  return { path: p, module };
}
