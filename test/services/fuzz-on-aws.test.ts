import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../../backend/fuzz/request-arbitrary.js';
import { runFuzz, signInForFuzzing } from '../../backend/fuzz/run-fuzz.js';
import { buildOpenApiDocument } from '../../backend/src/api/openapi.js';
import { startLocalServer, type LocalServer } from '../support/local-server.js';
import { awsServerEnvProvisioner, type AwsServerEnv } from './support/aws-server-env.js';

const provisioner = awsServerEnvProvisioner();
const REQUESTS = 1_500;
const SEED = 20261201;
const OFFICIAL = '+15550009999';

/** A share of `npm run fuzz` against `npm run stack`'s configuration: BACKEND=aws on the local engines and cognito-local. */
describe('API fuzzing (AWS adapters)', () => {
  let backend: AwsServerEnv;
  let server: LocalServer;
  beforeAll(async () => {
    backend = await provisioner.provision();
    server = await startLocalServer({ env: { ...backend.env, OFFICIAL_PHONE_NUMBERS: OFFICIAL }, startTimeoutMs: 60_000 });
  });
  afterAll(async () => {
    await server?.stop();
    await backend?.remove();
  });

  it(`answers ${REQUESTS} generated requests with declared statuses only, no 5xx, errors in the documented shape`, async () => {
    const credentials = await signInForFuzzing(server.url, '+15550009001', OFFICIAL);
    expect(credentials.officialToken).toEqual(expect.any(String));
    const report = await runFuzz(buildOpenApiDocument() as OpenApiDocument, { baseUrl: server.url, requests: REQUESTS, seed: SEED, concurrency: 8, credentials });
    expect(report.failures).toEqual([]);
    expect(report.byStatus['202']).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(server.logs.filter((line) => line.includes('"unhandled error"'))).toEqual([]);
  }, 240_000);
});
