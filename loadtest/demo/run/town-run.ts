import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { JsonApi } from '../api/json-api.js';
import { OfficialDesk, type BackendStats, type RelayOperations } from '../api/official-desk.js';
import { startBackendThread, type BackendHandle } from '../backend/backend-handle.js';
import type { CaseExplanation } from '../backend/case-explanation.js';
import type { OfficialsReportWritten } from '../backend/officials-report-file.js';
import type { StoredWarning } from '../backend/store-inspector.js';
import { DedicatedCarrier } from '../air/dedicated-carrier.js';
import { InFlight } from '../air/in-flight.js';
import { Phone } from '../air/phone.js';
import { TownAir } from '../air/town-air.js';
import { OFFICIAL_NUMBER } from '../town/population.js';
import { Random } from '../town/random.js';
import { MINUTE_MS, type Town } from '../town/town-model.js';
import { ClockHolds } from '../time/clock-holds.js';
import { SharedClock } from '../time/shared-clock.js';
import { newLiveState, type LiveState, type WarningLine } from './live-state.js';

export interface TownRunOptions {
  town: Town;
  /** The backend's whole environment (demoBackendEnv). */
  env: Record<string, string>;
  /** BACKEND=aws: Cognito's tokens carry wall-clock times. */
  identityOnWallClock: boolean;
  /** Simulated time per real time, or as fast as the machine goes. */
  speed: number | 'max';
  /** Where the backend's log and data go. */
  runDir: string;
  label: string;
  signal?: AbortSignal | undefined;
  onState?: ((state: LiveState) => void) | undefined;
}

/** What the run found, all of it read from the API and the stores at the end. */
export interface TownRunResult {
  state: LiveState;
  /** Per phone person: the notifications GET /v1/notifications returned at the end. */
  phoneNotifications: Map<number, { id: string; degree: number; probability: number; exposedAt: string }[]>;
  /** Per device carrier: the warnings the ledger holds (with their case). */
  storedWarnings: Map<number, StoredWarning[]>;
  explanations: CaseExplanation[];
  stats: BackendStats;
  relayOperations: RelayOperations;
  tokenFlags: number;
  /** The analytics job over the town's days and the officials' report it feeds (undefined when stopped early). */
  officialsReport: OfficialsReportWritten | undefined;
  deviceOf: Map<number, number>;
  personOf: Map<number, number>;
  /** Backend log lines at ERROR, client calls that failed or were refused, dead letters (relay sessions that could not connect are radio events, counted in the state). */
  errors: { backendLog: number; lastBackendErrors: string[]; clientFailures: number; deadLetters: number };
  wallMs: number;
  aborted: boolean;
  /** The API and stores stay up until this is called (tests check the claims against them). */
  phones: Map<number, Phone>;
  backendUrl: string;
  close(): Promise<void>;
}

const POLL_EVERY_MINUTES = 240;
const STATS_EVERY_MINUTES = 30;
const EXPLAIN_EVERY_MINUTES = 60;
/** Calls in flight before a step waits for them (the backend keeps up, or the town slows down). */
const MAX_IN_FLIGHT = 64;

/**
 * One run of the town on the real stack: the backend in its own thread on the town's clock; a
 * phone (the bridge core, the app's calls) or a dedicated device for each person who carries one,
 * on the simulated air; the official issuing verification codes. Each simulated minute: people
 * move, devices rotate and sweep, one advertising event goes out, due reports and app polls are
 * made, and the step ends once every call it started has been answered.
 */
export async function runTown(options: TownRunOptions): Promise<TownRunResult> {
  const { town } = options;
  const wallStart = Date.now();
  const state = newLiveState(options.label, town.start, town.minutes, options.speed);
  const phones = new Map<number, Phone>();
  const dedicated = new Map<number, DedicatedCarrier>();
  let dedicatedRunning = true;
  const lastRelayErrors = new Set<string>();
  const inFlight = new InFlight();
  /** Relay sessions: a connected device does not advertise, so they end within their minute. */
  const relaying = new InFlight();
  let shownAt = 0;
  /** Tells the view, at most every 100 ms (counting the devices' figures is not free). */
  const show = (phase?: string) => {
    if (phase) state.phase = phase;
    if (!phase && Date.now() - shownAt < 100) return;
    shownAt = Date.now();
    countClients();
    options.onState?.(state);
  };
  mkdirSync(options.runDir, { recursive: true });
  const clock = new SharedClock();
  clock.set(town.start);
  const identityNow = options.identityOnWallClock ? Date.now : () => clock.now();

  show('starting the backend (the local stack, in its own thread)');
  const backend = await startBackendThread({ env: options.env, clock, identityOnWallClock: options.identityOnWallClock, logFile: join(options.runDir, 'backend.log') });
  const api = new JsonApi(backend.url);
  const holds = new ClockHolds(clock);
  const official = new OfficialDesk(api, OFFICIAL_NUMBER, identityNow, (signIn) => holds.hold(signIn));
  const air = new TownAir(town, Random.stream(town.seed, 'air'));
  const deviceOf = new Map<number, number>();
  const personOf = new Map<number, number>();
  const aborted = () => options.signal?.aborted === true;
  const close = async () => {
    await Promise.allSettled([...phones.values()].map((p) => p.bridge.tokens.stop()));
    await backend.stop();
  };

  try {
    state.people = town.people.length;
    state.phones = town.people.filter((p) => p.carries === 'phone').length;
    state.dedicated = town.people.filter((p) => p.carries === 'dedicated').length;
    state.unequipped = town.people.length - state.phones - state.dedicated;
    await official.stats();
    show(`signing in ${state.phones} phones by SMS, provisioning ${state.dedicated} dedicated devices`);
    await startDevices();
    if (!aborted()) await simulate();
    if (!aborted()) await closingTime();
    const result = aborted() ? undefined : await gatherFacts();
    show(aborted() ? 'stopped' : 'done');
    if (!result) {
      await close();
      return emptyResult();
    }
    return result;
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }

  async function startDevices(): Promise<void> {
    // One after another: each radio's address comes from the air's stream in a fixed order.
    for (const person of town.people) {
      if (aborted()) return;
      if (person.carries !== 'phone') continue;
      const phone = new Phone({
        person,
        radio: air.radioOf(person.id),
        baseUrl: backend.url,
        now: () => clock.now(),
        identityNow,
        random: Random.stream(town.seed, `device ${person.id}`).next,
        inFlight,
        relaying,
      });
      await phone.start();
      phones.set(person.id, phone);
      await register(person.id, phone.auth.deviceId!);
      state.started++;
      show();
    }
    for (const person of town.people) {
      if (aborted() || person.carries !== 'dedicated') continue;
      const via = [...phones.values()].find((p) => p.person.household === person.household)!;
      const carrier = await DedicatedCarrier.provision(person, via, air.radioOf(person.id), () => clock.now(), Random.stream(town.seed, `device ${person.id}`).next);
      await carrier.start();
      dedicated.set(person.id, carrier);
      await register(person.id, carrier.subject);
      state.started++;
      show();
    }
    await inFlight.settled();
  }

  async function register(person: number, subject: string): Promise<void> {
    const number = await backend.inspect.deviceNumber(subject);
    if (number === undefined) throw new Error(`the backend does not know the device of person ${person}`);
    deviceOf.set(person, number);
    personOf.set(number, person);
  }

  async function simulate(): Promise<void> {
    show(`simulating ${town.minutes / 1440} days`);
    await inFlight.settled();
    const reports = [...town.cases];
    const windowMinutes = Number(options.env.TOKEN_TTL_MINUTES ?? 180);
    let explaining: Promise<unknown> | undefined;
    let sampling: Promise<unknown> | undefined;
    const devices = [...town.people.filter((p) => phones.has(p.id) || dedicated.has(p.id)).map((p) => phones.get(p.id) ?? dedicated.get(p.id)!)];
    const paceStart = Date.now();
    for (let minute = 0; minute < town.minutes && !aborted(); minute++) {
      const now = town.start + minute * MINUTE_MS;
      await holds.moveTo(now);
      state.minute = minute;
      air.moveTo(minute);
      await Promise.all(devices.map((d) => d.step(now)));
      air.tick();
      if (relaying.size > 0) await relaying.settled();
      while (reports[0] && reports[0].reportAt === minute) await report(reports.shift()!, now);
      for (const [id, phone] of phones) if ((minute + id * 37) % POLL_EVERY_MINUTES === 0) void poll(phone, now);
      // Counted with the devices' calls (a failure fails the run, it is never left unhandled).
      if (minute % STATS_EVERY_MINUTES === 0) sampling ??= inFlight.track(sample(minute)).catch(() => {}).finally(() => (sampling = undefined));
      if (minute % EXPLAIN_EVERY_MINUTES === 0 && state.cases.length > 0) explaining ??= inFlight.track(explain()).catch(() => {}).finally(() => (explaining = undefined));
      // Calls may run across minutes (the backend takes what arrives late just the same), but
      // every token fetch is answered before the next window begins, and never too many wait.
      if ((minute + 1) % windowMinutes === 0 || inFlight.size > MAX_IN_FLIGHT) await inFlight.settled();
      show();
      if (options.speed !== 'max') {
        const due = paceStart + ((minute + 1) * MINUTE_MS) / options.speed;
        const wait = due - Date.now();
        if (wait > 0) await sleep(wait);
      }
    }
    await explaining;
    await sampling;
  }

  async function report(c: Town['cases'][number], now: number): Promise<void> {
    const phone = phones.get(c.person)!;
    const code = await official.issueVerificationCode();
    const onset = town.start + c.onsetAt * MINUTE_MS;
    const caseId = await phone.reportInfection(code, new Date(onset));
    state.cases.push({ caseIndex: town.cases.indexOf(c), person: c.person, name: phone.person.name, caseId, reportedAt: now, symptomOnset: onset });
  }

  async function poll(phone: Phone, now: number): Promise<void> {
    const notifications = await phone.notifications();
    const stored = notifications.length > 0 ? (await backend.inspect.warningsOf([deviceOf.get(phone.person.id)!]))[deviceOf.get(phone.person.id)!] ?? [] : [];
    for (const n of notifications) {
      const line = state.warnings.find((w) => w.notificationId === n.id);
      if (line) {
        if (n.degree < line.degree) Object.assign(line, { degree: n.degree, probability: n.probability, exposedAt: Date.parse(n.exposedAt), raisedAt: now });
        continue;
      }
      const caseId = stored.find((s) => s.id === n.id)?.caseId ?? '?';
      state.warnings.push({ person: phone.person.id, name: phone.person.name, carries: 'phone', notificationId: n.id, caseId, degree: n.degree, probability: n.probability, exposedAt: Date.parse(n.exposedAt), seenAt: now });
    }
  }

  async function pollDedicated(now: number): Promise<void> {
    const numbers = [...dedicated.keys()].map((p) => deviceOf.get(p)!);
    const stored = await backend.inspect.warningsOf(numbers);
    for (const [person, carrier] of dedicated) {
      for (const w of stored[deviceOf.get(person)!] ?? []) {
        const line = state.warnings.find((l) => l.notificationId === w.id);
        if (line) {
          if (w.degree < line.degree) Object.assign(line, { degree: w.degree, probability: w.probability, exposedAt: w.exposedAt, raisedAt: now });
          continue;
        }
        state.warnings.push({ person, name: carrier.person.name, carries: 'dedicated', notificationId: w.id, caseId: w.caseId, degree: w.degree, probability: w.probability, exposedAt: w.exposedAt, seenAt: now });
      }
    }
  }

  async function sample(minute: number): Promise<void> {
    const stats = await official.stats();
    state.backend = stats;
    state.backendErrors = backend.logs.error;
    const warnedByDegree: Record<number, number> = {};
    for (const w of state.warnings) warnedByDegree[w.degree] = (warnedByDegree[w.degree] ?? 0) + 1;
    state.timeline.push({ minute, contactsStored: stats.contactsStored, observationsProcessed: stats.observationsProcessed, cases: stats.cases, notifications: stats.notifications, warnedByDegree });
    if (dedicated.size > 0) await pollDedicated(town.start + minute * MINUTE_MS);
    state.ownerSms = (await official.relayOperations()).ownerAlerts.sent;
  }

  async function explain(): Promise<CaseExplanation[]> {
    const explanations: CaseExplanation[] = [];
    for (const c of state.cases) explanations.push(await backend.inspect.explainCase(c.caseId, deviceOf.get(c.person)!));
    applyExplanations(state.warnings, explanations);
    state.cutOff = explanations.reduce((n, e) => n + e.cutOff.length, 0);
    state.nearMisses = explanations.reduce((n, e) => n + e.nearMisses.length, 0);
    return explanations;
  }

  function applyExplanations(lines: WarningLine[], explanations: readonly CaseExplanation[]): void {
    for (const e of explanations) {
      for (const w of e.warned) {
        const person = personOf.get(w.device);
        const line = lines.find((l) => l.person === person && l.caseId === e.caseId);
        if (!line) continue;
        const sourcePerson = w.source === undefined ? undefined : personOf.get(w.source);
        line.why = { source: sourcePerson, sourceName: sourcePerson === undefined ? undefined : town.people[sourcePerson]!.name, encounter: w.encounter };
      }
    }
  }

  function countClients(): void {
    const c = state.client;
    Object.assign(c, { tokenFetches: 0, rotations: 0, uploads: 0, observationsUploaded: 0, uploadRetries: 0, uploadsRefused: 0, relaySessions: 0, relayedBatches: 0, relayFailures: 0, sightings: 0 });
    for (const phone of phones.values()) {
      const t = phone.traffic;
      const stats = phone.bridge.stats();
      c.tokenFetches += t.tokenFetches;
      c.rotations += stats.rotations;
      c.sightings += stats.sightings;
      c.uploads += t.uploads;
      c.observationsUploaded += t.observationsUploaded;
      c.uploadRetries += t.uploadRetries;
      c.uploadsRefused += t.uploadsRefused;
      c.relaySessions += phone.relay.stats.sessions;
      c.relayedBatches += t.relayedBatches;
      c.relayFailures += phone.relay.stats.failedSessions;
      if (phone.relay.stats.lastError) lastRelayErrors.add(phone.relay.stats.lastError);
    }
    for (const carrier of dedicatedRunning ? dedicated.values() : []) {
      const stats = carrier.device.bridge.stats();
      c.rotations += stats.rotations;
      c.sightings += stats.sightings;
    }
    c.failedCalls = inFlight.failed;
  }

  /** Midnight after the last day: everything still open is batched, relayed and uploaded. */
  async function closingTime(): Promise<void> {
    show('closing time: devices flush, relays collect, the backend finishes');
    const end = town.start + town.minutes * MINUTE_MS;
    await holds.moveTo(end);
    state.minute = town.minutes;
    for (const carrier of dedicated.values()) carrier.flush(end);
    air.tick();
    await relaying.settled();
    await inFlight.settled();
    await Promise.all([...phones.values()].map((p) => p.stop()));
    await inFlight.settled();
    countClients();
    await Promise.all([...dedicated.values()].map((d) => d.stop()));
    dedicatedRunning = false;
    await backendIdle(official, backend);
    show();
  }

  async function gatherFacts(): Promise<TownRunResult> {
    show('reading what the API and the stores say');
    const now = town.start + town.minutes * MINUTE_MS;
    const phoneNotifications = new Map<number, { id: string; degree: number; probability: number; exposedAt: string }[]>();
    for (const [person, phone] of phones) {
      await poll(phone, now);
      phoneNotifications.set(person, await phone.notifications());
    }
    await pollDedicated(now);
    const stored = await backend.inspect.warningsOf([...deviceOf.values()]);
    const storedWarnings = new Map([...deviceOf].map(([person, device]) => [person, stored[device] ?? []]));
    const explanations = await explain();
    await sample(town.minutes);
    const stats = state.backend!;
    const relayOperations = await official.relayOperations();
    const tokenFlags = await official.tokenFlags();
    show('the analytics job over the days, then the officials\' report');
    const officialsReport = await backend.inspect.officialsReport(join(options.runDir, 'officials-report.html'), town.start);
    countClients();
    return {
      state,
      phoneNotifications,
      storedWarnings,
      explanations,
      stats,
      relayOperations,
      tokenFlags,
      officialsReport,
      deviceOf,
      personOf,
      errors: {
        backendLog: backend.logs.error,
        lastBackendErrors: backend.lastErrors,
        clientFailures: inFlight.failed + state.client.uploadsRefused,
        deadLetters: stats.queue.deadLettered + stats.tracing.deadLettered,
      },
      wallMs: Date.now() - wallStart,
      aborted: false,
      phones,
      backendUrl: backend.url,
      close,
    };
  }

  function emptyResult(): TownRunResult {
    return {
      state,
      phoneNotifications: new Map(),
      storedWarnings: new Map(),
      explanations: [],
      stats: state.backend!,
      relayOperations: { relays: [], devices: [], rejections: {}, ownerAlerts: { sent: 0, rateLimited: 0, failed: 0 } },
      tokenFlags: 0,
      officialsReport: undefined,
      deviceOf,
      personOf,
      errors: { backendLog: backend.logs.error, lastBackendErrors: backend.lastErrors, clientFailures: inFlight.failed, deadLetters: 0 },
      wallMs: Date.now() - wallStart,
      aborted: true,
      phones,
      backendUrl: backend.url,
      close: async () => {},
    };
  }
}

/**
 * Waits until the backend has consumed every batch and run every tracing task (its stats say
 * so). A condition, not a duration: it checks again after each short pause, up to a deadline far
 * beyond what the work takes, so a loaded machine only makes it wait longer.
 */
async function backendIdle(official: OfficialDesk, backend: BackendHandle, deadlineMs = 600_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const s = await official.stats();
    if (s.queue.backlog === 0 && s.queue.inFlight === 0 && s.tracing.waiting === 0) return;
    if (Date.now() > until) throw new Error(`the backend did not finish its work in ${deadlineMs / 1000} s (backlog ${s.queue.backlog}, tracing ${s.tracing.waiting}); see its log (${backend.logs.lines} lines)`);
    await sleep(50);
  }
}
