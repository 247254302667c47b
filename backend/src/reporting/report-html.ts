import { isoDate } from '../domain/analytics/calendar.js';
import type { FigureView, ViewRow } from '../domain/analytics/figure-views.js';
import { isWithheld, type ReportData } from './report-data.js';
import { escapeXml, format, lineChart, stackedBarChart, type LineSeries } from './svg-charts.js';
import { QUESTIONS, viewsFor } from './views.js';

const SHARES = /^(compliance|sar|acknowledgedShare|reinfectionShare|tracedShare|policyProbability)/;
/** Figures that count people (or their pairs): a withheld one reads "<k". Rates and estimates do not: "<10" would read as an R or a rate below 10. */
const COUNTS = /^(newCases|reinfections|activeDevices|encounters|qualifyingEncounters|notifications|raised|complianceCohort|sarCohort)$/;

/** The report: one self-contained HTML page (inline CSS and SVG, no script, nothing fetched). */
export function renderReport(data: ReportData): string {
  const sections = QUESTIONS.map((q) => {
    const views = viewsFor(q.id).map((view) => renderView(data, view)).join('\n');
    return `<section id="${q.id}"><h2>${escapeXml(q.title)}</h2><p class="lead">${escapeXml(q.lead)}</p>${views}</section>`;
  }).join('\n');
  const period = `${isoDate(data.weeks[0]!)} to ${isoDate(data.weeks[data.weeks.length - 1]! + 6 * 86_400_000)}`;
  const provisional = [...data.provisionalWeeks].sort((a, b) => a - b).map(isoDate);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Proxitrace analytics: ${escapeXml(period)}</title><style>${CSS}</style></head>
<body><header><h1>Proxitrace analytics</h1>
<p>Weeks ${escapeXml(period)} · generated ${escapeXml(new Date(data.generatedAt).toISOString().slice(0, 16).replace('T', ' '))} UTC · ${escapeXml(data.settings.backend)}</p>
<nav>${QUESTIONS.map((q) => `<a href="#${q.id}">${escapeXml(q.title)}</a>`).join(' · ')}</nav>
<p class="note">Regions are ${escapeXml(data.settings.regions)}. Every number describes at least ${data.settings.minCellSize} people: smaller counts are withheld (<span class="withheld">&lt;${data.settings.minCellSize}</span>), rates and estimates drawn from them too (<span class="withheld">withheld</span>), and so are cells whose value could be worked out from the others. Charts list the weeks they leave out.
${provisional.length > 0 ? `Weeks whose follow-up is not over yet are provisional: ${escapeXml(provisional.join(', '))}.` : ''}</p></header>
<main>${sections}</main>
<footer><h2>Methods</h2><ul>
<li>New cases: verified infections reported through the app, by report week and by the region where the device was most in the week before.</li>
<li>Secondary attack rate: of the warned, the share who reported an infection within the incubation window after their exposure; 95 % Wilson interval. The warning policy assumes ${format(data.settings.hopProbability, true)} at the first degree.</li>
<li>R from case counts: renewal equation, Cori, Ferguson, Fraser &amp; Cauchemez, Am J Epidemiol 2013 (EpiEstim), weekly windows, serial interval ${escapeXml(data.settings.serialInterval)}, Gamma(1, 5) prior; 95 % credible interval.</li>
<li>R from the traced chains: secondary cases per case, each case shared among the earlier cases whose first-degree warning its device held, weighted by the serial interval (Wallinga &amp; Teunis, Am J Epidemiol 2004); 95 % percentile bootstrap interval. App users only: a lower bound where people also meet without the app.</li>
<li>Isolation compliance: of the warned whose isolation is over, the share with no encounter that would itself have warned someone between the warning and the end of isolation, from the contact data; 95 % Wilson interval.</li>
<li>Reinfections: cases of devices that reported an earlier case more than the reinfection interval before.</li>
</ul></footer></body></html>
`;
}

function renderView(data: ReportData, view: FigureView): string {
  const rows = data.rows.get(view.id) ?? [];
  const body = view.chart === 'table' ? table(data, view, rows) : `${view.chart === 'bar' ? bars(data, view, rows) : lines(data, view, rows)}${withheldNote(data, view, rows)}`;
  return `<figure class="view" id="view-${view.id}" data-view="${view.id}" data-rows="${rows.length}"><figcaption><h3>${escapeXml(view.title)}</h3><p>${escapeXml(view.description)}</p></figcaption>${body}</figure>`;
}

/** A chart draws nothing where a figure is withheld, as where there is none: it says which weeks it leaves out. */
function withheldNote(data: ReportData, view: FigureView, rows: readonly ViewRow[]): string {
  const field = view.metrics[0]!.field;
  const weeks = [...new Set(rows.filter((r) => r.values[field] == null && isWithheld(data, view, r, field)).map((r) => r.weekStart!))].sort((a, b) => a - b);
  if (weeks.length === 0) return '';
  const what = COUNTS.test(field) ? `fewer than ${data.settings.minCellSize} people` : `drawn from fewer than ${data.settings.minCellSize} people`;
  return `<p class="withheld-note"><span class="withheld">Withheld</span> (${what}, or it would reveal such a cell)${view.regions === 'each' ? ' in some regions' : ''}: ${escapeXml(weeks.map((w) => isoDate(w)).join(', '))}.</p>`;
}

function labels(data: ReportData): string[] {
  return data.weeks.map((w) => isoDate(w).slice(5));
}

function byWeek(data: ReportData, rows: readonly ViewRow[], field: string, match: (r: ViewRow) => boolean = () => true): (number | null)[] {
  return data.weeks.map((w) => rows.find((r) => r.weekStart === w && match(r))?.values[field] ?? null);
}

function lines(data: ReportData, view: FigureView, rows: readonly ViewRow[]): string {
  const percent = SHARES.test(view.metrics[0]!.field);
  const frame = { title: view.title, labels: labels(data), yLabel: view.metrics[0]!.label, percent };
  if (view.groupBy.includes('degree')) {
    const degrees = [...new Set(rows.map((r) => r.degree!))].sort((a, b) => a - b);
    return lineChart(frame, degrees.map((d) => ({ name: `degree ${d}`, values: byWeek(data, rows, view.metrics[0]!.field, (r) => r.degree === d) })));
  }
  const main = view.metrics[0]!.field;
  const low = view.metrics.find((m) => m.field === `${main}Low`);
  const high = view.metrics.find((m) => m.field === `${main}High`);
  const series: LineSeries[] = [
    { name: view.metrics[0]!.label, values: byWeek(data, rows, main), band: low && high ? { low: byWeek(data, rows, low.field), high: byWeek(data, rows, high.field) } : undefined },
    ...view.metrics.filter((m) => m.field !== main && m !== low && m !== high).map((m) => ({ name: m.label, values: byWeek(data, rows, m.field), dashed: true })),
  ];
  return lineChart(frame, series);
}

function bars(data: ReportData, view: FigureView, rows: readonly ViewRow[]): string {
  const frame = { title: view.title, labels: labels(data), yLabel: view.metrics[0]!.label };
  const field = view.metrics[0]!.field;
  if (!view.groupBy.includes('region')) return stackedBarChart(frame, [{ name: view.metrics[0]!.label, values: byWeek(data, rows, field) }]);
  const regions = [...new Set(rows.map((r) => r.region!))].sort();
  return stackedBarChart(frame, regions.map((region) => ({ name: regionLabel(data, region), values: byWeek(data, rows, field, (r) => r.region === region) })));
}

function table(data: ReportData, view: FigureView, rows: readonly ViewRow[]): string {
  if (rows.length === 0) return '<p class="empty">No figure to show for this period.</p>';
  const head = [...view.groupBy.map((g) => ({ weekStart: 'Week', region: 'Region', degree: 'Degree' })[g]), ...view.metrics.map((m) => m.label)];
  const body = rows.map((row) => {
    const keys = view.groupBy.map((g) => (g === 'weekStart' ? isoDate(row.weekStart!) : g === 'region' ? regionLabel(data, row.region!) : String(row.degree)));
    const cells = view.metrics.map((m) => {
      const v = row.values[m.field];
      if (v !== null && v !== undefined) return `<td class="num datum">${escapeXml(format(v, SHARES.test(m.field)))}</td>`;
      if (!isWithheld(data, view, row, m.field)) return '<td class="num none">—</td>';
      return COUNTS.test(m.field) ? `<td class="num withheld">&lt;${data.settings.minCellSize}</td>` : `<td class="num withheld" title="drawn from fewer than ${data.settings.minCellSize} people">withheld</td>`;
    });
    return `<tr>${keys.map((k) => `<th scope="row">${escapeXml(k)}</th>`).join('')}${cells.join('')}</tr>`;
  });
  return `<table><thead><tr>${head.map((h) => `<th scope="col">${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

function regionLabel(data: ReportData, region: string): string {
  const centre = data.centres.get(region);
  if (region === 'unknown') return 'no located contacts';
  return centre ? `${region} (${centre.lat.toFixed(2)}, ${centre.lon.toFixed(2)})` : region;
}

const CSS = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;margin:0;background:#f5f6f8}
header,main,footer{max-width:1100px;margin:0 auto;padding:0 24px}
header{padding-top:20px}h1{margin:0 0 4px;font-size:26px}h2{margin:32px 0 6px;font-size:21px;border-bottom:2px solid #1d4e89;padding-bottom:4px}
h3{margin:0;font-size:16px}nav a{color:#1d4e89}.note,.lead{color:#444;max-width:80ch}
figure.view{background:#fff;border:1px solid #dde1e6;border-radius:6px;margin:14px 0;padding:12px 16px}
figcaption p{margin:2px 0 8px;color:#555;font-size:13px}
svg.chart{max-width:100%;height:auto;font-size:11px}svg .grid{stroke:#e4e7eb}svg .frame{fill:none;stroke:#b9c0c8}svg .axis{fill:#555}
table{border-collapse:collapse;font-size:13px;width:100%}th,td{padding:3px 8px;border-bottom:1px solid #eceef1;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}.withheld{color:#8a5a00}.none{color:#aaa}.withheld-note{margin:4px 0 0;font-size:12px;color:#555}
thead th{background:#f0f2f5}.empty{color:#777;font-style:italic}footer{padding-bottom:40px;font-size:13px;color:#333}
@media print{body{background:#fff}figure.view{break-inside:avoid}}`;
