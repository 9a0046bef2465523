import type { ImportBinding, Node, Project, SourceFile } from '@remodel/python';
import { at, calls, decoratorName, inside, PLAIN_BASES, WRAPPING, wordPattern, type Blocker } from './usage.js';

/** Callees whose module-level calls only create loggers or typing helpers: no effect another module can observe. */
const QUIET_CALLS = new Set(['get_logger', 'getLogger', 'logging.getLogger', 'TypeVar', 'typing.TypeVar', 'ParamSpec', 'NewType']);

/**
 * Why the top-level import binding `b` of `file` cannot be deleted (null: it can). `removed` are ranges this step
 * deletes: reads inside them do not count.
 */
export function importBlocker(project: Project, file: SourceFile, b: ImportBinding, removed: [number, number][]): Blocker | null {
  const local = b.local;
  const where = `${file.path}:${b.line}`;
  if (b.module === '__future__') return { code: 'future-import', reason: `\`${local}\` is a \`from __future__\` import (${where})` };
  if (b.guarded) return { code: 'guarded-import', reason: `\`${local}\` is imported inside \`try/except ImportError\` (${where}), an availability probe` };
  if (file.isPackage) return { code: 'package-reexport', reason: `${file.path} is a package: its imports are its public names` };
  const index = project.index(file.path);
  const others = index.imports.filter((x) => x.topLevel && x.local === local && x !== b);
  if (others.length > 0) return { code: 'rebound', reason: `\`${local}\` is imported again at ${file.path}:${others[0].line}` };
  if (index.all?.includes(local)) return { code: 'all', reason: `\`${local}\` is listed in \`__all__\` of ${file.path}` };
  const gone = (n: Node): boolean => removed.some(([s, e]) => inside(n, s, e));
  const reads = (project.scopes(file.path).freeNames(file.tree.rootNode).get(local) ?? []).filter((n) => !gone(n));
  if (reads.length > 0) return { code: 'used-in-module', reason: `\`${local}\` is read at ${at(file, reads[0])}` };
  // Strings that read like a type or a dotted name (string annotations, getattr/patch targets), not prose.
  const word = wordPattern(local);
  const text = file.tree.rootNode.descendantsOfType('string').find((s) => {
    if (!s || gone(s)) return false;
    const content = s.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('');
    return /^[\w.[\], |]+$/.test(content.trim()) && word.test(content);
  });
  if (text) return { code: 'string-mention', reason: `\`${local}\` is named in a string at ${at(file, text)} (a string annotation or getattr may need it)` };
  if (file.module) {
    const refs = project.references(file.module, local).filter((r) => r.path !== file.path);
    if (refs.length > 0) return { code: 'referenced', reason: `\`${local}\` is imported from ${file.module} at ${refs[0].path}:${refs[0].line}` };
  }
  const resolved = project.resolveImport(file.path, b);
  if (resolved.kind === 'module' || resolved.kind === 'symbol') {
    for (const m of lostModules(project, file, b, resolved.module)) {
      const target = project.fileOfModule(m);
      const effect = target ? moduleEffect(project, target) : null;
      if (effect) {
        return { code: 'side-effect-import', reason: `\`${local}\` is the only import-time path from ${file.module ?? file.path} to ${m}, whose import has effects (${effect})` };
      }
    }
  }
  return null;
}

/** Project modules `file` loads at import time only through `dropped` (its target `module` and what only it loads). */
function lostModules(project: Project, file: SourceFile, dropped: ImportBinding, module: string): string[] {
  const reach = (starts: string[]): Set<string> => {
    const seen = new Set<string>();
    const queue: string[] = [];
    const visit = (m: string): void => {
      const parts = m.split('.');
      for (let i = 1; i <= parts.length; i++) {
        const p = parts.slice(0, i).join('.');
        if (!seen.has(p)) {
          seen.add(p);
          queue.push(p);
        }
      }
    };
    for (const s of starts) visit(s);
    while (queue.length > 0) for (const next of project.importsOf(queue.shift()!, { importTimeOnly: true }).keys()) visit(next);
    return seen;
  };
  const others: string[] = [];
  if (file.module) others.push(file.module.split('.').slice(0, -1).join('.'));
  for (const b of project.index(file.path).imports) {
    if (b === dropped || !b.topLevel || b.typeChecking) continue;
    const r = project.resolveImport(file.path, b);
    if (r.kind === 'module' || r.kind === 'symbol') others.push(r.module);
  }
  const kept = reach(others.filter(Boolean));
  return [...reach([module])].filter((m) => !kept.has(m) && project.fileOfModule(m)).sort();
}

/**
 * The first top-level statement of `file` whose execution another module could observe (path:line and text), or
 * null when importing the module only binds names: imports, docstrings, definitions with wrapping decorators and
 * plain bases, assignments whose values call nothing but logger / typing factories. External modules it imports are
 * assumed to have no effects anyone relies on (as linters assume).
 */
export function moduleEffect(project: Project, file: SourceFile): string | null {
  const show = (n: Node): string => `${at(file, n)} \`${n.text.split('\n')[0].slice(0, 60)}\``;
  const check = (stmts: (Node | null)[]): string | null => {
    for (const s of stmts) {
      if (!s || s.type === 'comment' || s.type === 'import_statement' || s.type === 'import_from_statement' || s.type === 'future_import_statement') continue;
      if (s.type === 'pass_statement') continue;
      if (s.type === 'function_definition') {
        const effect = calls(s.childForFieldName('parameters'))[0];
        if (effect) return show(effect);
        continue;
      }
      if (s.type === 'decorated_definition') {
        const d = s.namedChildren.find((c) => c?.type === 'decorator' && !WRAPPING.has(decoratorName(c)));
        if (d) return show(d);
        const inner = check([s.childForFieldName('definition')]);
        if (inner) return inner;
        continue;
      }
      if (s.type === 'class_definition') {
        const base = (s.childForFieldName('superclasses')?.namedChildren ?? []).find((c) => c !== null && c.type !== 'comment' && (c.type === 'keyword_argument' || !plainOrProjectBase(project, file, c.text)));
        if (base) return show(base);
        const body = (s.childForFieldName('body')?.namedChildren ?? []).filter((c) => c?.type !== 'function_definition' && c?.type !== 'decorated_definition');
        const effect = body.flatMap((c) => calls(c, new Set(['field', 'dataclasses.field', 'Field'])))[0];
        if (effect) return show(effect);
        continue;
      }
      if (s.type === 'try_statement' || s.type === 'if_statement' || s.type === 'else_clause' || s.type === 'elif_clause' || s.type === 'except_clause' || s.type === 'finally_clause') {
        if (s.type === 'if_statement' || s.type === 'elif_clause') {
          const effect = calls(s.childForFieldName('condition'), QUIET_CALLS)[0];
          if (effect) return show(effect);
        }
        // The statements of each branch; conditions and exception types are expressions checked above or inert.
        const condition = s.childForFieldName('condition');
        const parts = s.namedChildren
          .filter((c) => c !== null && c.id !== condition?.id && (c.type === 'block' || isStatement(c) || /_clause$/.test(c.type)))
          .flatMap((c) => (c!.type === 'block' ? c!.namedChildren : [c]));
        const inner = check(parts);
        if (inner) return inner;
        continue;
      }
      if (s.type === 'expression_statement') {
        const e = s.firstNamedChild;
        if (e?.type === 'string') continue;
        if (e?.type === 'assignment' || e?.type === 'augmented_assignment') {
          const effect = calls(e, QUIET_CALLS)[0];
          if (effect) return show(effect);
          continue;
        }
      }
      return show(s);
    }
    return null;
  };
  return check(file.tree.rootNode.namedChildren);
}

function isStatement(n: Node | null): boolean {
  return !!n && /(_statement|_definition)$/.test(n.type);
}

function plainOrProjectBase(project: Project, file: SourceFile, text: string): boolean {
  if (PLAIN_BASES.has(text)) return true;
  const head = text.split('.')[0].split('[')[0];
  const index = project.index(file.path);
  if (index.defs.get(head)?.kind === 'class') return true;
  const b = index.imports.find((x) => x.local === head);
  return !!b && project.resolveImport(file.path, b).kind !== 'external';
}
