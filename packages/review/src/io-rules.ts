/** Which calls count as input/output for the layer-mixing analysis. */

/** Kinds of IO the layering rule tells apart. */
export type IoKind = 'http' | 'subprocess' | 'file' | 'process';

/** Every IO kind, in report order. */
export const IO_KINDS: readonly IoKind[] = ['http', 'subprocess', 'file', 'process'];

const BY_QUALIFIED: [RegExp, IoKind][] = [
  [/^(httpx|requests|aiohttp|urllib3?|http\.client)(\.|$)/, 'http'],
  [/^subprocess\./, 'subprocess'],
  [/^asyncio\.create_subprocess_(exec|shell)$/, 'subprocess'],
  [/^os\.(system|popen|spawn\w*|exec[lv]\w*|fork)$/, 'subprocess'],
  [/^psutil(\.|$)/, 'process'],
  [/^os\.(kill|killpg|getloadavg)$/, 'process'],
  [/^(open|io\.open|aiofiles\.open|builtins\.open)$/, 'file'],
  [/^shutil\./, 'file'],
  [/^tempfile\./, 'file'],
  [/^glob\.i?glob$/, 'file'],
  [/^os\.(remove|unlink|rename|renames|replace|makedirs|mkdir|rmdir|removedirs|listdir|scandir|walk|chmod|chown|stat|utime|truncate|fsync)$/, 'file'],
  [/^os\.path\.(exists|isfile|isdir|islink|getsize|getmtime|getctime|getatime)$/, 'file'],
  [/^(json|pickle|marshal|tomllib|toml)\.(load|dump)$/, 'file'],
];

/** Methods that do file IO on a `pathlib.Path` (or a file object) whatever the receiver's name. */
const PATH_METHODS = new Set([
  'read_text', 'write_text', 'read_bytes', 'write_bytes', 'open', 'mkdir', 'unlink', 'rmdir', 'touch', 'iterdir',
  'glob', 'rglob', 'exists', 'is_file', 'is_dir', 'stat', 'rename', 'symlink_to', 'chmod',
]);

/**
 * Kind of IO done by a call to the absolute dotted name `qualified` (resolved through imports, or the bare name for
 * builtins), or null. `method` is the called attribute when the receiver is an expression that did not resolve to
 * an imported module (`path.read_text()`).
 */
export function ioKindOf(qualified: string | null, method: string | null): IoKind | null {
  if (qualified !== null) {
    for (const [re, kind] of BY_QUALIFIED) if (re.test(qualified)) return kind;
    return null;
  }
  if (method !== null && PATH_METHODS.has(method)) return 'file';
  return null;
}
