import { escapeXml as esc, lineChart, type Series } from '../../../loadtest/src/report/svg-chart.js';
import type { LevelResult, ScaleResult } from './scale-result.js';
import { CRITERIA, type SizingLimit } from './sizing-limit.js';

const int = (v: number) => Math.round(v).toLocaleString('en-US');
const dec = (v: number, digits: number) => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const gb = (bytes: number) => dec(bytes / 1e9, 2);
const millions = (v: number) => v / 1e6;
const totalBytes = (l: LevelResult) => l.disk.databaseBytes + l.disk.walBytes;

/** The printed table: one row per level. */
export function scaleTable(result: ScaleResult): string {
  const header = ['stored', 'users', 'fill/s', 'insert/s', 'obs/s', 'need/s', 'trace s', 'queries', 'poll p50', 'poll p99', 'DB+WAL GB', 'B/contact'];
  const rows = result.levels.map((l) => {
    const verdict = result.limit.verdicts.find((v) => v.storedContacts === l.storedContacts);
    return [
      int(l.storedContacts),
      int(l.usersForContacts),
      int(l.fill.contactsPerSecond),
      int(l.inserts.contactsPerSecond),
      int(l.inserts.observationsPerSecond),
      dec(verdict?.neededObservationsPerSecond ?? Number.NaN, 1),
      dec(l.tracing.seconds, 2),
      int(l.tracingCounted.statements?.queries ?? Number.NaN),
      `${dec(l.notifications.latencyMs.p50, 2)} ms`,
      `${dec(l.notifications.latencyMs.p99, 2)} ms`,
      gb(totalBytes(l)),
      int(l.disk.bytesPerContact),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** The sizing limit in a sentence or two, as README states it. */
export function limitSentence(limit: SizingLimit): string {
  const users = limit.usersByDays.map((u) => `${int(u.users)} users × ${u.days} days`).join(', ');
  if (limit.contacts === 0) {
    const failed = limit.failedAt ? `${limit.failedAt.failed.join(', ')} failed at ${int(limit.failedAt.storedContacts)} contacts` : 'nothing was measured';
    return `No measured size met every criterion (${failed}).`;
  }
  const bound = limit.atLeast
    ? `Every criterion held up to the largest size measured, so the limit is at least ${int(limit.contacts)} contacts; beyond it is unmeasured.`
    : `At ${int(limit.failedAt!.storedContacts)} contacts ${limit.failedAt!.failed.join(' and ')} failed.`;
  return `The embedded default met every criterion up to ${int(limit.contacts)} stored contacts = ${int(limit.userDays)} user-days of the design's 50 contacts each (${users}). ${bound}`;
}

/** One page, inline CSS and SVG only: no script, font or stylesheet is fetched. */
export function scaleHtml(result: ScaleResult): string {
  const ls = result.levels;
  const x = (l: LevelResult) => millions(l.storedContacts);
  const xLabel = 'stored contacts (millions)';
  const points = (f: (l: LevelResult) => number): [number, number][] => ls.map((l) => [x(l), f(l)]);
  const need = (l: LevelResult) => result.limit.verdicts.find((v) => v.storedContacts === l.storedContacts)?.neededObservationsPerSecond ?? Number.NaN;
  const flat = (value: number): [number, number][] => ls.map((l) => [x(l), value]);
  const charts = [
    lineChart({
      title: 'Insert rate at size: the consumer, its users\' need, the bulk fill',
      xLabel,
      yLabel: 'per second (log)',
      logY: true,
      series: [
        { name: 'new contacts/s', points: points((l) => l.inserts.contactsPerSecond) },
        { name: 'observations/s', points: points((l) => l.inserts.observationsPerSecond) },
        { name: 'needed obs/s', style: 'dashed', points: points(need) },
        { name: 'fill contacts/s', style: 'dotted', points: points((l) => l.fill.contactsPerSecond) },
      ],
    }),
    lineChart({
      title: `Tracing one case with ${result.settings.contactsPerCase} contacts`,
      xLabel,
      yLabel: 'seconds',
      series: [
        { name: 'a whole case (median)', points: points((l) => l.tracing.seconds) },
        { name: 'its first poll', style: 'dotted', points: points((l) => l.tracing.firstPollSeconds) },
        { name: 'counted case', style: 'points', points: points((l) => l.tracingCounted.seconds) },
      ],
    }),
    lineChart({
      title: 'SQL statements of one case',
      xLabel,
      yLabel: 'statements',
      integerY: true,
      series: (['select', 'insert', 'update', 'delete'] as const).map((k): Series => ({ name: k, points: points((l) => l.tracingCounted.statements?.[k] ?? Number.NaN) })),
    }),
    lineChart({
      title: 'GET /v1/notifications latency, one call at a time',
      xLabel,
      yLabel: 'ms (log)',
      logY: true,
      series: [
        { name: 'p50', points: points((l) => l.notifications.latencyMs.p50) },
        { name: 'p90', points: points((l) => l.notifications.latencyMs.p90) },
        { name: 'p99', style: 'dashed', points: points((l) => l.notifications.latencyMs.p99) },
        { name: `p99 criterion (${CRITERIA.notificationsP99Ms} ms)`, style: 'dotted', color: '#888', points: flat(CRITERIA.notificationsP99Ms) },
      ],
    }),
    lineChart({
      title: 'Size on disk',
      xLabel,
      yLabel: 'GB',
      series: [
        { name: 'database + WAL', points: points((l) => totalBytes(l) / 1e9) },
        { name: 'WAL', style: 'dashed', points: points((l) => l.disk.walBytes / 1e9) },
      ],
    }),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Proxitrace bench:scale — ${esc(result.at)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:24px auto;padding:0 12px;color:#222}
h1{font-size:22px}h2{font-size:17px;margin-top:26px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 7px;text-align:right}th{background:#f4f4f4}
svg.chart{display:block;width:100%;height:auto;margin:10px 0}svg text{font:12px system-ui,sans-serif;fill:#333}
svg .title{font-size:14px;font-weight:600}svg .grid{stroke:#eee}svg .frame{fill:none;stroke:#999}.limit{background:#eef5ff;padding:8px 12px}
</style></head><body>
<h1>How cost grows as the embedded store grows</h1>
<p>${esc(result.command)} — ${esc(result.at)}; ${result.machine.cpus} CPUs, Node ${esc(result.machine.node)}, load average ${result.machine.loadAverageAtStart.map((v) => v.toFixed(2)).join(' ')} at the start.
${int(result.settings.days)} contact days; ${int(result.settings.uploads)} uploads of 50 per insert phase; ${int(result.settings.polls)} polls per level.</p>
<p class="limit">${esc(limitSentence(result.limit))}</p>
<h2>Figures</h2>
${levelTable(result)}
${result.skipped.map((s) => `<p>Not measured: ${int(s.level)} contacts (${esc(s.reason)}).</p>`).join('\n')}
<h2>Curves</h2>
${charts.join('\n')}
</body></html>
`;
}

function levelTable(result: ScaleResult): string {
  const head = ['stored contacts', 'users', 'fill (contacts/s, s)', 'new contacts/s', 'observations/s', 'needed obs/s', 'tracing s (median; each case)', 'queries', 'poll p50 / p99 ms', 'DB + WAL GB', 'bytes/contact', 'criteria'];
  const rows = result.levels.map((l) => {
    const v = result.limit.verdicts.find((verdict) => verdict.storedContacts === l.storedContacts);
    const cells = [
      int(l.storedContacts),
      int(l.usersForContacts),
      `${int(l.fill.contactsPerSecond)} (${dec(l.fill.seconds, 0)} s)`,
      int(l.inserts.contactsPerSecond),
      int(l.inserts.observationsPerSecond),
      dec(v?.neededObservationsPerSecond ?? Number.NaN, 1),
      `${dec(l.tracing.seconds, 2)} (${l.tracingSeconds.map((t) => dec(t, 2)).join(', ')})`,
      int(l.tracingCounted.statements?.queries ?? Number.NaN),
      `${dec(l.notifications.latencyMs.p50, 2)} / ${dec(l.notifications.latencyMs.p99, 2)}`,
      gb(totalBytes(l)),
      int(l.disk.bytesPerContact),
      v && v.failed.length > 0 ? `failed: ${v.failed.join(', ')}` : 'met',
    ];
    return `<tr>${cells.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`;
  });
  return `<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.join('')}</table>`;
}
