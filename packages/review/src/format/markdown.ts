/** Markdown report of a review: summary, findings by priority (with clone locations and split suggestions), rankings. */
import { PRIORITY_ORDER } from '../review.js';
import type { Finding, RankedUnit, ReviewResult } from '../types.js';
import { location, thousands } from './text.js';

/** Options of `formatMarkdown`. */
export interface MarkdownOptions {
  /** Title of the document (default "remodel review"). */
  title?: string;
  /** Findings per priority before the rest is summarised (default: all). */
  limit?: number;
}

function esc(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The review as a Markdown document: summary tables, every finding by priority, the rankings. */
export function formatMarkdown(result: ReviewResult, options: MarkdownOptions = {}): string {
  const s = result.summary;
  const out: string[] = [];
  out.push(`# ${options.title ?? 'remodel review'}`, '');
  out.push(`${thousands(s.files)} files, ${thousands(s.lines)} lines, ${thousands(s.classes)} classes, ${thousands(s.functions)} functions.`, '');
  out.push('| Priority | Findings |', '| --- | ---: |');
  for (const p of PRIORITY_ORDER) out.push(`| ${p} | ${s.byPriority[p]} |`);
  out.push('', '| Category | Findings |', '| --- | ---: |');
  for (const [k, n] of Object.entries(s.byCategory)) out.push(`| ${k} | ${n} |`);
  if (s.skippedFiles.length) out.push('', `Skipped (could not be read completely): ${s.skippedFiles.map((p) => `\`${p}\``).join(', ')}.`);
  for (const p of PRIORITY_ORDER) {
    const list = result.findings.filter((f) => f.priority === p);
    if (!list.length) continue;
    out.push('', `## ${p[0].toUpperCase()}${p.slice(1)} priority (${list.length})`, '');
    const shown = options.limit === undefined ? list : list.slice(0, options.limit);
    for (const f of shown) out.push(...findingMd(f), '');
    if (shown.length < list.length) out.push(`…and ${list.length - shown.length} more.`, '');
  }
  out.push('', '## Rankings', '');
  const r = result.rankings;
  out.push(...table('Largest files (lines)', r.filesByLines), ...table('Most top-level definitions per file', r.filesByDefinitions));
  out.push(...table('Largest classes (lines)', r.classesByLines), ...table('Classes with most methods', r.classesByMethods));
  out.push(...table('Longest functions (lines)', r.functionsByLines), ...table('Most complex functions (cyclomatic)', r.functionsByComplexity));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

function findingMd(f: Finding): string[] {
  const out = [`### ${f.rule}: ${f.symbol ? `\`${f.symbol}\`` : `\`${f.path}\``}`, ''];
  out.push(`- **Location:** \`${location(f.path, f.startLine, f.endLine)}\``);
  out.push(`- **Measured:** ${f.metric.name} = ${f.metric.value}${f.metric.threshold !== null ? ` (threshold ${f.metric.threshold})` : ''}${f.confidence !== null ? `, confidence ${f.confidence}%` : ''}`);
  out.push(`- **Problem:** ${f.message}`);
  if (f.explanation) out.push(`- **Why:** ${f.explanation}`);
  out.push(`- **Recommendation:** ${f.recommendation}`);
  const d = f.details;
  if (d?.kind === 'god-class' && d.split) {
    out.push('', '| Part | Methods | State |', '| --- | --- | --- |');
    for (const c of d.split.clusters) out.push(`| ${esc(c.name)} | ${esc(c.methods.join(', '))} | ${esc(c.attributes.join(', '))} |`);
    if (d.split.coordinators.length) out.push(`| (stays: coordinators) | ${esc(d.split.coordinators.join(', '))} | |`);
    if (d.split.shared.length) out.push(`| (shared helpers) | ${esc(d.split.shared.join(', '))} | |`);
    if (d.split.nested.length) out.push(`| (nested in coordinators) | ${esc(d.split.nested.map((x) => `${x.name} (${x.lines} lines)`).join(', '))} | |`);
    if (d.split.unassigned.length) out.push(`| (unassigned) | ${esc(d.split.unassigned.join(', '))} | |`);
    if (d.split.hubs.length) out.push('', `Hub attributes (used by most methods): ${d.split.hubs.map((h) => `\`${h}\``).join(', ')}.`);
  } else if (f.related.length) {
    out.push(`- **Locations:** ${f.related.map((l) => `\`${location(l.path, l.startLine, l.endLine)}\`${l.symbol ? ` (${l.symbol})` : ''}`).join(', ')}`);
  }
  if (d?.kind === 'io-mixing') {
    for (const io of d.io) out.push(`  - ${io.kind}: ${io.methods.map((m) => `\`${m.name}\` (${m.apis.join(', ')})`).join('; ')}`);
  }
  return out;
}

function table(title: string, units: RankedUnit[]): string[] {
  if (!units.length) return [];
  const out = [`### ${title}`, '', '| # | Where | Value |', '| ---: | --- | ---: |'];
  units.forEach((u, i) => out.push(`| ${i + 1} | \`${location(u.path, u.startLine, u.endLine)}\`${u.symbol ? ` ${esc(u.symbol)}` : ''} | ${u.value} |`));
  out.push('');
  return out;
}
