/**
 * A file's analyses as plain data: what `Project` needs of a file to answer index, scope, export, syntax and
 * reference queries, built from the tree and kept between runs (see `loadProject`), then turned back into the usual
 * `ModuleIndex` / `ScopeAnalysis` objects whose nodes are found in the tree only when read.
 */
import { lazyNode, nodeRef, type NodeRef } from './node-ref.js';
import { patchStrings, type PatchString } from './patch-strings.js';
import { parsePython, sourceText, syntaxProblems, type SyntaxProblem, type Tree } from './parse.js';
import { referenceSites, type ReferenceSite } from './references.js';
import { analyzeScopes, scopeModel } from './scopes.js';
import { indexModule } from './symbols.js';
import type { ImportBinding, ModuleIndex, ScopeAnalysis, TopLevelDef } from './types.js';

type PlainDef = Omit<TopLevelDef, 'node' | 'nameNode'> & { node: NodeRef; nameNode: NodeRef };
type PlainBinding = Omit<ImportBinding, 'statement' | 'node'> & { statement: NodeRef; node: NodeRef };

export interface FileSummary {
  defs: PlainDef[];
  imports: PlainBinding[];
  all: string[] | null;
  globalWrites: [string, NodeRef[]][];
  hasStarImport: boolean;
  undefinedNames: { name: string; node: NodeRef }[];
  /** Every name bound at module level (`ScopeAnalysis.moduleBindings()`). */
  moduleBindings: string[];
  /** The module may bind names no analysis sees: `globals()[...]`, `sys.modules[__name__]`, `globals().update(`. */
  dynamicGlobals: boolean;
  /** Null when not asked for (see {@link SummaryOptions}). */
  syntax: SyntaxProblem[] | null;
  sites: ReferenceSite[];
  patchStrings: { value: string; node: NodeRef }[];
}

export interface SummaryOptions {
  /** Also list syntax problems (a walk of the tree's blocks; `remodel verify` needs them, indexing does not). */
  syntax?: boolean;
}

/** Whether a module's text binds globals dynamically (then any name may exist in it). */
export function hasDynamicGlobals(text: string): boolean {
  return text.includes('globals()[') || text.includes('sys.modules[__name__]') || text.includes('globals().update(');
}

/** Analyses a parsed file into a {@link FileSummary}. */
export function summarizeTree(tree: Tree, options: SummaryOptions = {}): FileSummary {
  const index = indexModule(tree);
  const model = scopeModel(tree);
  const text = sourceText(tree);
  return {
    defs: [...index.defs.values()].map((d) => ({ ...d, node: nodeRef(d.node), nameNode: nodeRef(d.nameNode) })),
    imports: index.imports.map((b) => ({ ...b, statement: nodeRef(b.statement), node: nodeRef(b.node) })),
    all: index.all,
    globalWrites: [...index.globalWrites].map(([name, nodes]) => [name, nodes.map(nodeRef)]),
    hasStarImport: model.hasStarImport,
    undefinedNames: model.undefinedNames().map((u) => ({ name: u.name, node: nodeRef(u.node) })),
    moduleBindings: [...model.moduleBindings()],
    dynamicGlobals: hasDynamicGlobals(text),
    syntax: options.syntax ? syntaxProblems(tree) : null,
    sites: referenceSites(index, model, text).sites,
    patchStrings: patchStrings(tree).map((p) => ({ value: p.value, node: nodeRef(p.node) })),
  };
}

/** Parses and analyses a file's text (the parse is freed before returning). */
export function summarize(text: string, options: SummaryOptions = {}): FileSummary {
  const tree = parsePython(text);
  try {
    return summarizeTree(tree, options);
  } finally {
    tree.delete();
  }
}

/** The module index a summary describes; its nodes are found in `tree()` when first read. */
export function summaryIndex(summary: FileSummary, tree: () => Tree): ModuleIndex {
  const defs = new Map<string, TopLevelDef>();
  for (const d of summary.defs) {
    const def = { name: d.name, kind: d.kind, start: d.start, end: d.end, siblings: d.siblings } as TopLevelDef;
    lazyNode(def, 'node', d.node, tree);
    defs.set(d.name, lazyNode(def, 'nameNode', d.nameNode, tree));
  }
  const imports = summary.imports.map((b) => {
    const { statement, node, ...plain } = b;
    return lazyNode(lazyNode(plain as ImportBinding, 'statement', statement, tree), 'node', node, tree);
  });
  const globalWrites = new Map(summary.globalWrites.map(([name, refs]) => [name, lazyNodes(refs, tree)]));
  return { defs, imports, all: summary.all, globalWrites };
}

/**
 * The scope analysis a summary describes: undefined names, module bindings and star imports from the summary;
 * `freeNames` runs the scope analysis of `tree()`.
 */
export function summaryScopes(summary: FileSummary, tree: () => Tree): ScopeAnalysis {
  return {
    hasStarImport: summary.hasStarImport,
    freeNames: (node) => analyzeScopes(tree()).freeNames(node),
    undefinedNames: () => summary.undefinedNames.map((u) => lazyNode({ name: u.name, line: u.node.line } as { name: string; node: never; line: number }, 'node', u.node, tree)),
    moduleBindings: () => new Set(summary.moduleBindings),
  };
}

/** The patch strings a summary lists; their nodes are found in `tree()` when first read. */
export function summaryPatchStrings(summary: FileSummary, tree: () => Tree): PatchString[] {
  return summary.patchStrings.map((p) => lazyNode({ value: p.value, line: p.node.line } as PatchString, 'node', p.node, tree));
}

function lazyNodes(refs: NodeRef[], tree: () => Tree): never[] {
  const out = new Array<never>(refs.length);
  refs.forEach((ref, i) => lazyNode(out, String(i), ref, tree));
  return out;
}
