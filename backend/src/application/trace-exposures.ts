import { otherDevice, type Contact } from '../domain/contacts/contact.js';
import type { DeviceNumber } from '../domain/device.js';
import { exposureCausedBy } from '../domain/exposure/exposure.js';
import type { ExposurePolicy } from '../domain/exposure/exposure-policy.js';
import type { ExposureState } from '../domain/exposure/exposure-state.js';
import { relayedWindows } from '../domain/exposure/token-relay.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { ExposureLedger } from '../ports/exposure-ledger.js';
import type { TokenFlags } from '../ports/token-flags.js';
import type { TracingTask } from '../ports/tracing-outbox.js';
import type { WarningChannel } from '../ports/warning-channel.js';
import type { Clock } from './clock.js';

export interface TraceExposuresDeps {
  contacts: ContactStore;
  ledger: ExposureLedger;
  channel: WarningChannel;
  tokenFlags: TokenFlags;
  policy: ExposurePolicy;
  clock: Clock;
}

export type TaskOutcome = { ok: true; added: number } | { ok: false; error: unknown };

/**
 * The tracer: runs tasks from the tracing outbox. A `spread` task carries a new exposure state
 * over every stored contact of its device; a `pair` task re-judges two devices whose new
 * sightings arrived after one of them could pass exposure on. Either way the caused states go to
 * the ledger, which keeps only those that improve on what is known and queues the next `spread`
 * tasks and the warnings' `deliver` tasks in the same transaction. The result is the same fixpoint
 * whatever the order in which contacts, cases and tasks arrive: every device ends at the lowest
 * degree any qualifying chain gives it.
 *
 * Reads are shared by the invocation's tasks; each task then succeeds or fails on its own.
 */
export async function traceExposures(deps: TraceExposuresDeps, tasks: readonly TracingTask[]): Promise<TaskOutcome[]> {
  const now = deps.clock();
  const fetched = await prefetch(deps, tasks, now).then(
    (reads) => ({ reads }),
    (error: unknown) => ({ error }),
  );
  return Promise.all(
    tasks.map(async (task): Promise<TaskOutcome> => {
      if ('error' in fetched) return { ok: false, error: fetched.error };
      const { reads } = fetched;
      try {
        if (task.kind === 'deliver') {
          await deps.channel.deliver(task.event);
          return { ok: true, added: 0 };
        }
        const candidates = task.kind === 'spread' ? await spreadFrom(deps, task.state, reads, now) : await acrossPair(deps, task, reads, now);
        const { added } = await deps.ledger.record(candidates, deps.policy, now);
        return { ok: true, added: added.length };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );
}

interface Reads {
  /** Contacts of every device some task needs, by device. */
  contactsByDevice: Map<DeviceNumber, Contact[]>;
  /** States of the devices of the pair tasks. */
  statesByDevice: Map<DeviceNumber, ExposureState[]>;
}

async function prefetch(deps: TraceExposuresDeps, tasks: readonly TracingTask[], now: Date): Promise<Reads> {
  const lookbackStart = now.getTime() - deps.policy.lookbackMs;
  const spreads = tasks.flatMap((t) => (t.kind === 'spread' ? [t.state] : []));
  const pairDevices = [...new Set(tasks.flatMap((t) => (t.kind === 'pair' ? [t.low, t.high] : [])))];
  const devices = [...new Set([...spreads.map((s) => s.device), ...pairDevices])];
  // Pair tasks judge the whole lookback; a spread only what followed its exposure.
  const earliest = pairDevices.length > 0 ? lookbackStart : Math.min(...spreads.map((s) => s.exposedAt));
  const since = new Date(Math.max(lookbackStart, earliest));
  const [contacts, states] = await Promise.all([
    devices.length > 0 ? deps.contacts.contactsOf(devices, since) : Promise.resolve([]),
    pairDevices.length > 0 ? deps.ledger.statesOf(pairDevices) : Promise.resolve([]),
  ]);
  return { contactsByDevice: groupBy(contacts, (c) => [c.deviceLow, c.deviceHigh]), statesByDevice: groupBy(states, (s) => [s.device]) };
}

/** What `source` passes to each device it has contacts with. */
async function spreadFrom(deps: TraceExposuresDeps, source: ExposureState, reads: Reads, now: Date): Promise<ExposureState[]> {
  const contacts = reads.contactsByDevice.get(source.device) ?? [];
  const trusted = await withoutRelayedSightings(deps, source.device, contacts, now);
  const byOther = groupBy(trusted, (c) => [otherDevice(c, source.device)]);
  const caused: ExposureState[] = [];
  for (const [other, pairContacts] of byOther) {
    const exposure = exposureCausedBy(source, other, pairContacts.flatMap((c) => c.intervals), deps.policy, now);
    if (exposure) caused.push(exposure.state);
  }
  return caused;
}

/** What either device of the pair passes to the other, from every state it holds. */
async function acrossPair(deps: TraceExposuresDeps, pair: { low: DeviceNumber; high: DeviceNumber }, reads: Reads, now: Date): Promise<ExposureState[]> {
  const caused: ExposureState[] = [];
  for (const [from, to] of [
    [pair.low, pair.high],
    [pair.high, pair.low],
  ] as const) {
    const states = reads.statesByDevice.get(from) ?? [];
    if (states.length === 0) continue;
    const trusted = await withoutRelayedSightings(deps, from, reads.contactsByDevice.get(from) ?? [], now);
    const intervals = trusted.filter((c) => otherDevice(c, from) === to).flatMap((c) => c.intervals);
    for (const state of states) {
      const exposure = exposureCausedBy(state, to, intervals, deps.policy, now);
      if (exposure) caused.push(exposure.state);
    }
  }
  return caused;
}

/**
 * The source's contacts without what others heard of its token in windows where the token looks
 * relayed or replayed (too many listeners, or listeners too far apart): those sightings stay
 * stored for review, are flagged for officials, and warn nobody.
 */
async function withoutRelayedSightings(deps: TraceExposuresDeps, source: DeviceNumber, contacts: readonly Contact[], now: Date): Promise<Contact[]> {
  const relayed = relayedWindows(source, contacts, deps.policy.relay);
  if (relayed.length === 0) return [...contacts];
  await deps.tokenFlags.record(relayed.map((r) => ({ device: source, ...r, flaggedAt: now })));
  const windows = new Set(relayed.map((r) => r.windowStartMinute));
  return contacts.flatMap((c) => {
    if (!windows.has(c.windowStartMinute)) return [c];
    const heardByOther = c.deviceLow === source ? 'high' : 'low';
    const intervals = c.intervals.filter((i) => i.heardBy !== heardByOther);
    return intervals.length > 0 ? [{ ...c, intervals }] : [];
  });
}

function groupBy<T>(items: readonly T[], keys: (item: T) => readonly DeviceNumber[]): Map<DeviceNumber, T[]> {
  const map = new Map<DeviceNumber, T[]>();
  for (const item of items) {
    for (const key of new Set(keys(item))) {
      const list = map.get(key);
      if (list) list.push(item);
      else map.set(key, [item]);
    }
  }
  return map;
}
