/** Spec fields of `memoize` (JSON Schema draft-07); the TypeScript type below mirrors it. */
export const memoizeSchema = {
  type: 'object',
  required: ['module', 'function', 'key'],
  properties: {
    module: {
      type: 'string',
      minLength: 1,
      description: 'Module holding the function: a dotted module name (`app.services.reader`) or a project-relative path (`app/services/reader.py`).',
    },
    function: {
      type: 'string',
      pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?$',
      description:
        'The function to cache: `name` (top-level) or `Class.method`. It must be a plain `def` (not async, not a generator) whose result depends only on its arguments and the file: a method may not use `self`/`cls`, and `global`/`nonlocal` are refused. Its return annotation must name an immutable type (str, int, float, bool, bytes, None, Optional/Union/tuple/frozenset of those), because one cached result is shared by every caller.',
    },
    key: {
      enum: ['file-stat'],
      description:
        '`file-stat`: a result is reused only while the file named by `path-argument` keeps its device, inode, size and modification time (ns), read with `os.stat` on every call, and the other arguments are equal; when the file cannot be stat-ed or an argument is unhashable, the function simply runs. So a cached call never returns content older than the file (short of a same-size rewrite within one timestamp tick). Exceptions are not cached; side effects of the body (log lines) happen only when it runs.',
    },
    'path-argument': {
      type: 'string',
      pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
      description: 'Parameter holding the file path (str or os.PathLike). Default: the first parameter (after `self`/`cls` for methods).',
    },
    'max-entries': {
      type: 'integer',
      minimum: 1,
      default: 128,
      description: 'Most entries kept (least recently used dropped first), so memory stays bounded whatever paths are passed.',
    },
    'helper-module': {
      type: 'string',
      minLength: 1,
      description:
        'Module (dotted or path) that defines the caching decorator `cache_while_file_unchanged`, created when missing (its package must exist) and reused by later steps. Default: a private `_cache_while_file_unchanged` in `module` itself.',
    },
  },
} as const;

/** Parameters of one `memoize` step, defaults not applied. */
export interface MemoizeParams {
  module: string;
  function: string;
  key: 'file-stat';
  'path-argument'?: string;
  'max-entries'?: number;
  'helper-module'?: string;
}
