// Child process of bridge-bench (run with --expose-gc): the dedicated device model's memory with a full store.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawPrivateKey, rawPublicKey } from '../../backend/src/domain/relay/relay-signatures.js';
import { BatchSealer } from '../src/dedicated/batch-sealer.js';
import { DedicatedDevice } from '../src/dedicated/dedicated-device.js';
import { SimAir } from '../src/radio/sim/sim-air.js';
import { DEFAULT_MAX_HELD_BATCHES, SqliteRelayBatchStore } from '../src/store/sqlite-relay-batch-store.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;
const maxBatches = Number(process.argv[2] ?? DEFAULT_MAX_HELD_BATCHES);

gc();
const baseline = process.memoryUsage();
const dir = mkdtempSync(join(tmpdir(), 'device-memory-'));
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const credentials = {
  deviceId: randomUUID(),
  signingKey: rawPrivateKey(privateKey),
  publicKey: rawPublicKey(publicKey),
  tokens: [{ token: 'AAAAAAAAAAAAAAAAAAAAAA', validFrom: Date.now() - 1000, validUntil: Date.now() + 3_600_000 }],
  backend: { batchKeyId: 1, batchPublicKey: Buffer.alloc(32, 9), ackPublicKey: rawPublicKey(publicKey) },
  provisionedAt: Date.now(),
};
const sealer = new BatchSealer(credentials);
const store = new SqliteRelayBatchStore(join(dir, 'device.db'), { sealer, maxBatches });
const token = Buffer.alloc(16);
// One more batch than fits: the store is full and has dropped one.
for (let b = 0; b <= maxBatches; b++) {
  const now = 1_700_000_000_000 + b * 60_000;
  store.addObservations(
    Array.from({ length: 50 }, (_, i) => {
      token.writeUInt32BE(b * 50 + i, 12);
      return { token: token.toString('base64url'), firstSeen: new Date(now - 600_000).toISOString(), lastSeen: new Date(now).toISOString(), rssi: -60 };
    }),
    now,
  );
  store.sealBatch(String(b), 50, now);
}
const device = new DedicatedDevice({ radio: new SimAir().addRadio(), store, sealer, credentials });
gc();
gc();
const after = process.memoryUsage();
const stats = device.stats();
console.log(
  JSON.stringify({
    maxBatches,
    heldBatches: stats.held,
    heldBytes: stats.heldBytes,
    droppedBatches: stats.dropped.batches,
    // The database and its write-ahead log: what the store takes on disk (a firmware's flash log would hold heldBytes plus headers).
    storeFileKb: Math.round(['device.db', 'device.db-wal'].map((f) => join(dir, f)).filter(existsSync).reduce((n, f) => n + statSync(f).size, 0) / 1024),
    rssMb: mb(after.rss),
    baselineRssMb: mb(baseline.rss),
    heapUsedMb: mb(after.heapUsed),
    heapDeltaMb: mb(after.heapUsed - baseline.heapUsed),
  }),
);
store.close();
rmSync(dir, { recursive: true, force: true });
