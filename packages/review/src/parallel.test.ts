import { reviewParallel, startReviewWorkers } from './parallel.js';
import { review } from './review.js';
import { py } from './testing.js';

const handler = (name: string): string => py`
  async def ${name}(request):
      if source is None:
          raise HTTPException(status_code=503, detail="${name}")
      try:
          status = source.get_status(request.id)
          return {"status": "ok", "value": status, "count": len(status)}
      except Exception as exc:
          logger.exception("failed: %s", exc)
          raise HTTPException(status_code=500, detail=str(exc)) from exc
`;

const FILES = [
  { path: 'app/__init__.py', text: '' },
  { path: 'app/a.py', text: `from app.b import x\nimport os\n\n${handler('one')}\n\ndef orphan():\n    return 1\n` },
  { path: 'app/b.py', text: `from app.a import one\n\nx = one\n\n${handler('two')}\n` },
  { path: 'app/big.py', text: Array.from({ length: 600 }, (_, i) => `V${i} = ${i}`).join('\n') + '\n' },
  { path: 'app/svc.py', text: py`
    import subprocess


    class Runner:
        def run(self, cmd):
            if cmd and len(cmd) > 1 or cmd == "x":
                return subprocess.run(cmd)
            return None

        def a(self, x):
            return x

        def b(self, x):
            return x

        def c(self, x):
            return x
  ` },
  { path: 'bad.py', text: 'x = "open\n' },
];

describe('reviewParallel', () => {
  it('gives exactly the result of review(), with the work spread over worker threads', async () => {
    const probe = startReviewWorkers(2);
    if (!probe) throw new Error('the compiled worker (packages/review/dist/worker.js) is missing: build first (npx tsc -b packages/review)');
    probe.close();
    const seen: number[] = [];
    const parallel = await reviewParallel(FILES, { onProgress: (d) => seen.push(d) }, { threads: 2, minFiles: 1 });
    expect(JSON.stringify(parallel)).toBe(JSON.stringify(review(FILES)));
    expect(seen[seen.length - 1]).toBe(FILES.length);
    expect(parallel.summary.skippedFiles).toEqual(['bad.py']);
  });

  it('falls back to review() below minFiles and closes workers it was given', async () => {
    const workers = startReviewWorkers(2);
    const r = await reviewParallel(FILES, {}, { workers, minFiles: 100 });
    expect(JSON.stringify(r)).toBe(JSON.stringify(review(FILES)));
  });
});
