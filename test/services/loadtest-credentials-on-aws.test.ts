import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  SetUserMFAPreferenceCommand,
  UpdateUserPoolClientCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFICIALS_GROUP } from '../../backend/src/ports/identity.js';
import { parseLoadOptions } from '../../loadtest/src/config/load-options.js';
import { fictionalPhoneNumbers } from '../../loadtest/src/population/fictional-phone-numbers.js';
import type { LoadResult } from '../../loadtest/src/report/load-result.js';
import { PreflightError } from '../../loadtest/src/run/preflight.js';
import { runLoad } from '../../loadtest/src/run/run-load.js';
import { startLocalServer, type LocalServer } from '../support/local-server.js';
import { localServices } from './support/aws-clients.js';
import { awsServerEnvProvisioner, type AwsServerEnv } from './support/aws-server-env.js';

const provisioner = awsServerEnvProvisioner();
const { region, credentials, cognito: cognitoEndpoint } = localServices();
const DEVICES = 6;
const PASSWORD = 'Load-test-1-password!';
/**
 * Short enough that every token is renewed during the run (at half-life, 10 s), long enough that a request
 * the busy server takes seconds to handle still carries a valid one.
 */
const ACCESS_TOKEN_SECONDS = 20;

/**
 * `--credentials` as against a deployment: `npm start`'s program on the AWS adapters (DynamoDB Local,
 * ElasticMQ, OpenSearch, cognito-local), users pre-created in the pool as an operator would (the official
 * in its group with an authenticator), signed in with USER_PASSWORD_AUTH on the backend's own app client,
 * their access tokens renewed with REFRESH_TOKEN_AUTH. No SMS is sent; each device is registered by its
 * first request.
 */
describe('the load tool with --credentials against the AWS adapters and cognito-local', () => {
  let backend: AwsServerEnv;
  let server: LocalServer;
  let dir: string;
  let result: LoadResult;
  let credentialsFile: (official: { username: string; password: string; totpSecret?: string }) => string;
  let notOfficial: string;
  const cognito = new CognitoIdentityProviderClient({ endpoint: cognitoEndpoint!.endpoint, region, credentials: { ...credentials } });

  beforeAll(async () => {
    backend = await provisioner.provision();
    const userPoolId = backend.env.COGNITO_USER_POOL_ID!;
    const clientId = backend.env.COGNITO_CLIENT_ID!;
    await cognito.send(
      new UpdateUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId, AccessTokenValidity: ACCESS_TOKEN_SECONDS, TokenValidityUnits: { AccessToken: 'seconds' } }),
    );
    const [official, outsider, ...users] = fictionalPhoneNumbers(DEVICES + 2, 40_000).map((n) => `loadtest-${n.slice(1)}`);
    notOfficial = outsider!;
    for (const username of [official!, outsider!, ...users]) {
      await cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: username, MessageAction: 'SUPPRESS' }));
      await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: PASSWORD, Permanent: true }));
    }
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: official!, GroupName: OFFICIALS_GROUP }));
    const totpSecret = await enrolAuthenticator(cognito, userPoolId, clientId, official!);
    dir = mkdtempSync(join(tmpdir(), 'loadtest-aws-'));
    credentialsFile = (who) => {
      const file = join(dir, `credentials-${who.username}.json`);
      writeFileSync(file, JSON.stringify({ region, endpoint: cognitoEndpoint!.endpoint, clientId, users: users.map((username) => ({ username, password: PASSWORD })), official: who }));
      return file;
    };
    const file = credentialsFile({ username: official!, password: PASSWORD, totpSecret });
    // No DEV_SMS_ECHO: nothing in this run may depend on an SMS.
    server = await startLocalServer({ env: { ...backend.env, DEV_SMS_ECHO: '0', VERIFICATION_CODES_PER_OFFICIAL_PER_HOUR: '10000', VERIFICATION_CODES_PER_OFFICIAL_PER_DAY: '100000' }, startTimeoutMs: 60_000 });
    const parsed = parseLoadOptions({ target: server.url, credentials: file, scenario: 'smoke', devices: String(DEVICES), duration: '12s', scale: '0.001', 'drain-timeout': '30s', 'stats-interval': '500ms', out: dir });
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

  it('stops in the preflight, in one line, when the official of the file is not an official', async () => {
    const parsed = parseLoadOptions({ target: server.url, credentials: credentialsFile({ username: notOfficial, password: PASSWORD }), scenario: 'smoke', devices: '2', out: dir });
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const run = runLoad(parsed.options, { progress: { update: () => {}, stop: () => {} }, log: () => {}, cognitoClient: () => new CognitoIdentityProviderClient({ endpoint: cognitoEndpoint!.endpoint, region, credentials: { ...credentials } }) });
    await expect(run).rejects.toBeInstanceOf(PreflightError);
    await expect(run).rejects.toThrow(new RegExp(`^the official of --credentials .* \\(${notOfficial}\\): signs in, but the server does not treat it as an official \\(403 forbidden: `));
  });

  it('sends every request of the smoke scenario with success: no 401 although every token expired during the run', () => {
    expect(result.totals.offered).toBeGreaterThan(0);
    // On failure, say which endpoints failed and how (status codes, network errors), and the run's notes.
    const outcomes = JSON.stringify({ notes: result.notes, endpoints: result.endpoints.map((e) => ({ name: e.name, statusCodes: e.statusCodes, errors: e.errors })) });
    expect(result.totals.failed, outcomes).toBe(0);
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

/** What an operator does once for an official: an authenticator (software-token MFA) on its user. Returns the secret. */
async function enrolAuthenticator(cognito: CognitoIdentityProviderClient, userPoolId: string, clientId: string, username: string): Promise<string> {
  const { AuthenticationResult } = await cognito.send(
    new AdminInitiateAuthCommand({ UserPoolId: userPoolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }),
  );
  const AccessToken = AuthenticationResult!.AccessToken!;
  const { SecretCode } = await cognito.send(new AssociateSoftwareTokenCommand({ AccessToken }));
  await cognito.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: generateSync({ secret: SecretCode! }), FriendlyDeviceName: 'load test' }));
  await cognito.send(new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
  return SecretCode!;
}
