import { touchedPython, type Check, type Problem } from './check.js';

/**
 * No name that resolved before is undefined after the change, in any touched module. Compared by name per file: a
 * name already undefined in the file before stays allowed; for a created file, names undefined before in any
 * touched file are allowed (moved code keeps its own unresolved names). Files with a star import are skipped
 * (undefined names cannot be told apart there).
 */
export const undefinedNamesCheck: Check = ({ before, after, touched }) => {
  const out: Problem[] = [];
  let movedAllowance: Set<string> | null = null;
  const undefinedIn = (path: string): Set<string> => {
    if (!before?.files.has(path)) return new Set();
    return new Set(before.scopes(path).undefinedNames().map((u) => u.name));
  };
  for (const path of touchedPython(after, touched)) {
    const scopes = after.scopes(path);
    if (scopes.hasStarImport) continue;
    const found = scopes.undefinedNames();
    if (found.length === 0) continue;
    let allowed: Set<string>;
    if (!before) allowed = new Set();
    else if (before.files.has(path)) allowed = undefinedIn(path);
    else {
      movedAllowance ??= new Set(touched.filter((p) => p.endsWith('.py')).flatMap((p) => [...undefinedIn(p)]));
      allowed = movedAllowance;
    }
    const seen = new Set<string>();
    for (const { name, line } of found) {
      if (allowed.has(name)) continue;
      const key = `${name}:${line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const message = before ? `undefined name \`${name}\` (it resolved before this change)` : `undefined name \`${name}\``;
      out.push({ path, line, message, check: 'undefined-names' });
    }
  }
  return out;
};
