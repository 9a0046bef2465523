import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Project files besides Python whose text may name a module path (`pkg.mod:app` entry points, plugins, commands). */
const CONFIG_FILES = ['pyproject.toml', 'setup.cfg', 'tox.ini', 'pytest.ini', '.pre-commit-config.yaml', 'Makefile', 'Procfile'];

/** The {@link CONFIG_FILES} present at the project root, with their text. */
export function readConfigFiles(root: string): { path: string; text: string }[] {
  return CONFIG_FILES.filter((f) => existsSync(path.join(root, f))).map((f) => ({ path: f, text: readFileSync(path.join(root, f), 'utf8') }));
}
