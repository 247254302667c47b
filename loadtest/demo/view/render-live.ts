import { styleText } from 'node:util';
import type { LiveState } from '../run/live-state.js';
import { count, encounterText, probabilityText, townClock, wallDuration } from './format.js';

const BAR_WIDTH = 30;
const SHOWN_WARNINGS = 8;
const SHOWN_CASES = 4;

type Style = Parameters<typeof styleText>[0];

/** The live view, as lines of text (colours when `colour`). Everything but the clock comes from the API, the stores and the devices' cores. */
export function renderLive(s: LiveState, colour: boolean): string {
  const paint = (style: Style, text: string) => (colour ? styleText(style, text) : text);
  const now = s.start + s.minute * 60_000;
  const done = Math.min(1, s.minute / s.totalMinutes);
  const filled = Math.round(done * BAR_WIDTH);
  const elapsed = Date.now() - s.wallStartedAt;
  const rate = s.minute > 0 && elapsed > 0 ? Math.round((s.minute * 60_000) / elapsed) : 0;
  const lines: string[] = [];
  lines.push(`${paint('bold', 'Proxitrace demo')} · ${s.people} people · ${s.totalMinutes / 1440} days · policy ${s.label}`);
  lines.push(
    `${paint(['bold', 'cyan'], townClock(now))}  ${paint('cyan', '█'.repeat(filled))}${'░'.repeat(BAR_WIDTH - filled)}  day ${Math.min(Math.floor(s.minute / 1440) + 1, s.totalMinutes / 1440)} of ${s.totalMinutes / 1440} · ×${count(rate)} · ${wallDuration(elapsed)}`,
  );
  lines.push(paint('dim', s.phase));
  const c = s.client;
  const b = s.backend;
  lines.push(`${label('Devices')}${s.started}/${s.phones + s.dedicated} on the air: ${s.phones} phones, ${s.dedicated} dedicated BLE-only devices (relayed by phones), ${s.unequipped} carry nothing`);
  lines.push(`${label('Air')}${count(c.sightings)} sightings · ${count(c.rotations)} token rotations · ${count(c.tokenFetches)} token fetches`);
  lines.push(`${label('Uploads')}${count(c.uploads)} batches of ≤ 50 (${count(c.observationsUploaded)} observations) · ${count(c.relaySessions)} relay sessions carried ${count(c.relayedBatches)} sealed batches`);
  lines.push(
    `${label('Backend')}${b ? `${count(b.observationsProcessed)} observations processed · ${count(b.contactsStored)} contacts stored · queue ${b.queue.backlog + b.queue.inFlight} · tracing ${b.tracing.waiting}` : '…'}`,
  );
  lines.push(`${label('Cases')}${s.cases.length} reported${b ? ` (backend: ${b.cases})` : ''}`);
  for (const k of s.cases.slice(-SHOWN_CASES)) {
    lines.push(`  ${townClock(k.reportedAt)}  ${paint('red', k.name)} reported a positive test with the official's code (symptoms since ${townClock(k.symptomOnset)})`);
  }
  const byDegree = new Map<number, number>();
  for (const w of s.warnings) byDegree.set(w.degree, (byDegree.get(w.degree) ?? 0) + 1);
  const degrees = [...byDegree].sort((x, y) => x[0] - y[0]).map(([d, n]) => `degree ${d}: ${n}`);
  lines.push(`${label('Warnings')}${s.warnings.length}${degrees.length > 0 ? ` (${degrees.join(' · ')})` : ''} · ${s.ownerSms} SMS to owners of dedicated devices`);
  for (const w of s.warnings.slice(-SHOWN_WARNINGS)) {
    const why = w.why?.encounter ? `${w.why.sourceName ?? '?'}: from ${townClock(w.why.encounter.start)}, ${encounterText(w.why.encounter)}` : 'reading the encounter from the stores…';
    lines.push(
      `  ${townClock(w.seenAt)}  ${paint('yellow', w.name.padEnd(18))} ${w.carries === 'phone' ? 'phone    ' : 'dedicated'} degree ${w.degree} p=${probabilityText(w.probability)}${w.raisedAt ? ' (raised)' : ''} · ${paint('dim', why)}`,
    );
  }
  lines.push(`${label('Policy')}cut off ${s.cutOff} qualifying contacts one degree too far · ${s.nearMisses} met a case below the threshold`);
  const errors = (b ? b.queue.deadLettered + b.tracing.deadLettered : 0) + s.backendErrors + c.failedCalls + c.uploadsRefused;
  lines.push(
    `${label('Errors')}${paint(errors === 0 ? 'green' : 'red', `dead letters ${b ? b.queue.deadLettered + b.tracing.deadLettered : 0} · backend errors ${s.backendErrors} · failed calls ${c.failedCalls} · refused uploads ${c.uploadsRefused}`)} · upload retries ${c.uploadRetries}`,
  );
  return lines.join('\n');
}

function label(text: string): string {
  return text.padEnd(10);
}
