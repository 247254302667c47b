import type { Clock } from '../../src/application/clock.js';
import { createEmbeddedServices, type EmbeddedServices } from '../../src/composition/embedded.js';
import { createLogger } from '../../src/composition/logger.js';
import { loadBackendConfig } from '../../src/config/backend-config.js';
import type { Device } from '../../src/domain/device.js';

/** What the bench's own connections and npm start's server are configured with: the defaults, on the bench's DATA_DIR. */
export function benchEnv(dataDir: string): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'WARN',
    // The bench signs its devices in through the local identity provider, which then echoes the code.
    DEV_SMS_ECHO: '1',
  };
}

export interface OpenOptions {
  clock?: Clock;
  /** The fill's connection: a larger page cache, and one transaction however long a group commit runs. */
  fill?: { cacheMb: number };
  onStatement?: (sql: string) => void;
}

/** The embedded composition as npm start builds it (its consumers are run by the bench, not started). */
export async function openServices(dataDir: string, options: OpenOptions = {}): Promise<EmbeddedServices> {
  const config = loadBackendConfig(benchEnv(dataDir));
  const services = await createEmbeddedServices(config, createLogger(config), options.clock, {
    ...(options.fill ? { maxTransactionMs: 3_600_000 } : {}),
    ...(options.onStatement ? { onStatement: options.onStatement } : {}),
  });
  if (options.fill) services.database.db.pragma(`cache_size = -${options.fill.cacheMb * 1024}`);
  return services;
}

export interface SignedIn {
  device: Device;
  accessToken: string;
}

/** A phone's sign-in as POST /v1/auth/sms and /verify do it: the same number is the same device again. */
export async function signIn(services: EmbeddedServices, phoneNumber: string): Promise<SignedIn> {
  const challenge = await services.identity.startSignIn(phoneNumber, 'device');
  if (!challenge.devCode) throw new Error('the local identity provider echoed no code (DEV_SMS_ECHO)');
  const grant = await services.identity.completeSignIn(challenge.challengeId, challenge.devCode);
  return { device: await services.devices.ensureDevice(grant.subject, services.clock()), accessToken: grant.accessToken };
}

/** Fictional numbers: +1 NPA 555 0100–0199, a hundred per area code. */
export function benchPhone(i: number): string {
  const areas = [202, 212, 303, 404, 505, 606, 707, 808, 909];
  const area = areas[Math.floor(i / 100)];
  if (area === undefined) throw new RangeError(`the bench has ${areas.length * 100} phone numbers`);
  return `+1${area}5550${100 + (i % 100)}`;
}

/** Stored contacts: count(*), as GET /v1/admin/stats counts them. */
export function countContacts(services: EmbeddedServices): number {
  return (services.database.read((db) => db.prepare('SELECT count(*) AS n FROM contacts').get()) as { n: number }).n;
}
