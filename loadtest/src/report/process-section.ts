import type { GrowthFigures, ProcessWatchResult } from '../soak/process-watch.js';
import { lineChart } from './svg-chart.js';

const MB = 1_048_576;
const mb = (bytes: number) => (bytes / MB).toFixed(1);
const signedMb = (bytes: number) => `${bytes >= 0 ? '+' : '−'}${mb(Math.abs(bytes))}`;

/** "120.3 → 131.0 MB (max 140.2), +2.1 MB/h, second half +0.3 MB/h" */
export function growthText(g: GrowthFigures): string {
  return `${mb(g.startBytes)} → ${mb(g.endBytes)} MB (max ${mb(g.maxBytes)}), ${signedMb(g.slopeBytesPerHour)} MB/h, second half ${signedMb(g.lateSlopeBytesPerHour)} MB/h`;
}

/** The terminal's lines for a watched server process. */
export function processSummaryLines(p: ProcessWatchResult): string[] {
  return [`server RSS (PID ${p.pid}): ${growthText(p.rss)}`, ...p.files.map((f) => `${f.path}: ${growthText(f)}`)];
}

/** The report's section: memory and file sizes over the run, then the figures. */
export function processSection(p: ProcessWatchResult, esc: (text: string) => string): string {
  const memory = lineChart({
    title: `Server resident memory (PID ${p.pid})`,
    xLabel: 'seconds since start',
    yLabel: 'MB',
    series: [{ name: 'RSS', points: p.samples.map((s) => [s.seconds, s.rssBytes / MB]) }],
  });
  const files =
    p.files.length === 0
      ? ''
      : lineChart({
          title: 'Watched file sizes',
          xLabel: 'seconds since start',
          yLabel: 'MB',
          series: p.files.map((f, i) => ({ name: f.path.slice(f.path.lastIndexOf('/') + 1), points: p.samples.map((s) => [s.seconds, s.fileBytes[i]! / MB]) })),
        });
  const rows = [{ name: 'RSS', g: p.rss }, ...p.files.map((f) => ({ name: f.path, g: f }))]
    .map(({ name, g }) => `<tr><th>${esc(name)}</th><td>${esc(growthText(g))}</td></tr>`)
    .join('');
  return `<h2>Server process</h2>${memory}${files}<table>${rows}</table>${p.exited ? '<p>The process exited during the run.</p>' : ''}`;
}
