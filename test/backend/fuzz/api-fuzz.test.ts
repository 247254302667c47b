import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../../../backend/fuzz/request-arbitrary.js';
import { runFuzz, signInForFuzzing } from '../../../backend/fuzz/run-fuzz.js';
import { buildOpenApiDocument } from '../../../backend/src/api/openapi.js';
import { createLogger } from '../../../backend/src/composition/logger.js';
import { loadBackendConfig } from '../../../backend/src/config/backend-config.js';
import { startLocalStack, type LocalStack } from '../../../backend/src/local/local-stack.js';

/** A seeded share of `npm run fuzz` (which sends 100,000) against the embedded stack over HTTP. */
const REQUESTS = 2_500;
const SEED = 20261123;

describe('API fuzzing (embedded stack)', () => {
  let stack: LocalStack;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'proxitrace-fuzz-'));
    const config = loadBackendConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'SILENT', DEV_SMS_ECHO: '1', OFFICIAL_PHONE_NUMBERS: '+15550009999', SQLITE_SYNCHRONOUS: 'NORMAL' });
    stack = await startLocalStack(config, createLogger(config));
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`answers ${REQUESTS} generated requests with declared statuses only, no 5xx, errors in the documented shape`, async () => {
    const credentials = await signInForFuzzing(stack.url, '+15550009001', '+15550009999');
    expect(credentials.officialToken).toEqual(expect.any(String));
    const report = await runFuzz(buildOpenApiDocument() as OpenApiDocument, { baseUrl: stack.url, requests: REQUESTS, seed: SEED, concurrency: 8, credentials });
    expect(report.failures).toEqual([]);
    expect(report.requests + report.unsendable).toBe(REQUESTS);
    // The generator reaches past validation and authentication, not only the error paths.
    for (const status of ['200', '201', '202', '400', '401', '403', '404', '405', '413', '415']) expect(report.byStatus[status]).toBeGreaterThan(0);
    expect((await fetch(`${stack.url}/health`)).status).toBe(200);
  }, 120_000);
});
