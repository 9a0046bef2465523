import type { Node, SourceFile } from '@remodel/python';
import { lineEnd } from '../shared/text.js';
import { isTarget } from './usage.js';

/** A run of statements that can never run: they follow a `return`/`raise`/`continue`/`break` in the same block. */
export interface DeadRun {
  /** Range to delete: from the end of the terminator's line (or the terminator itself, `return; x`) to the end of the last line. */
  start: number;
  end: number;
  /** The terminating keyword and its line. */
  after: string;
  afterLine: number;
  line: number;
  endLine: number;
  /** Why the run must stay (deleting it would change semantics), or null when it can go. */
  keep: string | null;
}

const TERMINATORS = new Set(['return_statement', 'raise_statement', 'continue_statement', 'break_statement']);
const NESTED = new Set(['function_definition', 'class_definition', 'lambda']);

/** Every dead run of the module, in source order. */
export function deadRuns(file: SourceFile): DeadRun[] {
  const text = file.text;
  const out: DeadRun[] = [];
  const blocks = [file.tree.rootNode, ...file.tree.rootNode.descendantsOfType('block').filter((b): b is Node => b !== null)];
  for (const block of blocks) {
    const stmts = block.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
    const i = stmts.findIndex((s) => TERMINATORS.has(s.type));
    if (i === -1 || i === stmts.length - 1) continue;
    const term = stmts[i];
    const dead = stmts.slice(i + 1);
    const last = dead[dead.length - 1];
    const sameLine = dead[0].startPosition.row === term.endPosition.row;
    const start = sameLine ? term.endIndex : lineEnd(text, term.endIndex);
    const end = sameLine && last.endPosition.row === term.endPosition.row ? last.endIndex : lineEnd(text, last.endIndex);
    out.push({
      start,
      end,
      after: term.type.replace(/_statement$/, ''),
      afterLine: term.startPosition.row + 1,
      line: dead[0].startPosition.row + 1,
      endLine: last.endPosition.row + 1,
      keep: keepReason(block, dead, start, end),
    });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The scope node holding `n`: the nearest function or class definition, or the module. */
function scopeOf(n: Node): Node {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition' || p.type === 'class_definition' || p.type === 'module') return p;
  return n;
}

function keepReason(block: Node, dead: Node[], start: number, end: number): string | null {
  const own = (n: Node): Node[] => {
    // Descendants in the same scope: nested function / class / lambda bodies excluded.
    const found: Node[] = [];
    const visit = (x: Node): void => {
      found.push(x);
      if (NESTED.has(x.type)) return;
      for (const c of x.namedChildren) if (c) visit(c);
    };
    visit(n);
    return found;
  };
  const nodes = dead.flatMap(own);
  if (nodes.some((n) => n.type === 'yield')) return 'it holds `yield`, which makes the function a generator';
  if (nodes.some((n) => n.type === 'global_statement' || n.type === 'nonlocal_statement')) return 'it holds a `global`/`nonlocal` declaration, which changes how names of the function resolve';
  const bound = new Set<string>();
  for (const n of nodes) {
    if (n.type === 'identifier' && n.parent && bindsHere(n)) bound.add(n.text);
    if ((n.type === 'function_definition' || n.type === 'class_definition') && n.childForFieldName('name')) bound.add(n.childForFieldName('name')!.text);
  }
  if (bound.size === 0) return null;
  const scope = scopeOf(block);
  for (const id of scope.descendantsOfType('identifier')) {
    if (!id || (start <= id.startIndex && id.endIndex <= end) || !bound.has(id.text)) continue;
    const parent = id.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === id.id) continue;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === id.id) continue;
    if (scope.type !== 'module' && parent?.id === scope.id) continue; // the scope's own name
    return `it binds \`${id.text}\`, which line ${id.startPosition.row + 1} also uses: deleting the binding would change where that name resolves`;
  }
  return null;
}

/** An identifier bound by an assignment, loop, `with`, `except`, walrus, `del` or import of its own scope. */
function bindsHere(id: Node): boolean {
  let child: Node = id;
  for (let p = id.parent; p; child = p, p = p.parent) {
    if (p.type === 'aliased_import') return p.childForFieldName('alias')?.id === child.id;
    if (p.type === 'import_statement' || p.type === 'import_from_statement') {
      return p.childForFieldName('module_name')?.id !== child.id && child.type === 'dotted_name' && child.namedChildren[0]?.id === id.id;
    }
    if (isTarget(p, child)) return true;
    if (/^(pattern_list|tuple_pattern|list_pattern|as_pattern_target|tuple|list|parenthesized_expression|dotted_name)$/.test(p.type)) continue;
    return false;
  }
  return false;
}
