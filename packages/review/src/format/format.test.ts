import { only, py, reviewOf } from '../testing.js';
import { RULE_IDS } from '../review.js';
import { formatMarkdown } from './markdown.js';
import { renderReportFindings } from './report.js';
import { toSarif } from './sarif.js';
import { formatTerminal } from './terminal.js';

const PROJECT = {
  'pkg/__init__.py': '',
  'pkg/service.py': py`
    import os
    import subprocess


    class Service:
        def __init__(self, path):
            self.path = path

        def run(self, cmd):
            return subprocess.run(cmd)

        def load(self):
            return open(self.path).read()

        def parse(self, text):
            return text.split(",")

        def label(self, x):
            return x.upper()

        def count(self, x):
            return len(x)


    def tangled(a, b, c, d):
        if a and b or c:
            for i in range(d):
                while i:
                    if i % 2:
                        try:
                            i -= 1
                        except ValueError:
                            pass
        return a
  `,
  'pkg/a.py': 'from pkg.b import x\n\ny = 1\n',
  'pkg/b.py': 'from pkg.a import y\n\nx = y\n',
};

const result = reviewOf(PROJECT, { thresholds: { complexity: 3, nesting: 2 } });

describe('terminal format', () => {
  it('groups findings by priority within 100 columns, without colour unless asked', () => {
    const text = formatTerminal(result);
    expect(text).toMatch(/^remodel review: 4 files, \d+ lines, \d+ findings\n/);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(text).not.toMatch(/\x1b\[/);
    const sections = [...text.matchAll(/^(HIGH|MEDIUM|LOW) \((\d+)\)$/gm)].map((m) => m[1]);
    expect(sections).toEqual(['HIGH', 'MEDIUM', 'LOW']);
    expect(text).toContain('cycles/import-cycle');
    expect(formatTerminal(result, { color: true })).toMatch(/\x1b\[/);
    for (const line of formatTerminal(result, { width: 60 }).split('\n')) expect(line.length).toBeLessThanOrEqual(60);
  });

  it('says when there is nothing to report', () => {
    expect(formatTerminal(reviewOf({ 'a.py': 'x = 1\nprint(x)\n' }))).toContain('No findings.');
  });
});

describe('SARIF', () => {
  it('produces a SARIF 2.1.0 log: one driver rule per rule id, one result per finding, valid locations', () => {
    const log = toSarif(result, 'file:///repo/');
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('remodel-review');
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(RULE_IDS);
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///repo/' } });
    expect(run.results).toHaveLength(result.findings.length);
    for (const [i, r] of run.results.entries()) {
      const f = result.findings[i];
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(['error', 'warning', 'note']).toContain(r.level);
      expect(r.message.text.length).toBeGreaterThan(0);
      const loc = r.locations[0].physicalLocation;
      expect(loc.artifactLocation).toEqual({ uri: f.path, uriBaseId: '%SRCROOT%' });
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(loc.region.endLine).toBeGreaterThanOrEqual(loc.region.startLine);
      expect(r.partialFingerprints['remodelFindingId/v1']).toBe(f.id);
    }
    const cycle = run.results.find((r) => r.ruleId === 'cycles/import-cycle')!;
    expect(cycle.relatedLocations!.map((l) => [l.id, l.physicalLocation.artifactLocation.uri])).toEqual([[1, 'pkg/a.py'], [2, 'pkg/b.py']]);
    // JSON round trip keeps it intact (no undefined, no functions)
    expect(JSON.parse(JSON.stringify(log))).toEqual(log);
  });
});

describe('Markdown report', () => {
  it('has the summary, a section per priority and the rankings', () => {
    const md = formatMarkdown(result);
    expect(md.startsWith('# remodel review\n')).toBe(true);
    expect(md).toContain('| Priority | Findings |');
    expect(md).toContain('## Medium priority');
    expect(md).toContain('### layering/io-mixing: `Service`');
    expect(md).toContain('- **Recommendation:**');
    expect(md).toContain('### Most complex functions (cyclomatic)');
  });
});

describe('renderReportFindings', () => {
  it('renders top risks and findings in Polish by default: problem -> location -> rationale -> recommendation', () => {
    const { risks, findings } = renderReportFindings(result, { limit: 4 });
    expect(risks.split('\n')[0]).toBe('Przegląd: 4 pliki, 40 linii; znaleziska: 2 o wysokim, 2 o średnim i 4 o niskim priorytecie.');
    expect(risks).toContain('1. **Wysoka złożoność cyklomatyczna** — `pkg/service.py:25-34`: `tangled` ma złożoność cyklomatyczną 8 (próg 3, ocena radon B).');
    expect(risks).toContain('**Cykl importów** — `pkg/a.py:1`: 2 moduły importują się nawzajem w czasie importu: `pkg.a`, `pkg.b`.');
    const entries = findings.split('\n### ').length;
    expect(entries).toBe(4);
    const first = findings.split('\n\n### ')[0];
    expect(first.split('\n').map((l) => l.replace(/:\*\*.*/, ':**'))).toEqual([
      '### 1. Wysoka złożoność cyklomatyczna (priorytet: wysoki)',
      '',
      '- **Problem:**',
      '- **Miejsce:**',
      '- **Uzasadnienie:**',
      '- **Rekomendacja:**',
    ]);
    expect(findings).toContain('IO wymieszane z logiką');
    expect(findings).toContain('podprocesy: `run`');
    expect(findings).toMatch(/Pozostałe znaleziska \(\d+\): `remodel review --md`\./);
  });

  it('renders English on request, and a no-findings text', () => {
    const { risks, findings } = renderReportFindings(result, { lang: 'en', limit: 2 });
    expect(risks).toMatch(/^Review: 4 files/);
    expect(findings).toContain('### 1. High cyclomatic complexity (priority: high)');
    expect(findings).toContain('### 2. Deeply nested blocks (priority: high)');
    expect(findings).toContain('- **Rationale:**');
    const empty = renderReportFindings(reviewOf({ 'a.py': 'x = 1\nprint(x)\n' }), { lang: 'pl' });
    expect(empty.findings).toBe('Brak znalezisk.\n');
  });

  it('explains dead-code confidence in the report language', () => {
    const r = reviewOf({ 'm.py': 'def orphan():\n    return 1\n' });
    expect(only(r, 'dead-code/unused-function')).toHaveLength(1);
    const pl = renderReportFindings(r, { lang: 'pl' }).findings;
    expect(pl).toContain('`orphan` nie występuje nigdzie w projekcie (kod i testy) poza własną definicją');
    expect(pl).toContain('Usuń `orphan` (linie 1-2).');
  });
});
