import type { EndpointResult } from '../metrics/endpoint-stats.js';
import type { LoadResult } from './load-result.js';
import { duplicateWarning } from './duplicate-warning.js';
import { processSection } from './process-section.js';
import { distributionChart, latencyOverTime, queueCharts, throughputChart } from './report-charts.js';
import { escapeXml as esc } from './svg-chart.js';
const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(0));
const n = (v: number, digits = 0) => v.toLocaleString('en-US', { maximumFractionDigits: digits });

/** One HTML file with inline CSS and SVG: no scripts, no fonts, no CDN. */
export function renderHtmlReport(r: LoadResult): string {
  const body = [
    header(r),
    summaryTable(r.endpoints),
    throughputChart(r),
    ...r.endpoints.map((e) => latencyOverTime(r, e.name)),
    distributionChart(r.endpoints),
    breakdown(r.endpoints),
    serverSection(r),
    r.process ? processSection(r.process, esc) : '',
    notes(r),
  ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Proxitrace load test — ${esc(r.scenario.name)} — ${esc(r.startedAt)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 12px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}
table.facts td{text-align:left}table.endpoints{font-size:13px}table.endpoints td,table.endpoints th{padding:3px 6px}
svg.chart{display:block;width:100%;height:auto;margin:8px 0}
svg text{font:12px system-ui,sans-serif;fill:#333}svg .title{font-size:14px;font-weight:600}
svg .grid{stroke:#eee}svg .frame{fill:none;stroke:#999}.muted{color:#666}.bad{color:#b00}
.warning{background:#fff4e5;border-left:4px solid #e08a00;padding:6px 10px}
.table-wrap{overflow-x:auto}
</style></head><body>
${body}
</body></html>
`;
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(0)}%`);

function header(r: LoadResult): string {
  const p = r.population;
  const d = p.duplicates;
  const warning = d.tooSmall ? `<p class="warning">${esc(duplicateWarning(p.devices, d))}.</p>` : '';
  return `<h1>Load test: ${esc(r.scenario.name)}</h1>
<p>${esc(r.scenario.description)}</p>
<table class="facts">
<tr><th>Target</th><td>${esc(r.target)}</td></tr>
<tr><th>Run</th><td>${esc(r.startedAt)} → ${esc(r.finishedAt)} (${r.elapsedSeconds.toFixed(1)} s of load, ${esc(r.scenario.arrivals)} arrivals)</td></tr>
<tr><th>Scale</th><td>${r.settings.scale} of national peak ≈ ${n(r.settings.equivalentUsers)} users</td></tr>
<tr><th>Population</th><td>${n(p.devices)} devices, ×${n(p.timeCompression)} time compression (a simulated day every ${p.simulatedDayRealSeconds.toFixed(1)} s), ${p.contactsPerDevicePerDay} contacts/day, batches of ${p.batchSize} (flush after ${p.flushAfterMinutes} simulated min), ${p.tokensPerCall} token window(s) per call</td></tr>
<tr><th>Duplicates</th><td${d.tooSmall ? ' class="bad"' : ''}>${pct(d.achieved)} achieved, ${pct(d.modelled)} modelled (${pct(d.expected)} expected with ${n(p.devices)} devices)</td></tr>
<tr><th>Offered by the model</th><td>${n(p.offeredRates.tokenCalls, 1)} token calls/s, ${n(p.offeredRates.uploads, 1)} uploads/s, ${n(p.offeredRates.notificationPolls, 1)} polls/s, ${n(p.offeredRates.infectionReports, 2)} infection reports/s (${n(p.offeredRates.encounters)} encounters/s)</td></tr>
<tr><th>Generator limits</th><td>${r.settings.maxInFlight} in flight, backlog ${n(r.settings.maxBacklog)}, ${r.settings.connections} connections, seed ${r.settings.seed}</td></tr>
<tr><th>Credentials</th><td>${esc(r.settings.credentials)}; ${n(r.sessions.refreshed)} access tokens renewed during the run${r.sessions.refreshFailures ? `, <span class="bad">${n(r.sessions.refreshFailures)} renewals failed</span>` : ''}</td></tr>
</table>
${warning}
<p class="muted">Latency is measured from each request's <em>scheduled</em> time (open-loop), so time spent waiting for a free slot counts.
"Dropped" requests never went out because the backlog was full; "abandoned" ones were still waiting for a slot when
the run ended; "late" ones went out more than 50 ms after their scheduled time.</p>`;
}

function summaryTable(endpoints: EndpointResult[]): string {
  const rows = endpoints
    .map(
      (e) => `<tr><td>${esc(e.name)}</td><td>${n(e.offered)}</td><td>${n(e.succeeded)}</td><td${e.failed ? ' class="bad"' : ''}>${n(e.failed)}</td>
<td${e.dropped ? ' class="bad"' : ''}>${n(e.dropped)}</td><td${e.abandoned ? ' class="bad"' : ''}>${n(e.abandoned)}</td><td>${n(e.late)}</td><td>${n(e.offeredRate, 1)}</td><td>${n(e.achievedRate, 1)}</td>
<td>${ms(e.latencyMs.p50)}</td><td>${ms(e.latencyMs.p90)}</td><td>${ms(e.latencyMs.p99)}</td><td>${ms(e.latencyMs.p999)}</td><td>${ms(e.latencyMs.max)}</td></tr>`,
    )
    .join('\n');
  return `<h2>Per endpoint</h2><div class="table-wrap"><table class="endpoints"><tr><th>Endpoint</th><th>Offered</th><th>2xx</th><th>Failed</th><th>Dropped</th><th>Abandoned</th><th>Late</th>
<th>Offered /s</th><th>Achieved /s</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th></tr>${rows}</table></div>`;
}

function breakdown(endpoints: EndpointResult[]): string {
  const rows = endpoints
    .map((e) => {
      const codes = Object.entries(e.statusCodes).map(([c, k]) => `${c}: ${n(k)}`).join(', ') || '—';
      const errors = Object.entries(e.errors).map(([c, k]) => `${esc(c)}: ${n(k)}`).join(', ') || '—';
      return `<tr><td>${esc(e.name)}</td><td style="text-align:left">${codes}</td><td style="text-align:left">${errors}</td></tr>`;
    })
    .join('\n');
  return `<h2>Status codes and errors</h2><table><tr><th>Endpoint</th><th>Status codes</th><th>Errors</th></tr>${rows}</table>`;
}

function serverSection(r: LoadResult): string {
  const s = r.server;
  const generator = `<tr><th>Generator: contact batches accepted (202)</th><td>${n(r.contacts.batches)}</td></tr>
<tr><th>Generator: observations in accepted batches</th><td>${n(r.contacts.observations)}</td></tr>`;
  if (!s.available) {
    return `<h2>Server queue</h2><p class="muted">Not available: no official credentials (pass --official-phone or an official in --credentials).</p><table>${generator}</table>`;
  }
  const delta = (key: 'batchesProcessed' | 'observationsProcessed' | 'contactsStored') =>
    s.before && s.after ? n(s.after[key] - s.before[key]) : '—';
  return `<h2>Server queue and processing</h2>${queueCharts(s.samples)}
<table>${generator}
<tr><th>Server: batches processed during the run</th><td>${delta('batchesProcessed')}</td></tr>
<tr><th>Server: observations processed during the run</th><td>${delta('observationsProcessed')}</td></tr>
<tr><th>Server: contacts stored during the run</th><td>${delta('contactsStored')}</td></tr>
<tr><th>Max backlog / oldest message age</th><td>${n(s.maxBacklog)} / ${n(s.maxOldestAgeSeconds, 1)} s</td></tr>
<tr><th>Drain time after load stopped</th><td>${s.drainSeconds === null ? 'did not drain in time' : `${s.drainSeconds.toFixed(1)} s`}</td></tr>
</table>`;
}

function notes(r: LoadResult): string {
  const p = r.population.stats;
  const items = [
    `Population: ${n(p.encounters)} encounters (${n(p.duplicates)} duplicates), ${n(p.batchesFull)} full and ${n(p.batchesFlushed)} flushed batches.`,
    ...(r.infectionsSkippedNoOfficial > 0 ? [`${r.infectionsSkippedNoOfficial} infection reports skipped: no official credentials.`] : []),
    ...r.notes,
  ];
  return `<h2>Notes</h2><ul>${items.map((t) => `<li>${esc(t)}</li>`).join('')}</ul>`;
}
