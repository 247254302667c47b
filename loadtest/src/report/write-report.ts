import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtmlReport } from './html-report.js';
import type { LoadResult } from './load-result.js';

/** Writes `<scenario>-<timestamp>.json` and `.html` into `outDir`; returns their paths. */
export function writeReport(result: LoadResult, outDir: string): { json: string; html: string } {
  mkdirSync(outDir, { recursive: true });
  const stem = join(outDir, `${result.scenario.name}-${result.startedAt.replace(/[:.]/g, '-')}`);
  const files = { json: `${stem}.json`, html: `${stem}.html` };
  writeFileSync(files.json, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(files.html, renderHtmlReport(result));
  return files;
}
