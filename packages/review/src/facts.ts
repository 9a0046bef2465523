/**
 * Per-file facts: everything the review needs from one module, extracted in one pass over its tokens and logical
 * lines and kept as plain data (no tree nodes), so it can be computed in a worker thread and sent back.
 *
 * What it does not model: names bound by `exec`/`globals()` writes (the module is then flagged `dynamic`),
 * attribute access through aliases of `self` (`s = self; s.x`), decorators' run-time effects.
 */
import { CODE_NAME, CODE_NUMBER, CODE_STRING, FNV_SEED, KEYWORDS, KW, OP_TEXT, fnv, opCode, opCodeAt } from './codes.js';
import { ioKindOf } from './io-rules.js';
import type { ConstantFact, DefFact, FactOptions, FileFacts, ImportFact, StatementTable, UnreachableFact } from './fact-types.js';

export type { ConstantFact, DefFact, FactOptions, FileFacts, ImportFact, IoCall, StatementTable, UnreachableFact } from './fact-types.js';
import { isTestPath, moduleOfPath, packageOf, resolveRelative } from './modules.js';
import { FSTRING, NAME, NESTED, OP, PAD, STRING, tokenize, type LogicalLine, type Tokenized } from './tokenize.js';
import {
  assignmentTargets,
  catchesImportError,
  classBases,
  dottedAt,
  hasInlineBody,
  headerColon,
  isAssignOp,
  isCompoundHeader,
  isTypeCheckingTest,
  paramNames,
  parseImport,
  stringBody,
  stringValues,
} from './statement.js';

export { stringBody } from './statement.js';

const DECISION = new Uint8Array(64);
for (const k of [KW.if, KW.elif, KW.for, KW.while, KW.except, KW.and, KW.or, KW.assert]) DECISION[k] = 1;
const OP_DOT = opCode('.');
const OP_LPAR = opCode('(');
const OP_RPAR = opCode(')');
const OP_RBRACKET = opCode(']');
const OP_LBRACKET = opCode('[');
const OP_LBRACE = opCode('{');
const OP_RBRACE = opCode('}');
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Calls whose string argument names an attribute: `getattr(m, "x")`, `patch.object(m, "x")`, `monkeypatch.setattr(m, "x", v)`. */
const ATTR_CALLEES = new Set(['getattr', 'hasattr', 'setattr', 'delattr', 'object']);
const COMPOUND = new Set(['if', 'elif', 'else', 'for', 'while', 'try', 'except', 'finally', 'with', 'match', 'case', 'def', 'class']);
const TERMINATORS = new Set(['return', 'raise', 'continue', 'break']);
const DYNAMIC_CALLS = new Set(['globals', 'locals', 'vars', 'eval', 'exec', '__import__']);
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

/** `extractFacts` for an already tokenized file. */
export function factsFromTokens(path: string, tk: Tokenized, options: FactOptions = {}): FileFacts {
  return new Extractor(path, tk, options).run();
}


/**
 * One extraction: a few passes over the token arrays, each its own method (small functions get optimised by V8
 * long before one big function would).
 */
class Extractor {
  private readonly module: string | null;
  private readonly isPackage: boolean;
  /** Package used for relative imports ('' for a top-level module, null when not importable). */
  private readonly packageName: string | null;
  readonly text: string;
  readonly lines: LogicalLine[];
  readonly kind: Uint8Array;
  readonly flags: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly tline: Int32Array;
  private readonly nTok: number;
  /** Normalised code of each token. */
  readonly code: Uint16Array;
  /** Text of NAME and OP tokens ('' otherwise). */
  readonly value: string[];

  private readonly defs: DefFact[] = [];
  private readonly work: DefWork[] = [];
  private readonly constants: ConstantFact[] = [];
  private readonly imports: ImportFact[] = [];
  private readonly importTry: ({ guarded: boolean } | null)[] = [];
  private readonly definitionToken: Uint8Array;
  private readonly importToken: Uint8Array;
  private readonly docToken: Uint8Array;
  private all: string[] | null = null;
  private readonly unreachable: UnreachableFact[] = [];

  // structure pass state
  private readonly stack: Block[] = [];
  private readonly lastClosed: (Block | undefined)[] = [];
  private pendingDecorators: { text: string; line: number; depth: number }[] = [];
  private prevEndLine = 0;
  private pendingDead: { depth: number; after: string; afterLine: number } | null = null;
  private dead: { depth: number; startLine: number; first: number; after: string; afterLine: number; owner: number } | null = null;
  private deadLastToken = 0;

  // token pass state
  private ownerTok: Int32Array = new Int32Array(0);
  private readonly bound = new Map<string, string>();
  private readonly names = new Map<string, number>();
  private readonly attrNames = new Set<string>();
  private readonly stringParts: string[] = [];
  private readonly attrStrings = new Set<string>();
  private joinedStrings: string | null = null;
  private readonly dottedRefs = new Set<string>();
  private readonly importCounts = new Map<string, number>();
  private selfAttrSets: Set<string>[] = [];
  private selfCallSets: Set<string>[] = [];
  private selfWriteSets: Set<string>[] = [];
  private dynamic = false;
  private statements!: StatementTable;

  constructor(private readonly path: string, tk: Tokenized, private readonly options: FactOptions) {
    this.isPackage = path.endsWith('/__init__.py') || path === '__init__.py';
    this.module = options.module !== undefined ? options.module : moduleOfPath(path);
    this.packageName = options.packageName !== undefined ? options.packageName : packageOf(this.module, this.isPackage);
    this.text = tk.text;
    this.lines = tk.lines;
    const tokens = tk.tokens;
    this.kind = tokens.kind;
    this.flags = tokens.flags;
    this.start = tokens.start;
    this.end = tokens.end;
    this.tline = tokens.line;
    this.nTok = tokens.count;
    // PAD extra entries: look-ahead reads past the last token see 0 / ''
    this.code = new Uint16Array(this.nTok + PAD);
    this.value = new Array<string>(this.nTok + PAD).fill('');
    this.definitionToken = new Uint8Array(this.nTok);
    this.importToken = new Uint8Array(this.nTok);
    this.docToken = new Uint8Array(this.nTok);
    this.physicalLines = tk.physicalLines;
    this.problem = tk.problem;
  }

  private readonly physicalLines: number;
  private readonly problem: FileFacts['problem'];

  run(): FileFacts {
    this.computeCodes();
    for (let li = 0; li < this.lines.length; li++) this.structureLine(this.lines[li]);
    this.closeAll();
    this.computeOwnership();
    this.computeBindings();
    this.tokenPass();
    this.linePass();
    this.finishDefs();
    this.importUses();
    if (this.defs.some((d) => d.parent === -1 && d.kind === 'function' && d.name === '__getattr__')) this.dynamic = true;
    return {
      path: this.path,
      module: this.module,
      isPackage: this.isPackage,
      isTest: isTestPath(this.path),
      lines: this.physicalLines,
      problem: this.problem,
      defs: this.defs,
      constants: this.constants,
      imports: this.imports,
      all: this.all,
      names: this.names,
      attrNames: this.attrNames,
      stringText: this.stringText(),
      attrStrings: [...this.attrStrings],
      dottedRefs: this.dottedRefs,
      dynamic: this.dynamic,
      starImports: this.imports.filter((i) => i.name === '*' && i.target).map((i) => i.target!),
      unreachable: this.unreachable,
      statements: this.statements,
    };
  }

  private stringText(): string {
    this.joinedStrings ??= this.stringParts.join('\n');
    return this.joinedStrings;
  }

  private computeCodes(): void {
    const { kind, start, end, text, code, value } = this;
    for (let t = 0; t < this.nTok; t++) {
      const k = kind[t];
      if (k === NAME) {
        const v = text.slice(start[t], end[t]);
        value[t] = v;
        code[t] = KEYWORDS.get(v) ?? CODE_NAME;
      } else if (k === OP) {
        const c = opCodeAt(text, start[t], end[t]);
        code[t] = c;
        value[t] = OP_TEXT[c];
      } else code[t] = k === STRING ? CODE_STRING : CODE_NUMBER;
    }
  }

  private isOp(t: number, op: string): boolean {
    return this.kind[t] === OP && this.value[t] === op;
  }

  private innermostDef(): number {
    const stack = this.stack;
    for (let s = stack.length - 1; s >= 0; s--) if (stack[s].def >= 0) return stack[s].def;
    return -1;
  }

  // ---- structure pass: blocks, defs, imports, assignments, unreachable code

  private structureLine(L: LogicalLine): void {
    this.closeBlocks(L.depth, L.first);
    this.trackDead(L);
    const f = L.first;
    if (f >= L.last) { this.prevEndLine = L.endLine; return; }
    const { kind, value } = this;
    const isAsync = kind[f] === NAME && value[f] === 'async' && L.last > f + 1;
    const kwTok = isAsync ? f + 1 : f;
    const kw = kind[kwTok] === NAME ? value[kwTok] : '';
    this.markDocstring(L);
    if (this.isOp(f, '@')) {
      this.pendingDecorators.push({ text: dottedAt(this, f + 1, L.last), line: L.startLine, depth: L.depth });
      this.prevEndLine = L.endLine;
      return;
    }
    if (this.pendingDecorators.length && this.pendingDecorators[0].depth !== L.depth) this.pendingDecorators = [];
    if ((kw === 'def' || kw === 'class') && kind[kwTok + 1] === NAME) {
      this.defLine(L, kw, kwTok);
      this.prevEndLine = L.endLine;
      return;
    }
    const owner = this.innermostDef();
    if (COMPOUND.has(kw) && isCompoundHeader(this, kw, kwTok, L)) this.compoundLine(L, kw, kwTok);
    if ((kw === 'import' || kw === 'from') && !isAsync) this.importLine(L, kwTok, owner);
    else if (owner === -1 || this.defs[owner].kind === 'class') this.assignmentLine(L, owner);
    if (!this.dead && TERMINATORS.has(kw)) this.pendingDead = { depth: L.depth, after: kw, afterLine: L.startLine };
    this.prevEndLine = L.endLine;
  }

  private closeBlocks(depth: number, firstToken: number): void {
    const stack = this.stack;
    while (stack.length && stack[stack.length - 1].depth >= depth) {
      const b = stack.pop()!;
      this.lastClosed[b.depth] = b;
      if (b.def >= 0) {
        this.defs[b.def].endLine = this.prevEndLine;
        this.work[b.def].lastToken = firstToken;
      }
    }
  }

  private closeAll(): void {
    this.closeBlocks(-1, this.nTok);
    if (this.dead) {
      this.deadLastToken = this.nTok;
      this.closeDead();
    }
    for (let i = 0; i < this.imports.length; i++) this.imports[i].guarded = this.importTry[i]?.guarded ?? false;
  }

  private trackDead(L: LogicalLine): void {
    if (this.dead && L.depth < this.dead.depth) this.closeDead();
    const pending = this.pendingDead;
    if (pending) {
      if (L.depth >= pending.depth && !this.dead) {
        this.dead = { depth: pending.depth, startLine: L.startLine, first: L.first, after: pending.after, afterLine: pending.afterLine, owner: this.innermostDef() };
      }
      this.pendingDead = null;
    }
    if (this.dead) this.deadLastToken = L.last;
  }

  private closeDead(): void {
    const dead = this.dead;
    if (!dead) return;
    let semantic: UnreachableFact['semantic'] = null;
    for (let t = dead.first; t < this.deadLastToken; t++) {
      const c = this.code[t];
      if (c === KW.yield) semantic = 'yield';
      else if (semantic === null && (c === KW.global || c === KW.nonlocal)) semantic = 'scope';
    }
    this.unreachable.push({ line: dead.startLine, endLine: this.prevEndLine, after: dead.after, afterLine: dead.afterLine, owner: dead.owner, semantic });
    this.dead = null;
  }

  private markDocstring(L: LogicalLine): void {
    const { kind, flags } = this;
    for (let t = L.first; t < L.last; t++) if (kind[t] !== STRING && !(flags[t] & NESTED)) return;
    for (let t = L.first; t < L.last; t++) this.docToken[t] = 1;
  }

  private defLine(L: LogicalLine, kw: string, kwTok: number): void {
    const nameTok = kwTok + 1;
    this.definitionToken[nameTok] = 1;
    const parent = this.innermostDef();
    const defs = this.defs;
    const name = this.value[nameTok];
    const idx = defs.length;
    const isDef = kw === 'def';
    const colon = headerColon(this, nameTok + 1, L.last, isDef);
    const headerEnd = colon < 0 ? L.last : colon;
    const bodyInline = colon >= 0 && colon + 1 < L.last;
    const decorators = this.pendingDecorators.map((d) => d.text);
    const startLine = this.pendingDecorators.length ? this.pendingDecorators[0].line : L.startLine;
    this.pendingDecorators = [];
    const params = isDef ? paramNames(this, nameTok + 1, headerEnd) : [];
    const parentIsClass = parent >= 0 && defs[parent].kind === 'class';
    const isStatic = decorators.includes('staticmethod');
    defs.push({
      kind: isDef ? 'function' : 'class',
      name,
      qualname: parent >= 0 ? `${defs[parent].qualname}.${name}` : name,
      parent,
      line: L.startLine,
      startLine,
      endLine: L.endLine,
      decorators,
      params,
      complexity: isDef ? 1 : 0,
      maxNesting: 0,
      statements: 0,
      bodyTokens: 0,
      selfName: isDef && parentIsClass && !isStatic && params.length ? params[0] : null,
      selfAttrs: [],
      selfCalls: [],
      selfCallSites: [],
      selfWrites: [],
      io: [],
      shapeHash: 0,
      shingles: [],
      bases: isDef ? [] : classBases(this, nameTok + 1, headerEnd),
      classAttrs: [],
    });
    this.work.push({ headerDepth: L.depth, bodyStart: bodyInline ? colon + 1 : L.last, lastToken: L.last, bodyInline });
    this.stack.push({ depth: L.depth, kw, def: idx, typeChecking: false, tryInfo: null });
  }

  private compoundLine(L: LogicalLine, kw: string, kwTok: number): void {
    const block: Block = { depth: L.depth, kw, def: -1, typeChecking: false, tryInfo: null };
    if (kw === 'if') block.typeChecking = isTypeCheckingTest(this, kwTok + 1, L.last);
    else if (kw === 'try') block.tryInfo = { guarded: false };
    else if (kw === 'except') {
      const prev = this.lastClosed[L.depth];
      if (prev && prev.tryInfo && (prev.kw === 'try' || prev.kw === 'except')) {
        block.tryInfo = prev.tryInfo;
        if (catchesImportError(this, kwTok + 1, L.last)) prev.tryInfo.guarded = true;
      }
    }
    this.stack.push(block);
  }

  private importLine(L: LogicalLine, kwTok: number, owner: number): void {
    for (let t = L.first; t < L.last; t++) this.importToken[t] = 1;
    let tc = false;
    let tryInfo: { guarded: boolean } | null = null;
    let inClassOrDef = false;
    const stack = this.stack;
    for (let s = stack.length - 1; s >= 0; s--) {
      if (stack[s].def >= 0) inClassOrDef = true;
      if (stack[s].typeChecking) tc = true;
      if (!tryInfo && stack[s].tryInfo) tryInfo = stack[s].tryInfo;
    }
    const funcOwner = owner >= 0 && this.defs[owner].kind === 'function' ? owner : -1;
    const found = parseImport(this, kwTok, L);
    for (const b of found) {
      this.imports.push({
        local: b.local,
        module: b.module,
        level: b.level,
        name: b.name,
        alias: b.alias,
        target: null,
        line: b.line,
        future: b.future,
        statementLine: L.startLine,
        statementEndLine: L.endLine,
        statementBindings: found.length,
        topLevel: !inClassOrDef,
        typeChecking: tc,
        guarded: false,
        owner: funcOwner,
        uses: 0,
        stringUses: 0,
      });
      this.importTry.push(tryInfo);
    }
  }

  private assignmentLine(L: LogicalLine, owner: number): void {
    const { value, kind } = this;
    const targets = assignmentTargets(this, L);
    if (targets.length) {
      const bound = targets.map((t) => value[t]);
      for (const t of targets) {
        if (owner === -1) {
          this.definitionToken[t] = 1;
          const siblings = bound.filter((b) => b !== value[t]);
          if (value[t] !== '__all__') this.constants.push({ name: value[t], line: L.startLine, endLine: L.endLine, siblings });
        } else if (L.depth === this.work[owner].headerDepth + 1 || this.work[owner].bodyInline) {
          this.defs[owner].classAttrs.push(value[t]);
        }
      }
      if (owner === -1 && targets.some((t) => value[t] === '__all__')) this.all = [...(this.all ?? []), ...stringValues(this, L.first, L.last)];
    } else if (owner === -1 && kind[L.first] === NAME && value[L.first] === '__all__' && kind[L.first + 1] === OP) {
      // __all__ += [...], __all__.extend([...]), __all__.append("x")
      this.all = [...(this.all ?? []), ...stringValues(this, L.first, L.last)];
    }
  }

  // ---- ownership and import bindings

  private computeOwnership(): void {
    const own = new Int32Array(this.nTok).fill(-1);
    for (let d = 0; d < this.defs.length; d++) own.fill(d, this.work[d].bodyStart, this.work[d].lastToken);
    this.ownerTok = own;
  }

  private computeBindings(): void {
    for (const imp of this.imports) {
      const base = imp.level === 0 ? imp.module : resolveRelative(this.packageName, imp.level, imp.module);
      imp.target = base === null ? null : imp.name === null || imp.name === '*' ? base : `${base}.${imp.name}`;
      if (!imp.topLevel || imp.future || imp.name === '*' || base === null) continue;
      if (imp.name === null) this.bound.set(imp.local, imp.alias ? base : imp.local);
      else this.bound.set(imp.local, `${base}.${imp.name}`);
    }
    this.selfAttrSets = this.defs.map(() => new Set<string>());
    this.selfCallSets = this.defs.map(() => new Set<string>());
    this.selfWriteSets = this.defs.map(() => new Set<string>());
  }

  // ---- token pass: names, strings, chains, self accesses, io, decision keywords

  private tokenPass(): void {
    const { kind, code, ownerTok, defs, value, flags, names, definitionToken, importToken, importCounts, attrNames, tline } = this;
    const n = this.nTok;
    for (let t = 0; t < n; t++) {
      const k = kind[t];
      if (k === NAME) {
        const c = code[t];
        const o = ownerTok[t];
        if (c !== CODE_NAME) {
          if (o >= 0 && c < 64 && DECISION[c] === 1 && defs[o].kind === 'function') defs[o].complexity++;
          continue;
        }
        const v = value[t];
        if (definitionToken[t] === 0) names.set(v, (names.get(v) ?? 0) + 1);
        if (importToken[t] === 1) importCounts.set(v, (importCounts.get(v) ?? 0) + 1);
        if (t > 0 && code[t - 1] === OP_DOT && (flags[t - 1] & NESTED) === (flags[t] & NESTED)) {
          attrNames.add(v);
          continue;
        }
        const next = code[t + 1];
        if (next === OP_DOT) {
          if (o >= 0 && kind[t + 2] === NAME) this.selfAccess(t, o);
          this.chain(t, o);
        } else if (next === OP_LPAR) {
          if (DYNAMIC_CALLS.has(v)) this.dynamic = true;
          this.chain(t, o);
        }
      } else if (k === STRING) {
        if (this.docToken[t] === 0) this.stringToken(t);
      } else if (k === OP) {
        const c = code[t];
        // a call on an expression's result: Path(p).read_text()
        if ((c === OP_RPAR || c === OP_RBRACKET) && code[t + 1] === OP_DOT && kind[t + 2] === NAME && code[t + 3] === OP_LPAR) {
          const o = ownerTok[t];
          if (o < 0 || defs[o].kind !== 'function') continue;
          const io = ioKindOf(null, value[t + 2]);
          if (io) defs[o].io.push({ kind: io, api: `.${value[t + 2]}()`, line: tline[t] });
        }
      }
    }
  }

  /** `self.x`: attributed to the method whose first parameter is this name (closures included). */
  private selfAccess(t: number, o: number): void {
    const { defs, value } = this;
    const v = value[t];
    let m = o;
    while (m >= 0 && defs[m].kind === 'function' && defs[m].selfName !== v) m = defs[m].parent;
    if (m < 0 || defs[m].kind !== 'function') return;
    const attr = value[t + 2];
    if (this.code[t + 3] === OP_LPAR) {
      this.selfCallSets[m].add(attr);
      defs[m].selfCallSites.push({ name: attr, line: this.tline[t] });
    } else {
      this.selfAttrSets[m].add(attr);
      if (isAssignOp(this, t + 3)) this.selfWriteSets[m].add(attr);
    }
  }

  /** Dotted chains reached through import bindings, and the io done by calls (t is followed by `.` or `(`). */
  private chain(t: number, o: number): void {
    const { value, kind, code } = this;
    const v = value[t];
    let chainEnd = t;
    while (code[chainEnd + 1] === OP_DOT && kind[chainEnd + 2] === NAME && code[chainEnd + 2] === CODE_NAME) chainEnd += 2;
    const base = this.bound.get(v);
    let qualified: string | null = null;
    if (base !== undefined) {
      let full = base;
      for (let u = t + 2; u <= chainEnd; u += 2) full += `.${value[u]}`;
      this.addDotted(full);
      qualified = full;
    } else if (chainEnd === t && v === 'open') qualified = v;
    if (o >= 0 && code[chainEnd + 1] === OP_LPAR && this.importToken[t] === 0 && this.defs[o].kind === 'function') {
      const method = chainEnd > t ? value[chainEnd] : null;
      if (qualified === null && method === null) return;
      const io = ioKindOf(qualified, qualified === null ? method : null);
      if (io) this.defs[o].io.push({ kind: io, api: qualified ?? `.${method}()`, line: this.tline[t] });
    }
  }

  /** Name of the function whose call's parentheses hold token `t` (`getattr` in `getattr(x, "a")`), or null. */
  private calleeOf(t: number): string | null {
    const { code, kind, value } = this;
    let depth = 0;
    for (let u = t - 1; u >= 0 && u > t - 64; u--) {
      const c = code[u];
      if (c === OP_RPAR || c === OP_RBRACKET || c === OP_RBRACE) depth++;
      else if (c === OP_LPAR || c === OP_LBRACKET || c === OP_LBRACE) {
        if (depth > 0) {
          depth--;
          continue;
        }
        return c === OP_LPAR && u > 0 && kind[u - 1] === NAME ? value[u - 1] : null;
      }
    }
    return null;
  }

  private addDotted(full: string): void {
    let i = full.indexOf('.');
    while (i >= 0) {
      this.dottedRefs.add(full.slice(0, i));
      i = full.indexOf('.', i + 1);
    }
    this.dottedRefs.add(full);
  }

  private stringToken(t: number): void {
    const body = stringBody(this.text.slice(this.start[t], this.end[t]));
    this.stringParts.push(body);
    if (!(this.flags[t] & FSTRING) && IDENTIFIER.test(body) && ATTR_CALLEES.has(this.calleeOf(t) ?? '')) this.attrStrings.add(body);
    if (!(this.flags[t] & FSTRING) && DOTTED_STRING.test(body)) this.addDotted(body.replace(':', '.'));
  }

  // ---- line pass: statement table, else/case complexity, nesting

  private linePass(): void {
    const lines = this.lines;
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
    const { code, flags } = this;
    const lastKwAtDepth: string[] = [];
    let k = 0;
    for (let li = 0; li < nLines; li++) {
      const L = lines[li];
      if (L.first < L.last) this.lineMetrics(L, lastKwAtDepth);
      // docstrings are not code: clones look through them
      if (this.docToken[L.first] === 1) continue;
      let h = FNV_SEED;
      let count = 0;
      for (let t = L.first; t < L.last; t++) {
        if (flags[t] & NESTED) continue;
        h = Math.imul((h ^ code[t]) | 0, 16777619);
        count++;
      }
      st.hash[k] = h;
      st.depth[k] = L.depth;
      st.tokens[k] = count;
      st.start[k] = L.startLine;
      st.end[k] = L.endLine;
      st.barrier[k] = this.importToken[L.first];
      k++;
    }
    st.count = k;
    this.statements = st;
  }

  private lineMetrics(L: LogicalLine, lastKwAtDepth: string[]): void {
    const { kind, value } = this;
    const f = L.first;
    const kwTok = kind[f] === NAME && value[f] === 'async' ? f + 1 : f;
    let kw = kind[kwTok] === NAME ? value[kwTok] : '';
    if (kw === 'match' && !this.isOp(L.last - 1, ':')) kw = '';
    const o = this.ownerTok[f];
    if (o >= 0 && this.defs[o].kind === 'function') {
      const d = this.defs[o];
      d.statements++;
      const inlineBody = COMPOUND.has(kw) && kw !== 'def' && kw !== 'class' && hasInlineBody(this, kwTok, L);
      const nest = L.depth - (this.work[o].headerDepth + 1) + (inlineBody ? 1 : 0);
      if (nest > d.maxNesting) d.maxNesting = nest;
      // radon counts an assert as 1 and does not look inside it (its visit_Assert skips the children)
      if (kw === 'assert') d.complexity -= this.decisionsIn(L.first + 1, L.last, o);
      const prev = lastKwAtDepth[L.depth];
      if (kw === 'else' && (prev === 'for' || prev === 'while' || prev === 'except')) d.complexity++;
      if (kw === 'case' && lastKwAtDepth[L.depth - 1] === 'match') {
        // irrefutable `case _:` / `case name:` (radon: a MatchAs without a sub-pattern) is the else branch
        const wildcard = kind[f + 1] === NAME && this.code[f + 1] === CODE_NAME && this.isOp(f + 2, ':');
        if (!wildcard) d.complexity++;
        // a guard (`case p if cond:`) is not a decision point for radon
        for (let t = f + 1; t < L.last; t++) if (this.code[t] === KW.if && this.ownerTok[t] === o) { d.complexity--; break; }
      }
    }
    lastKwAtDepth[L.depth] = kw;
    lastKwAtDepth.length = L.depth + 1;
  }

  /** Decision keywords owned by def `o` among tokens [from, to). */
  private decisionsIn(from: number, to: number, o: number): number {
    let n = 0;
    for (let t = from; t < to; t++) {
      const c = this.code[t];
      if (c < 64 && DECISION[c] === 1 && this.kind[t] === NAME && this.ownerTok[t] === o) n++;
    }
    return n;
  }

  private finishDefs(): void {
    const { defs, work, flags, code } = this;
    for (let d = 0; d < defs.length; d++) {
      const def = defs[d];
      const w = work[d];
      def.selfAttrs = [...this.selfAttrSets[d]];
      def.selfCalls = [...this.selfCallSets[d]];
      def.selfWrites = [...this.selfWriteSets[d]];
      if (def.kind !== 'function') continue;
      if (w.bodyInline) def.statements++;
      let h = FNV_SEED;
      const seq: number[] = [];
      for (let t = w.bodyStart; t < w.lastToken; t++) {
        if (flags[t] & NESTED) continue;
        h = fnv(h, code[t]);
        seq.push(code[t]);
      }
      def.bodyTokens = seq.length;
      def.shapeHash = seq.length ? h : 0;
      if (this.options.shingles && seq.length >= (this.options.shingleMinTokens ?? 20)) def.shingles = shingles(seq, 5);
    }
  }

  private importUses(): void {
    const { kind, value } = this;
    for (const imp of this.imports) {
      if (imp.owner >= 0) {
        const w = this.work[imp.owner];
        let uses = 0;
        for (let t = w.bodyStart; t < w.lastToken; t++) if (kind[t] === NAME && !this.importToken[t] && value[t] === imp.local) uses++;
        imp.uses = uses;
      } else {
        // occurrences outside the import statements themselves
        imp.uses = Math.max(0, (this.names.get(imp.local) ?? 0) - (this.importCounts.get(imp.local) ?? 0));
      }
    }
    if (!this.imports.length) return;
    const strings = this.stringText();
    for (const imp of this.imports) imp.stringUses = countWord(strings, imp.local);
  }
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

/** Occurrences of `word` in `text` as a whole identifier (not inside a longer identifier). */
export function countWord(text: string, word: string): number {
  if (!word) return 0;
  let n = 0;
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length)) {
    const before = i > 0 ? text.charCodeAt(i - 1) : 32;
    const after = i + word.length < text.length ? text.charCodeAt(i + word.length) : 32;
    if (!isWordChar(before) && !isWordChar(after)) n++;
  }
  return n;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c >= 128;
}
