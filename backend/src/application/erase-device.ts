import type { Device } from '../domain/device.js';
import type { TokenCipher } from '../domain/tokens/token-cipher.js';
import type { ContactQueue } from '../ports/contact-queue.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { DeviceDirectory } from '../ports/device-directory.js';
import type { ExposureLedger } from '../ports/exposure-ledger.js';
import type { Identity } from '../ports/identity.js';
import type { InfectionReports } from '../ports/infection-reports.js';
import type { RefreshTokenFamilies } from '../ports/refresh-token-families.js';
import type { TokenFlags } from '../ports/token-flags.js';
import type { TokenRegistry } from '../ports/token-registry.js';
import type { TracingOutbox } from '../ports/tracing-outbox.js';
import type { AnalyticsStore } from '../ports/analytics-store.js';
import type { PseudonymKeys } from '../ports/pseudonym-keys.js';
import { forgetDeviceAnalytics } from './analytics/forget-device-analytics.js';
import type { Clock } from './clock.js';
import { contactBatchMessageSchema } from './contact-batch-message.js';
import { decryptTokens } from '../domain/contacts/resolve-observations.js';

export interface EraseDeviceDeps {
  tokens: TokenRegistry;
  contacts: ContactStore;
  ledger: ExposureLedger;
  reports: InfectionReports;
  outbox: TracingOutbox;
  tokenFlags: TokenFlags;
  /** The analytics records, found through the device's pseudonyms under every key still held. */
  analytics: { store: AnalyticsStore; keys: PseudonymKeys };
  queue: ContactQueue;
  devices: DeviceDirectory;
  identity: Identity;
  refreshFamilies: RefreshTokenFamilies;
  cipher: TokenCipher;
  /** How long the subject stays marked erased: the longest an access token of it can still be valid. */
  subjectMarkerMs: number;
  clock: Clock;
}

export interface Erased {
  tokens: number;
  contacts: number;
  notifications: number;
  cases: number;
  queuedMessages: number;
  analyticsRecords: number;
}

/**
 * Removes every copy of a device's data. First its number is marked erased, so that from then on
 * no consumer stores a contact of it (they check after writing and delete what they wrote) and
 * its tokens still in the air or in queued batches resolve to nothing; then every store is
 * cleared; last its sessions (refresh-token families), the identity and the device itself go. Each step is idempotent and the device
 * stays able to call this again until the last step, so a failure halfway is retried, not stuck.
 */
export async function eraseDevice(deps: EraseDeviceDeps, device: Device): Promise<Erased> {
  const now = deps.clock();
  await deps.devices.beginErasure(device, now);
  const [tokens, contacts, notifications, cases, queuedMessages, , , analyticsRecords] = await Promise.all([
    deps.tokens.deleteFor(device.number),
    deps.contacts.deleteFor(device.number),
    deps.ledger.deleteFor(device.number),
    deps.reports.deleteFor(device.number),
    deps.queue.forgetReporter(device.number, (body) => withoutObservationsOf(deps.cipher, device.number, body)),
    deps.outbox.deleteFor(device.number),
    deps.tokenFlags.deleteFor(device.number),
    forgetDeviceAnalytics({ analytics: deps.analytics.store, keys: deps.analytics.keys }, device.number),
  ]);
  await deps.refreshFamilies.deleteAllOf(device.subject);
  await deps.identity.deleteUser(device.subject);
  await deps.devices.completeErasure(device, now, deps.subjectMarkerMs);
  return { tokens, contacts, notifications, cases, queuedMessages, analyticsRecords };
}

/** Another reporter's dead-lettered batch, without the observations of the device's tokens; undefined when it has none. */
function withoutObservationsOf(cipher: TokenCipher, device: number, body: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = contactBatchMessageSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const observations = parsed.data.batch.observations;
  const devices = decryptTokens(observations, cipher).map((t) => t?.device);
  if (!devices.includes(device)) return undefined;
  const raw = json as { batch: { observations: unknown[] } };
  return JSON.stringify({ ...raw, batch: { ...raw.batch, observations: raw.batch.observations.filter((_, i) => devices[i] !== device) } });
}
