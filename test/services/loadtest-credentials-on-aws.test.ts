import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFICIALS_GROUP } from '../../backend/src/ports/identity.js';
import { parseLoadOptions } from '../../loadtest/src/config/load-options.js';
import { fictionalPhoneNumbers } from '../../loadtest/src/population/fictional-phone-numbers.js';
import type { LoadResult } from '../../loadtest/src/report/load-result.js';
import { runLoad } from '../../loadtest/src/run/run-load.js';
import { startLocalServer, type LocalServer } from '../support/local-server.js';
import { localServices } from './support/aws-clients.js';
import { awsServerEnvProvisioner, type AwsServerEnv } from './support/aws-server-env.js';

const provisioner = awsServerEnvProvisioner();
const { region, credentials, cognito: cognitoEndpoint } = localServices();
const DEVICES = 6;
const PASSWORD = 'Load-test-1-password!';
/** Short enough that every token is renewed during the run (at half-life), long enough for a busy machine. */
const ACCESS_TOKEN_SECONDS = 8;

/**
 * `--credentials` as against a deployment: `npm start`'s program on the AWS adapters (DynamoDB Local,
 * ElasticMQ, OpenSearch, cognito-local), users pre-created in the pool as an operator would, signed in
 * with ADMIN_USER_PASSWORD_AUTH on the backend's own app client, their access tokens renewed with
 * REFRESH_TOKEN_AUTH. No SMS is sent; each device is registered by its first request.
 */
describe('the load tool with --credentials against the AWS adapters and cognito-local', () => {
  let backend: AwsServerEnv;
  let server: LocalServer;
  let dir: string;
  let result: LoadResult;
  const cognito = new CognitoIdentityProviderClient({ endpoint: cognitoEndpoint!.endpoint, region, credentials: { ...credentials } });

  beforeAll(async () => {
    backend = await provisioner.provision();
    const userPoolId = backend.env.COGNITO_USER_POOL_ID!;
    const clientId = backend.env.COGNITO_CLIENT_ID!;
    await cognito.send(
      new UpdateUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId, AccessTokenValidity: ACCESS_TOKEN_SECONDS, TokenValidityUnits: { AccessToken: 'seconds' } }),
    );
    const [official, ...users] = fictionalPhoneNumbers(DEVICES + 1, 40_000);
    for (const username of [official!, ...users]) {
      await cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: username, UserAttributes: [{ Name: 'phone_number', Value: username }], MessageAction: 'SUPPRESS' }));
      await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: PASSWORD, Permanent: true }));
    }
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: official!, GroupName: OFFICIALS_GROUP }));
    dir = mkdtempSync(join(tmpdir(), 'loadtest-aws-'));
    const file = join(dir, 'credentials.json');
    writeFileSync(
      file,
      JSON.stringify({
        region,
        endpoint: cognitoEndpoint!.endpoint,
        userPoolId,
        clientId,
        users: users.map((username) => ({ username, password: PASSWORD })),
        official: { username: official, password: PASSWORD },
      }),
    );
    // No DEV_SMS_ECHO: nothing in this run may depend on an SMS.
    server = await startLocalServer({ env: { ...backend.env, DEV_SMS_ECHO: '0' }, startTimeoutMs: 60_000 });
    const parsed = parseLoadOptions({ target: server.url, credentials: file, scenario: 'smoke', devices: String(DEVICES), duration: '6s', 'drain-timeout': '30s', 'stats-interval': '500ms', out: dir });
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    result = await runLoad(parsed.options, {
      progress: { update: () => {}, stop: () => {} },
      log: () => {},
      cognitoClient: () => new CognitoIdentityProviderClient({ endpoint: cognitoEndpoint!.endpoint, region, credentials: { ...credentials } }),
    });
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    await backend?.remove();
    cognito.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends every request of the smoke scenario with success: no 401 although every token expired during the run', () => {
    expect(result.totals.offered).toBeGreaterThan(0);
    expect(result.totals.failed).toBe(0);
    expect(result.totals.dropped + result.totals.abandoned + result.totals.unfinished).toBe(0);
    expect(result.endpoints.map((e) => e.name)).toEqual(expect.arrayContaining(['POST /v1/tokens', 'POST /v1/contacts', 'GET /v1/notifications']));
  });

  it('renewed every session with REFRESH_TOKEN_AUTH, none failing', () => {
    expect(result.sessions.refreshFailures).toBe(0);
    expect(result.sessions.refreshed).toBeGreaterThanOrEqual(DEVICES + 1);
  });

  it('used the official for infection reports and queue statistics, and the server processed what it accepted', () => {
    expect(result.setup.official).toBe(true);
    expect(result.infectionsSkippedNoOfficial).toBe(0);
    const { before, after } = result.server;
    expect(result.contacts.batches).toBeGreaterThan(0);
    expect(after!.batchesProcessed - before!.batchesProcessed).toBe(result.contacts.batches);
    expect(after!.observationsProcessed - before!.observationsProcessed).toBe(result.contacts.observations);
  });
});
