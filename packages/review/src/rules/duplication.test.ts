import { only, py, reviewOf } from '../testing.js';

const HANDLER = (name: string, source: string, key: string): string => py`
  async def ${name}(request):
      if ${source} is None:
          raise HTTPException(status_code=503, detail="${name} unavailable")
      try:
          status = ${source}.get_status(request.id)
          payload = {"status": "ok", "${key}": status, "count": len(status)}
          return payload
      except Exception as exc:
          logger.exception("failed: %s", exc)
          raise HTTPException(status_code=500, detail=str(exc)) from exc
`;

describe('clone classes', () => {
  it('groups structurally identical code (up to names and literals) with every location, within and across files', () => {
    const r = reviewOf({
      'api/agents.py': `import logging\n\n${HANDLER('gardener', '_gardener', 'gardener')}\n\n${HANDLER('watcher', '_watcher', 'watcher')}`,
      'api/system.py': `from x import y\n\n${HANDLER('system_status', 'monitor', 'system')}`,
    });
    const clones = only(r, 'duplication/clone');
    expect(clones).toHaveLength(1);
    const c = clones[0];
    expect(c.related.map((l) => `${l.path}:${l.startLine}-${l.endLine} ${l.symbol}`)).toEqual([
      'api/agents.py:3-12 gardener',
      'api/agents.py:15-24 watcher',
      'api/system.py:3-12 system_status',
    ]);
    expect(c.details).toMatchObject({ kind: 'clone', occurrences: 3, statements: 10 });
    expect(c.metric).toEqual({ name: 'duplicated-lines', value: 20, threshold: null });
    expect(c.message).toContain('3 copies of the same 10-line code');
  });

  it('honours minLines / minTokens and ignores import boilerplate', () => {
    const imports = Array.from({ length: 12 }, (_, i) => `from package.module${i} import name${i}, other${i}`).join('\n');
    const r = reviewOf({ 'a.py': `${imports}\n`, 'b.py': `${imports}\n` });
    expect(only(r, 'duplication/clone')).toEqual([]);
    const small = reviewOf({
      'a.py': HANDLER('one', 'src', 'k'),
      'b.py': HANDLER('two', 'src', 'k'),
    }, { clones: { minLines: 11, minTokens: 50 } });
    expect(only(small, 'duplication/clone')).toEqual([]);
  });

  it('does not report runs of one repeated statement shape (constant tables)', () => {
    const table = (p: string): string => Array.from({ length: 30 }, (_, i) => `${p}_${i} = "${p}_${i}"`).join('\n');
    const r = reviewOf({ 'events.py': `class Events:\n${table('A').replace(/^/gm, '    ')}\n`, 'more.py': `${table('B')}\n` });
    expect(only(r, 'duplication/clone')).toEqual([]);
  });

  it('lowers the priority of clones that live only in tests and recommends a fixture', () => {
    const r = reviewOf({ 'tests/test_a.py': HANDLER('test_one', 'src', 'k'), 'tests/test_b.py': HANDLER('test_two', 'src', 'k') });
    const [c] = only(r, 'duplication/clone');
    expect(c.priority).toBe('low');
    expect(c.recommendation).toContain('pytest fixture');
  });
});

describe('module-pair duplication', () => {
  const FETCH = (name: string, extra: string): string => py`
    def ${name}(self, url, timeout=10):
        result = []
        for attempt in range(3):
            response = self.session.get(url, timeout=timeout)
            if response.status_code == 200:
                for item in response.json()["items"]:
                    result.append({"name": item["name"], "size": item.get("size", 0)})
                break
        ${extra}
        return result
  `;
  it('finds functions of `model_registry` duplicated in `model_manager` by shape or token shingles', () => {
    const r = reviewOf({
      'core/__init__.py': '',
      'core/model_registry.py': `class ModelRegistry:\n${FETCH('list_models', 'pass').replace(/^/gm, '    ')}\n`,
      'core/model_manager.py': `class ModelManager:\n${FETCH('local_models', 'result.sort(key=len)').replace(/^/gm, '    ')}\n`,
      'core/other.py': `class Other:\n${FETCH('list_models', 'pass').replace(/^/gm, '    ')}\n`,
    });
    const pairs = only(r, 'duplication/module-pair');
    expect(pairs).toHaveLength(1);
    expect(pairs[0].details).toMatchObject({ kind: 'module-pair', modules: ['core.model_registry', 'core.model_manager'] });
    const d = pairs[0].details as { pairs: { a: string; b: string; similarity: number; identical: boolean }[] };
    expect(d.pairs.map((p) => [p.a, p.b, p.identical])).toEqual([['ModelRegistry.list_models', 'ModelManager.local_models', false]]);
    expect(d.pairs[0].similarity).toBeGreaterThan(0.7);
    expect(pairs[0].related.map((l) => l.symbol)).toEqual(['ModelRegistry.list_models', 'ModelManager.local_models']);
  });

  it('uses the configured pairs only', () => {
    const r = reviewOf({
      'a/left.py': FETCH('f', 'pass'),
      'a/right.py': FETCH('g', 'pass'),
    }, { modulePairs: [['left', 'right']] });
    const [p] = only(r, 'duplication/module-pair');
    expect((p.details as { pairs: { identical: boolean }[] }).pairs[0].identical).toBe(true);
    expect(only(reviewOf({ 'a/left.py': FETCH('f', 'pass'), 'a/right.py': FETCH('g', 'pass') }), 'duplication/module-pair')).toEqual([]);
  });
});
