import { clusterName, lcom4, nameTokens, suggestSplit, type MemberInput } from './cohesion.js';
import { extractFacts } from './facts.js';
import { hits, only, py, reviewOf } from './testing.js';

function members(src: string, cls: string): MemberInput[] {
  const f = extractFacts('m.py', src);
  const ci = f.defs.findIndex((d) => d.kind === 'class' && d.name === cls);
  return f.defs
    .filter((d) => d.parent === ci && d.kind === 'function' && !/^__.*__$/.test(d.name))
    .map((d) => ({ name: d.name, attrs: d.selfAttrs, calls: d.selfCalls, callSites: d.selfCallSites, lines: d.endLine - d.startLine + 1 }));
}

describe('lcom4', () => {
  it('counts connected components over shared self attributes and self calls', () => {
    const m = members(py`
      class Account:
          def __init__(self):
              self.balance = 0
              self.log = []
              self.name = ""

          def deposit(self, x):
              self.balance += x
              self._record(x)

          def _record(self, x):
              self.log.append(x)

          def history(self):
              return list(self.log)

          def rename(self, n):
              self.name = n

          def greeting(self):
              return "hi " + self.name

          @staticmethod
          def helper():
              return 1
    `, 'Account');
    const r = lcom4(m);
    // {deposit, _record, history} via balance/_record/log, {rename, greeting} via name, {helper}
    expect(r.lcom4).toBe(3);
    expect(r.components).toEqual([['deposit', '_record', 'history'], ['rename', 'greeting'], ['helper']]);
  });

  it('treats a method passed as a callback (self.m without a call) as a link', () => {
    const r = lcom4([
      { name: 'start', attrs: ['on_done'], calls: [], lines: 2 },
      { name: 'on_done', attrs: ['result'], calls: [], lines: 2 },
    ]);
    expect(r.lcom4).toBe(1);
  });
});

/** An orchestrator-shaped class: queue, lessons, tracing and flow groups, a coordinator and a shared helper. */
const ORCHESTRATOR = py`
  class Conductor:
      def __init__(self, state, queue_manager, lessons_store, tracer):
          self.state = state
          self.queue_manager = queue_manager
          self.lessons_store = lessons_store
          self.tracer = tracer
          self._review_flow = None
          self._deploy_flow = None
          self._audit_flow = None

      async def _emit(self, kind, data):
          await self.state.publish(kind, data)

      def pause_queue(self):
          self.state.log("pause")
          return self.queue_manager.pause()

      def resume_queue(self):
          self.state.log("resume")
          return self.queue_manager.resume()

      def purge_queue(self):
          self.state.log("purge")
          return self.queue_manager.purge()

      def queue_status(self):
          return self.queue_manager.status()

      async def _add_lessons(self, task, context):
          found = self.lessons_store.search(context)
          await self._emit("lessons", found)
          return found

      async def _save_lesson(self, task, result):
          self.lessons_store.add(task, result)
          self.state.log("saved")
          await self._emit("lesson", task)

      def _trace_step(self, task, step):
          if self.tracer:
              self.tracer.add_step(task, step)

      def _trace_error(self, task, error):
          if self.tracer:
              self.tracer.set_error(task, error)
          self.state.log(error)

      async def run_review(self, task):
          if self._review_flow is None:
              self._review_flow = make_flow("review", self.state)
          await self._emit("review", task)
          return await self._review_flow.execute(task)

      async def run_deploy(self, task):
          if self._deploy_flow is None:
              self._deploy_flow = make_flow("deploy", self.state)
          await self._emit("deploy", task)
          return await self._deploy_flow.execute(task)

      async def run_audit(self, task):
          if self._audit_flow is None:
              self._audit_flow = make_flow("audit", self.state)
          return await self._audit_flow.execute(task)

      async def execute(self, task):
          self._trace_step(task, "start")
          context = await self._add_lessons(task, task.text)
          try:
              if task.kind == "review":
                  result = await self.run_review(task)
              elif task.kind == "deploy":
                  result = await self.run_deploy(task)
              else:
                  result = await self.run_audit(task)
          except Exception as exc:
              self._trace_error(task, exc)
              raise
          await self._save_lesson(task, result)
          await self._emit("done", task)
          return result
`;

describe('suggestSplit', () => {
  it('splits an orchestrator-shaped class into named groups, keeping the coordinator and shared helper aside', () => {
    const split = suggestSplit(members(ORCHESTRATOR, 'Conductor'));
    const byName = Object.fromEntries(split.clusters.map((c) => [c.name, c.methods]));
    expect(byName).toEqual({
      queue: ['pause_queue', 'resume_queue', 'purge_queue', 'queue_status'],
      flows: ['run_review', 'run_deploy', 'run_audit'],
      lessons: ['_add_lessons', '_save_lesson'],
      tracer: ['_trace_step', '_trace_error'],
    });
    expect(split.coordinators).toEqual(['execute']);
    expect(split.shared).toEqual(['_emit']);
    expect(split.hubs).toEqual(['state']);
    expect(split.clusters.find((c) => c.name === 'queue')!.attributes).toEqual(['queue_manager']);
  });

  it('is deterministic', () => {
    const m = members(ORCHESTRATOR, 'Conductor');
    expect(suggestSplit(m)).toEqual(suggestSplit([...m]));
  });
});

describe('clusterName', () => {
  it('names a cluster after the head noun of its attributes, plural when several attributes share it', () => {
    expect(clusterName(['_forge_flow', '_healing_flow', 'event_broadcaster'], ['execute_forge', 'execute_healing'])).toBe('flows');
    expect(clusterName(['queue_manager'], ['pause_queue', 'resume_queue'])).toBe('queue');
    expect(clusterName([], [])).toBe('helpers');
    expect(nameTokens('_add_lessonsToContext')).toEqual(['add', 'lessons', 'to', 'context']);
  });
});

describe('god-class findings', () => {
  it('reports a large low-cohesion class with methods, attributes, LCOM4 and the suggested split', () => {
    const r = reviewOf({ 'app/conductor.py': ORCHESTRATOR }, { thresholds: { godClassMethods: 10 } });
    expect(hits(r, 'god-class/low-cohesion')).toEqual(['app/conductor.py:1 Conductor']);
    const f = only(r, 'god-class/low-cohesion')[0];
    expect(f.details).toMatchObject({ kind: 'god-class', methods: 14, attributes: 7, lcom4: 1 });
    expect(f.metric).toEqual({ name: 'clusters', value: 4, threshold: 1 });
    expect(f.recommendation).toContain('`ConductorQueue` (pause_queue, resume_queue, purge_queue, queue_status; state: queue_manager)');
    expect(f.recommendation).toContain('Keep `execute` in `Conductor`');
  });

  it('lists long functions nested in the coordinator (a stream callback) as logic to move out', () => {
    const callback = ['        def on_chunk(text):', ...Array.from({ length: 14 }, (_, i) => `            part${i} = text[${i}]`), '            return part0'].join('\n');
    const src = ORCHESTRATOR.replace('    async def execute(self, task):\n', `    async def execute(self, task):\n${callback}\n`);
    expect(src).toContain('def on_chunk');
    const [f] = only(reviewOf({ 'app/conductor.py': src }, { thresholds: { godClassMethods: 10 } }), 'god-class/low-cohesion');
    expect(f.details).toMatchObject({ split: { coordinators: ['execute'], nested: [{ name: 'Conductor.execute.on_chunk', lines: 16 }] } });
    expect(f.recommendation).toContain('Move the logic nested in the coordinator out too: `Conductor.execute.on_chunk` (16 lines).');
  });

  it('leaves small or cohesive classes and test classes alone', () => {
    const cohesive = py`
      class Counter:
          def __init__(self):
              self.n = 0
      ${Array.from({ length: 16 }, (_, i) => `    def inc${i}(self):\n        self.n += ${i}\n`).join('\n')}
    `;
    expect(hits(reviewOf({ 'c.py': cohesive }), 'god-class/low-cohesion')).toEqual([]);
    expect(hits(reviewOf({ 'tests/test_conductor.py': ORCHESTRATOR }, { thresholds: { godClassMethods: 10 } }), 'god-class/low-cohesion')).toEqual([]);
  });
});
