/** SARIF 2.1.0 log of a review (one run, one rule per rule id, one result per finding). */
import { RULE_IDS, TOOL_VERSION } from '../review.js';
import { RULE_DESCRIPTIONS, CATEGORY_OF, type Finding, type Priority, type ReviewResult } from '../types.js';

const LEVEL: Record<Priority, 'error' | 'warning' | 'note'> = { high: 'error', medium: 'warning', low: 'note' };

/** A SARIF 2.1.0 log (the subset remodel writes). */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

/** One SARIF run: the tool with its rules, and the results. */
export interface SarifRun {
  tool: { driver: { name: string; version: string; semanticVersion: string; rules: SarifRule[] } };
  originalUriBaseIds?: Record<string, { uri: string }>;
  results: SarifResult[];
  properties: Record<string, unknown>;
}

/** A SARIF reporting descriptor for one rule id. */
export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  defaultConfiguration: { level: 'error' | 'warning' | 'note' };
  properties: { category: string };
}

interface SarifLocation {
  id?: number;
  physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; endLine: number } };
  logicalLocations?: { fullyQualifiedName: string }[];
  message?: { text: string };
}

/** One SARIF result (a finding). */
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: 'error' | 'warning' | 'note';
  message: { text: string };
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}

function uri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function loc(path: string, startLine: number, endLine: number, symbol: string | null, id?: number, text?: string): SarifLocation {
  const l: SarifLocation = {
    physicalLocation: {
      artifactLocation: { uri: uri(path), uriBaseId: '%SRCROOT%' },
      region: { startLine: Math.max(1, startLine), endLine: Math.max(1, startLine, endLine) },
    },
  };
  if (id !== undefined) l.id = id;
  if (symbol) l.logicalLocations = [{ fullyQualifiedName: symbol }];
  if (text) l.message = { text };
  return l;
}

/**
 * Converts a review result to SARIF 2.1.0. `rootUri` (a `file://` URI ending in `/`) becomes `%SRCROOT%`; without
 * it, artifact URIs stay relative to the project root. Priorities map to levels: high=error, medium=warning, low=note.
 */
export function toSarif(result: ReviewResult, rootUri?: string): SarifLog {
  const rules: SarifRule[] = RULE_IDS.map((id) => ({
    id,
    name: id.replace(/[/-](\w)/g, (_, ch: string) => ch.toUpperCase()).replace(/^\w/, (ch) => ch.toUpperCase()),
    shortDescription: { text: RULE_DESCRIPTIONS[id] },
    defaultConfiguration: { level: id.startsWith('dead-code') || id.startsWith('size') ? 'note' : 'warning' },
    properties: { category: CATEGORY_OF[id] },
  }));
  const results = result.findings.map((f: Finding): SarifResult => {
    const r: SarifResult = {
      ruleId: f.rule,
      ruleIndex: RULE_IDS.indexOf(f.rule),
      level: LEVEL[f.priority],
      message: { text: `${f.message} ${f.recommendation}`.trim() },
      locations: [loc(f.path, f.startLine, f.endLine, f.symbol)],
      partialFingerprints: { 'remodelFindingId/v1': f.id },
      properties: {
        priority: f.priority,
        category: f.category,
        metric: f.metric,
        ...(f.confidence !== null ? { confidence: f.confidence } : {}),
        ...(f.explanation ? { explanation: f.explanation } : {}),
      },
    };
    if (f.related.length) r.relatedLocations = f.related.map((l, i) => loc(l.path, l.startLine, l.endLine, l.symbol, i + 1, l.symbol ?? undefined));
    return r;
  });
  const run: SarifRun = {
    tool: { driver: { name: 'remodel-review', version: TOOL_VERSION, semanticVersion: TOOL_VERSION, rules } },
    results,
    properties: { summary: result.summary, schemaVersion: result.version },
  };
  if (rootUri) run.originalUriBaseIds = { '%SRCROOT%': { uri: rootUri } };
  return { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] };
}
