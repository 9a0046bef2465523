import { countLines, renderReport, reportSections, type ReportInput } from './report.js';

const input: ReportInput = {
  lang: 'pl',
  branch: 'refactor/review',
  base: 'main',
  root: '/tmp/x',
  codemods: [
    {
      id: 'split-x',
      title: 'Split x',
      rationale: 'x is too big',
      status: 'applied',
      commit: 'abcdef1234567',
      files: [{ path: 'pkg/x.py', before: 120, after: 40 }, { path: 'pkg/x_queue.py', before: 0, after: 85 }],
      notes: ['moved `f` from pkg/x.py to pkg/x_queue.py'],
      warnings: [],
    },
  ],
  review: { risks: '- big file', findings: '- **pkg/x.py**', unaddressed: '- pkg/y.py: long function' },
  tests: [{ command: 'pytest -q', label: 'before', passed: 10, failed: 0, exitCode: 0 }],
  docs: [],
  testFiles: ['tests/test_x.py'],
};

describe('renderReport', () => {
  it('has the six Polish sections in order', () => {
    const text = renderReport(input);
    const positions = reportSections('pl').map((s) => text.indexOf(`## ${s}`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(reportSections('pl')).toEqual(['Cel i zakres', 'Najważniejsze ryzyka', 'Znaleziska', 'Propozycje refaktoru', 'Wpływ na testy', 'Zmiany w dokumentacji']);
  });

  it('carries measured figures, rationale and notes', () => {
    const text = renderReport(input);
    expect(text).toContain('| `pkg/x.py` | 120 | 40 |');
    expect(text).toContain('Uzasadnienie: x is too big');
    expect(text).toContain('- moved `f` from pkg/x.py to pkg/x_queue.py');
    expect(text).toContain('| before (`pytest -q`) | 10 | 0 | 0 |');
    expect(text).toContain('- pkg/y.py: long function');
  });

  it('renders English with --lang en', () => {
    expect(renderReport({ ...input, lang: 'en' })).toContain('## Refactoring proposals');
  });
});

describe('countLines', () => {
  it('counts lines with and without a final newline', () => {
    expect([countLines(''), countLines('a\n'), countLines('a\nb'), countLines(null)]).toEqual([0, 1, 2, 0]);
  });
});
