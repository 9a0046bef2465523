/** `text` with every RegExp metacharacter escaped. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The whole-string RegExp of a spec's wildcard pattern. With `segments` (paths): `*` within a `/` segment, `**`
 * across segments; without: `*` anything. Everything else is literal (`{name}` and `?` included).
 */
export function wildcardRegExp(pattern: string, segments: boolean): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    if (segments && pattern.startsWith('**', i)) {
      out += '.*';
      i++;
    } else if (pattern[i] === '*') out += segments ? '[^/]*' : '.*';
    else out += escapeRegExp(pattern[i]);
  }
  return new RegExp(`^${out}$`);
}
