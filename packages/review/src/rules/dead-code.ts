/**
 * Dead code: unused module-level functions, classes and constants, unused private methods, unused imports and
 * unreachable statements, each with a vulture-style confidence.
 *
 * A name counts as used when it occurs anywhere in the project (any file, tests included) as an identifier other
 * than its own definition: a call, an attribute access `obj.name`, an import, a keyword argument. So a method name
 * accessed as an attribute anywhere, or a module-level name imported anywhere, is never reported. Confidence:
 *  - 100: unreachable code; an import nothing uses (not re-exported, not in `__all__`, not guarded by
 *    `try/except ImportError`, not `from __future__`, not in an `__init__.py`);
 *  - 90: a function/class/constant/private method whose name occurs nowhere else; an unused `import a.b` or an
 *    import of a project module (it may be kept for its import-time side effects);
 *  - 60: the same, but the name appears inside a string literal (getattr, patch targets, entry points, string
 *    annotations), in a non-Python file given as `extraTexts`, the module uses `globals()`/`__getattr__`, the
 *    definition has a decorator that may register it, or a private method may override an external base class.
 * Never reported: dunder names, names listed in any `__all__`, pytest tests/fixtures/hooks, and definitions with
 * decorators that register handlers (FastAPI routes and events, pydantic validators, click/typer commands, ...).
 */
import { code, isDunder, makeFinding, type AnalysisContext } from '../context.js';
import type { DefFact, FileFacts } from '../facts.js';
import type { DeadCodeReason, Finding, RuleId } from '../types.js';

/** Decorators that register the function with a framework: the function is used even if never named. */
const REGISTERING = [
  /(^|\.)(get|post|put|patch|delete|head|options|api_route|route|websocket|websocket_route|middleware|exception_handler|on_event|add_api_route|trace)$/,
  /(^|\.)(command|group|callback|result_callback)$/, // click / typer
  /(^|\.)(fixture|hookimpl|hookspec)$/, // pytest
  /(^|\.)(validator|field_validator|model_validator|root_validator|field_serializer|model_serializer|computed_field|validates|reconstructor)$/, // pydantic, sqlalchemy
  /(^|\.)(task|shared_task|periodic_task|listens_for|receiver|register|subscribe|handler|on|event|listener|job|scheduled_job|cron|kernel_function|tool|hook)$/,
  /(^|\.)(setter|getter|deleter)$/, // property parts, reached through the property name
  /(^|\.)(overload|singledispatch|singledispatchmethod)$/,
];

/** Decorators that only wrap: a decorated function nothing names is still dead. */
const WRAPPING = new Set([
  'staticmethod', 'classmethod', 'property', 'cached_property', 'functools.cached_property', 'functools.wraps', 'wraps',
  'lru_cache', 'functools.lru_cache', 'cache', 'functools.cache', 'abstractmethod', 'abc.abstractmethod', 'override',
  'typing.override', 'dataclass', 'dataclasses.dataclass', 'contextmanager', 'contextlib.contextmanager',
  'asynccontextmanager', 'contextlib.asynccontextmanager', 'total_ordering', 'functools.total_ordering', 'final',
  'typing.final', 'retry', 'timer', 'deprecated',
]);

const PYTEST_NAMES = /^(test_|pytest_)|^(setup|teardown)(_module|_function|_class|_method)?$|^(setUp|tearDown)(Class|Module)?$/;

/** Module-level names that tools read by convention (pytest, Python itself, packaging). */
/** Names a migration framework (Alembic) looks up in a revision script that binds `down_revision`. */
const MIGRATION_NAMES = new Set(['upgrade', 'downgrade', 'revision', 'down_revision', 'branch_labels', 'depends_on']);
const CONVENTIONAL = new Set(['pytestmark', 'pytest_plugins', 'collect_ignore', 'collect_ignore_glob', 'main', 'app', 'application', 'urlpatterns', 'default_app_config']);

interface Usage {
  names: Map<string, number>;
  allNames: Set<string>;
  importTargets: Set<string>;
  dotted: Set<string>;
  starred: Set<string>;
  classes: Set<string>;
  /** Attribute names looked up by string (getattr, patch.object) -> files doing it. */
  attrStrings: Map<string, string[]>;
}

function collectUsage(ctx: AnalysisContext): Usage {
  const names = new Map<string, number>();
  const allNames = new Set<string>();
  const importTargets = new Set<string>();
  const dotted = new Set<string>();
  const starred = new Set<string>();
  const classes = new Set<string>();
  const attrStrings = new Map<string, string[]>();
  for (const f of ctx.facts) {
    for (const a of f.attrStrings) attrStrings.set(a, [...(attrStrings.get(a) ?? []), f.path]);
    f.names.forEach((c, n) => names.set(n, (names.get(n) ?? 0) + c));
    for (const a of f.all ?? []) allNames.add(a);
    for (const i of f.imports) if (i.target) importTargets.add(i.target);
    for (const d of f.dottedRefs) dotted.add(d);
    for (const s of f.starImports) starred.add(s);
    for (const d of f.defs) if (d.kind === 'class') classes.add(d.name);
  }
  return { names, allNames, importTargets, dotted, starred, classes, attrStrings };
}

interface StringCorpus {
  text: string;
  /** Start offset of each part in `text`, ascending. */
  starts: number[];
  paths: string[];
}

/** All string literals (and extra texts) joined once, with where each file's part starts; built on first use. */
const corpora = new WeakMap<AnalysisContext, StringCorpus>();

function corpus(ctx: AnalysisContext): StringCorpus {
  let c = corpora.get(ctx);
  if (!c) {
    const parts: string[] = [];
    const starts: number[] = [];
    const paths: string[] = [];
    let at = 0;
    const add = (text: string, path: string): void => {
      if (!text) return;
      parts.push(text);
      starts.push(at);
      paths.push(path);
      at += text.length + 1;
    };
    for (const f of ctx.facts) add(f.stringText, f.path);
    for (const e of ctx.extraTexts) add(e.text, e.path);
    c = { text: parts.join('\n'), starts, paths };
    corpora.set(ctx, c);
  }
  return c;
}

function isWordChar(ch: number): boolean {
  return (ch >= 97 && ch <= 122) || (ch >= 65 && ch <= 90) || (ch >= 48 && ch <= 57) || ch === 95;
}

/** Paths whose string literals (or extra texts) contain `name` as a whole word. */
function stringMentions(ctx: AnalysisContext, name: string): string[] {
  const { text } = corpus(ctx);
  const out: string[] = [];
  for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
    if ((i > 0 && isWordChar(text.charCodeAt(i - 1))) || isWordChar(text.charCodeAt(i + name.length))) continue;
    const path = pathAt(ctx, i);
    if (out[out.length - 1] !== path) out.push(path);
  }
  return out;
}

function registering(decorators: string[]): string | null {
  for (const d of decorators) if (REGISTERING.some((re) => re.test(d))) return d;
  return null;
}

function unknownDecorator(decorators: string[]): string | null {
  for (const d of decorators) if (!WRAPPING.has(d) && !/^(pytest\.mark|mock\.patch|patch)/.test(d)) return d;
  return null;
}

/** Every dead-code finding at or above `minConfidence`. */
export function deadCodeFindings(ctx: AnalysisContext): Finding[] {
  const usage = collectUsage(ctx);
  const out: Finding[] = [];
  for (const f of ctx.facts) {
    out.push(...unusedDefinitions(ctx, f, usage));
    out.push(...unusedImports(ctx, f, usage));
    out.push(...unreachable(f));
  }
  return out.filter((x) => (x.confidence ?? 100) >= ctx.options.minConfidence);
}

interface Lowered {
  reason: DeadCodeReason;
  evidence: string[];
  text: string;
}

/**
 * A prefix of `name` ending in `_` (at least 3 characters) that some string uses as a stem: `"_on_" + kind`,
 * `f"_on_{kind}"`, `"handle_%s"` — names built at run time for getattr dispatch.
 */
function dispatchPrefix(ctx: AnalysisContext, name: string): { prefix: string; paths: string[] } | null {
  const { text } = corpus(ctx);
  for (let cut = name.indexOf('_', 2); cut >= 0 && cut < name.length - 1; cut = name.indexOf('_', cut + 1)) {
    const prefix = name.slice(0, cut + 1);
    if (prefix.replace(/_/g, '').length < 2) continue;
    for (let i = text.indexOf(prefix); i >= 0; i = text.indexOf(prefix, i + 1)) {
      if (i > 0 && isWordChar(text.charCodeAt(i - 1))) continue;
      if (isWordChar(text.charCodeAt(i + prefix.length))) continue;
      return { prefix, paths: [pathAt(ctx, i)] };
    }
  }
  return null;
}

function pathAt(ctx: AnalysisContext, offset: number): string {
  const { starts, paths } = corpus(ctx);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return paths[lo];
}

function lowered(ctx: AnalysisContext, f: FileFacts, name: string, usage: Usage, decorators: string[]): Lowered | null {
  const mentions = stringMentions(ctx, name);
  if (mentions.length) {
    return { reason: 'string', evidence: mentions, text: `the name appears in a string literal (${mentions.slice(0, 3).join(', ')}${mentions.length > 3 ? ', …' : ''}): getattr, a patch target or an entry point may use it` };
  }
  const stem = dispatchPrefix(ctx, name);
  if (stem) {
    return { reason: 'string', evidence: stem.paths, text: `a string in ${stem.paths[0]} starts with \`${stem.prefix}\` and ends where a computed part goes: the name may be built at run time for getattr` };
  }
  if (f.dynamic) return { reason: 'dynamic', evidence: [f.path], text: `${f.path} uses globals()/locals()/vars()/eval/exec or a module __getattr__, so names may be looked up dynamically` };
  if (f.module && usage.starred.has(f.module) && !name.startsWith('_')) return { reason: 'star-import', evidence: [f.module], text: `${f.module} is star-imported elsewhere, which re-exports the name` };
  const deco = unknownDecorator(decorators);
  if (deco) return { reason: 'decorator', evidence: [deco], text: `decorated with @${deco}, which may register it` };
  return null;
}

function unusedDefinitions(ctx: AnalysisContext, f: FileFacts, usage: Usage): Finding[] {
  const out: Finding[] = [];
  const exemptTest = (name: string): boolean => f.isTest && (PYTEST_NAMES.test(name) || /^Test/.test(name));
  const migration = f.constants.some((c) => c.name === 'down_revision');
  const exemptMigration = (name: string): boolean => migration && MIGRATION_NAMES.has(name);
  const report = (rule: RuleId, kind: string, name: string, symbol: string, startLine: number, endLine: number, low: Lowered | null, extra?: string): void => {
    const confidence = low ? 60 : 90;
    out.push(makeFinding(rule, {
      path: f.path, startLine, endLine, symbol,
      metric: { name: 'confidence', value: confidence, threshold: null },
      priority: confidence >= 90 ? (endLine - startLine >= 20 ? 'medium' : 'low') : 'low',
      confidence,
      message: `Unused ${kind} ${code(symbol)} (${endLine - startLine + 1} lines, ${confidence}% confidence).`,
      explanation: low
        ? `No code refers to ${code(name)}, but ${low.text}.`
        : `${code(name)} occurs nowhere in the project (code and tests) except its definition${extra ?? ''}.`,
      recommendation: confidence >= 90 ? `Delete ${code(symbol)} (lines ${startLine}-${endLine}).` : `Check the string/registration use, then delete ${code(symbol)} if nothing needs it.`,
      details: { kind: 'dead-code', reason: low ? low.reason : 'unreferenced', evidence: low ? low.evidence : [] },
    }));
  };
  for (const d of f.defs) {
    const top = d.parent === -1;
    const method = d.parent >= 0 && f.defs[d.parent].kind === 'class' && d.kind === 'function';
    if (!top && !(method && d.name.startsWith('_') && !isDunder(d.name))) continue;
    if (isDunder(d.name) || usage.allNames.has(d.name) || exemptTest(d.name) || (top && (CONVENTIONAL.has(d.name) || exemptMigration(d.name)))) continue;
    if (f.path.endsWith('conftest.py')) continue;
    if (registering(d.decorators)) continue;
    if ((usage.names.get(d.name) ?? 0) > 0) continue;
    let low = lowered(ctx, f, d.name, usage, d.decorators);
    if (!low && method) low = overrideRisk(f, d, usage);
    if (!low && d.kind === 'class') low = discoveryRisk(d, usage);
    if (top) report(d.kind === 'class' ? 'dead-code/unused-class' : 'dead-code/unused-function', d.kind, d.name, d.qualname, d.startLine, d.endLine, low);
    else report('dead-code/unused-method', 'private method', d.name, d.qualname, d.startLine, d.endLine, low);
  }
  const seen = new Set<string>();
  for (const c of f.constants) {
    if (seen.has(c.name)) continue;
    seen.add(c.name);
    if (isDunder(c.name) || usage.allNames.has(c.name) || c.name === '_' || exemptTest(c.name) || CONVENTIONAL.has(c.name) || exemptMigration(c.name)) continue;
    if ((usage.names.get(c.name) ?? 0) > 0) continue;
    if (c.siblings.some((s) => (usage.names.get(s) ?? 0) > 0)) continue;
    const low = lowered(ctx, f, c.name, usage, []);
    const defs = f.constants.filter((x) => x.name === c.name);
    report('dead-code/unused-constant', 'module-level name', c.name, c.name, c.line, c.endLine, low, defs.length > 1 ? ` (assigned ${defs.length} times, never read)` : '');
  }
  return out;
}

const PLAIN_BASES = new Set(['object', 'ABC', 'Protocol', 'Generic', 'Enum', 'IntEnum', 'StrEnum', 'str', 'int', 'float', 'dict', 'list', 'tuple', 'set', 'Exception', 'BaseException', 'RuntimeError', 'ValueError', 'TypeError', 'KeyError', 'NamedTuple', 'TypedDict']);

function externalBases(cls: DefFact, usage: Usage): string[] {
  return cls.bases.filter((b) => {
    const name = b.split('[')[0].split('.').pop()!;
    return !usage.classes.has(name) && !PLAIN_BASES.has(name) && !b.includes('=');
  });
}

/** A class deriving from a framework base (locust User, an ORM model, a plugin base) may be found by subclass discovery. */
function discoveryRisk(cls: DefFact, usage: Usage): Lowered | null {
  const external = externalBases(cls, usage);
  if (!external.length) return null;
  return { reason: 'framework-base', evidence: external, text: `it derives from ${external.map(code).join(', ')} (outside the project); frameworks find subclasses of such bases without naming them` };
}

/** A private method of a class with a base from outside the project may be a hook the framework calls. */
function overrideRisk(f: FileFacts, d: DefFact, usage: Usage): Lowered | null {
  const cls = f.defs[d.parent];
  const external = externalBases(cls, usage);
  if (!external.length) return null;
  return { reason: 'override', evidence: external, text: `${code(cls.name)} derives from ${external.map(code).join(', ')} (outside the project), whose machinery may call ${code(d.name)}` };
}

function unusedImports(ctx: AnalysisContext, f: FileFacts, usage: Usage): Finding[] {
  const out: Finding[] = [];
  if (f.isPackage) return out;
  for (const imp of f.imports) {
    if (imp.future || imp.guarded || imp.name === '*' || imp.uses > 0) continue;
    if (f.all?.includes(imp.local)) continue;
    // re-exported: imported from this module elsewhere, or reached as `module.name` (attribute or patch string)
    if (f.module && imp.owner < 0) {
      const here = `${f.module}.${imp.local}`;
      if (usage.importTargets.has(here) || usage.dotted.has(here)) continue;
    }
    const text = imp.alias ? `${imp.name ?? imp.module} as ${imp.alias}` : imp.name === null ? imp.module : imp.name;
    let confidence = 100;
    let reason: DeadCodeReason = 'unused-import';
    let evidence: string[] = [];
    let explanation = `${code(imp.local)} is not used ${imp.owner >= 0 ? 'in the function that imports it' : 'in this module'}, and no other module imports it from here.`;
    const targetModule = imp.target && ctx.byModule.has(imp.target) ? imp.target : null;
    const elsewhere = imp.stringUses > 0 ? [] : (usage.attrStrings.get(imp.local) ?? []);
    if (imp.stringUses > 0) {
      confidence = 60;
      reason = 'string-annotation';
      evidence = [f.path];
      explanation = `${code(imp.local)} is not used as a name, but it appears in a string in this file (a string annotation or getattr may need it).`;
    } else if (elsewhere.length) {
      confidence = 60;
      reason = 'string';
      evidence = elsewhere;
      explanation = `${code(imp.local)} is not used in this module, but "${imp.local}" is looked up as an attribute by name (getattr / patch.object in ${elsewhere.slice(0, 3).join(', ')}), which may target this module.`;
    } else if (imp.name === null && imp.module.includes('.') && !imp.alias) {
      confidence = 90;
      reason = 'side-effect';
      evidence = [imp.module];
      explanation = `${code(imp.local)} is unused, but \`import ${imp.module}\` also loads ${imp.module}, which may be needed for its import-time side effects.`;
    } else if (targetModule) {
      confidence = 90;
      reason = 'side-effect';
      evidence = [targetModule];
      explanation = `${code(imp.local)} is unused, but it imports the project module ${targetModule}, which may be needed for its import-time side effects (registrations).`;
    }
    const whole = imp.statementBindings === 1;
    out.push(makeFinding('dead-code/unused-import', {
      path: f.path, startLine: imp.line, endLine: whole ? imp.statementEndLine : imp.line, symbol: imp.local,
      metric: { name: 'confidence', value: confidence, threshold: null },
      priority: 'low',
      confidence,
      message: `Unused import ${code(text)}${imp.level || imp.name !== null ? ` from ${'.'.repeat(imp.level)}${imp.module}` : ''} (${confidence}% confidence).`,
      explanation,
      recommendation: whole ? `Delete the import statement (line ${imp.statementLine}).` : `Remove ${code(imp.local)} from the import on line ${imp.statementLine}.`,
      details: { kind: 'dead-code', reason, evidence },
    }));
  }
  return out;
}

function unreachable(f: FileFacts): Finding[] {
  const ordinal = new Map<string, number>();
  return f.unreachable.map((u) => {
    const owner = u.owner >= 0 ? f.defs[u.owner].qualname : null;
    const confidence = u.semantic ? 60 : 100;
    const explanation = u.semantic === 'yield'
      ? 'The dead code holds `yield`: it still makes the function a generator, so deleting it changes what calling the function returns.'
      : u.semantic === 'scope'
        ? 'The dead code holds a `global`/`nonlocal` declaration, which still affects how names in the function resolve.'
        : `Nothing after \`${u.after}\` (line ${u.afterLine}) in the same block can run.`;
    const n = (ordinal.get(owner ?? '') ?? 0) + 1;
    ordinal.set(owner ?? '', n);
    return makeFinding('dead-code/unreachable', {
      path: f.path, startLine: u.line, endLine: u.endLine, symbol: owner,
      key: `${owner ?? '<module>'}:unreachable-${n}`,
      metric: { name: 'confidence', value: confidence, threshold: null },
      priority: confidence === 100 ? 'medium' : 'low',
      confidence,
      message: `Unreachable code after \`${u.after}\`${owner ? ` in ${code(owner)}` : ''} (lines ${u.line}-${u.endLine}).`,
      explanation,
      recommendation: confidence === 100 ? `Delete lines ${u.line}-${u.endLine}, or fix the control flow if they were meant to run.` : 'Keep the generator/scope semantics explicit (e.g. `return iter(())`) before deleting.',
      details: { kind: 'dead-code', reason: u.semantic ?? 'unreachable', evidence: [`${u.after}@${u.afterLine}`] },
    });
  });
}
