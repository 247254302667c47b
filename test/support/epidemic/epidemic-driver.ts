import { randomUUID } from 'node:crypto';
import { acceptContactBatch } from '../../../backend/src/application/accept-contact-batch.js';
import { acknowledgeNotification } from '../../../backend/src/application/acknowledge-notification.js';
import { deriveRecords } from '../../../backend/src/application/analytics/derive-records.js';
import { issueVerificationCode } from '../../../backend/src/application/issue-verification-code.js';
import { reportInfection } from '../../../backend/src/application/report-infection.js';
import type { BackendServices } from '../../../backend/src/composition/backend-services.js';
import type { Device } from '../../../backend/src/domain/device.js';
import { encodeToken } from '../../../backend/src/domain/tokens/token-encoding.js';
import { windowContaining, windowEnd } from '../../../backend/src/domain/tokens/token-window.js';
import { analyticsJobDeps } from '../../../backend/src/handlers/analytics-handlers.js';
import { makePurgeExpiredData } from '../../../backend/src/handlers/operations-handlers.js';
import type { EpidemicConfig } from '../../../loadtest/src/epidemic/epidemic-config.js';
import { EpidemicModel } from '../../../loadtest/src/epidemic/epidemic-model.js';
import type { Meeting } from '../../../loadtest/src/epidemic/epidemic-truth.js';
import type { TestClock } from '../embedded-services.js';
import type { WorldBackend } from '../tracing-world.js';

const HOUR = 3_600_000;

export interface EpidemicRun {
  model: EpidemicModel;
  devices: Device[];
  /** Each person's case ids, in report order. */
  cases: Map<number, string[]>;
  /** Every warning any device held, as it last read it: its person, degree and times. */
  warnings: Map<string, SeenWarning>;
  /** When the last day ended (the analytics had derived everything up to then). */
  end: number;
}

export interface SeenWarning {
  person: number;
  degree: number;
  exposedAt: number;
  issuedAt: number;
  raisedAt?: number | undefined;
}

/**
 * Plays a simulated epidemic into a real backend day by day, as its people's phones would: at
 * 07:00 those with symptoms report with an official's code; at 07:30 everyone reads their warnings,
 * acknowledges some and isolates or not; during the day they meet; at 22:00 each phone uploads
 * what it heard (one observation per token window of the other phone, at the meeting place) and
 * both consumers run until done; at 23:00 the analytics job derives the day (as the local stack's
 * timer would) and the retention purge runs.
 */
export async function playEpidemic(backend: WorldBackend, clock: TestClock, config: EpidemicConfig, days: number): Promise<EpidemicRun> {
  const s = backend.services;
  const model = new EpidemicModel(config);
  const at = (t: number) => clock.advance(t - clock.now().getTime());
  at(model.dayStart(0));
  const devices = await Promise.all(Array.from({ length: model.size }, (_, i) => s.devices.ensureDevice(`person-${i}-${config.seed}`, clock.now())));
  const run: EpidemicRun = { model, devices, cases: new Map(), warnings: new Map(), end: model.dayStart(days) };
  const settle = async () => {
    for (let round = 0; round < 1000; round++) if ((await backend.consumeOnce()) + (await backend.traceOnce()) === 0) return;
    throw new Error('the consumers did not settle');
  };
  const purge = makePurgeExpiredData(s);
  const prof = ((globalThis as Record<string, unknown>).__prof ?? {}) as Record<string, number>;
  const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await f();
    } finally {
      prof[name] = (prof[name] ?? 0) + Date.now() - t0;
    }
  };
  for (let day = 0; day < days; day++) {
    const start = model.dayStart(day);
    model.startPhases(day);
    at(start + 7 * HOUR);
    const reports = model.reportsOn(day);
    for (const infection of reports) {
      const caseId = await report(s, clock, devices[infection.person]!, new Date(infection.onset));
      run.cases.set(infection.person, [...(run.cases.get(infection.person) ?? []), caseId]);
    }
    await timed('settleReports', settle);
    if (reports.length > 0 || model.isActive(day) || model.isActive(day - 1)) {
      at(start + 7.5 * HOUR);
      await timed('read', () => readWarnings(s, clock, model, devices, run.warnings));
    }
    if (model.isActive(day)) {
      const meetings = await timed('model', async () => model.meetingsOf(day));
      at(start + 22 * HOUR);
      await timed('upload', () => upload(s, clock, devices, meetings));
      await timed('settle', settle);
    }
    at(start + 23 * HOUR);
    await timed('derive', () => deriveRecords(analyticsJobDeps(s), new Date(start)));
    await timed('purge', purge);
  }
  // The warnings still held, as they ended (a raise after the last read).
  const person = new Map(devices.map((d, i) => [d.number, i]));
  for await (const page of s.ledger.allNotifications()) for (const w of page) run.warnings.set(w.id, seenWarning(person.get(w.device)!, w));
  at(run.end);
  return run;
}

function seenWarning(person: number, w: { degree: number; exposedAt: Date; issuedAt: Date; updatedAt?: Date | undefined }): SeenWarning {
  return { person, degree: w.degree, exposedAt: w.exposedAt.getTime(), issuedAt: w.issuedAt.getTime(), raisedAt: w.updatedAt?.getTime() };
}

async function report(s: BackendServices, clock: TestClock, device: Device, onset: Date): Promise<string> {
  const { code } = await issueVerificationCode({ reports: s.reports, ttlMs: s.config.verificationCodeTtlMs, clock: clock.now }, 'official');
  const { caseId } = await reportInfection({ reports: s.reports, policy: s.config.exposurePolicy, clock: clock.now }, device, code, onset);
  return caseId;
}

async function readWarnings(s: BackendServices, clock: TestClock, model: EpidemicModel, devices: readonly Device[], seen: Map<string, SeenWarning>): Promise<void> {
  // In a fixed order (stores list a device's warnings in their own): the model draws who acknowledges
  // and who isolates in reading order, and the scenario must replay alike on every run and backend.
  const byExposure = (a: { exposedAt: Date; issuedAt: Date; degree: number }, b: typeof a) => a.exposedAt.getTime() - b.exposedAt.getTime() || a.issuedAt.getTime() - b.issuedAt.getTime() || a.degree - b.degree;
  for (const [person, device] of devices.entries()) {
    for (const warning of (await s.ledger.notificationsFor(device.number)).sort(byExposure)) {
      const known = seen.has(warning.id);
      seen.set(warning.id, seenWarning(person, warning));
      if (known) continue;
      const { acknowledged } = model.warned(person, { id: warning.id, exposedAt: warning.exposedAt.getTime() }, clock.now().getTime());
      if (acknowledged) await acknowledgeNotification({ ledger: s.ledger, clock: clock.now }, device, warning.id);
    }
  }
}

/** Each side of each meeting reports the other's tokens, one observation per token window, in batches of 50. */
async function upload(s: BackendServices, clock: TestClock, devices: readonly Device[], meetings: readonly Meeting[]): Promise<void> {
  const byReporter = new Map<number, { token: string; firstSeen: Date; lastSeen: Date; rssi: number; location: { lat: number; lon: number } }[]>();
  const ttl = s.config.tokenTtlMinutes;
  for (const m of meetings) {
    for (const [reporter, advertiser] of [
      [m.a, m.b],
      [m.b, m.a],
    ] as const) {
      for (let from = m.start; from < m.end; ) {
        const window = windowContaining(new Date(from), ttl);
        const until = Math.min(m.end, windowEnd(window).getTime());
        const token = encodeToken(s.cipher.issue(devices[advertiser]!.number, window));
        const list = byReporter.get(reporter) ?? [];
        list.push({ token, firstSeen: new Date(from), lastSeen: new Date(until), rssi: m.rssi, location: m.place });
        byReporter.set(reporter, list);
        from = until;
      }
    }
  }
  const deps = { queue: s.queue, cipher: s.cipher, rules: s.config.sightingRules, clock: clock.now };
  // Phones upload at once, as they would: the queue takes them in group commits.
  await Promise.all(
    [...byReporter].flatMap(([reporter, observations]) =>
      Array.from({ length: Math.ceil(observations.length / 50) }, (_, i) => acceptContactBatch(deps, devices[reporter]!, randomUUID(), observations.slice(i * 50, (i + 1) * 50))),
    ),
  );
}
