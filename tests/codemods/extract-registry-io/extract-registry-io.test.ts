import { rmSync } from 'node:fs';
import path from 'node:path';
import { syntaxProblems } from '@remodel/python';
import { planCodemod, type CodemodPlan } from '@remodel/runtime';
import { registry } from '@remodel/operations';
import { materialize, planOnTree, runPytest, runPython as python } from '../../../packages/operations/src/shared/testing.js';

const ROOT = path.resolve('fixtures/venom');
const SPEC = path.resolve('codemods/extract-registry-io.yaml');
const REGISTRY = 'venom_core/core/model_registry.py';
const IO = 'venom_core/core/model_registry_io.py';
const CLASSES = ['ModelRegistry', 'OllamaModelProvider', 'HuggingFaceModelProvider'];

/** Every member of the registry classes with its kind, signature, async-ness and docstring, as Python sees it. */
const API_DUMP = `
import inspect, json
from venom_core.core import model_registry as m
out = {}
for cls in ${JSON.stringify(CLASSES)}:
    C = getattr(m, cls)
    for name in dir(C):
        if name.startswith('__') and name != '__init__':
            continue
        raw = inspect.getattr_static(C, name)
        target = getattr(C, name)
        sig = str(inspect.signature(target)) if callable(target) else repr(target)
        out[cls + '.' + name] = [type(raw).__name__, sig, inspect.iscoroutinefunction(target), inspect.getdoc(target) if callable(target) else None]
print(json.dumps(out, sort_keys=True))
`;

describe('codemod extract-registry-io on fixtures/venom', () => {
  let plan: CodemodPlan;
  let out: string;
  beforeAll(async () => {
    plan = await planOnTree(ROOT, SPEC);
    out = materialize(ROOT, plan);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('verifies clean: parses, no new undefined names, no new cycles, patch targets resolve', () => {
    expect(plan.problems).toEqual([]);
    for (const [p, text] of plan.changes) if (text !== null && p.endsWith('.py')) expect(syntaxProblems(plan.after.file(p).tree)).toEqual([]);
  });

  it('creates only model_registry_io.py, with the four adapters, and leaves no catalog HTTP or manifest file IO in the registry', () => {
    expect([...plan.changes.keys()].sort()).toEqual([REGISTRY, IO]);
    const io = plan.after.file(IO).text;
    for (const cls of ['ModelCatalogClient', 'ModelManifestFileMixin', 'OllamaCli', 'HuggingFaceHubClient']) expect(io).toContain(`class ${cls}`);
    const reg = plan.after.file(REGISTRY).text;
    for (const gone of ['huggingface.co/api/models', 'ollama.com/api/tags', 'feed.xml', 'json.dumps', '"ollama", "pull"', 'shutil.rmtree', 'snapshot_download']) {
      expect([gone, reg.includes(gone)]).toEqual([gone, false]);
    }
    expect(reg.split('\n').length).toBeLessThan(plan.before.file(REGISTRY).text.split('\n').length * 0.8);
  });

  it('keeps the registry and provider API: names, kinds, signatures, async-ness, docstrings', () => {
    const before = python(ROOT, API_DUMP);
    const after = python(out, API_DUMP);
    expect(before.status).toBe(0);
    expect(after.status).toBe(0);
    const b = JSON.parse(before.out) as Record<string, unknown>;
    const a = JSON.parse(after.out) as Record<string, unknown>;
    for (const [name, info] of Object.entries(b)) expect([name, a[name]]).toEqual([name, info]);
  });

  it('imports cleanly whichever module is imported first (no import-time cycle)', () => {
    for (const module of ['venom_core.core.model_registry_io', 'venom_core.core.model_registry']) {
      const r = python(out, `import ${module}`);
      expect(`${module}: ${r.status} ${r.out}`).toBe(`${module}: 0 `);
    }
  });

  it('keeps patches reaching the moved IO: a subprocess patch through model_registry and a global httpx one', () => {
    const r = python(out, [
      'import asyncio, httpx',
      'from unittest.mock import MagicMock, patch',
      'from venom_core.core.model_registry import OllamaModelProvider, ModelRegistry, ModelProvider',
      'with patch("venom_core.core.model_registry.subprocess.run", return_value=MagicMock(returncode=0)) as run:',
      '    assert asyncio.run(OllamaModelProvider().remove_model("phi3")) is True',
      'assert run.call_args.args[0] == ["ollama", "rm", "phi3"]',
      'transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"models": [{"name": "qwen", "size": 2 * 1024**3}]}))',
      'real = httpx.AsyncClient',
      'import tempfile',
      'with patch("httpx.AsyncClient", lambda *a, **k: real(*a, transport=transport, **k)):',
      '    result = asyncio.run(ModelRegistry(models_dir=tempfile.mkdtemp()).list_catalog_models(ModelProvider.OLLAMA, limit=3))',
      'print(result["models"][0]["model_name"], result["models"][0]["size_gb"], result["stale"])',
    ].join('\n'));
    expect(r).toEqual({ status: 0, out: 'qwen 2.0 False\n' });
  });

  it('keeps the fixture test suite green', () => {
    const before = runPytest(ROOT);
    const after = runPytest(out);
    expect(before.status).toBe(0);
    expect(after.status).toBe(0);
    const passed = (s: string) => /(\d+) passed/.exec(s)?.[1];
    expect(passed(after.output)).toBe(passed(before.output));
  });

  it('is idempotent: a second run changes nothing', async () => {
    const again = await planCodemod(plan.spec, plan.after, registry, ROOT);
    expect(again.changes.size).toBe(0);
    for (const step of again.steps) expect(step.notes.join('\n')).toMatch(/nothing to do/);
  });
});
