import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Finding } from '../types.js';
import { only, py, reviewOf } from '../testing.js';

function imports(files: Record<string, string>): string[] {
  return dead(files).filter((d) => d.startsWith('unused-import'));
}

function dead(files: Record<string, string>, minConfidence = 60): string[] {
  const r = reviewOf(files, { minConfidence });
  return r.findings.filter((f) => f.category === 'dead-code').map((f) => `${f.rule.slice(10)} ${f.symbol ?? f.path} ${f.confidence}`).sort();
}

describe('dead code: definitions', () => {
  it('treats the entry points of an Alembic revision script as used', () => {
    expect(dead({
      'migrations/versions/1a2b_add_users.py': py`
        from alembic import op

        revision = "1a2b"
        down_revision = None
        branch_labels = None
        depends_on = None

        def upgrade():
            op.create_table("users")

        def downgrade():
            op.drop_table("users")

        def _orphan():
            return 1
      `,
    })).toEqual(['unused-function _orphan 90']);
  });

  it('reports module-level functions, classes, constants and private methods nothing names (90%)', () => {
    expect(dead({
      'app/core.py': py`
        LIMIT = 3
        UNUSED_LIMIT = 4

        def used():
            return LIMIT

        def orphan():
            return 1

        class Ghost:
            pass

        class Service:
            def _helper(self):
                return used()

            def _lost(self):
                return 2

            def run(self):
                return self._helper()

        print(Service)
      `,
    })).toEqual(['unused-class Ghost 90', 'unused-constant UNUSED_LIMIT 90', 'unused-function orphan 90', 'unused-method Service._lost 90']);
  });

  it('exempts framework registrations: routes, events, validators, fixtures, CLI commands, dunders, Depends targets', () => {
    expect(dead({
      'app/api.py': py`
        from fastapi import APIRouter, Depends, FastAPI
        from pydantic import BaseModel, field_validator, model_validator, validator
        import click
        import typer

        app = FastAPI()
        router = APIRouter()
        cli = typer.Typer()

        def get_db():
            return object()

        @router.get("/items")
        async def list_items(db=Depends(get_db)):
            return []

        @router.post("/items")
        async def create_item(item: Item):
            return {}

        @app.on_event("startup")
        async def startup():
            pass

        @app.websocket("/ws")
        async def ws(socket):
            pass

        class Item(BaseModel):
            name: str

            @field_validator("name")
            @classmethod
            def _check_name(cls, v):
                return v

            @validator("name")
            def _legacy(cls, v):
                return v

            @model_validator(mode="after")
            def _whole(self):
                return self

            def __repr__(self):
                return self.name

        @click.command()
        def sync():
            pass

        @cli.command()
        def migrate():
            pass
      `,
      'tests/conftest.py': py`
        import pytest

        @pytest.fixture
        def client():
            return 1

        def pytest_configure(config):
            pass
      `,
      'tests/test_api.py': py`
        import pytest

        pytestmark = pytest.mark.slow

        @pytest.fixture
        def item():
            return 1

        def test_list(client, item):
            assert client

        class TestItems:
            def test_create(self):
                pass
      `,
    })).toEqual([]);
  });

  it('treats tests, attribute access, imports elsewhere and __all__ as references', () => {
    expect(dead({
      'pkg/__init__.py': '',
      'pkg/mod.py': py`
        __all__ = ["exported"]

        def exported():
            pass

        def imported_elsewhere():
            pass

        def only_tested():
            pass

        class Box:
            def _via_attribute(self):
                pass
      `,
      'pkg/user.py': py`
        from pkg.mod import imported_elsewhere

        def call(box):
            box._via_attribute()
            return imported_elsewhere
      `,
      'tests/test_mod.py': py`
        from pkg import mod
        from pkg.user import call

        def test_it():
            mod.only_tested()
            call(mod.Box())
      `,
    })).toEqual([]);
  });

  it('lowers confidence to 60 when the name appears in a string (getattr, patch targets, entry points) or the module is dynamic', () => {
    const files = {
      'pkg/__init__.py': '',
      'pkg/hooks.py': py`
        def on_save():
            pass

        def patched_target():
            pass

        def entry():
            pass

        def handler_for(kind):
            return getattr(__import__("pkg.hooks"), "on_" + kind)
      `,
      'pkg/dyn.py': py`
        def looked_up():
            pass

        def call(name):
            return globals()[name]()
      `,
      'tests/test_hooks.py': py`
        from unittest import mock
        from pkg.hooks import handler_for
        from pkg.dyn import call

        def test_patch():
            with mock.patch("pkg.hooks.patched_target"):
                pass
            assert "on_save"
            assert handler_for and call
      `,
    };
    const r = reviewOf(files, { extraTexts: [{ path: 'pyproject.toml', text: '[project.scripts]\nrun = "pkg.hooks:entry"\n' }] });
    const byName = Object.fromEntries(r.findings.filter((f) => f.category === 'dead-code').map((f) => [f.symbol, f]));
    expect(Object.keys(byName).sort()).toEqual(['entry', 'looked_up', 'on_save', 'patched_target']);
    for (const n of ['entry', 'on_save', 'patched_target']) {
      expect(byName[n].confidence).toBe(60);
      expect(byName[n].details).toMatchObject({ kind: 'dead-code', reason: 'string' });
    }
    expect(byName.entry.details).toMatchObject({ evidence: ['pyproject.toml'] });
    expect(byName.looked_up.details).toMatchObject({ reason: 'dynamic' });
    // at 90% nothing is left
    expect(reviewOf(files, { minConfidence: 90 }).findings.filter((f) => f.category === 'dead-code')).toEqual([]);
  });

  it('lowers confidence for methods whose name may be built at run time from a string stem (getattr dispatch)', () => {
    expect(dead({
      'bot.py': py`
        class Bot:
            def handle(self, kind):
                return getattr(self, f"_on_{kind}")()

            def _on_start(self):
                return 1

            def _forgotten(self):
                return 2

        Bot().handle("start")
      `,
    })).toEqual(['unused-method Bot._forgotten 90', 'unused-method Bot._on_start 60']);
  });

  it('lowers confidence for unknown decorators and for classes deriving from framework bases', () => {
    expect(dead({
      'app/jobs.py': py`
        from locust import HttpUser
        import functools

        @scheduler.every(5)
        def tick():
            pass

        @functools.lru_cache()
        def memo():
            pass

        class Visitor(HttpUser):
            pass
      `,
    })).toEqual(['unused-class Visitor 60', 'unused-function memo 90', 'unused-function tick 60']);
  });
});

describe('dead code: unused imports', () => {
  it('reports an import nothing uses at 100%', () => {
    const r = reviewOf({ 'app/m.py': 'import os\nimport json, sys\n\nprint(sys.argv)\n' });
    const f = only(r, 'dead-code/unused-import');
    expect(f.map((x) => [x.symbol, x.confidence, x.startLine, x.endLine])).toEqual([['os', 100, 1, 1], ['json', 100, 2, 2]]);
    expect(f[1].recommendation).toBe('Remove `json` from the import on line 2.');
  });

  it('keeps __init__ re-exports, __all__ names, ImportError guards, __future__, re-imports and patch targets', () => {
    expect(dead({
      'pkg/__init__.py': 'from pkg.impl import Thing\n',
      'pkg/impl.py': 'class Thing:\n    pass\n',
      'pkg/api.py': py`
        from __future__ import annotations
        from pkg.impl import Thing
        from json import dumps
        from json import loads
        from pkg.impl import Thing as Patched
        __all__ = ["dumps"]
        try:
            import ujson
        except ImportError:
            ujson = None
      `,
      'pkg/consumer.py': 'from pkg.api import Thing\n\nprint(Thing)\n',
      'tests/test_api.py': py`
        from unittest import mock
        import pkg.api

        def test_patch():
            with mock.patch("pkg.api.Patched"):
                pass
            assert pkg.api.loads
      `,
    })).toEqual([]);
  });

  it('gives 60% to an import only named in a string (string annotation under TYPE_CHECKING), 90% to side-effect imports', () => {
    expect(imports({
      'pkg/__init__.py': '',
      'pkg/models.py': 'X = 1\n',
      'pkg/m.py': py`
        from typing import TYPE_CHECKING
        import xml.etree.ElementTree
        import pkg.models
        if TYPE_CHECKING:
            from pkg.other import Model

        def f(m: "Model") -> None:
            pass
      `,
    })).toEqual(['unused-import Model 60', 'unused-import pkg 90', 'unused-import xml 90']);
  });

  it('lowers an unused import to 60% when a string elsewhere names it (patch.object(module, "name"))', () => {
    const files = {
      'pkg/__init__.py': '',
      'pkg/svc.py': 'from pkg.clients import HttpClient\n',
      'pkg/clients.py': 'class HttpClient:\n    pass\n',
      'tests/test_svc.py': py`
        from unittest import mock
        from pkg import svc

        def test_it():
            with mock.patch.object(svc, "HttpClient"):
                pass
      `,
    };
    expect(imports(files)).toEqual(['unused-import HttpClient 60']);
    // a string that merely equals the name elsewhere (not an attribute lookup) does not lower it
    expect(imports({ 'a.py': 'import json\n', 'b.py': 'data = dump(mode="json")\nprint(data)\n' })).toEqual(['unused-import json 100']);
    expect(reviewOf(files, { minConfidence: 90 }).findings.filter((f) => f.category === 'dead-code')).toEqual([]);
  });

  it('checks a function-level import against the function body only', () => {
    expect(imports({ 'm.py': 'import csv\n\ndef f():\n    import json\n    return csv\n' })).toEqual(['unused-import json 100']);
  });
});

describe('dead code: unreachable statements', () => {
  it('reports statements after return, raise, continue and break at 100%, and 60% when they hold yield', () => {
    const r = reviewOf({
      'm.py': py`
        def f(items):
            for i in items:
                if i:
                    break
                    print("never")
                continue
                i += 1
            raise ValueError()
            cleanup()

        def empty_gen():
            return
            yield
      `,
    });
    expect(only(r, 'dead-code/unreachable').map((f) => [f.symbol, f.startLine, f.endLine, f.confidence])).toEqual([
      ['f', 5, 5, 100],
      ['f', 7, 7, 100],
      ['f', 9, 9, 100],
      ['empty_gen', 13, 13, 60],
    ]);
  });
});

/**
 * The claim behind 90/100% confidence: deleting the flagged code keeps the project's tests passing. Builds a small
 * project (FastAPI routes, pydantic validators, pytest fixtures, string patch targets, getattr) with real dead code,
 * deletes everything reported at >= 90%, and runs pytest on the result.
 */
describe('dead code: deleting every 90%+ finding keeps the tests green', () => {
  const python = process.env.REMODEL_PYTHON ?? path.resolve('.venv/bin/python');
  const files: Record<string, string> = {
    'shop/__init__.py': 'from shop.models import Order\n',
    'shop/models.py': py`
      from pydantic import BaseModel, field_validator

      DEFAULT_QTY = 1
      OBSOLETE_RATE = 0.2


      class Order(BaseModel):
          item: str
          qty: int = DEFAULT_QTY

          @field_validator("item")
          @classmethod
          def _strip(cls, v):
              return v.strip()


      class Cart:
          def __init__(self):
              self.orders = []

          def add(self, order):
              self.orders.append(order)
              return self._count()

          def _count(self):
              return len(self.orders)

          def _never_called(self):
              return self.orders[0]


      class LegacyOrder:
          pass
    `,
    'shop/api.py': py`
      import os
      import json
      from fastapi import Depends, FastAPI
      from shop.models import Order
      from shop import pricing

      app = FastAPI()


      def get_discount():
          return 0


      @app.get("/price/{qty}")
      def price(qty: int, discount=Depends(get_discount)):
          return {"total": pricing.total(qty) - discount}


      def unused_helper():
          return json.dumps({})


      def checkout(order: Order):
          if order.qty <= 0:
              raise ValueError("qty")
              print("unreachable")
          return pricing.total(order.qty)
    `,
    'shop/pricing.py': py`
      UNIT = 10


      def total(qty):
          return qty * UNIT
          qty += 1


      def rate_for(kind):
          return getattr(__import__("shop.pricing").pricing, "rate_" + kind)()


      def rate_basic():
          return 1
    `,
    'tests/conftest.py': py`
      import pytest
      from fastapi.testclient import TestClient
      from shop.api import app


      @pytest.fixture
      def client():
          return TestClient(app)
    `,
    'tests/test_shop.py': py`
      from unittest import mock
      from shop import Order
      from shop.api import checkout
      from shop.models import Cart


      def test_price(client):
          assert client.get("/price/3").json() == {"total": 30}


      def test_checkout():
          assert checkout(Order(item=" a ", qty=2)) == 20
          assert Order(item=" a ").item == "a"
          assert Cart().add(Order(item="c")) == 1


      def test_patch_total():
          with mock.patch("shop.api.pricing.total", return_value=5):
              assert checkout(Order(item="b", qty=1)) == 5
    `,
  };

  it('finds the planted dead code and pytest still passes after deleting it', () => {
    if (!existsSync(python)) throw new Error(`python with pytest not found at ${python}: run scripts/setup-venv.sh or set REMODEL_PYTHON`);
    const r = reviewOf(files, { minConfidence: 90 });
    const found = r.findings.filter((f) => f.category === 'dead-code');
    expect(found.map((f) => `${f.rule.slice(10)} ${f.symbol ?? ''}`).sort()).toEqual([
      'unreachable checkout',
      'unreachable total',
      'unused-class LegacyOrder',
      'unused-constant OBSOLETE_RATE',
      'unused-function unused_helper',
      'unused-import os',
      'unused-method Cart._never_called',
    ]);
    const dir = mkdtempSync(path.join(tmpdir(), 'remodel-dead-'));
    try {
      const edited = deleteFindings(files, found);
      for (const [p, text] of Object.entries(edited)) {
        mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
        writeFileSync(path.join(dir, p), text);
      }
      expect(readFileSync(path.join(dir, 'shop/api.py'), 'utf8')).not.toContain('unused_helper');
      const out = execFileSync(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests'], { cwd: dir, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
      expect(out).toMatch(/3 passed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The bundled Venom-shaped fixture: its README lists the dead code; deleting every 90%+ finding keeps its 99 tests green. */
describe('dead code on the Venom-shaped fixture', () => {
  const python = process.env.REMODEL_PYTHON ?? path.resolve('.venv/bin/python');
  const root = path.resolve('fixtures/venom');

  it('reports the documented dead code and nothing its tests need', () => {
    if (!existsSync(python)) throw new Error(`python with pytest not found at ${python}: run scripts/setup-venv.sh or set REMODEL_PYTHON`);
    const files: Record<string, string> = {};
    const walk = (dir: string): void => {
      for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
        const rel = dir ? `${dir}/${e.name}` : e.name;
        if (e.isDirectory()) walk(rel);
        else files[rel] = readFileSync(path.join(root, rel), 'utf8');
      }
    };
    walk('');
    const py = Object.fromEntries(Object.entries(files).filter(([p]) => p.endsWith('.py')));
    const found = reviewOf(py, { minConfidence: 90 }).findings.filter((f) => f.category === 'dead-code');
    const names = found.map((f) => `${f.path} ${f.symbol}`).sort();
    for (const expected of ['venom_core/main.py _format_uptime', 'venom_core/main.py _legacy_startup_banner', 'venom_core/main.py json', 'venom_core/main.py CouncilSession', 'venom_core/main.py web_dir', 'venom_core/api/routes/tasks.py _get_llm_runtime']) {
      expect(names).toContain(expected);
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'remodel-fixture-dead-'));
    try {
      for (const [p, text] of Object.entries(deleteFindings(files, found))) {
        mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
        writeFileSync(path.join(dir, p), text);
      }
      const out = execFileSync(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: dir, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
      expect(out).toMatch(/\b99 passed\b/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Deletes the line ranges of the findings (whole statements), bottom-up per file. */
function deleteFindings(files: Record<string, string>, findings: Finding[]): Record<string, string> {
  const out = { ...files };
  for (const p of Object.keys(out)) {
    const lines = out[p].split('\n');
    const ranges = findings.filter((f) => f.path === p).map((f) => [f.startLine, f.endLine] as const).sort((a, b) => b[0] - a[0]);
    for (const [s, e] of ranges) lines.splice(s - 1, e - s + 1);
    out[p] = lines.join('\n');
  }
  return out;
}

