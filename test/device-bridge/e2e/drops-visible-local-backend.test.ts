import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAdvert } from '../../../device-bridge/src/ble/advert-codec.js';
import { DEFAULT_SERVICE_UUID } from '../../../device-bridge/src/ble/advert-layout.js';
import { silentLogger } from '../../../device-bridge/src/ports/logger.js';
import { SharedAirLink, sharedAirAddress } from '../../../device-bridge/src/radio/sim/shared-air.js';
import { SimAir } from '../../../device-bridge/src/radio/sim/sim-air.js';
import { ApiClient } from '../../support/api-client.js';
import { startLocalServer, type LocalServer } from '../../support/local-server.js';
import { BridgeProcess } from '../support/bridge-process.js';

const OFFICIAL = '+15550189998';

/**
 * A broken or forging advertiser next to a bridge: its tokens are ones no backend key verifies.
 * The backend accepts the batch (202) and keeps nothing of it; the bridge's operator must see that
 * (a warning naming the reason, the status line's `dropped`), as the official sees it in the stats.
 */
describe('observations the backend drops are visible at the bridge', { timeout: 150_000 }, () => {
  let server: LocalServer;
  let root: string;
  let bridge: BridgeProcess;
  const airName = `test-drops-${randomBytes(4).toString('hex')}`;
  const air = new SimAir();
  const link = new SharedAirLink(air, sharedAirAddress(airName), silentLogger);
  const forger = air.addRadio({ x: 2, y: 0 });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'bridge-drops-'));
    server = await startLocalServer({ env: { OFFICIAL_PHONE_NUMBERS: OFFICIAL } });
    await forger.start();
    await link.start();
    air.start(200);
    // A token the server never issued, advertised in our format.
    await forger.advertise(encodeAdvert({ serviceUuid: DEFAULT_SERVICE_UUID, token: randomBytes(16), txPower: 0, counter: 1 }));
  });
  afterAll(async () => {
    await bridge?.kill();
    air.stop();
    await link.close();
    await forger.close();
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('warns with the reason, counts it in the status, and the official sees the same drop', async () => {
    bridge = new BridgeProcess('bridge', [
      '--api', server.url, '--radio', 'sim', '--sim-air', airName, '--sim-position', '0,0', '--sim-peers', '0',
      '--phone', '+15550190101', '--data-dir', join(root, 'bridge'),
      '--status-interval', '300ms', '--observation-idle', '2s', '--observation-max', '10s', '--flush-max-age', '1s', '--sweep-interval', '250ms',
    ]);
    const warning = await bridge.waitFor(
      'the drop warning',
      () => bridge.logs.find((l) => l.level === 'WARN' && /^the backend dropped \d+ of \d+ observations$/.test(l.message)),
      90_000,
    );
    expect(warning.dropped).toMatchObject({ unknown_token: expect.any(Number) });
    expect(warning.why).toContain('unknown_token: tokens no backend key verifies');
    const status = await bridge.waitFor('a status with the drop', () =>
      bridge.statuses.find((s) => ((s as unknown as { droppedByBackend?: Record<string, number> }).droppedByBackend?.unknown_token ?? 0) >= 1),
    );
    expect(status.lastUploadError).toBeUndefined();

    const official = (await new ApiClient(server.url).signInOfficial(OFFICIAL)).client;
    const stats = (await official.request('GET', '/v1/admin/stats')).body as { contactsStored: number; dropped: { today: Record<string, number> } };
    expect(stats.dropped.today.unknown_token).toBeGreaterThanOrEqual(1);
    expect(stats.contactsStored).toBe(0);
    expect(await bridge.stop()).toBe(0);
  });
});
