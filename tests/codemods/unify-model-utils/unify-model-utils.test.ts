import { rmSync } from 'node:fs';
import path from 'node:path';
import { syntaxProblems } from '@remodel/python';
import { planCodemod, type CodemodPlan } from '@remodel/runtime';
import { registry } from '@remodel/operations';
import { materialize, planOnTree, runPytest, runPython as python } from '../../../packages/operations/src/shared/testing.js';

const ROOT = path.resolve('fixtures/venom');
const SPEC = path.resolve('codemods/unify-model-utils.yaml');
const UTILS = 'venom_core/core/model_utils.py';
const MODULES = ['venom_core/core/model_registry.py', 'venom_core/core/model_manager.py'];
const CHECK = 'not model_name or not re.match(r"^[\\w\\-.:]+$", model_name)';

/** Runs `codemods/<id>.yaml` specs in file-name order up to this one, as `remodel run --all` does. */
async function planInOrder(): Promise<CodemodPlan> {
  const first = await planOnTree(ROOT, path.resolve('codemods/extract-registry-io.yaml'));
  const spec = (await planOnTree(ROOT, SPEC)).spec;
  return planCodemod(spec, first.after, registry, ROOT);
}

describe('codemod unify-model-utils on fixtures/venom', () => {
  let plan: CodemodPlan;
  let out: string;
  beforeAll(async () => {
    plan = await planOnTree(ROOT, SPEC);
    out = materialize(ROOT, plan);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('verifies clean and re-parses', () => {
    expect(plan.problems).toEqual([]);
    for (const [p, text] of plan.changes) if (text !== null && p.endsWith('.py')) expect(syntaxProblems(plan.after.file(p).tree)).toEqual([]);
  });

  it('leaves one copy of the model-name check and of the GiB conversion, in model_utils, imported by both modules', () => {
    expect([...plan.changes.keys()].sort()).toEqual([...MODULES, UTILS].sort());
    const all = [...plan.after.files.values()].filter((f) => f.path.startsWith('venom_core/'));
    expect(all.filter((f) => f.text.includes(CHECK)).map((f) => f.path)).toEqual([UTILS]);
    expect(all.filter((f) => f.text.includes('/ (1024**3)')).map((f) => f.path)).toEqual([UTILS]);
    for (const p of MODULES) expect(plan.after.file(p).text).toMatch(/^from venom_core\.core\.model_utils import .*is_invalid_model_name/m);
  });

  it('answers exactly as the inline expressions did', () => {
    const names = ['llama3:8b', 'phi3', '', 'bad name', 'a/b', 'x;rm -rf', 'qwen2.5-coder:7b', 'ü', 'ok_1'];
    const r = python(out, [
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

  it('keeps refusing bad model names before any subprocess runs', () => {
    const r = python(out, [
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

  it('imports cleanly whichever module is imported first (no import-time cycle)', () => {
    for (const module of ['venom_core.core.model_utils', 'venom_core.core.model_manager', 'venom_core.core.model_registry']) {
      const r = python(out, `import ${module}`);
      expect(`${module}: ${r.status} ${r.out}`).toBe(`${module}: 0 `);
    }
  });

  it('keeps the fixture test suite green', () => {
    const before = runPytest(ROOT);
    const after = runPytest(out);
    expect([before.status, after.status]).toEqual([0, 0]);
    const passed = (s: string) => /(\d+) passed/.exec(s)?.[1];
    expect(passed(after.output)).toBe(passed(before.output));
  });

  it('after extract-registry-io (file-name order) also reaches the moved Ollama CLI code', async () => {
    const ordered = await planInOrder();
    expect(ordered.problems).toEqual([]);
    const io = ordered.after.file('venom_core/core/model_registry_io.py').text;
    expect(io).toContain('if is_invalid_model_name(model_name):');
    expect(io).not.toContain(CHECK);
  });

  it('is idempotent: a second run changes nothing', async () => {
    const again = await planCodemod(plan.spec, plan.after, registry, ROOT);
    expect(again.changes.size).toBe(0);
    for (const step of again.steps) expect(step.notes.join('\n')).toMatch(/nothing to do/);
  });
});
