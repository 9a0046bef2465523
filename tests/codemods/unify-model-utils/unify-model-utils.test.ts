import path from 'node:path';
import { planCodemod } from '@remodel/runtime';
import { registry } from '@remodel/operations';
import { planOnTree } from '../../../packages/operations/src/shared/testing.js';
import { describeCodemod, python } from '../codemod-suite.js';

const UTILS = 'venom_core/core/model_utils.py';
const MODULES = ['venom_core/core/model_registry.py', 'venom_core/core/model_manager.py'];
const CHECK = 'not model_name or not re.match(r"^[\\w\\-.:]+$", model_name)';

describeCodemod('unify-model-utils', {}, (run) => {
  it('leaves one copy of the model-name check and of the GiB conversion, in model_utils, imported by both modules', () => {
    const { plan } = run;
    expect([...plan.changes.keys()].sort()).toEqual([...MODULES, UTILS].sort());
    const all = [...plan.after.files.values()].filter((f) => f.path.startsWith('venom_core/'));
    expect(all.filter((f) => f.text.includes(CHECK)).map((f) => f.path)).toEqual([UTILS]);
    expect(all.filter((f) => f.text.includes('/ (1024**3)')).map((f) => f.path)).toEqual([UTILS]);
    for (const p of MODULES) expect(plan.after.file(p).text).toMatch(/^from venom_core\.core\.model_utils import .*is_invalid_model_name/m);
  });

  it('answers exactly as the inline expressions did', async () => {
    const names = ['llama3:8b', 'phi3', '', 'bad name', 'a/b', 'x;rm -rf', 'qwen2.5-coder:7b', 'ü', 'ok_1'];
    const r = await python(run.out, [
      'import re',
      'from venom_core.core.model_utils import is_invalid_model_name, bytes_to_gb',
      `for model_name in ${JSON.stringify(names)} + [None]:`,
      `    assert is_invalid_model_name(model_name) == (${CHECK}), model_name`,
      'for size_bytes in (0, 1, 1024**3, 5 * 1024**3 + 7, 2.5):',
      '    assert bytes_to_gb(size_bytes) == size_bytes / (1024**3)',
      'print("ok")',
    ].join('\n'));
    expect(r).toEqual({ status: 0, out: 'ok\n' });
  });

  it('keeps refusing bad model names before any subprocess runs', async () => {
    const r = await python(run.out, [
      'import asyncio, tempfile',
      'from unittest.mock import patch',
      'from venom_core.core.model_manager import ModelManager',
      'from venom_core.core.model_registry import OllamaModelProvider',
      'with patch("subprocess.run") as run, patch("subprocess.Popen") as popen, patch("asyncio.create_subprocess_exec") as spawn:',
      '    m = ModelManager(models_dir=tempfile.mkdtemp())',
      '    results = [asyncio.run(m.pull_model("bad name")), asyncio.run(m.delete_model("a/b")),',
      '               asyncio.run(OllamaModelProvider().install_model("x;y")), asyncio.run(OllamaModelProvider().remove_model(""))]',
      'print(results, run.called, popen.called, spawn.called)',
    ].join('\n'));
    expect(r).toEqual({ status: 0, out: '[False, False, False, False] False False False\n' });
  });

  it('after extract-registry-io (file-name order, as `remodel run --all`) also reaches the moved Ollama CLI code', async () => {
    const first = await planOnTree(run.root, path.resolve('codemods/extract-registry-io.yaml'));
    const ordered = await planCodemod(run.plan.spec, first.after, registry, run.root);
    expect(ordered.problems).toEqual([]);
    const io = ordered.after.file('venom_core/core/model_registry_io.py').text;
    expect(io).toContain('if is_invalid_model_name(model_name):');
    expect(io).not.toContain(CHECK);
  });
});
