import type { CapacityAssumptions } from './assumptions.js';
import { totalUsd, type ServiceCost } from './cost.js';
import type { DeploymentAssumptions } from './deployment.js';
import type { MeasuredProfile } from './measured/apply-measurements.js';
import type { MeasuredInputs } from './measured/measured-inputs.js';
import { renderMeasured } from './measured/render-measured.js';
import type { SearchCpuSizing } from './measured/search-cpu.js';
import type { CapacityFigures } from './model.js';
import { PRICES_AS_OF, PRICES_REGION, type PriceTable } from './prices.js';
import { ASSUMPTION_KEYS, flagName } from './options.js';

export interface ProfileResult {
  name: string;
  assumptions: CapacityAssumptions;
  figures: CapacityFigures;
  costs: ServiceCost[];
  /** Facts about the profile worth a line of their own (e.g. storage needed against configured). */
  notes?: string[];
  /** The deployment's own assumptions, for the deployed profile. */
  deployment?: DeploymentAssumptions;
  /** What the benchmark results given by --measured replaced, and what they imply. */
  measured?: MeasuredProfile & { searchCpu?: SearchCpuSizing };
}

const TB = 1e12;
const TIB = 2 ** 40;
const num = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const usd = (n: number): string => `$${num(n)}`;

const FIGURE_ROWS: [string, (f: CapacityFigures) => string][] = [
  ['Contacts per day', (f) => num(f.contactsPerDay)],
  ['Upload TPS unbatched (active hours)', (f) => num(f.uploadTpsUnbatched)],
  ['Upload TPS batched (active hours)', (f) => num(f.uploadTpsBatched)],
  ['SQS messages per day', (f) => num(f.sqsMessagesPerDay)],
  ['Registration TPS (POST /v1/tokens)', (f) => num(f.registrationTps)],
  ['  … with one window per call', (f) => num(f.registrationTpsWithoutPrefetch)],
  ['API requests per day', (f) => num(f.apiRequestsPerDay)],
  ['Lambda invocations per day', (f) => num(f.lambdaInvocationsPerDay)],
  ['Stored contacts per user per day', (f) => num(f.storedContactsPerUserPerDay, 1)],
  ['Storage per day (GB)', (f) => num(f.storageBytesPerDay / 1e9, 1)],
  ['Storage per year (TB / TiB)', (f) => `${num(f.storageBytesPerYear / TB, 1)} / ${num(f.storageBytesPerYear / TIB, 1)}`],
  ['Retained, billed incl. overhead (TB)', (f) => num(f.retainedBytesBilled / TB, 2)],
  ['SMS sign-ins per device per month', (f) => num(f.smsPerDevicePerMonth, 2)],
  ['SMS sign-ins per day', (f) => num(f.smsPerDay)],
];

export function renderText(profiles: ProfileResult[], prices: PriceTable, measured?: MeasuredInputs): string {
  const lines: string[] = [];
  if (measured) lines.push(...renderMeasured(profiles, measured), '');
  const names = profiles.map((p) => p.name);
  lines.push('Assumptions (override with --<flag>)');
  const cell = (p: ProfileResult, k: (typeof ASSUMPTION_KEYS)[number]) => {
    const value = p.assumptions[k];
    const assumed = p.measured?.assumed;
    const measured = typeof value === 'number' && assumed !== undefined && k in assumed && value !== assumed[k as keyof typeof assumed];
    return measured ? `${num(value, 1)} (measured)` : String(value);
  };
  lines.push(table(['flag', ...names], ASSUMPTION_KEYS.map((k) => [`--${flagName(k)}`, ...profiles.map((p) => cell(p, k))])));
  lines.push('', 'Derived figures');
  lines.push(table(['figure', ...names], FIGURE_ROWS.map(([label, get]) => [label, ...profiles.map((p) => get(p.figures))])));
  lines.push('', `Monthly AWS cost, ${PRICES_REGION} list prices as of ${PRICES_AS_OF} — assumptions, override with --price key=value`);
  const base = (service: string) => service.replace(/ \(.*\)$/, '');
  const services = [...new Set(profiles.flatMap((p) => p.costs.map((c) => base(c.service))))];
  const costRows = services.map((s) => [
    s,
    ...profiles.map((p) => {
      const cost = p.costs.find((c) => base(c.service) === s);
      return cost ? `${usd(cost.monthlyUsd)}  (${cost.basis})` : '–';
    }),
  ]);
  costRows.push(['Total', ...profiles.map((p) => usd(totalUsd(p.costs)))]);
  lines.push(table(['service', ...names], costRows));
  const [design, project, deployed] = profiles;
  if (design && project) lines.push('', ...changes(design, project));
  if (deployed?.deployment) {
    lines.push('', `"${deployed.name}": the stage's sizes from infra/aws/config/stages.ts and the function registry, priced`);
    for (const [key, value] of Object.entries(deployed.deployment)) lines.push(`  --${flagName(key)} ${value}`);
    for (const note of deployed.notes ?? []) lines.push(`  ${note}`);
  }
  lines.push('', 'Prices used (USD; tier bounds are cumulative monthly units)');
  for (const [key, tiers] of Object.entries(prices)) {
    const text = (tiers as { upTo: number; price: number }[])
      .map((t) => (Number.isFinite(t.upTo) ? `${t.price} up to ${num(t.upTo)}` : `${t.price}`))
      .join(', then ');
    lines.push(`  ${key}: ${text}`);
  }
  lines.push('', 'Not modelled: free tiers, reserved capacity and savings plans; SMS, CloudFront (requests, data transfer) and WAF only in the deployed column, and data transfer nowhere else.');
  return lines.join('\n');
}

/** The headline differences between the first two profiles, in words. */
function changes(from: ProfileResult, to: ProfileResult): string[] {
  const pct = (a: number, b: number) => (a === 0 ? 'n/a' : `${b >= a ? '+' : ''}${(((b - a) / a) * 100).toFixed(0)}%`);
  const line = (label: string, a: number, b: number, show: (v: number) => string) =>
    `  ${label}: ${show(a)} → ${show(b)} (${pct(a, b)})`;
  const out = [`What "${to.name}" changes against "${from.name}"`];
  out.push(line('registration TPS', from.figures.registrationTps, to.figures.registrationTps, (v) => num(v)));
  out.push(line('API requests per day', from.figures.apiRequestsPerDay, to.figures.apiRequestsPerDay, (v) => num(v)));
  out.push(line('SMS sign-ins per day', from.figures.smsPerDay, to.figures.smsPerDay, (v) => num(v)));
  out.push(line('retained storage (TB billed)', from.figures.retainedBytesBilled / TB, to.figures.retainedBytesBilled / TB, (v) => num(v, 2)));
  from.costs.forEach((c, i) => {
    const other = to.costs[i];
    if (other && Math.abs(other.monthlyUsd - c.monthlyUsd) >= 1) out.push(line(`${c.service === other.service ? c.service : `${c.service} → ${other.service}`} per month`, c.monthlyUsd, other.monthlyUsd, usd));
  });
  out.push(line('total per month', totalUsd(from.costs), totalUsd(to.costs), usd));
  return out;
}

function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}
