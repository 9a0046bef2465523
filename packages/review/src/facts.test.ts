import { extractFacts } from './facts.js';
import { py } from './testing.js';

describe('extractFacts', () => {
  it('lists functions and classes with qualified names, decorators and line ranges', () => {
    const f = extractFacts('pkg/mod.py', py`
      import functools

      @functools.lru_cache()
      def cached(x):
          return x

      class Service(Base, metaclass=Meta):
          LIMIT = 3

          @property
          def name(self):
              return self._name

          async def run(self, job):
              def inner():
                  return self.queue
              return inner()
    `);
    expect(f.module).toBe('pkg.mod');
    expect(f.defs.map((d) => [d.qualname, d.kind, d.startLine, d.line, d.endLine, d.parent])).toEqual([
      ['cached', 'function', 3, 4, 5, 1 - 2],
      ['Service', 'class', 7, 7, 17, -1],
      ['Service.name', 'function', 10, 11, 12, 1],
      ['Service.run', 'function', 14, 14, 17, 1],
      ['Service.run.inner', 'function', 15, 15, 16, 3],
    ]);
    expect(f.defs[0].decorators).toEqual(['functools.lru_cache']);
    expect(f.defs[1].bases).toEqual(['Base']);
    expect(f.defs[1].classAttrs).toEqual(['LIMIT']);
    expect(f.defs[2].selfName).toBe('self');
    expect(f.defs[3].selfAttrs).toEqual(['queue']);
  });

  it('records self attributes, writes and self calls per method, closures included', () => {
    const f = extractFacts('m.py', py`
      class Queue:
          def __init__(self):
              self.items = []
              self.count: int = 0

          def push(self, x):
              self.items.append(x)
              self.count += 1
              self._notify()

          @staticmethod
          def helper(self):
              return self.other
    `);
    const [init, push, helper] = f.defs.slice(1);
    expect(init.selfWrites).toEqual(['items']);
    expect(push.selfAttrs.sort()).toEqual(['count', 'items']);
    expect(push.selfWrites).toEqual(['count']);
    expect(push.selfCalls).toEqual(['_notify']);
    // a static method's first parameter is not `self`
    expect(helper.selfName).toBeNull();
    expect(helper.selfAttrs).toEqual([]);
  });

  it('flags imports: module level, guarded by ImportError, TYPE_CHECKING, __future__, function level', () => {
    const f = extractFacts('pkg/sub/m.py', py`
      from __future__ import annotations
      import os.path as osp, json
      from . import sibling
      from ..core import Thing as T
      from typing import TYPE_CHECKING
      try:
          import ujson
      except ImportError:
          ujson = None
      if TYPE_CHECKING:
          from pkg.types import Model

      def f():
          import csv
          return csv, osp
    `);
    const by = Object.fromEntries(f.imports.map((i) => [i.local, i]));
    expect(by.annotations.future).toBe(true);
    expect(by.osp.target).toBe('os.path');
    expect(by.json.statementBindings).toBe(2);
    expect(by.sibling.target).toBe('pkg.sub.sibling');
    expect(by.T.target).toBe('pkg.core.Thing');
    expect(by.ujson.guarded).toBe(true);
    expect(by.Model.typeChecking).toBe(true);
    expect(by.csv.topLevel).toBe(false);
    expect(by.csv.owner).toBe(0);
    expect(by.csv.uses).toBe(1);
    expect(by.osp.uses).toBe(1);
    expect(by.json.uses).toBe(0);
  });

  it('collects constants, __all__, names used, attribute names and dotted strings', () => {
    const f = extractFacts('pkg/m.py', py`
      __all__ = ["public", "Other"]
      LIMIT = 10
      a, b = 1, 2
      X: int = 3
      patch("pkg.m.LIMIT")
      print(obj.attr_name, LIMIT)
    `);
    expect(f.all).toEqual(['public', 'Other']);
    expect(f.constants.map((c) => [c.name, c.siblings])).toEqual([['LIMIT', []], ['a', ['b']], ['b', ['a']], ['X', []]]);
    // the definition itself is not a use
    expect(f.names.get('LIMIT')).toBe(1);
    expect(f.attrNames.has('attr_name')).toBe(true);
    expect(f.dottedRefs.has('pkg.m.LIMIT')).toBe(true);
    expect(f.stringText).toContain('pkg.m.LIMIT');
  });

  it('finds unreachable statements after return, raise, continue and break', () => {
    const f = extractFacts('m.py', py`
      def f(x):
          if x:
              return 1
              print("dead")
          for i in x:
              continue
              i += 1
          raise ValueError()
          cleanup()

      def gen():
          return
          yield
    `);
    expect(f.unreachable.map((u) => [u.line, u.endLine, u.after, u.semantic])).toEqual([
      [4, 4, 'return', null],
      [7, 7, 'continue', null],
      [9, 9, 'raise', null],
      [13, 13, 'return', 'yield'],
    ]);
  });

  it('builds the statement table used by clone detection, with imports as barriers and docstrings skipped', () => {
    const f = extractFacts('m.py', py`
      """Module doc."""
      import os
      x = 1
      y = 2
    `);
    // the docstring is left out; the import is a barrier
    expect(f.statements.count).toBe(3);
    expect([...f.statements.barrier.subarray(0, 3)]).toEqual([1, 0, 0]);
    expect([...f.statements.start.subarray(0, 3)]).toEqual([2, 3, 4]);
    // same shape up to names and literals
    expect(f.statements.hash[1]).toBe(f.statements.hash[2]);
  });
});
