/** Terminal summary: findings grouped by priority, ranked, at most 100 columns; colour only when asked. */
import pc from 'picocolors';
import { PRIORITY_ORDER } from '../review.js';
import type { Finding, Priority, ReviewResult } from '../types.js';
import { location, thousands, wrap } from './text.js';

/** Options of `formatTerminal`. */
export interface TerminalOptions {
  /** Use ANSI colours (the CLI passes `process.stdout.isTTY`). */
  color?: boolean;
  /** Line width (default and maximum 100). */
  width?: number;
  /** Findings listed per priority before "… and N more" (default: all high, 40 medium, 20 low). */
  limits?: Partial<Record<Priority, number>>;
}

const DEFAULT_LIMITS: Record<Priority, number> = { high: Infinity, medium: 40, low: 20 };

/** The terminal summary: counts, then findings grouped by priority (low ones one line each). */
export function formatTerminal(result: ReviewResult, options: TerminalOptions = {}): string {
  const c = pc.createColors(options.color ?? false);
  const width = Math.min(100, options.width ?? 100);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const s = result.summary;
  const out: string[] = [];
  out.push(c.bold(`remodel review: ${thousands(s.files)} files, ${thousands(s.lines)} lines, ${thousands(s.findings)} findings`));
  out.push(`  ${c.red(`${s.byPriority.high} high`)}, ${c.yellow(`${s.byPriority.medium} medium`)}, ${c.dim(`${s.byPriority.low} low`)}`);
  const categories = Object.entries(s.byCategory).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
  if (categories) for (const l of wrap(categories, width - 2, '')) out.push(`  ${l}`);
  if (s.skippedFiles.length) out.push(c.red(`  skipped (unreadable): ${s.skippedFiles.join(', ')}`));
  const colour: Record<Priority, (x: string) => string> = { high: c.red, medium: c.yellow, low: c.dim };
  for (const p of PRIORITY_ORDER) {
    const list = result.findings.filter((f) => f.priority === p);
    if (!list.length) continue;
    out.push('', colour[p](c.bold(`${p.toUpperCase()} (${list.length})`)));
    const shown = list.slice(0, limits[p]);
    for (const f of shown) out.push(...entry(f, p, width, c));
    if (list.length > shown.length) out.push(c.dim(`  … and ${list.length - shown.length} more ${p}-priority findings (--json, --md or --sarif list all)`));
  }
  if (!result.findings.length) out.push('', c.green('No findings.'));
  return `${out.map((l) => l.replace(/\s+$/, '')).join('\n')}\n`;
}

function entry(f: Finding, p: Priority, width: number, c: ReturnType<typeof pc.createColors>): string[] {
  const loc = location(f.path, f.startLine, f.endLine);
  const head = `  ${f.rule}  ${loc}${f.symbol ? `  ${f.symbol}` : ''}`;
  const lines = wrap(head.trim(), width - 2, '    ').map((l, i) => (i === 0 ? `  ${c.cyan(l)}` : `  ${l}`));
  const indent = '    ';
  if (p === 'low') {
    const m = f.message.length > width - 4 ? `${f.message.slice(0, width - 5)}…` : f.message;
    lines.push(`${indent}${m}`);
    return lines;
  }
  for (const l of wrap(f.message, width - indent.length, '')) lines.push(indent + l);
  const rec = wrap(`→ ${f.recommendation}`, width - indent.length, '  ');
  for (const l of rec) lines.push(indent + c.dim(l));
  return lines;
}
