import { rmSync } from 'node:fs';
import path from 'node:path';
import { syntaxProblems } from '@remodel/python';
import { planCodemod, type CodemodPlan } from '@remodel/runtime';
import { registry } from '@remodel/operations';
import { materialize, planOnTree, runPytest, runPython as python } from '../../../packages/operations/src/shared/testing.js';

const ROOT = path.resolve('fixtures/venom');
const SPEC = path.resolve('codemods/split-runtime-controller.yaml');
const CONTROLLER = 'venom_core/services/runtime_controller.py';
const READER = 'venom_core/services/runtime_process_reader.py';
const HELPER = 'venom_core/utils/file_cache.py';

const API_DUMP = `
import inspect, json
from venom_core.services.runtime_controller import RuntimeController as C
out = {}
for name in dir(C):
    if name.startswith('__') and name != '__init__':
        continue
    target = getattr(C, name)
    out[name] = [type(inspect.getattr_static(C, name)).__name__, str(inspect.signature(target)) if callable(target) else repr(target), inspect.getdoc(target) if callable(target) else None]
print(json.dumps(out, sort_keys=True))
`;

describe('codemod split-runtime-controller on fixtures/venom', () => {
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

  it('moves psutil and log reads into the reader; start/stop stay in the controller', () => {
    expect([...plan.changes.keys()].sort()).toEqual([CONTROLLER, HELPER, READER].sort());
    const reader = plan.after.file(READER).text;
    expect(reader).toContain('class RuntimeProcessReader');
    for (const read of ['psutil.Process(', 'psutil.net_connections(', 'read_text(']) expect(reader).toContain(read);
    const controller = plan.after.file(CONTROLLER).text;
    for (const read of ['psutil.net_connections(', 'cpu_percent(', 'log_file.read_text(']) expect([read, controller.includes(read)]).toEqual([read, false]);
    for (const action of ['def _start_backend', 'def _stop_backend', 'def restart_service', 'subprocess.Popen(']) expect(controller).toContain(action);
  });

  it('keeps the RuntimeController API: names, kinds, signatures, docstrings', () => {
    const before = python(ROOT, API_DUMP);
    const after = python(out, API_DUMP);
    expect([before.status, after.status]).toEqual([0, 0]);
    const b = JSON.parse(before.out) as Record<string, unknown>;
    const a = JSON.parse(after.out) as Record<string, unknown>;
    for (const [name, info] of Object.entries(b)) expect([name, a[name]]).toEqual([name, info]);
  });

  it('reads an unchanged log once, and the new tail as soon as the log changes', () => {
    const code = [
      'import builtins, os, pathlib, tempfile',
      'from unittest.mock import patch',
      'from venom_core.services.runtime_controller import RuntimeController',
      'log = pathlib.Path(tempfile.mkdtemp()) / "backend.log"',
      'log.write_text("boot\\nready\\n")',
      'reads = []',
      'real = pathlib.Path.read_text',
      'def counting(self, *a, **k):',
      '    reads.append(self.name)',
      '    return real(self, *a, **k)',
      'with patch.object(pathlib.Path, "read_text", counting):',
      '    c = RuntimeController()',
      '    first = [c._read_last_log_line(log) for _ in range(3)]',
      '    n = len(reads)',
      '    with log.open("a") as f:',
      '        f.write("serving\\n")',
      '    changed = c._read_last_log_line(log)',
      '    other = RuntimeController()._read_last_log_line(log, max_lines=1)',
      '    log.unlink()',
      '    gone = c._read_last_log_line(log)',
      'print(first[0], n, changed, other, gone, len(reads))',
    ].join('\n');
    const before = python(ROOT, code);
    const after = python(out, code);
    expect(before).toEqual({ status: 0, out: 'boot | ready 3 boot | ready | serving serving None 5\n' });
    expect(after).toEqual({ status: 0, out: 'boot | ready 1 boot | ready | serving serving None 3\n' });
  });

  it('imports cleanly whichever module is imported first (no import-time cycle)', () => {
    for (const module of ['venom_core.utils.file_cache', 'venom_core.services.runtime_process_reader', 'venom_core.services.runtime_controller']) {
      const r = python(out, `import ${module}`);
      expect(`${module}: ${r.status} ${r.out}`).toBe(`${module}: 0 `);
    }
  });

  it('keeps the fixture test suite green (real processes: status follows kill at once)', () => {
    const before = runPytest(ROOT);
    const after = runPytest(out);
    expect([before.status, after.status]).toEqual([0, 0]);
    const passed = (s: string) => /(\d+) passed/.exec(s)?.[1];
    expect(passed(after.output)).toBe(passed(before.output));
  });

  it('is idempotent: a second run changes nothing', async () => {
    const again = await planCodemod(plan.spec, plan.after, registry, ROOT);
    expect(again.changes.size).toBe(0);
    for (const step of again.steps) expect(step.notes.join('\n')).toMatch(/nothing to do/);
  });
});
