import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadPython, parsePython, type Node } from './parse.js';
import { Walker, type Scope } from './scope-walker.js';

beforeAll(loadPython);

const at = (n: Node): string => `${n.type}@${n.startIndex}-${n.endIndex}`;

/** A full walk; `nodeByNode` turns the lexer off, which gives the reference every result must equal. */
function walk(text: string, nodeByNode = false): Walker {
  const walker = new Walker(parsePython(text));
  if (nodeByNode) (walker as unknown as { lexer: unknown }).lexer = null;
  walker.run();
  return walker;
}

/** Everything a walk records, as text: accesses with their scopes, every scope's bindings, the statement lists. */
function summary(walker: Walker): Record<string, unknown> {
  const ids = new Map<Scope, string>();
  const id = (s: Scope | null): string => {
    if (!s) return 'null';
    if (!ids.has(s)) ids.set(s, `${s.kind}#${ids.size}@${s.node.startIndex}-${s.node.endIndex}`);
    return ids.get(s)!;
  };
  const scopes = new Set<Scope>([walker.module]);
  for (const a of walker.accesses) for (let s: Scope | null = a.scope; s; s = s.parent) scopes.add(s);
  return {
    accesses: walker.accesses.map((a) => `${a.name} ${at(a.node)} ${a.start} ${a.write} ${id(a.scope)} -> ${id(a.resolved)}`),
    scopes: [...scopes].map((s) =>
      [
        id(s),
        id(s.parent),
        [...s.bindings].map(([name, nodes]) => `${name}=${nodes.map(at).join(',')}`).join(' '),
        [...(s.globals ?? [])].join(','),
        [...(s.nonlocals ?? [])].join(','),
        [...(s.imports ?? [])].map(([name, node]) => `${name}=${at(node)}`).join(' '),
      ].join(' | '),
    ),
    globalWrites: [...walker.globalWrites].map(([name, nodes]) => `${name}=${nodes.map(at).join(',')}`),
    importSites: walker.importSites.map((s) => `${at(s.statement)} ${s.typeChecking} ${s.guarded} ${s.topLevel}`),
    allStatements: walker.allStatements.map(at),
    hasStarImport: walker.hasStarImport,
  };
}

function expectSameAsNodeByNode(text: string): void {
  const lexed = walk(text);
  expect(summary(lexed)).toEqual(summary(walk(text, true)));
  for (const a of lexed.accesses) {
    expect(a.node.type).toBe('identifier');
    expect(a.node.text).toBe(a.name);
  }
}

const dedent = (text: string): string => {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
};

/** Snippets the lexer reads, or must give up on, each walked both ways. */
const CASES: Record<string, string> = {
  'calls, attributes, keyword arguments, subscripts, operators': `
    x = a.b.c(d, e=f, *g, **h)[i:j, ::k] + -l ** m // n @ o
    y = p if q else r or not s and t in u is not v
    w = {aa: bb, **cc}, [dd, *ee], {ff}, (gg,), ()
    print(hh, file=ii); exec(jj)
    z = 1 .real + 0x1F + 1_000.5e-3j + .5 + 1if kk else 2
    `,
  'assignment targets': `
    a = b = c
    d, (e, f) = g
    [h, i] = j
    *k, l = m
    n.o, p[q] = r, s
    t: int = u
    v: "Str" = w
    x += y
    x.z -= aa
    bb[cc] *= dd
    ee **= ff
    gg //= hh
    ii >>= jj
    kk @= ll
    mm, = nn
    `,
  'strings and f-strings': `
    a = "plain", 'x', """tri
    ple""", r"raw\\d", b"bytes", rb'x', u"uni", "a" "b"
    b = f"{c} {d.e!r:>{f}} {{g}} {h=} {i = !s} {j['k']} {l:{m}.{n}}"
    o = f'''{p}
    {q}'''
    r = rf"{s}\\d"
    t = f"{u!a}" f'{v:%Y}' F"{w}"
    x = f"{y:=10}"
    z = f"\\N{DASH} {aa}"
    bb = f"{cc}\\{dd}"
    ee = f"{ff["gg"]}"
    hh = f"{lambda: ii}"
    jj = f"{(kk := 1)}"
    `,
  'names that open a scope or bind': `
    a = [b for b in c if b]
    d = {e: f for e, f in g}
    h = (i for i in j)
    k = lambda l, m=n: l + m + o
    if (p := q):
        r = p
    s = [t := 1, t]
    `,
  'await, yield and soft keywords': `
    async def f(a):
        await a.b(c)
        x = await d
        y = (await e)
        z = await(g)
        match = h(match)
        type = i
        case = j
        print(type, case)
        yield k
        w = yield l
        yield from m
    `,
  'function headers': `
    def a(b, c: int, d=e, f: "G" = h, *i: j, k, l=m, **n: o) -> p:
        return b, c, d, f, i, k, l, n
    async def q(r, /, s, *, t=lambda u: u) -> "V":
        pass
    def w[X](y: X) -> X:
        return y
    def z(aa=bb[cc], dd={ee: ff}, gg=(hh,), ii=jj()):  # comment
        # another
        return kk
    def ll(
        mm,  # a comment
        nn: dict[str, oo] = {},
    ) -> list[pp]:
        ...
    class Qq(Rr, metaclass=Ss):
        def tt(self, uu=vv):
            return __class__, self, uu
    `,
  'blocks mixing statements': `
    def f(a):
        b = a
        c = b; d = c
        if b:
            pass
        e = d
        for g in a:
            break
        else:
            continue
        return g
    while x:
        y = 1
        del y, z[0]
        assert y, "message"
        raise ValueError(y) from None
    with open(p) as q, r as (s, t):
        u = q
    try:
        v = 1
    except (E, F) as w:
        x = w
    finally:
        z = v
    `,
  'annotated assignments, raise and decorators': `
    import typing
    x: int = 1
    y: typing.List[int]
    @dec(a, b=c)
    @ d . e
    def f(g: int = h) -> None:
        global x, y
        x = 2
        y: list = []
        self.w: dict[str, int] = {"k": g}
        z: "Z" = g
        raise ValueError(g) from err
        raise
    @(lambda f: f)
    class K:
        q: "Q" = r
        s: Literal["t"] = u
        v: int
        try:
            pass
        except E:
            raise
        w: int = v
    if cond:
        raise E(x) from None
    print(x)
    n: int = x
    `,
  'global and nonlocal': `
    counter = 0
    def f():
        global counter, other
        counter += 1
        other = counter
        def g():
            nonlocal h
            h = 2
            h += counter
        h = 1
        return g
    class C:
        global counter
        counter = 3
    `,
  'module statements': `
    import a, b.c as d
    from .e import (f, g as h)
    from i import *
    if j:
        __all__ = ["k"]
        __all__ += l
    __all__.append("m")
    print >>n, o
    exec "p"
    `,
  'Python 2 statements in a block': `
    def f(n, o, ns):
        print >>n, o
        print "x", o
        exec "code" in ns
        print(o)
    `,
  'annotations': `
    a: Optional["B"] = None
    c: Literal["d", "e"] = "d"
    f: Annotated[int, "meta", g] = 1
    h: list[i] = []
    def j(k: "L.M", n: typing.Literal["o"]) -> "P[Q]":
        r: "S" = k
        return r
    type T[U] = dict[U, V]
    `,
  'comments, continuations, odd spacing': `
    a = (b +  # comment
         c)
    d = e + \\
        f
    g = h(
        i,  # x = y
        j=k,
    )
    l  =  m  .  n ( o )
    p = q[
        r
    ]
    `,
  'match statements': `
    match a:
        case [b, *c] if c:
            d = b
        case {"e": f, **g}:
            h = f, g
        case Point(x=0, y=i) as j:
            k = i, j
        case l.M | n.O:
            pass
        case _:
            p = q
    `,
  'non-ASCII names and text': `
    ünï = côdé + x
    s = "żółć" + y
    t = f"{ünï} {z}"
    `,
  'empty and comment-only blocks': `
    if a:  # c
    else:
        b = 1
    def f():
        # only a comment
    c = d
    `,
  'walrus and comprehension in function defaults and decorators': `
    @decorator(a, key=lambda b: b.c)
    @other.deco
    def f(d=[e for e in g], h=(i := 1)):
        return d, h, i
    `,
};

describe('Walker: names read from the text equal the node-by-node walk', () => {
  for (const [name, text] of Object.entries(CASES)) {
    it(name, () => {
      // Without syntax errors: the lexer only reads such trees.
      expect(parsePython(dedent(text)).rootNode.hasError).toBe(false);
      expectSameAsNodeByNode(dedent(text));
    });
  }

  it('reads every Python file of the fixtures the same way', () => {
    const root = path.resolve('fixtures');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.py')).map((f) => path.join(root, f));
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expectSameAsNodeByNode(text);
      // Every statement shape also inside a function and a class body.
      const indented = text.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');
      expectSameAsNodeByNode(`def wrapper():\n${indented}\n`);
    }
  });

  it('finds a lexed read`s node when asked, once', () => {
    const walker = walk('x = y.z(w)\n');
    const reads = walker.accesses.filter((a) => !a.write).map((a) => a.name);
    expect(reads).toEqual(['y', 'w']);
    const [y] = walker.accesses;
    expect(y.node).toBe(y.node);
    expect(at(y.node)).toBe('identifier@4-5');
  });

  it('walks a tree with syntax errors node by node', () => {
    const text = 'x = y.z(w)\ndef f(:\n    return a\n';
    expect(summary(walk(text))).toEqual(summary(walk(text, true)));
    expect(walk(text).accesses.map((a) => a.name)).toContain('y');
  });
});
