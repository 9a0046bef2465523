import { describeCodemod, expectSameDump, python } from '../codemod-suite.js';

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

describeCodemod('extract-registry-io', {}, (run) => {
  it('creates only model_registry_io.py, with the four adapters, and leaves no catalog HTTP or manifest file IO in the registry', () => {
    const { plan } = run;
    expect([...plan.changes.keys()].sort()).toEqual([REGISTRY, IO]);
    const io = plan.after.file(IO).text;
    for (const cls of ['ModelCatalogClient', 'ModelManifestFileMixin', 'OllamaCli', 'HuggingFaceHubClient']) expect(io).toContain(`class ${cls}`);
    const reg = plan.after.file(REGISTRY).text;
    for (const gone of ['huggingface.co/api/models', 'ollama.com/api/tags', 'feed.xml', 'json.dumps', '"ollama", "pull"', 'shutil.rmtree', 'snapshot_download']) {
      expect([gone, reg.includes(gone)]).toEqual([gone, false]);
    }
    expect(reg.split('\n').length).toBeLessThan(plan.before.file(REGISTRY).text.split('\n').length * 0.8);
  });

  it('keeps the registry and provider API: names, kinds, signatures, async-ness, docstrings', () => expectSameDump(run, API_DUMP));

  it('keeps patches reaching the moved IO: a subprocess patch through model_registry and a global httpx one', async () => {
    const r = await python(run.out, [
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
});
