import { loadPython } from '@remodel/python';
import { reindent, reindentSource, snakeCase } from './text.js';
import { docstring } from './render.js';

beforeAll(loadPython);

describe('reindent', () => {
  it('converts tabs to spaces level by level and keeps alignment remainders', () => {
    expect(reindent('\tdef f():\n\t\treturn (1,\n\t\t        2)\n', '\t', '    ')).toBe('    def f():\n        return (1,\n                2)\n');
  });

  it('leaves blank lines and lines indented less than the base alone', () => {
    expect(reindent('    x = (\n  1)\n\n    y = 2', '    ', '  ')).toBe('  x = (\n  1)\n\n  y = 2');
  });

  it('does not touch the content of multi-line strings (reindentSource finds them)', () => {
    const block = '\tdef f():\n\t\ts = """a\n\t\tb\n  c"""\n\t\treturn s\n';
    expect(reindentSource(block, '\t', '    ')).toBe('    def f():\n        s = """a\n\t\tb\n  c"""\n        return s\n');
  });

  it('is the identity when nothing changes', () => {
    expect(reindentSource('    x = 1\n', '    ', '    ')).toBe('    x = 1\n');
  });
});

describe('docstring', () => {
  it('keeps short text on one line and wraps long text at 88 columns', () => {
    expect(docstring('Short.', '    ')).toBe('"""Short."""');
    const long = docstring('word '.repeat(30).trim(), '    ');
    for (const line of long.split('\n')) expect(`    ${line}`.length).toBeLessThanOrEqual(88);
    expect(long.endsWith('\n    """')).toBe(true);
  });

  it('escapes triple quotes and backslashes', () => {
    expect(docstring('a """b""" \\ c')).toBe('"""a \\"\\"\\"b\\"\\"\\" \\\\ c"""');
  });
});

describe('snakeCase', () => {
  it('turns class names into attribute names', () => {
    expect(snakeCase('TaskQueue')).toBe('task_queue');
    expect(snakeCase('HTTPClient')).toBe('http_client');
  });
});
