/** Code-unit string order: deterministic and locale-independent (and far cheaper than `localeCompare`). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
