import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../backend/src/application/clock.js';
import { dynamoTableNames } from '../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { loadBackendConfig } from '../../backend/src/config/backend-config.js';
import { createLogger } from '../../backend/src/composition/logger.js';
import { startLocalStack, type LocalStack } from '../../backend/src/local/local-stack.js';
import { localAwsClients } from './support/aws-clients.js';
import { awsServerEnvProvisioner, type AwsServerEnv } from './support/aws-server-env.js';

const DAY_MS = 86_400_000;
const provisioner = awsServerEnvProvisioner();
const { doc } = localAwsClients();

/**
 * A stack whose data clock is not the wall clock (the demo's town runs days ahead of it, or
 * months behind), on cognito-local and DynamoDB Local: what belongs to the identity provider runs
 * on its clock. Told on the data clock, a session's lifetime came out as 0 s (ahead: every call
 * refreshed, and the official signed in again until the SMS limit refused) or as months (behind),
 * and sign-in challenges carried a TTL that DynamoDB, on the wall clock, had already passed.
 */
describe.each([
  ['five days ahead of the wall clock', 5 * DAY_MS],
  ['ninety days behind it', -90 * DAY_MS],
])('the identity provider keeps its own clock when the data clock runs %s', (_label, offsetMs) => {
  let backend: AwsServerEnv;
  let stack: LocalStack;
  let dataDir: string;

  beforeAll(async () => {
    backend = await provisioner.provision();
    dataDir = mkdtempSync(join(tmpdir(), 'proxitrace-identity-clock-'));
    const config = loadBackendConfig({ ...backend.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DEV_SMS_ECHO: '1', LOG_LEVEL: 'SILENT' });
    stack = await startLocalStack(config, createLogger(config), { clock: () => new Date(Date.now() + offsetMs), identityClock: systemClock });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await backend?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it("tells the device its session's lifetime as Cognito issued it, at sign-in and at refresh", async () => {
    const before = Date.now();
    const challenge = await post('/v1/auth/sms', { phoneNumber: '+15550000042' });
    expect(challenge.status).toBe(202);
    const stored = await doc.send(new ScanCommand({ TableName: dynamoTableNames(prefixOf(backend.env)).signInChallenges }));
    for (const item of stored.Items ?? []) expect((item.ttl as number) * 1000, 'the challenge outlives the wall clock').toBeGreaterThan(before);
    expect(stored.Items?.length).toBe(1);

    const verified = await post('/v1/auth/verify', { challengeId: challenge.body.challengeId, code: challenge.body.devCode });
    expect(verified.status).toBe(200);
    const tokenLifetime = lifetimeOf(verified.body.accessToken as string);
    expect(verified.body.expiresIn).toBeGreaterThan(tokenLifetime - 120);
    expect(verified.body.expiresIn).toBeLessThanOrEqual(tokenLifetime);

    const refreshed = await post('/v1/auth/refresh', { refreshToken: verified.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.expiresIn).toBeGreaterThan(lifetimeOf(refreshed.body.accessToken as string) - 120);
  });
});

/** exp − iat of a JWT: the lifetime its issuer gave it, on the issuer's clock. */
function lifetimeOf(jwt: string): number {
  const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { exp: number; iat: number };
  return claims.exp - claims.iat;
}

function prefixOf(env: Record<string, string>): string {
  return env.DYNAMODB_TABLE_PREFIX!;
}
