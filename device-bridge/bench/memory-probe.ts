// Child process of bridge-bench (run with --expose-gc): RSS with 100,000 distinct tokens cached.
import { benchBridge, buildPayloads } from './pipeline.js';

const TOKENS = 100_000;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;

const { bridge } = benchBridge(TOKENS * 2);
const report = buildPayloads(1)[0]!;
gc();
gc();
const before = process.memoryUsage();
// One reusable report buffer, a new token each time: only the cache grows.
for (let i = 0; i < TOKENS; i++) {
  report.writeUInt32BE(i, 12);
  report.writeUInt32BE(Math.imul(i, 2654435761) >>> 0, 24);
  bridge.handleReport(report, -60);
}
gc();
gc();
const after = process.memoryUsage();
if (bridge.cache.size !== TOKENS) throw new Error(`expected ${TOKENS} cached, got ${bridge.cache.size}`);
console.log(
  JSON.stringify({
    tokens: bridge.cache.size,
    rssMb: mb(after.rss),
    baselineRssMb: mb(before.rss),
    heapUsedMb: mb(after.heapUsed),
    heapDeltaMb: mb(after.heapUsed - before.heapUsed),
    bytesPerEntry: Math.round((after.heapUsed - before.heapUsed) / TOKENS),
  }),
);
