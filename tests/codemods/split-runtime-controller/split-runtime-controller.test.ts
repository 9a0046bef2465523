import { beforeAfter, describeCodemod, expectSameDump } from '../codemod-suite.js';

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

// The suite's pytest check matters here: the fixture tests run real processes (status follows a kill at once).
describeCodemod('split-runtime-controller', {}, (run) => {
  it('moves psutil and log reads into the reader; start/stop stay in the controller', () => {
    const { plan } = run;
    expect([...plan.changes.keys()].sort()).toEqual([CONTROLLER, HELPER, READER].sort());
    const reader = plan.after.file(READER).text;
    expect(reader).toContain('class RuntimeProcessReader');
    for (const read of ['psutil.Process(', 'psutil.net_connections(', 'read_text(']) expect(reader).toContain(read);
    const controller = plan.after.file(CONTROLLER).text;
    for (const read of ['psutil.net_connections(', 'cpu_percent(', 'log_file.read_text(']) expect([read, controller.includes(read)]).toEqual([read, false]);
    for (const action of ['def _start_backend', 'def _stop_backend', 'def restart_service', 'subprocess.Popen(']) expect(controller).toContain(action);
  });

  it('keeps the RuntimeController API: names, kinds, signatures, docstrings', () => expectSameDump(run, API_DUMP));

  it('reads an unchanged log once, and the new tail as soon as the log changes', async () => {
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
    const [before, after] = await beforeAfter(run, code);
    expect(before).toEqual({ status: 0, out: 'boot | ready 3 boot | ready | serving serving None 5\n' });
    expect(after).toEqual({ status: 0, out: 'boot | ready 1 boot | ready | serving serving None 3\n' });
  });
});
