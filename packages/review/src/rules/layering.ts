/** Layer mixing: classes whose methods do IO (HTTP, subprocess, files, process inspection) next to plain logic. */
import { code, isDunder, makeFinding, methodsOf, plural, type AnalysisContext } from '../context.js';
import type { DefFact, FileFacts } from '../facts.js';
import { IO_KINDS, type IoKind } from '../io-rules.js';
import type { Finding, Priority } from '../types.js';

const ADAPTER: Record<IoKind, string> = {
  http: 'an HTTP client adapter',
  subprocess: 'a process runner',
  file: 'a file store',
  process: 'a process inspector',
};

const LABEL: Record<IoKind, string> = { http: 'HTTP', subprocess: 'subprocess', file: 'file IO', process: 'process inspection' };

/** Descendant defs of `index` (closures inside a method do its IO). */
function descendants(f: FileFacts, index: number): DefFact[] {
  const out: DefFact[] = [];
  const within = new Set([index]);
  f.defs.forEach((d, i) => {
    if (within.has(d.parent)) {
      within.add(i);
      out.push(d);
    }
  });
  return out;
}

/** `layering/io-mixing` for classes with IO methods and at least three methods without IO (not in test files). */
export function layeringFindings(ctx: AnalysisContext): Finding[] {
  const out: Finding[] = [];
  for (const f of ctx.facts) {
    if (f.isTest) continue;
    f.defs.forEach((cls, ci) => {
      if (cls.kind !== 'class') return;
      const methods = methodsOf(f, ci).filter((m) => !isDunder(m.name) || m.name === '__init__');
      const byKind = new Map<IoKind, { name: string; apis: string[]; lines: number[] }[]>();
      const pure: string[] = [];
      for (const m of methods) {
        const index = f.defs.indexOf(m);
        const calls = [...m.io, ...descendants(f, index).flatMap((d) => d.io)];
        if (!calls.length) {
          if (!isDunder(m.name)) pure.push(m.name);
          continue;
        }
        const perKind = new Map<IoKind, { apis: Set<string>; lines: number[] }>();
        for (const c of calls) {
          const e = perKind.get(c.kind) ?? { apis: new Set<string>(), lines: [] };
          e.apis.add(c.api);
          e.lines.push(c.line);
          perKind.set(c.kind, e);
        }
        for (const [k, e] of perKind) {
          const list = byKind.get(k) ?? [];
          list.push({ name: m.name, apis: [...e.apis].sort(), lines: [...new Set(e.lines)].sort((a, b) => a - b) });
          byKind.set(k, list);
        }
      }
      if (!byKind.size || pure.length < 3) return;
      const ioMethods = new Set([...byKind.values()].flat().map((m) => m.name));
      const kinds = IO_KINDS.filter((k) => byKind.has(k));
      const priority: Priority =
        kinds.length >= 2 && ioMethods.size >= 3 && pure.length >= 5 ? 'high' : kinds.length >= 2 || ioMethods.size >= 3 ? 'medium' : 'low';
      const summary = kinds.map((k) => `${LABEL[k]} in ${byKind.get(k)!.map((m) => m.name).join(', ')}`).join('; ');
      out.push(makeFinding('layering/io-mixing', {
        path: f.path, startLine: cls.line, endLine: cls.endLine, symbol: cls.qualname,
        metric: { name: 'io-methods', value: ioMethods.size, threshold: null },
        priority,
        message: `${code(cls.qualname)} mixes IO with logic: ${summary}; ${plural(pure.length, 'method')} without IO.`,
        recommendation: `Extract ${kinds.map((k) => ADAPTER[k]).join(', ')} behind a small interface injected into ${code(cls.name)}, move the IO calls there, and keep the decisions in ${code(cls.name)} so they can be tested without real IO.`,
        related: [...byKind.values()].flat().map((m) => {
          const d = methods.find((x) => x.name === m.name)!;
          return { path: f.path, startLine: d.line, endLine: d.endLine, symbol: d.qualname };
        }).filter((l, i, a) => a.findIndex((x) => x.symbol === l.symbol) === i),
        details: { kind: 'io-mixing', io: kinds.map((k) => ({ kind: k, methods: byKind.get(k)! })), pureMethods: pure.sort() },
      }));
    });
  }
  return out;
}
