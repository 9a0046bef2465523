/** The per-file facts the review extracts (plain data, safe to send between threads). */
import type { IoKind } from './io-rules.js';

/** One name bound by an import statement. */
export interface ImportFact {
  /** Name bound in the importing scope. */
  local: string;
  /** Module as written, without leading dots. */
  module: string;
  level: number;
  /** `from m import name`: the name (`*` for star imports); null for `import m`. */
  name: string | null;
  alias: string | null;
  /** Absolute dotted target: the module for `import m`, `module.name` for `from module import name`. */
  target: string | null;
  line: number;
  /** Line range of the whole import statement and its number of bindings. */
  statementLine: number;
  statementEndLine: number;
  statementBindings: number;
  topLevel: boolean;
  typeChecking: boolean;
  /** In a `try` body (or its handler) that catches ImportError, ModuleNotFoundError, Exception or everything. */
  guarded: boolean;
  future: boolean;
  /** Index of the function whose body holds the import, -1 at module or class level. */
  owner: number;
  /** Occurrences of `local` in the binding's scope outside import statements (whole file; the function for a local import). */
  uses: number;
  /** Occurrences of `local` inside string literals of this file (string annotations, getattr names). */
  stringUses: number;
}

/** A call doing IO, found in a function body. */
export interface IoCall {
  kind: IoKind;
  /** What was called: a dotted name (`subprocess.run`) or `.method()`. */
  api: string;
  line: number;
}

/** A function or class (nested ones too) with the measures the rules need. */
export interface DefFact {
  kind: 'function' | 'class';
  name: string;
  /** Dotted path inside the module (`Outer.method.inner`). */
  qualname: string;
  /** Index of the enclosing def/class in `FileFacts.defs`, -1 at module level (also for defs in module-level if/try). */
  parent: number;
  /** Line of the `def`/`class` keyword. */
  line: number;
  /** First line including decorators. */
  startLine: number;
  endLine: number;
  decorators: string[];
  params: string[];
  /** Cyclomatic complexity, radon's rules (functions only). */
  complexity: number;
  /** Deepest block nesting of a statement inside the body (functions only; nested defs not counted). */
  maxNesting: number;
  statements: number;
  bodyTokens: number;
  /** First parameter of a method (`self`, `cls`), null for functions and static methods. */
  selfName: string | null;
  /** `self.x` read or written, not called. Includes accesses in nested closures. */
  selfAttrs: string[];
  /** `self.x(...)` calls (distinct names). */
  selfCalls: string[];
  /** Every `self.x(...)` call in source order with its line. */
  selfCallSites: { name: string; line: number }[];
  /** `self.x = ...` (and augmented) assignments. */
  selfWrites: string[];
  io: IoCall[];
  /** Exact normalised shape of the body (0 when empty). */
  shapeHash: number;
  /** Sorted unique 5-token shingle hashes of the body when `FactOptions.shingles` is set (functions of 20+ tokens), else empty. */
  shingles: number[];
  /** Classes: base expressions as written (`BaseModel`, `abc.ABC`). */
  bases: string[];
  /** Classes: names assigned in the class body. */
  classAttrs: string[];
}

/** A module-level name bound by an assignment. */
export interface ConstantFact {
  name: string;
  line: number;
  endLine: number;
  /** Other names bound by the same statement (`a, b = ...`): the statement can only go when all are unused. */
  siblings: string[];
}

/** Statements that can never run (the rest of a block after return/raise/continue/break). */
export interface UnreachableFact {
  line: number;
  endLine: number;
  /** The statement that ends the flow: `return`, `raise`, `continue`, `break`. */
  after: string;
  afterLine: number;
  owner: number;
  /** The dead code holds `yield` (it still makes the function a generator) or `global`/`nonlocal`. */
  semantic: 'yield' | 'scope' | null;
}

/** Statement (logical line) table for clone detection. */
export interface StatementTable {
  count: number;
  /** Normalised shape hash of each statement (docstrings and other bare strings are left out of the table). */
  hash: Int32Array;
  /** Indentation depth. */
  depth: Int32Array;
  tokens: Int32Array;
  start: Int32Array;
  end: Int32Array;
  /** 1 for statements a clone may not include (imports). */
  barrier: Uint8Array;
}

/** Everything the review knows about one file. Plain data: safe to structured-clone between threads. */
export interface FileFacts {
  path: string;
  module: string | null;
  isPackage: boolean;
  isTest: boolean;
  lines: number;
  problem: { line: number; message: string } | null;
  defs: DefFact[];
  constants: ConstantFact[];
  imports: ImportFact[];
  /** Literal names of `__all__`, null when the module has none. */
  all: string[] | null;
  /** Every identifier occurrence except definition names (def/class names, module-level assignment targets). */
  names: Map<string, number>;
  /** Identifiers used as attribute names (`x.name`). */
  attrNames: Set<string>;
  /** Contents of the string literals other than docstrings, joined by newlines (searched for names on demand). */
  stringText: string;
  /** Identifier strings passed to getattr/hasattr/setattr/delattr or `patch.object(x, "name")`: attribute names looked up at run time. */
  attrStrings: string[];
  /** Absolute dotted names this file reaches through its imports (`pkg.mod.Name`) or names in dotted strings, with all prefixes. */
  dottedRefs: Set<string>;
  /** Calls `globals()`, `locals()`, `vars()`, `eval`, `exec` or `__import__`, or defines a module `__getattr__`. */
  dynamic: boolean;
  /** Absolute modules star-imported by this file. */
  starImports: string[];
  unreachable: UnreachableFact[];
  statements: StatementTable;
}

/** Options of `extractFacts`, computed from the whole project (module names). */
export interface FactOptions {
  /** Dotted module name of the file (see `moduleNames` of @remodel/python); default: derived from the path alone. */
  module?: string | null;
  /**
   * Package that relative imports start from: the module itself for an `__init__.py`, else its parent ('' for a
   * top-level module, null when the file is in no importable package). Default: derived from `module`.
   */
  packageName?: string | null;
  /** Compute `shingles` for the functions of this file (needed only for modules compared pairwise). */
  shingles?: boolean;
  /** Minimum body tokens for a function to get shingles (default 20). */
  shingleMinTokens?: number;
}
