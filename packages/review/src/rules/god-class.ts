/** God classes: size, attributes, LCOM4 and a suggested split into method clusters. */
import { lcom4, suggestSplit, type MemberInput } from '../cohesion.js';
import { code, defLines, isDunder, makeFinding, methodsOf, plural, type AnalysisContext } from '../context.js';
import type { Finding, Priority, SplitDetails } from '../types.js';

/** `god-class/low-cohesion` for large classes whose methods form separate groups (not in test files). */
export function godClassFindings(ctx: AnalysisContext): Finding[] {
  const t = ctx.options.thresholds;
  const out: Finding[] = [];
  for (const f of ctx.facts) {
    // test classes group independent test methods on purpose
    if (f.isTest) continue;
    f.defs.forEach((cls, ci) => {
      if (cls.kind !== 'class') return;
      const methods = methodsOf(f, ci);
      const lines = defLines(cls);
      if (methods.length < t.godClassMethods && lines <= t.classLines) return;
      const members: MemberInput[] = methods
        .filter((m) => !isDunder(m.name))
        .map((m) => ({ name: m.name, attrs: m.selfAttrs, calls: m.selfCalls, callSites: m.selfCallSites, lines: m.endLine - m.startLine + 1 }));
      if (members.length < 4) return;
      const attributes = new Set<string>(cls.classAttrs);
      for (const m of methods) for (const a of m.selfWrites) attributes.add(a);
      const cohesion = lcom4(members);
      const split = suggestSplit(members);
      const clusters = split.clusters.filter((c) => c.attributes.length > 0);
      // unconnected groups count when at least two of them are real groups (a lone static helper is no split)
      const groupsOfTwo = cohesion.components.filter((c) => c.length >= 2).length;
      if (clusters.length < 2 && groupsOfTwo < 2) return;
      const priority: Priority =
        methods.length >= 2 * t.godClassMethods || lines >= 2 * t.classLines ? 'high' : methods.length >= t.godClassMethods && lines > t.classLines ? 'medium' : 'low';
      const nested = split.coordinators.flatMap((name) => {
        const m = methods.find((x) => x.name === name)!;
        const mi = f.defs.indexOf(m);
        return f.defs.filter((d) => d.parent === mi && d.endLine - d.line + 1 >= 15).map((d) => ({ name: d.qualname, lines: d.endLine - d.line + 1 }));
      });
      const details: SplitDetails | null = clusters.length >= 2 ? { ...split, clusters, nested } : null;
      const groups = clusters.map((c) => `${c.name} (${c.methods.length})`).join(', ');
      const metric = cohesion.lcom4 > 1 ? { name: 'lcom4', value: cohesion.lcom4, threshold: 1 } : { name: 'clusters', value: clusters.length, threshold: 1 };
      out.push(makeFinding('god-class/low-cohesion', {
        path: f.path, startLine: cls.line, endLine: cls.endLine, symbol: cls.qualname,
        metric,
        priority,
        message:
          `${code(cls.qualname)}: ${plural(methods.length, 'method')}, ${plural(attributes.size, 'attribute')}, ${lines} lines, LCOM4 ${cohesion.lcom4}` +
          (clusters.length >= 2
            ? `; its methods form ${clusters.length} groups: ${groups}.`
            : `; unconnected method groups: ${cohesion.components.filter((c) => c.length >= 2).map((c) => `{${c.slice(0, 4).join(', ')}${c.length > 4 ? ', …' : ''}}`).join(', ')}.`),
        recommendation: recommendation(cls.name, split, clusters, nested),
        details: { kind: 'god-class', methods: methods.length, attributes: attributes.size, lcom4: cohesion.lcom4, components: cohesion.components, split: details },
      }));
    });
  }
  return out;
}

function pascal(s: string): string {
  return s.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

function recommendation(className: string, split: ReturnType<typeof suggestSplit>, clusters: SplitDetails['clusters'], nested: SplitDetails['nested']): string {
  if (clusters.length < 2) {
    return `Methods of ${code(className)} share no attributes across groups; move each unconnected group into its own class or module-level functions.`;
  }
  const parts = clusters.map((c) => `${code(`${className}${pascal(c.name)}`)} (${c.methods.slice(0, 4).join(', ')}${c.methods.length > 4 ? ', …' : ''}; state: ${c.attributes.slice(0, 3).join(', ')})`);
  let text = `Extract ${parts.join('; ')}.`;
  if (split.coordinators.length) text += ` Keep ${split.coordinators.map(code).join(', ')} in ${code(className)} as the coordinator delegating to the parts.`;
  if (nested.length) text += ` Move the logic nested in the coordinator out too: ${nested.map((x) => `${code(x.name)} (${x.lines} lines)`).join(', ')}.`;
  if (split.shared.length) text += ` ${split.shared.map(code).join(', ')} ${split.shared.length === 1 ? 'is' : 'are'} used by most parts: make ${split.shared.length === 1 ? 'it a service' : 'them services'} each part receives.`;
  if (split.hubs.length) text += ` Pass ${split.hubs.map(code).join(', ')} to every part.`;
  return text;
}
