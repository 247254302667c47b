import { processSummaryLines } from './process-section.js';
import type { LoadResult } from './load-result.js';

/** The end-of-run summary printed to the terminal. */
export function summaryText(r: LoadResult): string {
  const lines = [
    `${r.scenario.name}: ${r.totals.completed} completed, ${r.totals.failed} failed, ${r.totals.dropped} dropped, ${r.totals.abandoned} abandoned at the end, in ${r.elapsedSeconds.toFixed(1)} s`,
    'endpoint                              offered/s  achieved/s     p50     p90     p99   p99.9     max  (ms)',
  ];
  for (const e of r.endpoints) {
    const l = e.latencyMs;
    lines.push(
      `${e.name.padEnd(36)} ${e.offeredRate.toFixed(1).padStart(10)} ${e.achievedRate.toFixed(1).padStart(11)} ` +
        [l.p50, l.p90, l.p99, l.p999, l.max].map((v) => v.toFixed(1).padStart(7)).join(' '),
    );
  }
  lines.push(`contacts accepted: ${r.contacts.batches} batches, ${r.contacts.observations} observations`);
  const d = r.population.duplicates;
  const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(0)}%`);
  lines.push(`duplicates: ${pct(d.achieved)} achieved, ${pct(d.modelled)} modelled${d.tooSmall ? ` (population too small: ${pct(d.expected)} expected with ${r.population.devices} devices)` : ''}`);
  if (r.server.available && r.server.before && r.server.after) {
    lines.push(
      `server processed during run: ${r.server.after.batchesProcessed - r.server.before.batchesProcessed} batches, ` +
        `${r.server.after.observationsProcessed - r.server.before.observationsProcessed} observations; ` +
        `max backlog ${r.server.maxBacklog}, drain ${r.server.drainSeconds === null ? 'timed out' : `${r.server.drainSeconds.toFixed(1)} s`}`,
    );
  }
  if (r.process) lines.push(...processSummaryLines(r.process));
  for (const note of r.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}
