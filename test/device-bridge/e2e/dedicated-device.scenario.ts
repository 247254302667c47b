import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/api-client.js';
import { VirtualAir } from '../../support/virtual-hci/virtual-air.js';
import { BridgeSecrets } from '../../../device-bridge/src/store/bridge-secrets.js';
import { BridgeProcess, runProvision, testKeyFile } from '../support/bridge-process.js';

const OFFICIAL = '+15550139999';
const OWNER = '+15550137777';
const FAST = ['--status-interval', '300ms', '--observation-idle', '2s', '--flush-max-age', '1s', '--sweep-interval', '250ms', '--checkpoint-interval', '500ms', '--hci-adv-interval', '100ms', '--log-level', 'debug'];

/** `npm start`'s program on one backend, as the scenario needs it. */
export interface ScenarioBackend {
  url: string;
  /** Every line the server logged so far. */
  logs: string[];
  /** Everything the backend stores (every table, every document), as text, to search for personal data. */
  storedText(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The whole relay story on the virtual air, real processes throughout: a dedicated device (the
 * firmware model, real bleno/noble) is provisioned for its owner, meets a phone-like bridge, later
 * comes into range of a relaying bridge, which collects its batches over GATT and delivers them;
 * the backend stores them as contacts; the bridge's owner reports an infection and the dedicated
 * device's owner gets the SMS. Run on the embedded stack and on the AWS adapters.
 */
export function describeDedicatedDeviceRelay(name: string, startBackend: (env: Record<string, string>) => Promise<ScenarioBackend>): void {
  describe(name, { timeout: 180_000 }, () => {
    let server: ScenarioBackend;
    let air: VirtualAir;
    let root: string;
    const processes: BridgeProcess[] = [];
    let device: BridgeProcess;
    let phone: BridgeProcess;
    let relay: BridgeProcess;

    const hci = (name: string) => ['--radio', 'hci', '--hci-scan-uart', air.path(`${name}-scan`), '--hci-adv-uart', air.path(`${name}-adv`)];
    const started = (p: BridgeProcess) => (processes.push(p), p);
    // One session: a second sign-in within the same 30-second step would reuse a TOTP code, which is refused.
    let officialSession: ReturnType<ApiClient['signInOfficial']> | undefined;
    const signInOfficial = () => (officialSession ??= new ApiClient(server.url).signInOfficial(OFFICIAL));
    const held = () => (device.last as unknown as { held?: number } | undefined)?.held;

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'dedicated-e2e-'));
      // Half a minute together at any range exposes here (one weighted minute, each minute weighing
      // 2.5), so that the scenario stays short.
      server = await startBackend({ OFFICIAL_PHONE_NUMBERS: OFFICIAL, EXPOSURE_MIN_MINUTES: '1', ATTENUATION_WEIGHTS: '2.5,2.5,2.5,2.5', UNKNOWN_SIGNAL_WEIGHT: '2.5' });
      air = await VirtualAir.startHosts([
        { name: 'dev', position: { x: 0, y: 0 } },
        { name: 'phone', position: { x: 2, y: 0 } },
        { name: 'relay', position: { x: 1_000, y: 0 } }, // out of range until it walks in
      ]);
    });

    afterAll(async () => {
      await Promise.all(processes.map((p) => p.kill()));
      await air?.stop();
      await server?.stop();
      rmSync(root, { recursive: true, force: true });
    });

    it('provisions the device through a bridge: owner verified by SMS code, key pair, token bundle, backend keys', async () => {
      const { code, result, stderr } = await runProvision([
        '--api', server.url, '--data-dir', join(root, 'dev'), '--credentials-dir', join(root, 'provisioner'), '--phone', '+15550130001', '--owner-phone', OWNER,
      ]);
      expect(code, stderr).toBe(0);
      expect(result).toMatchObject({ deviceId: expect.any(String), windows: 32 }); // 4 days of 3-hour windows
      const file = JSON.parse(readFileSync(join(root, 'dev', 'provisioning.json'), 'utf8'));
      expect(file.tokens).toHaveLength(32);
      expect(JSON.stringify(file)).not.toContain(OWNER);
    });

    it('the device meets a phone-like bridge: both see each other; the device seals batches and holds them, with no network', async () => {
      device = started(new BridgeProcess('device', ['--mode', 'dedicated', '--data-dir', join(root, 'dev'), ...hci('dev'), ...FAST]));
      phone = started(new BridgeProcess('phone', ['--api', server.url, '--phone', '+15550130002', '--data-dir', join(root, 'phone'), '--relay', 'off', ...hci('phone'), ...FAST]));
      await phone.waitFor('the phone to see the device', () => phone.last && phone.last.cached >= 1, 40_000);
      await device.waitFor('the device to see the phone', () => device.last && device.last.cached >= 1, 40_000);
      // The encounter itself: the two stay together for half a minute of real time (the exposure threshold above).
      await new Promise((r) => setTimeout(r, 30_000));
      // The device walks away: both finish their observation; the device seals and holds it.
      air.controller('dev-adv').position.x = -500;
      air.controller('dev-scan').position.x = -500;
      await device.waitFor('a held batch', () => (held() ?? 0) >= 1, 30_000);
      await phone.waitFor('the phone upload', () => phone.logs.some((l) => l.message === 'batch uploaded'), 30_000);
    });

    it('later a relaying bridge comes into range, collects the batches over GATT and writes back the backend ack', async () => {
      relay = started(new BridgeProcess('relay', ['--api', server.url, '--phone', '+15550130003', '--data-dir', join(root, 'relay'), ...hci('relay'), ...FAST]));
      await relay.waitFor('relay started', () => relay.last !== undefined, 40_000);
      for (const id of ['relay-scan', 'relay-adv']) air.controller(id).position.x = -497;
      const session = await relay.waitFor('a relay session', () => relay.logs.find((l) => l.message === 'relay session' && (l.accepted as number) >= 1), 40_000);
      expect(session.ackWritten).toBe(true);
      await device.waitFor('the store freed', () => held() === 0, 20_000);
      expect(device.logs.some((l) => l.message === 'batches acknowledged by the backend')).toBe(true);
    });

    it('the backend stores the relayed observations as contacts of the device, and officials see the delivery without identities', async () => {
      const { client: official } = await signInOfficial();
      let stats = (await official.request('GET', '/v1/admin/stats')).body;
      for (let i = 0; i < 50 && stats.queue.backlog + stats.queue.inFlight > 0; i++) {
        await new Promise((r) => setTimeout(r, 200));
        stats = (await official.request('GET', '/v1/admin/stats')).body;
      }
      expect(stats.contactsStored).toBeGreaterThanOrEqual(1);
      const ops = (await official.request('GET', '/v1/admin/relay-operations')).body;
      expect(ops.relays).toEqual([expect.objectContaining({ delivered: expect.any(Number) })]);
      expect(ops.relays[0].delivered).toBeGreaterThanOrEqual(1);
      expect(ops.devices).toEqual([expect.objectContaining({ highestSeq: ops.relays[0].delivered, gaps: 0, lastDeliveryAt: expect.any(String) })]);
      const file = JSON.parse(readFileSync(join(root, 'dev', 'provisioning.json'), 'utf8'));
      expect(JSON.stringify(ops)).not.toContain(file.deviceId);
    });

    it("when the phone's owner reports an infection, the device's owner gets the SMS, and the number is nowhere but sealed", async () => {
      const { client: official } = await signInOfficial();
      const code = (await official.request('POST', '/v1/admin/verification-codes', {})).body.code;
      const phoneDir = join(root, 'phone');
      const phoneToken = new BridgeSecrets(phoneDir, testKeyFile(['--data-dir', phoneDir])).session.load()!.accessToken;
      const reported = await new ApiClient(server.url, phoneToken).request('POST', '/v1/infections', { verificationCode: code });
      expect(reported).toMatchObject({ status: 202, body: { tracing: 'queued' } }); // warnings follow from the tracer
      const sms = await waitForLog(server, (l) => l.message === 'SMS (local stack: not sent)' && String(l.text).includes('contact-tracing device'));
      expect(sms.to).toBe('+15***77');
      const stored = await server.storedText();
      expect(stored.length).toBeGreaterThan(1_000);
      expect(stored).not.toContain(OWNER.slice(1));
    });
  });
}

async function waitForLog(server: ScenarioBackend, match: (l: Record<string, unknown>) => boolean, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    for (const line of server.logs) {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (match(parsed)) return parsed;
      } catch {
        // not JSON
      }
    }
    if (Date.now() > end) throw new Error('timed out waiting for the server log line');
    await new Promise((r) => setTimeout(r, 100));
  }
}
