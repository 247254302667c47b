import type { OutbreakFigures } from './measure-outbreak.js';

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const byPrefix = (counts: Record<string, number>, prefix: string) => sum(Object.fromEntries(Object.entries(counts).filter(([k]) => k.startsWith(`${prefix}.`))));

/** What the stores did underneath: SQL queries on the embedded store, requests per engine on AWS. */
function storeWork(o: OutbreakFigures): string {
  const requests = Object.entries(o.requests).sort(([a], [b]) => a.localeCompare(b));
  if (requests.length > 0) return requests.map(([engine, n]) => `${engine} ${n.toLocaleString('en-US')}`).join(', ');
  return `SQL ${(o.statements.queries ?? 0).toLocaleString('en-US')}`;
}

export function outbreakTable(results: readonly { backend: string; outbreaks: readonly OutbreakFigures[] }[]): string {
  const header = ['backend', 'reach', 'fan-out', 'warned by degree', 'seconds', 'tasks', 'port calls (contacts / ledger / other)', 'store work', 'per device reached'];
  const rows = results.flatMap(({ backend, outbreaks }) =>
    outbreaks.map((o) => {
      const contacts = byPrefix(o.portCalls, 'contacts');
      const ledger = byPrefix(o.portCalls, 'ledger');
      const total = sum(o.portCalls);
      const underneath = sum(o.requests) || (o.statements.queries ?? 0);
      return [
        backend,
        o.reach.toLocaleString('en-US'),
        String(o.fanOut),
        Object.entries(o.warnedByDegree).map(([d, n]) => `d${d} ${n}`).join(', '),
        o.seconds.toFixed(2),
        o.tasks.toLocaleString('en-US'),
        `${total.toLocaleString('en-US')} (${contacts} / ${ledger} / ${total - contacts - ledger})`,
        storeWork(o),
        `${(o.seconds * 1000 / o.reach).toFixed(1)} ms, ${(underneath / o.reach).toFixed(1)} store calls`,
      ];
    }),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
