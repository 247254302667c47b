import type { DemoSession } from '../run/demo-session.js';
import type { PolicyOutcome } from '../run/policy-outcome.js';
import { count, wallDuration } from '../view/format.js';

/** Whether a run's claims hold: warnings match the truth, the API matches the ledger, nothing dead-lettered. */
export function outcomeHolds(o: PolicyOutcome): boolean {
  return o.truth.agrees && o.apiMismatches.length === 0 && o.run.errors.deadLetters === 0 && o.run.errors.backendLog === 0;
}

/** The closing summary: per policy, what the stores say against the truth; with two, side by side. */
export function summaryText(session: DemoSession): string {
  const { town, outcomes } = session;
  const lines: string[] = [''];
  for (const o of outcomes) {
    const t = o.truth;
    const s = o.run.stats;
    const e = o.run.errors;
    lines.push(`Policy ${o.label}  (${wallDuration(o.run.wallMs)} for ${town.minutes / 1440} simulated days)`);
    lines.push(`  stored      ${count(s.contactsStored)} contacts from ${count(s.observationsProcessed)} observations in ${count(s.batchesProcessed)} batches · ${s.cases} cases · ${s.notifications} warnings`);
    lines.push(`  truth       ${t.agrees ? 'MATCHES' : 'DIFFERS'}: ${t.matched} of ${t.mustWarn} who had a qualifying encounter chain warned at the right degree · ${t.missed} missed · ${t.extra} warned without cause · ${t.wrongDegree} wrong degree · ${t.borderline} borderline`);
    lines.push(`  API         ${o.apiMismatches.length === 0 ? 'every warning the ledger holds for a phone is what GET /v1/notifications returns' : `${o.apiMismatches.length} differences: ${o.apiMismatches.slice(0, 3).join('; ')}`}`);
    lines.push(`  errors      dead letters ${e.deadLetters} · backend errors ${e.backendLog} · failed calls ${e.clientFailures} · relayed batches ${o.run.state.client.relayedBatches}, missing at the backend ${o.run.relayOperations.devices.reduce((n, d) => n + d.missingBatches, 0)} · relay sessions that could not connect ${o.run.state.client.relayFailures} (a radio event: the next meeting relays)`);
    for (const line of e.lastBackendErrors) lines.push(`    ${line}`);
  }
  if (outcomes.length > 1) lines.push('', ...comparisonTable(outcomes));
  return lines.join('\n');
}

function comparisonTable(outcomes: readonly PolicyOutcome[]): string[] {
  const rows: [string, (o: PolicyOutcome) => number][] = [
    ['people warned', (o) => o.reach.warnedPeople],
    ['truly infected reached', (o) => o.reach.infectedWarned],
    ['warned, never infected', (o) => o.reach.warnedNeverInfected],
  ];
  const width = Math.max(...outcomes.map((o) => o.label.length), 12);
  const out = [`Policy what-if (the same town)   ${outcomes.map((o) => o.label.padStart(width)).join('   ')}`];
  for (const [name, value] of rows) out.push(`  ${name.padEnd(31)}${outcomes.map((o) => String(value(o)).padStart(width)).join('   ')}`);
  out.push(`  ${'infected in the town'.padEnd(31)}${outcomes.map((o) => String(o.reach.infected).padStart(width)).join('   ')}   (besides the cases themselves)`);
  return out;
}
