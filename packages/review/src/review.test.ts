import { loadPython, parsePython } from '@remodel/python';
import { review, RULE_IDS } from './review.js';
import { hits, only, py, reviewOf } from './testing.js';
import { CATEGORY_OF, REVIEW_SCHEMA_VERSION, RULE_DESCRIPTIONS } from './types.js';

beforeAll(loadPython);

const BIG = (n: number, p = 'V'): string => Array.from({ length: n }, (_, i) => `${p}${i} = ${i}`).join('\n') + '\n';

describe('review()', () => {
  it('returns a versioned, deterministic document (same input -> byte-identical JSON)', () => {
    const files = { 'b.py': py`
      def f(x):
          if x:
              return 1
          return 2
    `, 'a.py': BIG(30) };
    const one = JSON.stringify(reviewOf(files));
    const two = JSON.stringify(reviewOf(Object.fromEntries(Object.entries(files).reverse())));
    expect(one).toBe(two);
    const r = JSON.parse(one);
    expect(r.version).toBe(REVIEW_SCHEMA_VERSION);
    expect(r.tool.name).toBe('remodel-review');
    expect(r.summary).toMatchObject({ files: 2, lines: 34, classes: 0, functions: 1 });
    expect(Object.keys(r)).toEqual(['version', 'tool', 'options', 'summary', 'findings', 'rankings']);
  });

  it('reports sizes over configurable thresholds and ranks files, classes and functions', () => {
    const cls = `class Big:\n${Array.from({ length: 12 }, (_, i) => `    def m${i}(self):\n        return ${i}\n`).join('\n')}`;
    const r = reviewOf({ 'big.py': BIG(60), 'cls.py': cls }, { thresholds: { fileLines: 50, fileDefinitions: 40, classLines: 30, classMethods: 10, functionLines: 1 } });
    expect(hits(r, 'size/file-lines')).toEqual(['big.py:1']);
    expect(hits(r, 'size/file-definitions')).toEqual(['big.py:1']);
    expect(hits(r, 'size/class-lines')).toEqual(['cls.py:1 Big']);
    expect(hits(r, 'size/class-methods')).toEqual(['cls.py:1 Big']);
    expect(only(r, 'size/file-lines')[0].metric).toEqual({ name: 'lines', value: 60, threshold: 50 });
    expect(only(r, 'size/function-lines')).toHaveLength(12);
    expect(r.rankings.filesByLines.map((u) => [u.path, u.value])).toEqual([['big.py', 60], ['cls.py', 36]]);
    expect(r.rankings.classesByMethods).toEqual([{ path: 'cls.py', symbol: 'Big', startLine: 1, endLine: 36, value: 12 }]);
    expect(r.rankings.filesByDefinitions[0]).toMatchObject({ path: 'big.py', value: 60 });
  });

  it('sorts by priority, category and severity, and gives every finding a unique stable id', () => {
    const r = reviewOf({ 'big.py': BIG(1200), 'mid.py': BIG(600, 'W'), 'dead.py': 'import os\n' });
    // severity within size: value / threshold (definitions 1200/40 = 30, 600/40 = 15; lines 1200/500 = 2.4)
    expect(r.findings.filter((f) => f.category !== 'dead-code' || f.path === 'dead.py').map((f) => [f.rule, f.path, f.priority])).toEqual([
      ['size/file-definitions', 'big.py', 'high'],
      ['size/file-definitions', 'mid.py', 'high'],
      ['size/file-lines', 'big.py', 'high'],
      ['size/file-lines', 'mid.py', 'low'],
      ['dead-code/unused-import', 'dead.py', 'low'],
    ]);
    const ids = r.findings.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe('size/file-definitions:big.py:1');
    expect(r.findings.find((f) => f.path === 'dead.py')!.id).toBe('dead-code/unused-import:dead.py:os');
  });

  it('reports files the tokenizer cannot read and skips them; uses a tree when given one', () => {
    const r = reviewOf({ 'bad.py': 'x = "open\n', 'ok.py': 'x = 1\n' });
    expect(r.summary.skippedFiles).toEqual(['bad.py']);
    expect(only(r, 'syntax/error').map((f) => [f.path, f.startLine, f.priority])).toEqual([['bad.py', 1, 'high']]);
    // the tokenizer reads this fine; only the parser sees the missing colon
    const text = 'def f(x)\n    return x\n';
    const withTree = review([{ path: 't.py', text, tree: parsePython(text) }]);
    expect(only(withTree, 'syntax/error').map((f) => [f.path, f.startLine, f.message.startsWith('t.py:1: ')])).toEqual([['t.py', 1, true]]);
    expect(withTree.summary.skippedFiles).toEqual([]);
    expect(only(review([{ path: 't.py', text }]), 'syntax/error')).toEqual([]);
  });

  it('switches rules off and drops dead code below the minimum confidence', () => {
    const files = { 'm.py': 'import os\n\ndef orphan():\n    pass\n' };
    expect(hits(reviewOf(files), 'dead-code/unused-import')).toEqual(['m.py:1 os']);
    expect(hits(reviewOf(files, { disabledRules: ['dead-code/unused-import'] }), 'dead-code/unused-import')).toEqual([]);
    expect(hits(reviewOf(files, { minConfidence: 100 }), 'dead-code/unused-function')).toEqual([]);
  });

  it('calls onProgress once per file', () => {
    const seen: [number, number][] = [];
    reviewOf({ 'a.py': '', 'b.py': '' }, { onProgress: (d, t) => seen.push([d, t]) });
    expect(seen).toEqual([[1, 2], [2, 2]]);
  });

  it('describes every rule and gives it a category', () => {
    for (const id of RULE_IDS) {
      expect(RULE_DESCRIPTIONS[id]).toBeTruthy();
      expect(id.startsWith(CATEGORY_OF[id])).toBe(true);
    }
    expect(new Set(RULE_IDS).size).toBe(Object.keys(RULE_DESCRIPTIONS).length);
  });
});
