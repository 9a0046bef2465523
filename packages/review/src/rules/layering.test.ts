import { only, py, reviewOf } from '../testing.js';

describe('IO mixed with logic', () => {
  const SRC = py`
    import json
    import subprocess
    import asyncio
    import httpx
    import psutil
    from pathlib import Path
    from shutil import rmtree


    class ModelManager:
        def __init__(self, root):
            self.root = Path(root)

        async def fetch(self, url):
            async with httpx.AsyncClient() as client:
                return (await client.get(url)).json()

        def pull(self, name):
            return subprocess.run(["ollama", "pull", name], check=True)

        async def spawn(self, name):
            return await asyncio.create_subprocess_exec("ollama", "run", name)

        def load(self):
            with open(self.root / "manifest.json") as fh:
                return json.load(fh)

        def save(self, data):
            (self.root / "manifest.json").write_text(json.dumps(data))

        def wipe(self):
            rmtree(self.root)

        def memory(self):
            return psutil.virtual_memory().percent

        def pick(self, models):
            return max(models, key=lambda m: m["score"])

        def score(self, model):
            return model["size"] / 2

        def label(self, model):
            return model["name"].upper()

        def stream(self, chunks):
            def on_chunk(text):
                return Path("log.txt").write_text(text)
            return [on_chunk(c) for c in chunks]
  `;

  it('lists which methods do which kind of IO next to the methods without IO', () => {
    const [f] = only(reviewOf({ 'core/model_manager.py': SRC }), 'layering/io-mixing');
    expect(f.symbol).toBe('ModelManager');
    // two or more IO kinds; 'high' needs at least five methods without IO as well
    expect(f.priority).toBe('medium');
    expect(f.details).toEqual({
      kind: 'io-mixing',
      io: [
        { kind: 'http', methods: [{ name: 'fetch', apis: ['httpx.AsyncClient'], lines: [15] }] },
        {
          kind: 'subprocess',
          methods: [
            { name: 'pull', apis: ['subprocess.run'], lines: [19] },
            { name: 'spawn', apis: ['asyncio.create_subprocess_exec'], lines: [22] },
          ],
        },
        {
          kind: 'file',
          methods: [
            { name: 'load', apis: ['json.load', 'open'], lines: [25, 26] },
            { name: 'save', apis: ['.write_text()'], lines: [29] },
            { name: 'wipe', apis: ['shutil.rmtree'], lines: [32] },
            { name: 'stream', apis: ['.write_text()'], lines: [48] },
          ],
        },
        { kind: 'process', methods: [{ name: 'memory', apis: ['psutil.virtual_memory'], lines: [35] }] },
      ],
      pureMethods: ['label', 'pick', 'score'],
    });
    expect(f.metric).toEqual({ name: 'io-methods', value: 8, threshold: null });
    expect(f.message).toContain('HTTP in fetch; subprocess in pull, spawn; file IO in load, save, wipe, stream; process inspection in memory');
  });

  it('ignores classes without plain logic, string methods that look like IO, and test code', () => {
    const r = reviewOf({
      'a.py': py`
        class Client:
            def get(self, url):
                return requests.get(url)

            def text(self, s):
                return s.replace("a", "b").strip()
      `,
      'tests/test_x.py': SRC,
    });
    expect(only(r, 'layering/io-mixing')).toEqual([]);
  });
});
