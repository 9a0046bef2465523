import { extractFacts } from '../facts.js';
import { hits, py, reviewOf } from '../testing.js';

/**
 * Expected values are radon's (`radon cc -s`, radon 5.1.0) for the same code; `matcher` follows radon >= 6's rule
 * for `match` (one per case, the irrefutable `case _:` not counted), which 5.1 predates (it reports 1).
 */
const SAMPLE = py`
  def simple(x):
      return x + 1


  def branches(a, b):
      if a and b:
          return 1
      elif a or b:
          return 2
      else:
          return 3


  def loops(items):
      total = 0
      for i in items:
          if i % 2:
              continue
          total += i
      else:
          total += 1
      while total > 100:
          total //= 2
      return total


  def handlers(path):
      try:
          data = open(path).read()
      except FileNotFoundError:
          return None
      except (OSError, ValueError) as exc:
          raise RuntimeError(exc)
      else:
          return data
      finally:
          print("done")


  def comprehensions(rows):
      evens = [r for r in rows if r % 2 == 0 if r > 3]
      pairs = {k: v for k, v in rows}
      flag = "yes" if evens else "no"
      return any(x for x in evens), pairs, flag


  def asserts(x):
      assert x, "x"
      assert x > 1 and x < 10 or x == 42
      assert all(y for y in range(x))
      return x


  def with_closure(n):
      def inner(m):
          if m:
              return m
          return 0
      with open("f") as fh:
          pass
      return inner(n) if n else None


  async def async_for(stream):
      async for chunk in stream:
          if not chunk:
              break
      return [c async for c in stream if c]


  def matcher(command):
      match command:
          case "go":
              return 1
          case ("stop" | "halt") if command:
              return 2
          case _:
              return 0


  class Widget:
      def method(self, x):
          return [i for i in range(x) if i] or None

      @property
      def prop(self):
          return self.method(1) if self else 0
`;

describe('cyclomatic complexity (radon rules)', () => {
  it('matches radon on every function, method and closure', () => {
    const f = extractFacts('sample.py', SAMPLE);
    const cc = Object.fromEntries(f.defs.filter((d) => d.kind === 'function').map((d) => [d.qualname, d.complexity]));
    expect(cc).toEqual({
      simple: 1,
      branches: 5,
      loops: 5,
      handlers: 4,
      comprehensions: 7,
      asserts: 4,
      with_closure: 2,
      'with_closure.inner': 2,
      async_for: 5,
      matcher: 3,
      'Widget.method': 4,
      'Widget.prop': 2,
    });
  });

  it('measures the deepest block nesting of each function body', () => {
    const f = extractFacts('sample.py', SAMPLE);
    const nest = Object.fromEntries(f.defs.filter((d) => d.kind === 'function').map((d) => [d.qualname, d.maxNesting]));
    expect(nest).toMatchObject({ simple: 0, branches: 1, loops: 2, handlers: 1, with_closure: 1, async_for: 2, matcher: 2 });
  });

  it('reports functions over the complexity and nesting thresholds, with the measured value', () => {
    const r = reviewOf({ 'sample.py': SAMPLE }, { thresholds: { complexity: 4, nesting: 1 } });
    expect(hits(r, 'complexity/cyclomatic')).toEqual(['sample.py:14 loops', 'sample.py:40 comprehensions', 'sample.py:5 branches', 'sample.py:64 async_for']);
    const comp = r.findings.find((f) => f.symbol === 'comprehensions' && f.rule === 'complexity/cyclomatic')!;
    expect(comp.metric).toEqual({ name: 'cyclomatic', value: 7, threshold: 4 });
    expect(hits(r, 'complexity/nesting')).toEqual(['sample.py:14 loops', 'sample.py:64 async_for', 'sample.py:71 matcher']);
  });
});
