/**
 * Per-file facts: everything the review needs from one module, extracted in one pass over its tokens and logical
 * lines and kept as plain data (no tree nodes), so it can be computed in a worker thread and sent back.
 *
 * What it does not model: names bound by `exec`/`globals()` writes (the module is then flagged `dynamic`),
 * attribute access through aliases of `self` (`s = self; s.x`), decorators' run-time effects.
 */
import { CODE_NAME, CODE_NUMBER, CODE_STRING, FNV_SEED, KEYWORDS, KW, fnv, opCode } from './codes.js';
import { ioKindOf, type IoKind } from './io-rules.js';
import { absoluteModule, isTestPath, moduleOfPath } from './modules.js';
import { FSTRING, NAME, NESTED, NUMBER, OP, STRING, tokenize, type LogicalLine, type Tokenized } from './tokenize.js';

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

export interface IoCall {
  kind: IoKind;
  /** What was called: a dotted name (`subprocess.run`) or `.method()`. */
  api: string;
  line: number;
}

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
  /** `self.x(...)` calls. */
  selfCalls: string[];
  /** `self.x = ...` (and augmented) assignments. */
  selfWrites: string[];
  io: IoCall[];
  /** Exact normalised shape of the body (0 when empty). */
  shapeHash: number;
  /** Sorted unique 5-token shingle hashes of the body (functions of at least 20 tokens), else empty. */
  shingles: number[];
  /** Classes: base expressions as written (`BaseModel`, `abc.ABC`). */
  bases: string[];
  /** Classes: names assigned in the class body. */
  classAttrs: string[];
}

export interface ConstantFact {
  name: string;
  line: number;
  endLine: number;
}

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
  /** Normalised shape hash of each statement. */
  hash: Int32Array;
  /** Indentation depth. */
  depth: Int32Array;
  tokens: Int32Array;
  start: Int32Array;
  end: Int32Array;
  /** 1 for statements a clone may not include (imports). */
  barrier: Uint8Array;
}

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
  /** Identifier-like words inside string literals other than docstrings. */
  stringWords: Set<string>;
  /** Absolute dotted names this file reaches through its imports (`pkg.mod.Name`) or names in dotted strings, with all prefixes. */
  dottedRefs: Set<string>;
  /** Calls `globals()`, `locals()`, `vars()`, `eval`, `exec` or `__import__`, or defines a module `__getattr__`. */
  dynamic: boolean;
  /** Absolute modules star-imported by this file. */
  starImports: string[];
  unreachable: UnreachableFact[];
  statements: StatementTable;
}

export interface FactOptions {
  /** Minimum body tokens for a function to get shingles. */
  shingleMinTokens?: number;
}

const DECISION_KEYWORDS = new Set([KW.if, KW.elif, KW.for, KW.while, KW.except, KW.and, KW.or, KW.assert]);
const COMPOUND = new Set(['if', 'elif', 'else', 'for', 'while', 'try', 'except', 'finally', 'with', 'match', 'case', 'def', 'class']);
const TERMINATORS = new Set(['return', 'raise', 'continue', 'break']);
const GUARD_EXCEPTIONS = new Set(['ImportError', 'ModuleNotFoundError', 'Exception', 'BaseException']);
const DYNAMIC_CALLS = new Set(['globals', 'locals', 'vars', 'eval', 'exec', '__import__']);
const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;
const DOTTED_STRING = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+(?::[A-Za-z_][A-Za-z0-9_.]*)?$/;

interface Block {
  depth: number;
  kw: string;
  def: number;
  typeChecking: boolean;
  tryInfo: { guarded: boolean } | null;
}

interface DefWork {
  headerDepth: number;
  bodyStart: number;
  lastToken: number;
  bodyInline: boolean;
}

/** Extracts the facts of one file. `text` is the file's content; `path` its project-relative POSIX path. */
export function extractFacts(path: string, text: string, options: FactOptions = {}): FileFacts {
  const tk = tokenize(text);
  return factsFromTokens(path, tk, options);
}

export function factsFromTokens(path: string, tk: Tokenized, options: FactOptions = {}): FileFacts {
  const module = moduleOfPath(path);
  const isPackage = path.endsWith('/__init__.py') || path === '__init__.py';
  const { tokens, lines, text } = tk;
  const { kind, flags, start, end, line: tline } = tokens;
  const nTok = tokens.count;

  // Per-token code and identifier text (keywords resolved once).
  const code = new Uint16Array(nTok);
  const value: string[] = new Array(nTok);
  for (let t = 0; t < nTok; t++) {
    const k = kind[t];
    if (k === NAME) {
      const v = text.slice(start[t], end[t]);
      value[t] = v;
      code[t] = KEYWORDS.get(v) ?? CODE_NAME;
    } else if (k === OP) {
      const v = text.slice(start[t], end[t]);
      value[t] = v;
      code[t] = opCode(v);
    } else if (k === STRING) {
      code[t] = CODE_STRING;
    } else if (k === NUMBER) {
      code[t] = CODE_NUMBER;
    }
  }
  const isOp = (t: number, op: string): boolean => t < nTok && kind[t] === OP && value[t] === op;

  const defs: DefFact[] = [];
  const work: DefWork[] = [];
  const constants: ConstantFact[] = [];
  const imports: ImportFact[] = [];
  const importTry: ({ guarded: boolean } | null)[] = [];
  const definitionToken = new Uint8Array(nTok);
  const importToken = new Uint8Array(nTok);
  const docToken = new Uint8Array(nTok);
  let all: string[] | null = null;
  const unreachable: UnreachableFact[] = [];
  const stack: Block[] = [];
  const lastClosed: (Block | undefined)[] = [];
  let pendingDecorators: { text: string; line: number; depth: number }[] = [];
  let prevEndLine = 0;
  let pendingDead: { depth: number; after: string; afterLine: number } | null = null;
  let dead: { depth: number; startLine: number; first: number; after: string; afterLine: number; owner: number } | null = null;
  let deadLastToken = 0;

  const innermostDef = (): number => {
    for (let s = stack.length - 1; s >= 0; s--) if (stack[s].def >= 0) return stack[s].def;
    return -1;
  };
  const closeDead = (): void => {
    if (!dead) return;
    let semantic: UnreachableFact['semantic'] = null;
    for (let t = dead.first; t < deadLastToken; t++) {
      if (code[t] === KW.yield) semantic = 'yield';
      else if (semantic === null && (code[t] === KW.global || code[t] === KW.nonlocal)) semantic = 'scope';
    }
    unreachable.push({ line: dead.startLine, endLine: prevEndLine, after: dead.after, afterLine: dead.afterLine, owner: dead.owner, semantic });
    dead = null;
  };

  for (let li = 0; li < lines.length; li++) {
    const L = lines[li];
    // close blocks this line is not inside of
    while (stack.length && stack[stack.length - 1].depth >= L.depth) {
      const b = stack.pop()!;
      lastClosed[b.depth] = b;
      if (b.def >= 0) {
        defs[b.def].endLine = prevEndLine;
        work[b.def].lastToken = L.first;
      }
    }
    if (dead && L.depth < dead.depth) closeDead();
    if (pendingDead) {
      if (L.depth >= pendingDead.depth && !dead) {
        dead = { depth: pendingDead.depth, startLine: L.startLine, first: L.first, after: pendingDead.after, afterLine: pendingDead.afterLine, owner: innermostDef() };
      }
      pendingDead = null;
    }
    if (dead) deadLastToken = L.last;

    let f = L.first;
    if (f >= L.last) { prevEndLine = L.endLine; continue; }
    const isAsync = kind[f] === NAME && value[f] === 'async' && L.last > f + 1;
    const kwTok = isAsync ? f + 1 : f;
    const kw = kind[kwTok] === NAME ? value[kwTok] : '';
    const owner = innermostDef();

    // docstrings and other bare string statements
    let onlyStrings = true;
    for (let t = L.first; t < L.last; t++) if (kind[t] !== STRING && !(flags[t] & NESTED)) { onlyStrings = false; break; }
    if (onlyStrings) for (let t = L.first; t < L.last; t++) docToken[t] = 1;

    if (isOp(f, '@')) {
      pendingDecorators.push({ text: dottedAt(f + 1, L.last), line: L.startLine, depth: L.depth });
      prevEndLine = L.endLine;
      continue;
    }
    if (pendingDecorators.length && pendingDecorators[0].depth !== L.depth) pendingDecorators = [];

    if ((kw === 'def' || kw === 'class') && kind[kwTok + 1] === NAME) {
      const nameTok = kwTok + 1;
      definitionToken[nameTok] = 1;
      const parent = owner;
      const name = value[nameTok];
      const idx = defs.length;
      const colon = headerColon(nameTok + 1, L.last, kw === 'def');
      const bodyInline = colon >= 0 && colon + 1 < L.last;
      const decorators = pendingDecorators.map((d) => d.text);
      const startLine = pendingDecorators.length ? pendingDecorators[0].line : L.startLine;
      pendingDecorators = [];
      const params = kw === 'def' ? paramNames(nameTok + 1, colon < 0 ? L.last : colon) : [];
      const parentIsClass = parent >= 0 && defs[parent].kind === 'class';
      const isStatic = decorators.includes('staticmethod');
      defs.push({
        kind: kw === 'def' ? 'function' : 'class',
        name,
        qualname: parent >= 0 ? `${defs[parent].qualname}.${name}` : name,
        parent,
        line: L.startLine,
        startLine,
        endLine: L.endLine,
        decorators,
        params,
        complexity: kw === 'def' ? 1 : 0,
        maxNesting: 0,
        statements: 0,
        bodyTokens: 0,
        selfName: kw === 'def' && parentIsClass && !isStatic && params.length ? params[0] : null,
        selfAttrs: [],
        selfCalls: [],
        selfWrites: [],
        io: [],
        shapeHash: 0,
        shingles: [],
        bases: kw === 'class' ? classBases(nameTok + 1, colon < 0 ? L.last : colon) : [],
        classAttrs: [],
      });
      work.push({ headerDepth: L.depth, bodyStart: bodyInline ? colon + 1 : L.last, lastToken: L.last, bodyInline });
      stack.push({ depth: L.depth, kw, def: idx, typeChecking: false, tryInfo: null });
      prevEndLine = L.endLine;
      continue;
    }

    if (COMPOUND.has(kw) && kw !== 'def' && kw !== 'class' && isCompoundHeader(kw, kwTok, L)) {
      const block: Block = { depth: L.depth, kw, def: -1, typeChecking: false, tryInfo: null };
      if (kw === 'if') block.typeChecking = isTypeCheckingTest(kwTok + 1, L.last);
      if (kw === 'try') block.tryInfo = { guarded: false };
      if (kw === 'except' || kw === 'else' || kw === 'finally') {
        const prev = lastClosed[L.depth];
        if (prev && prev.tryInfo && (prev.kw === 'try' || prev.kw === 'except')) {
          block.tryInfo = kw === 'except' ? prev.tryInfo : null;
          if (kw === 'except' && catchesImportError(kwTok + 1, L.last)) prev.tryInfo.guarded = true;
        }
      }
      stack.push(block);
    }

    // imports
    if ((kw === 'import' || kw === 'from') && !isAsync) {
      for (let t = L.first; t < L.last; t++) importToken[t] = 1;
      let tc = false;
      let tryInfo: { guarded: boolean } | null = null;
      let inClassOrDef = false;
      for (let s = stack.length - 1; s >= 0; s--) {
        if (stack[s].def >= 0) inClassOrDef = true;
        if (stack[s].typeChecking) tc = true;
        if (!tryInfo && stack[s].tryInfo) tryInfo = stack[s].tryInfo;
      }
      const funcOwner = owner >= 0 && defs[owner].kind === 'function' ? owner : -1;
      const found = parseImport(kwTok, L);
      for (const b of found) {
        imports.push({ ...b, statementLine: L.startLine, statementEndLine: L.endLine, statementBindings: found.length, topLevel: !inClassOrDef, typeChecking: tc, guarded: false, owner: funcOwner, uses: 0, stringUses: 0 });
        importTry.push(tryInfo);
      }
    } else if (owner === -1 || defs[owner].kind === 'class') {
      // module-level or class-level assignments
      const targets = assignmentTargets(L);
      if (targets.length) {
        for (const t of targets) {
          if (owner === -1) {
            definitionToken[t] = 1;
            const name = value[t];
            if (name !== '__all__') constants.push({ name, line: L.startLine, endLine: L.endLine });
          } else if (L.depth === work[owner].headerDepth + 1 || work[owner].bodyInline) {
            defs[owner].classAttrs.push(value[t]);
          }
        }
        if (owner === -1 && targets.some((t) => value[t] === '__all__')) all = [...(all ?? []), ...stringValues(L.first, L.last)];
      } else if (owner === -1 && kind[f] === NAME && value[f] === '__all__' && kind[f + 1] === OP) {
        // __all__ += [...], __all__.extend([...]), __all__.append("x")
        all = [...(all ?? []), ...stringValues(L.first, L.last)];
      }
    }

    // unreachable code: the rest of a block after return/raise/continue/break
    if (!dead && TERMINATORS.has(kw)) pendingDead = { depth: L.depth, after: kw, afterLine: L.startLine };
    prevEndLine = L.endLine;
  }
  while (stack.length) {
    const b = stack.pop()!;
    if (b.def >= 0) {
      defs[b.def].endLine = prevEndLine;
      work[b.def].lastToken = nTok;
    }
  }
  if (dead) { deadLastToken = nTok; closeDead(); }
  for (let i = 0; i < imports.length; i++) imports[i].guarded = importTry[i]?.guarded ?? false;

  // ---- token ownership: innermost function/class whose body holds the token
  const ownerTok = new Int32Array(nTok).fill(-1);
  for (let d = 0; d < defs.length; d++) ownerTok.fill(d, work[d].bodyStart, work[d].lastToken);

  // ---- module-level import bindings: local name -> absolute dotted base
  const bound = new Map<string, string>();
  for (const imp of imports) {
    if (!imp.topLevel || imp.future || imp.name === '*') continue;
    const base = absoluteModule(module, isPackage, imp.level, imp.module);
    if (base === null) continue;
    if (imp.name === null) bound.set(imp.local, imp.alias ? base : imp.local);
    else bound.set(imp.local, `${base}.${imp.name}`);
  }
  for (const imp of imports) {
    const base = absoluteModule(module, isPackage, imp.level, imp.module);
    imp.target = base === null ? null : imp.name === null || imp.name === '*' ? base : `${base}.${imp.name}`;
  }
  const starImports = imports.filter((i) => i.name === '*' && i.target).map((i) => i.target!);

  // ---- second pass over tokens: names, strings, chains, self accesses, io, complexity keywords
  const names = new Map<string, number>();
  const attrNames = new Set<string>();
  const stringWords = new Set<string>();
  const dottedRefs = new Set<string>();
  const stringCounts = new Map<string, number>();
  const importCounts = new Map<string, number>();
  const selfAttrSets = defs.map(() => new Set<string>());
  const selfCallSets = defs.map(() => new Set<string>());
  const selfWriteSets = defs.map(() => new Set<string>());
  let dynamic = false;

  const addDotted = (full: string): void => {
    let i = full.indexOf('.');
    while (i >= 0) {
      dottedRefs.add(full.slice(0, i));
      i = full.indexOf('.', i + 1);
    }
    dottedRefs.add(full);
  };

  for (let t = 0; t < nTok; t++) {
    const k = kind[t];
    const o = ownerTok[t];
    if (k === NAME) {
      const c = code[t];
      if (c !== CODE_NAME) {
        if (o >= 0 && defs[o].kind === 'function' && DECISION_KEYWORDS.has(c)) defs[o].complexity++;
        continue;
      }
      const v = value[t];
      const afterDot = t > 0 && kind[t - 1] === OP && value[t - 1] === '.' && !(flags[t - 1] & NESTED) === !(flags[t] & NESTED);
      if (afterDot) attrNames.add(v);
      if (!definitionToken[t]) names.set(v, (names.get(v) ?? 0) + 1);
      if (importToken[t]) importCounts.set(v, (importCounts.get(v) ?? 0) + 1);
      if (afterDot) continue;
      if (DYNAMIC_CALLS.has(v) && isOp(t + 1, '(')) dynamic = true;
      // self.x accesses: attributed to the method whose first parameter is this name
      if (isOp(t + 1, '.') && kind[t + 2] === NAME && o >= 0) {
        let m = o;
        while (m >= 0 && defs[m].kind === 'function' && defs[m].selfName !== v) m = defs[m].parent;
        if (m >= 0 && defs[m].kind === 'function' && defs[m].selfName === v) {
          const attr = value[t + 2];
          if (isOp(t + 3, '(')) selfCallSets[m].add(attr);
          else {
            selfAttrSets[m].add(attr);
            if (isAssignOp(t + 3)) selfWriteSets[m].add(attr);
          }
        }
      }
      // dotted chains through import bindings, and calls (io)
      let chainEnd = t;
      while (isOp(chainEnd + 1, '.') && kind[chainEnd + 2] === NAME && code[chainEnd + 2] === CODE_NAME) chainEnd += 2;
      const base = bound.get(v);
      let qualified: string | null = null;
      if (base !== undefined) {
        let full = base;
        for (let u = t + 2; u <= chainEnd; u += 2) full += `.${value[u]}`;
        addDotted(full);
        qualified = full;
      } else if (chainEnd === t && v === 'open') {
        qualified = v;
      }
      if (o >= 0 && defs[o].kind === 'function' && isOp(chainEnd + 1, '(') && !importToken[t]) {
        const method = chainEnd > t ? value[chainEnd] : null;
        const io = ioKindOf(qualified, qualified === null ? method : null);
        if (io) defs[o].io.push({ kind: io, api: qualified ?? `.${method}()`, line: tline[t] });
      }
    } else if (k === STRING) {
      if (docToken[t]) continue;
      const raw = text.slice(start[t], end[t]);
      const body = stringBody(raw);
      WORD.lastIndex = 0;
      for (let m = WORD.exec(body); m; m = WORD.exec(body)) {
        stringWords.add(m[0]);
        stringCounts.set(m[0], (stringCounts.get(m[0]) ?? 0) + 1);
      }
      if (!(flags[t] & FSTRING) && DOTTED_STRING.test(body)) addDotted(body.replace(':', '.'));
    } else if (k === OP && o >= 0 && defs[o].kind === 'function' && (value[t] === ')' || value[t] === ']') && isOp(t + 1, '.') && kind[t + 2] === NAME && isOp(t + 3, '(')) {
      // call on an expression result: Path(p).read_text()
      const io = ioKindOf(null, value[t + 2]);
      if (io) defs[o].io.push({ kind: io, api: `.${value[t + 2]}()`, line: tline[t] });
    }
  }

  // ---- per-line metrics: else/case complexity, nesting, statements; statement table for clones
  const nLines = lines.length;
  const st: StatementTable = {
    count: nLines,
    hash: new Int32Array(nLines),
    depth: new Int32Array(nLines),
    tokens: new Int32Array(nLines),
    start: new Int32Array(nLines),
    end: new Int32Array(nLines),
    barrier: new Uint8Array(nLines),
  };
  const lastKwAtDepth: string[] = [];
  for (let li = 0; li < nLines; li++) {
    const L = lines[li];
    const f = L.first;
    let h = FNV_SEED;
    let count = 0;
    for (let t = f; t < L.last; t++) {
      if (flags[t] & NESTED) continue;
      h = fnv(h, code[t]);
      count++;
    }
    st.hash[li] = h;
    st.depth[li] = L.depth;
    st.tokens[li] = count;
    st.start[li] = L.startLine;
    st.end[li] = L.endLine;
    st.barrier[li] = importToken[f] ? 1 : 0;
    if (f >= L.last) continue;
    const kwTok = kind[f] === NAME && value[f] === 'async' ? f + 1 : f;
    let kw = kind[kwTok] === NAME ? value[kwTok] : '';
    if (kw === 'match' && !isOp(L.last - 1, ':')) kw = '';
    const o = ownerTok[f];
    if (o >= 0 && defs[o].kind === 'function') {
      const d = defs[o];
      const w = work[o];
      d.statements++;
      const inlineBody = COMPOUND.has(kw) && kw !== 'def' && kw !== 'class' && hasInlineBody(kwTok, L);
      const nest = L.depth - (w.headerDepth + 1) + (inlineBody ? 1 : 0);
      if (nest > d.maxNesting) d.maxNesting = nest;
      if (kw === 'else' && ['for', 'while', 'except'].includes(lastKwAtDepth[L.depth] ?? '')) d.complexity++;
      if (kw === 'case' && lastKwAtDepth[L.depth - 1] === 'match') {
        const wildcard = kind[f + 1] === NAME && value[f + 1] === '_' && isOp(f + 2, ':');
        if (!wildcard) d.complexity++;
        // a guard `case p if cond:` is not a decision point in radon
        for (let t = f + 1; t < L.last; t++) if (code[t] === KW.if && ownerTok[t] === o) { d.complexity--; break; }
      }
    }
    lastKwAtDepth[L.depth] = kw;
    lastKwAtDepth.length = L.depth + 1;
  }
  for (let d = 0; d < defs.length; d++) {
    const def = defs[d];
    const w = work[d];
    if (w.bodyInline && def.kind === 'function') def.statements++;
    def.selfAttrs = [...selfAttrSets[d]];
    def.selfCalls = [...selfCallSets[d]];
    def.selfWrites = [...selfWriteSets[d]];
    if (def.kind !== 'function') continue;
    let h = FNV_SEED;
    let n = 0;
    const seq: number[] = [];
    for (let t = w.bodyStart; t < w.lastToken; t++) {
      if (flags[t] & NESTED) continue;
      h = fnv(h, code[t]);
      seq.push(code[t]);
      n++;
    }
    def.bodyTokens = n;
    def.shapeHash = n ? h : 0;
    if (n >= (options.shingleMinTokens ?? 20)) def.shingles = shingles(seq, 5);
  }

  // ---- import uses (outside import statements) and string mentions
  for (const imp of imports) {
    if (imp.owner >= 0) {
      const w = work[imp.owner];
      let uses = 0;
      for (let t = w.bodyStart; t < w.lastToken; t++) if (kind[t] === NAME && !importToken[t] && value[t] === imp.local) uses++;
      imp.uses = uses;
    } else {
      // occurrences outside the import statements themselves
      imp.uses = Math.max(0, (names.get(imp.local) ?? 0) - (importCounts.get(imp.local) ?? 0));
    }
    imp.stringUses = stringCounts.get(imp.local) ?? 0;
  }
  if (defs.some((d) => d.parent === -1 && d.kind === 'function' && d.name === '__getattr__')) dynamic = true;

  return {
    path,
    module,
    isPackage,
    isTest: isTestPath(path),
    lines: tk.physicalLines,
    problem: tk.problem,
    defs,
    constants,
    imports,
    all,
    names,
    attrNames,
    stringWords,
    dottedRefs,
    dynamic,
    starImports,
    unreachable,
    statements: st,
  };

  // ---- helpers over the token arrays

  function dottedAt(t: number, last: number): string {
    let s = '';
    for (; t < last; t++) {
      if (kind[t] === NAME) s += value[t];
      else if (isOp(t, '.')) s += '.';
      else break;
    }
    return s;
  }

  function isAssignOp(t: number): boolean {
    if (t >= nTok || kind[t] !== OP) return false;
    const v = value[t];
    return v === '=' || (v.length >= 2 && v.endsWith('=') && v !== '==' && v !== '!=' && v !== '<=' && v !== '>=');
  }

  /** Index of the `:` ending a def/class/compound header, or -1. */
  function headerColon(t: number, last: number, isDef: boolean): number {
    let depth = 0;
    let lambda = 0;
    for (; t < last; t++) {
      if (kind[t] === OP) {
        const v = value[t];
        if (v === '(' || v === '[' || v === '{') depth++;
        else if (v === ')' || v === ']' || v === '}') depth--;
        else if (v === ':' && depth === 0) {
          if (lambda > 0) { lambda--; continue; }
          return t;
        }
      } else if (depth === 0 && code[t] === KW.lambda && !isDef) lambda++;
    }
    return -1;
  }

  function isCompoundHeader(kw: string, kwTok: number, L: LogicalLine): boolean {
    if (kw === 'match' || kw === 'case') {
      // soft keywords: `match x:` / `case p:` only when followed by an expression and ending a header
      if (kind[kwTok + 1] === OP && !['(', '[', '{', '-', '*'].includes(value[kwTok + 1])) return false;
      return headerColon(kwTok + 1, L.last, false) >= 0;
    }
    return true;
  }

  function hasInlineBody(kwTok: number, L: LogicalLine): boolean {
    const colon = headerColon(kwTok + 1, L.last, false);
    return colon >= 0 && colon + 1 < L.last;
  }

  function isTypeCheckingTest(t: number, last: number): boolean {
    const s = [];
    for (; t < last && !isOp(t, ':'); t++) s.push(kind[t] === NAME || kind[t] === OP ? value[t] : '?');
    const e = s.join('');
    return e === 'TYPE_CHECKING' || e === 'typing.TYPE_CHECKING';
  }

  function catchesImportError(t: number, last: number): boolean {
    if (isOp(t, ':') || (isOp(t, '*') && isOp(t + 1, ':'))) return true; // bare except
    for (; t < last && !isOp(t, ':'); t++) {
      if (code[t] === KW.as) break;
      if (kind[t] === NAME && GUARD_EXCEPTIONS.has(value[t])) return true;
    }
    return false;
  }

  function paramNames(t: number, last: number): string[] {
    const out: string[] = [];
    if (!isOp(t, '(')) return out;
    let depth = 0;
    let expectName = true;
    for (; t < last; t++) {
      if (kind[t] === OP) {
        const v = value[t];
        if (v === '(' || v === '[' || v === '{') { depth++; if (depth === 1) expectName = true; continue; }
        if (v === ')' || v === ']' || v === '}') { depth--; if (depth === 0) break; continue; }
        if (depth === 1 && v === ',') expectName = true;
        else if (depth === 1 && (v === '*' || v === '**' || v === '/')) continue;
        else if (depth === 1) expectName = false;
      } else if (depth === 1 && expectName && kind[t] === NAME) {
        out.push(value[t]);
        expectName = false;
      } else if (depth === 1) expectName = false;
    }
    return out;
  }

  function classBases(t: number, last: number): string[] {
    const out: string[] = [];
    if (!isOp(t, '(')) return out;
    let depth = 0;
    let cur = '';
    let keyword = false;
    for (; t < last; t++) {
      if (kind[t] === OP) {
        const v = value[t];
        if (v === '(' || v === '[' || v === '{') { depth++; if (depth > 1) cur += v; continue; }
        if (v === ')' || v === ']' || v === '}') {
          depth--;
          if (depth === 0) break;
          cur += v;
          continue;
        }
        if (depth === 1 && v === ',') { if (cur && !keyword) out.push(cur); cur = ''; keyword = false; continue; }
        if (depth === 1 && v === '=') { keyword = true; continue; }
        cur += v;
      } else cur += text.slice(start[t], end[t]);
    }
    if (cur && !keyword) out.push(cur);
    return out;
  }

  /** Name tokens assigned by a simple or annotated assignment statement (`a = b = 1`, `x, y = ...`, `X: int = 1`). */
  function assignmentTargets(L: LogicalLine): number[] {
    const f = L.first;
    if (kind[f] !== NAME && !isOp(f, '(') && !isOp(f, '[')) return [];
    if (kind[f] === NAME && code[f] !== CODE_NAME) return [];
    // annotated: NAME ':' ...
    if (kind[f] === NAME && isOp(f + 1, ':')) return [f];
    const eqs: number[] = [];
    let depth = 0;
    for (let t = f; t < L.last; t++) {
      if (kind[t] !== OP) {
        if (depth === 0 && code[t] === KW.lambda) break;
        continue;
      }
      const v = value[t];
      if (v === '(' || v === '[' || v === '{') depth++;
      else if (v === ')' || v === ']' || v === '}') depth--;
      else if (v === '=' && depth === 0) eqs.push(t);
    }
    if (!eqs.length) return [];
    const out: number[] = [];
    let segStart = f;
    for (const eq of eqs) {
      for (let t = segStart; t < eq; t++) {
        if (kind[t] !== NAME || code[t] !== CODE_NAME) continue;
        const prev = t > segStart ? t - 1 : -1;
        const prevOk = prev < 0 || (kind[prev] === OP && (value[prev] === ',' || value[prev] === '(' || value[prev] === '[' || value[prev] === '*'));
        const next = t + 1;
        const nextOk = next === eq || (kind[next] === OP && (value[next] === ',' || value[next] === ')' || value[next] === ']'));
        if (prevOk && nextOk) out.push(t);
      }
      segStart = eq + 1;
    }
    return out;
  }

  function stringValues(first: number, last: number): string[] {
    const out: string[] = [];
    for (let t = first; t < last; t++) {
      if (kind[t] === STRING && !(flags[t] & FSTRING)) out.push(stringBody(text.slice(start[t], end[t])));
    }
    return out;
  }

  function parseImport(kwTok: number, L: LogicalLine): Omit<ImportFact, 'statementLine' | 'statementEndLine' | 'statementBindings' | 'topLevel' | 'typeChecking' | 'guarded' | 'owner' | 'uses' | 'stringUses'>[] {
    const out: Omit<ImportFact, 'statementLine' | 'statementEndLine' | 'statementBindings' | 'topLevel' | 'typeChecking' | 'guarded' | 'owner' | 'uses' | 'stringUses'>[] = [];
    let t = kwTok + 1;
    const last = L.last;
    const readDotted = (): string => {
      let s = '';
      while (t < last && (kind[t] === NAME || isOp(t, '.'))) {
        if (kind[t] === NAME && s && !s.endsWith('.')) break;
        s += kind[t] === NAME ? value[t] : '.';
        t++;
      }
      return s;
    };
    if (value[kwTok] === 'import') {
      while (t < last) {
        const line = tline[t];
        const mod = readDotted();
        let alias: string | null = null;
        if (t < last && code[t] === KW.as) { alias = value[t + 1]; t += 2; }
        if (mod) out.push({ local: alias ?? mod.split('.')[0], module: mod, level: 0, name: null, alias, target: null, line, future: false });
        if (isOp(t, ',')) t++;
        else break;
      }
      return out;
    }
    let level = 0;
    while (t < last && (isOp(t, '.') || isOp(t, '...'))) { level += value[t].length; t++; }
    const mod = readDotted();
    if (t >= last || code[t] !== KW.import) return out;
    t++;
    const future = level === 0 && mod === '__future__';
    while (t < last) {
      if (isOp(t, '(') || isOp(t, ')') || isOp(t, ',')) { t++; continue; }
      if (isOp(t, '*')) {
        out.push({ local: '*', module: mod, level, name: '*', alias: null, target: null, line: tline[t], future });
        t++;
        continue;
      }
      if (kind[t] !== NAME) { t++; continue; }
      const name = value[t];
      const line = tline[t];
      t++;
      let alias: string | null = null;
      if (t < last && code[t] === KW.as) { alias = value[t + 1]; t += 2; }
      out.push({ local: alias ?? name, module: mod, level, name, alias, target: null, line, future });
    }
    return out;
  }
}

/** Content of a string literal token without prefix and quotes (escapes left as written). */
export function stringBody(raw: string): string {
  let i = 0;
  while (i < raw.length && raw[i] !== '"' && raw[i] !== "'") i++;
  const q = raw[i];
  const triple = raw.startsWith(q.repeat(3), i);
  const open = triple ? 3 : 1;
  const close = raw.endsWith(triple ? q.repeat(3) : q) && raw.length - i >= open * 2 ? open : 0;
  return raw.slice(i + open, raw.length - close);
}

function shingles(seq: number[], k: number): number[] {
  if (seq.length < k) return [];
  const set = new Set<number>();
  for (let i = 0; i + k <= seq.length; i++) {
    let h = FNV_SEED;
    for (let j = 0; j < k; j++) h = fnv(h, seq[i + j]);
    set.add(h >>> 0);
  }
  return [...set].sort((a, b) => a - b);
}
