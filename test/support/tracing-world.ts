import { randomUUID } from 'node:crypto';
import { acceptContactBatch } from '../../backend/src/application/accept-contact-batch.js';
import { issueVerificationCode } from '../../backend/src/application/issue-verification-code.js';
import { reportInfection } from '../../backend/src/application/report-infection.js';
import type { BackendServices } from '../../backend/src/composition/backend-services.js';
import type { Device } from '../../backend/src/domain/device.js';
import type { ExposureNotification } from '../../backend/src/domain/exposure/notification.js';
import { encodeToken } from '../../backend/src/domain/tokens/token-encoding.js';
import { windowContaining } from '../../backend/src/domain/tokens/token-window.js';
import { createEmbeddedServices } from '../../backend/src/composition/embedded.js';
import { createLogger } from '../../backend/src/composition/logger.js';
import { loadBackendConfig } from '../../backend/src/config/backend-config.js';
import { makeProcessContactBatches } from '../../backend/src/handlers/process-contact-batches.js';
import { makeTraceExposures } from '../../backend/src/handlers/trace-exposures.js';
import { OutboxPoller } from '../../backend/src/local/outbox-poller.js';
import { QueuePoller } from '../../backend/src/local/queue-poller.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIN } from './builders.js';
import type { TestClock } from './embedded-services.js';
import type { WarningChannel } from '../../backend/src/ports/warning-channel.js';

/** A backend under test with the two consumers run by hand: the contact queue's and the tracer's. */
export interface WorldBackend {
  services: BackendServices;
  /** Processes what waits on the contact queue; returns how many messages. */
  consumeOnce(): Promise<number>;
  /** Runs what waits on the tracing outbox; returns how many tasks. */
  traceOnce(): Promise<number>;
  close(): Promise<void>;
}

export interface Sighting {
  /** Whose token was heard. */
  of: string;
  /** Minutes before the clock's now. */
  from: number;
  to: number;
  rssi?: number;
  rssiMean?: number;
  /** Where the reporter heard it. */
  location?: { lat: number; lon: number };
}

/**
 * A small world of named devices on a backend, with the clock the test moves: upload sightings
 * (tokens are issued for the window of each sighting), report infections, let both consumers run
 * until nothing waits, read warnings. What it shows comes from the stores, as a device would see it.
 */
export class TracingWorld {
  private readonly devices: Map<string, Device>;

  /** `sharing`: another world on the same stores whose named devices this one uses too. */
  constructor(
    readonly backend: WorldBackend,
    private readonly clock: TestClock,
    sharing?: TracingWorld,
  ) {
    this.devices = sharing ? sharing.devices : new Map();
  }

  get services(): BackendServices {
    return this.backend.services;
  }

  async device(name: string): Promise<Device> {
    let device = this.devices.get(name);
    if (!device) {
      device = await this.services.devices.ensureDevice(`subject-${name}-${randomUUID()}`, this.clock.now());
      this.devices.set(name, device);
    }
    return device;
  }

  async tokenOf(name: string, at: Date): Promise<string> {
    const device = await this.device(name);
    return encodeToken(this.services.cipher.issue(device.number, windowContaining(at, this.services.config.tokenTtlMinutes)));
  }

  /** `reporter` uploads what it heard, one batch; returns the accepted batch. */
  async upload(reporter: string, sightings: readonly Sighting[], batchId: string = randomUUID()) {
    const now = this.clock.now().getTime();
    const observations = await Promise.all(
      sightings.map(async (s) => {
        const firstSeen = new Date(now - s.from * MIN);
        return { token: await this.tokenOf(s.of, firstSeen), firstSeen, lastSeen: new Date(now - s.to * MIN), rssi: s.rssi ?? -60, rssiMean: s.rssiMean, ...(s.location ? { location: s.location } : {}) };
      }),
    );
    const s = this.services;
    return acceptContactBatch({ queue: s.queue, cipher: s.cipher, rules: s.config.sightingRules, clock: this.clock.now }, await this.device(reporter), batchId, observations);
  }

  /** An official issues a code, and `name` reports a positive test with it; returns the case id. */
  async report(name: string, symptomOnset?: Date): Promise<string> {
    const s = this.services;
    const { code } = await issueVerificationCode({ reports: s.reports, ttlMs: s.config.verificationCodeTtlMs, clock: this.clock.now }, 'official');
    const { caseId } = await reportInfection({ reports: s.reports, policy: s.config.exposurePolicy, clock: this.clock.now }, await this.device(name), code, symptomOnset);
    return caseId;
  }

  /** Runs both consumers until neither finds work. */
  async settle(): Promise<void> {
    for (let rounds = 0; rounds < 1000; rounds++) {
      const handled = (await this.backend.consumeOnce()) + (await this.backend.traceOnce());
      if (handled === 0) return;
    }
    throw new Error('the consumers did not settle in 1000 rounds');
  }

  async warnings(name: string): Promise<ExposureNotification[]> {
    return this.services.ledger.notificationsFor((await this.device(name)).number);
  }

  /** name → degree of its one warning (for one case), for the devices that have one. */
  async degrees(names: readonly string[]): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const name of names) {
      const warnings = await this.warnings(name);
      if (warnings.length > 1) throw new Error(`${name} holds ${warnings.length} warnings`);
      if (warnings[0]) out[name] = warnings[0].degree;
    }
    return out;
  }
}

/** The embedded backend on a temp directory, its consumers run by hand. */
export async function embeddedWorldBackend(
  clock: TestClock,
  env: Record<string, string> = {},
  options: { dataDir?: string; channel?: WarningChannel } = {},
): Promise<WorldBackend & { dataDir: string }> {
  const { dataDir } = options;
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'proxitrace-world-'));
  const config = loadBackendConfig({ DATA_DIR: dir, LOG_LEVEL: 'SILENT', ...env });
  const services = await createEmbeddedServices(config, createLogger(config), clock.now);
  if (options.channel) services.channel = options.channel;
  const logger = services.logger;
  const queue = new QueuePoller({ queue: services.embeddedQueue, handler: makeProcessContactBatches(services), batchSize: 100, idleDelayMs: 10, logger });
  const tracer = new OutboxPoller({ outbox: services.embeddedOutbox, handler: makeTraceExposures(services), batchSize: 100, idleDelayMs: 10, logger });
  return {
    services,
    dataDir: dir,
    consumeOnce: () => queue.pollOnce(),
    traceOnce: () => tracer.pollOnce(),
    close: async () => {
      await services.close();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
