import { loadPython, parsePython, type Node, type Tree } from './parse.js';
import { selfAttributes } from './self-attributes.js';

beforeAll(loadPython);

function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

function parse(src: string): { tree: Tree } {
  return { tree: parsePython(dedent(src)) };
}

function topLevel(tree: Tree, name: string): Node {
  for (const n of tree.rootNode.namedChildren) if (n!.childForFieldName('name')?.text === name) return n!;
  throw new Error(`no top-level ${name}`);
}

describe('selfAttributes', () => {
  function attrs(src: string) {
    const { tree } = parse(src);
    const cls = topLevel(tree, 'C');
    const body = cls.childForFieldName('body')!;
    const r = selfAttributes(body.namedChildren.find((n) => n!.type.endsWith('definition'))!);
    const keys = (m: Map<string, Node[]>) => [...m.keys()].sort();
    return { reads: keys(r.reads), writes: keys(r.writes), calls: keys(r.calls) };
  }

  it('uses the first parameter name and separates reads, writes and calls', () => {
    const src = `
      class C:
          def m(this, a):
              this.x = a
              this.y += 1
              print(this.z, self.no)
              this.run(this.w)
              this.obj.attr = 1
              def inner(x=this.d):
                  return this.q
              del this.gone
    `;
    expect(attrs(src)).toEqual({ reads: ['d', 'obj', 'q', 'w', 'y', 'z'], writes: ['gone', 'x', 'y'], calls: ['run'] });
  });

  it('follows decorated methods and ignores nested functions rebinding the name', () => {
    const src = `
      class C:
          @property
          def m(self):
              f = lambda self: self.hidden
              for self.i in range(3):
                  pass
              return self.v
    `;
    expect(attrs(src)).toEqual({ reads: ['v'], writes: ['i'], calls: [] });
  });

  it('returns nothing for a function without parameters', () => {
    expect(attrs('class C:\n    def m():\n        return self.x\n')).toEqual({ reads: [], writes: [], calls: [] });
  });
});
