// End-to-end harness: a Python tree is copied into a temporary git repository, its tests run, the codemods are
// applied by `remodel run`, the tests run again, `remodel verify` checks the result. Usage: see usage() below.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(REPO, 'packages/cli/dist/main.js');
const CODEMODS_DIR = path.join(REPO, 'codemods');
const VENOM_TESTS = process.env.VENOM_TESTS_DIR ?? '/work/shared/venom-tests';
const BRANCH = 'remodel/e2e';
const SKIP_COPY = new Set(['.git', 'node_modules', '.venv', 'venv', '__pycache__', '.pytest_cache', '.mypy_cache', '.ruff_cache']);
const IGNORED = ['__pycache__/', '*.pyc', '.pytest_cache/', '.coverage'];

class HarnessError extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

function usage() {
  return [
    'usage: scripts/e2e [--tree DIR] [--codemods id1,id2 | --all] [--venom-tests] [--keep] [--json FILE]',
    '  --tree DIR      Python tree to copy (default fixtures/venom)',
    '  --codemods IDS  codemod ids from codemods/ (or spec files), comma-separated, applied in that order',
    '  --all           every codemod in codemods/ (file-name order); no codemods = before/after only',
    "  --venom-tests   judge with Venom's own tests (/work/shared/venom-tests/run.sh) instead of the tree's pytest",
    '  --keep          keep the temporary repository (it is always kept when the harness fails)',
    '  --json FILE     also write the summary as JSON',
  ].join('\n');
}

function parseArgs(argv) {
  const args = { tree: path.join(REPO, 'fixtures/venom'), ids: [], all: false, venomTests: false, keep: false, json: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) throw new HarnessError(`${arg} needs a value\n${usage()}`, 2);
      return argv[++i];
    };
    if (arg === '--tree') args.tree = path.resolve(value());
    else if (arg === '--codemods') args.ids = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (arg === '--all') args.all = true;
    else if (arg === '--venom-tests') args.venomTests = true;
    else if (arg === '--keep') args.keep = true;
    else if (arg === '--json') args.json = path.resolve(value());
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${usage()}\n`);
      process.exit(0);
    } else throw new HarnessError(`unknown argument: ${arg}\n${usage()}`, 2);
  }
  if (args.all && args.ids.length > 0) throw new HarnessError('give --codemods or --all, not both', 2);
  if (!existsSync(args.tree)) throw new HarnessError(`tree not found: ${args.tree}`, 2);
  return args;
}

function run(cmd, argv, opts = {}) {
  const result = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 30 * 60 * 1000, ...opts });
  if (result.error) throw new HarnessError(`${cmd} ${argv.join(' ')}: ${result.error.message}`, 2);
  return { code: result.status ?? 1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

function git(root, ...argv) {
  const result = run('git', argv, { cwd: root });
  if (result.code !== 0) throw new HarnessError(`git ${argv.join(' ')}: ${result.stderr.trim()}`, 2);
  return result.stdout;
}

function availableCodemods() {
  if (!existsSync(CODEMODS_DIR)) return [];
  return readdirSync(CODEMODS_DIR).filter((f) => f.endsWith('.yaml')).sort().map((f) => f.replace(/\.yaml$/, ''));
}

function ensureCli() {
  if (existsSync(CLI)) return;
  const build = run('npx', ['tsc', '-b', 'packages/cli'], { cwd: REPO });
  if (build.code !== 0 || !existsSync(CLI)) {
    const output = `${build.stdout}${build.stderr}`.trim().split('\n').slice(0, 15).join('\n');
    throw new HarnessError(`the CLI is not built and \`npx tsc -b packages/cli\` failed:\n${output}`, 2);
  }
}

/** Copies the tree into a fresh git repository: one commit, bytecode and pytest caches ignored (outside the tree). */
function prepareRepo(tree) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'remodel-e2e-'));
  const root = path.join(tmp, 'repo');
  cpSync(tree, root, { recursive: true, filter: (src) => !SKIP_COPY.has(path.basename(src)) });
  git(root, 'init', '-q');
  git(root, 'config', 'user.name', 'remodel e2e');
  git(root, 'config', 'user.email', 'e2e@remodel.invalid');
  git(root, 'config', 'commit.gpgsign', 'false');
  writeFileSync(path.join(root, '.git/info/exclude'), `${IGNORED.join('\n')}\n`);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'e2e: base tree');
  return { tmp, root, base: git(root, 'rev-parse', 'HEAD').trim() };
}

/** Test outcomes from JUnit XML: id -> passed | failed | skipped. */
export function parseJunit(xml) {
  const outcomes = new Map();
  const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attrs = Object.fromEntries([...m[1].matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1], unescape(a[2])]));
    const body = m[2] ?? '';
    const outcome = /<(failure|error)\b/.test(body) ? 'failed' : /<skipped\b/.test(body) ? 'skipped' : 'passed';
    outcomes.set(`${attrs.classname ?? ''}::${attrs.name ?? ''}`, outcome);
  }
  return outcomes;
}

function pythonForFixture() {
  const python = process.env.REMODEL_PYTHON ?? path.join(REPO, '.venv/bin/python');
  if (!existsSync(python)) throw new HarnessError(`python not found at ${python}: run \`bash scripts/setup-venv.sh\` (or set REMODEL_PYTHON)`, 2);
  return python;
}

/** Runs the tests of the copy, writes JUnit XML outside it, then restores the committed tree. */
function runTests(args, root, xmlPath) {
  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  const result = args.venomTests
    ? run('bash', [path.join(VENOM_TESTS, 'run.sh'), root, xmlPath], { env })
    : run(pythonForFixture(), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', `--junitxml=${xmlPath}`], { cwd: root, env });
  if (!existsSync(xmlPath)) {
    const tail = `${result.stdout}${result.stderr}`.trim().split('\n').slice(-15).join('\n');
    throw new HarnessError(`the tests wrote no JUnit XML (exit ${result.code}):\n${tail}`);
  }
  const dirty = git(root, 'status', '--porcelain').trim();
  if (dirty) {
    git(root, 'reset', '-q', '--hard');
    git(root, 'clean', '-fdq');
  }
  return { outcomes: parseJunit(readFileSync(xmlPath, 'utf8')), dirty: dirty ? dirty.split('\n').length : 0 };
}

function verify(root) {
  const result = run('node', [CLI, 'verify', '--root', root, '--json']);
  const start = result.stdout.indexOf('{');
  if (start < 0) throw new HarnessError(`remodel verify printed no JSON (exit ${result.code}): ${result.stderr.trim()}`);
  return JSON.parse(result.stdout.slice(start)).problems;
}

const countLines = (text) => (text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));

function fileLines(root, commit, file) {
  const result = run('git', ['show', `${commit}:${file}`], { cwd: root });
  return result.code === 0 ? countLines(result.stdout) : null;
}

/** Per codemod commit on the branch: the files it touched with their line counts before and after. */
function codemodChanges(root, base, ids) {
  const rows = [];
  const log = git(root, 'log', '--reverse', '--format=%H%x09%s', `${base}..HEAD`).trim();
  const committed = new Set();
  for (const line of log ? log.split('\n') : []) {
    const [commit, subject] = line.split('\t');
    const id = /^refactor\(([^)]+)\)/.exec(subject)?.[1] ?? (subject.startsWith('docs: change report') ? '(report)' : subject);
    committed.add(id);
    const files = git(root, 'diff', '--name-only', '--no-renames', `${commit}~1`, commit).trim().split('\n').filter(Boolean);
    for (const file of files) rows.push({ codemod: id, file, before: fileLines(root, `${commit}~1`, file), after: fileLines(root, commit, file) });
  }
  for (const id of ids) if (!committed.has(id)) rows.push({ codemod: id, file: '(no change)', before: null, after: null });
  return rows;
}

function table(rows, headers) {
  const cells = [headers, ...rows].map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => (i === 0 || i === 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()).join('\n');
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const available = availableCodemods();
  const refs = args.all ? available : args.ids;
  const isSpecFile = (ref) => /\.ya?ml$/.test(ref) && existsSync(ref);
  const unknown = refs.filter((ref) => !available.includes(ref) && !isSpecFile(ref));
  if (unknown.length > 0) throw new HarnessError(`unknown codemod(s): ${unknown.join(', ')} (available: ${available.join(', ') || 'none'})`, 2);
  const specRefs = refs.map((ref) => (isSpecFile(ref) ? path.resolve(ref) : ref));
  const ids = refs.map((ref) => (isSpecFile(ref) ? /^id:\s*(\S+)/m.exec(readFileSync(ref, 'utf8'))?.[1] ?? ref : ref));
  if (!args.venomTests) pythonForFixture();
  ensureCli();

  const { tmp, root, base } = prepareRepo(args.tree);
  const summary = { tree: args.tree, repo: root, codemods: ids, mode: args.venomTests ? 'venom-tests' : 'pytest', failures: [] };
  let ok = false;
  try {
    const verifyBefore = verify(root);
    const before = runTests(args, root, path.join(tmp, 'before.xml'));
    let runOutput = '(no codemods: run skipped)';
    if (ids.length > 0) {
      const result = run('node', [CLI, 'run', ...specRefs, '--root', root, '--branch', BRANCH, '--codemods', CODEMODS_DIR]);
      runOutput = `${result.stdout}${result.stderr}`.trim();
      if (result.code !== 0) summary.failures.push(`remodel run exited ${result.code}: ${runOutput.split('\n').slice(-5).join(' | ')}`);
    }
    const after = runTests(args, root, path.join(tmp, 'after.xml'));
    const verifyAfter = verify(root);

    const passed = (o) => new Set([...o.outcomes].filter(([, v]) => v === 'passed').map(([k]) => k));
    const passedBefore = passed(before);
    const passedAfter = passed(after);
    const regressions = [...passedBefore].filter((id) => !passedAfter.has(id)).sort();
    const key = (p) => `${p.path}: ${p.message}`;
    const oldProblems = new Set(verifyBefore.map(key));
    const newProblems = verifyAfter.filter((p) => !oldProblems.has(key(p)));
    if (regressions.length > 0) summary.failures.push(`${regressions.length} test(s) passed before and not after: ${regressions.slice(0, 10).join(', ')}`);
    if (newProblems.length > 0) summary.failures.push(`remodel verify: ${newProblems.map((p) => `${p.path}:${p.line}: ${p.message}`).slice(0, 10).join(' | ')}`);
    if (args.venomTests) {
      const compare = run('python3', [path.join(VENOM_TESTS, 'compare_junit.py'), path.join(tmp, 'before.xml'), path.join(tmp, 'after.xml')]);
      summary.compareJunit = { exitCode: compare.code, output: `${compare.stdout}${compare.stderr}`.trim() };
      if (compare.code !== 0) summary.failures.push(`compare_junit.py: ${summary.compareJunit.output.split('\n').slice(0, 5).join(' | ')}`);
    }

    const rows = ids.length > 0 ? codemodChanges(root, base, ids) : [];
    Object.assign(summary, {
      changes: rows,
      tests: {
        before: { total: before.outcomes.size, passed: passedBefore.size },
        after: { total: after.outcomes.size, passed: passedAfter.size },
        regressions,
        newlyPassing: [...passedAfter].filter((id) => !passedBefore.has(id)).sort(),
      },
      verify: { before: verifyBefore.length, after: verifyAfter.length, new: newProblems },
      report: existsSync(path.join(root, 'docs/_done/077_przeglad_backend_report.md')) ? 'docs/_done/077_przeglad_backend_report.md' : null,
    });
    ok = summary.failures.length === 0;
    summary.ok = ok;

    const out = [];
    out.push(`tree: ${args.tree}  (copy: ${root})`);
    if (ids.length > 0) out.push(table(rows.map((r) => [r.codemod, r.file, r.before, r.after]), ['codemod', 'file', 'lines before', 'lines after']));
    else out.push('codemods: none (before == after)');
    out.push(table([['tests passed', '', passedBefore.size, passedAfter.size], ['tests total', '', before.outcomes.size, after.outcomes.size]], ['', '', 'before', 'after']));
    out.push(`verify: ${verifyAfter.length} problem(s) after, ${verifyBefore.length} before, ${newProblems.length} new`);
    if (summary.report) out.push(`report: ${summary.report}`);
    out.push(ok ? 'e2e: OK' : `e2e: FAILED\n${summary.failures.map((f) => `  - ${f}`).join('\n')}`);
    process.stdout.write(`${out.join('\n')}\n`);
    return summary;
  } finally {
    if (args.json) writeFileSync(args.json, `${JSON.stringify(summary, null, 2)}\n`);
    if (ok && !args.keep) rmSync(tmp, { recursive: true, force: true });
    else process.stdout.write(`kept: ${tmp}\n`);
  }
}

try {
  const summary = main();
  process.exit(summary.ok ? 0 : 1);
} catch (error) {
  process.stderr.write(`e2e: ${error.message}\n`);
  process.exit(error instanceof HarnessError ? error.exitCode : 1);
}
