import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { buildOpenApiDocument } from '../src/api/openapi.js';
import { loadBackendConfig } from '../src/config/backend-config.js';
import { createLogger } from '../src/composition/logger.js';
import { startLocalStack } from '../src/local/local-stack.js';
import type { OpenApiDocument } from './request-arbitrary.js';
import { runFuzz, signInForFuzzing } from './run-fuzz.js';

const HELP = `Usage: npm run fuzz -- [options]

Property-based fuzzing of the HTTP API (fast-check, seeded and reproducible): generated malformed
and boundary requests across every operation of the OpenAPI document, with real and forged
credentials. Every answer must be a declared status, never a 5xx, with JSON errors in the
documented shape. Without --url it starts an embedded stack in this process (temporary DATA_DIR)
and also fails on any unhandled rejection or uncaught exception.

Options:
  --requests N      requests to send (default 100000)
  --seed S          seed of the generator (default: random, printed); a failure names its seed
                    and index, and --seed S --requests index+1 replays it
  --url URL         fuzz a running server instead, e.g. npm run stack's (DEV_SMS_ECHO=1 and
                    OFFICIAL_PHONE_NUMBERS=+15550009999 give the fuzzer real tokens)
  --concurrency C   requests in flight (default 8)
  --out FILE        JSON report (default bench-results/fuzz.json)
  -h, --help        this text`;

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '100000' },
    seed: { type: 'string' },
    url: { type: 'string' },
    concurrency: { type: 'string', default: '8' },
    out: { type: 'string', default: 'bench-results/fuzz.json' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const requests = wholeNumber(values.requests, '--requests');
const concurrency = wholeNumber(values.concurrency, '--concurrency');
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : wholeNumber(values.seed, '--seed');
const OFFICIAL = '+15550009999';

let crashes = 0;
process.on('unhandledRejection', (reason) => {
  crashes++;
  console.error('unhandled rejection:', reason);
});
process.on('uncaughtException', (error) => {
  crashes++;
  console.error('uncaught exception:', error);
});

const dataDir = values.url ? undefined : mkdtempSync(join(tmpdir(), 'proxitrace-fuzz-'));
const stack = dataDir
  ? await startLocalStack(
      loadBackendConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'SILENT', DEV_SMS_ECHO: '1', OFFICIAL_PHONE_NUMBERS: OFFICIAL, SQLITE_SYNCHRONOUS: 'NORMAL' }),
      createLogger({ logLevel: 'SILENT' }),
    )
  : undefined;
const baseUrl = values.url ?? stack!.url;
try {
  console.log(`fuzzing ${baseUrl} with ${requests.toLocaleString('en-US')} requests, seed ${seed}`);
  const credentials = await signInForFuzzing(baseUrl, '+15550009001', OFFICIAL).catch((error: unknown) => {
    console.warn(`without real tokens: ${(error as Error).message}`);
    return {};
  });
  const bar = new SingleBar({ format: 'fuzz [{bar}] {percentage}% | {value}/{total} requests | {eta_formatted} left', hideCursor: true, noTTYOutput: true, notTTYSchedule: 15_000 });
  bar.start(requests, 0);
  const report = await runFuzz(buildOpenApiDocument() as OpenApiDocument, { baseUrl, requests, seed, concurrency, credentials, onProgress: (n) => bar.update(n) });
  bar.stop();
  const health = await fetch(`${baseUrl}/health`).then((r) => r.status, () => 0);
  mkdirSync(join(values.out, '..'), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify({ ...report, crashes, healthAfter: health }, null, 2)}\n`);
  console.log(`${report.requests} requests in ${report.seconds.toFixed(1)} s (${Math.round(report.requests / report.seconds)}/s), ${report.unsendable} not sendable by the client`);
  console.log(`statuses: ${Object.entries(report.byStatus).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  console.log(`failures: ${report.failures.length}, unhandled rejections or exceptions: ${crashes}, /health afterwards: ${health}; report in ${values.out}`);
  for (const f of report.failures.slice(0, 10)) console.log(`  #${f.index} ${f.request.method} ${f.request.path} → ${f.status}: ${f.problems.join('; ')}`);
  process.exitCode = report.failures.length === 0 && crashes === 0 && health === 200 ? 0 : 1;
} finally {
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

function wholeNumber(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`${flag} must be a positive whole number, got "${text}"`);
    process.exit(2);
  }
  return n;
}
