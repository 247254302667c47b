import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUserPoolsCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { OFFICIALS_GROUP } from '../../../backend/src/ports/identity.js';
import { startProcess, waitUntilReady } from '../managed-process.js';
import { localCredentials, LOCAL_REGION, seconds, type RunningService, type ServiceContext } from './service.js';

export interface CognitoEndpoint {
  endpoint: string;
  userPoolId: string;
  clientId: string;
  /** The `iss` of its tokens; verify them with JwtRsaVerifier against `jwksUri` (pool ids are `local_…`). */
  issuer: string;
  jwksUri: string;
}

/** cognito-local (npm) with the backend's user pool: opaque usernames, software-token MFA for officials, an officials group. */
export async function startCognitoLocal(context: ServiceContext, port: number): Promise<RunningService<CognitoEndpoint>> {
  const started = Date.now();
  const home = join(context.runDir, 'cognito');
  mkdirSync(join(home, '.cognito'), { recursive: true });
  // No username attributes: usernames are opaque keyed hashes, the number only an attribute.
  writeFileSync(join(home, '.cognito', 'config.json'), JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }, null, 2));
  const entry = join(dirname(createRequire(import.meta.url).resolve('cognito-local/package.json')), 'lib', 'bin', 'start.js');
  const process = startProcess({
    name: 'cognito',
    command: globalThis.process.execPath,
    args: [entry],
    cwd: home,
    env: { ...globalThis.process.env, HOST: '127.0.0.1', PORT: String(port) },
    logFile: join(context.runDir, 'cognito.log'),
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new CognitoIdentityProviderClient({ endpoint, region: LOCAL_REGION, credentials: localCredentials() });
  try {
    await waitUntilReady(process, async () => (await client.send(new ListUserPoolsCommand({ MaxResults: 1 })), true), context.readyTimeoutMs);
    const { userPoolId, clientId } = await provisionUserPool(client, context.prefix);
    const issuer = `${endpoint}/${userPoolId}`;
    context.progress(`cognito: ready on ${endpoint}, user pool ${userPoolId} (${seconds(started)})`);
    return {
      endpoint: { endpoint, userPoolId, clientId, issuer, jwksUri: `${issuer}/.well-known/jwks.json` },
      pid: process.pid,
      exited: process.exited,
      stop: () => process.stop(),
    };
  } catch (error) {
    await process.stop();
    throw error;
  } finally {
    client.destroy();
  }
}

/**
 * The backend's user pool: opaque usernames (no username attributes: the phone number is only an
 * attribute), optional software-token MFA (officials enrol; devices never do), an app client
 * without secret for the backend's flows (admin password auth for devices, password auth then the
 * SOFTWARE_TOKEN_MFA challenge for officials, refresh) with 1-hour access tokens and 90-day
 * refresh tokens (REFRESH_TOKEN_TTL_DAYS must not exceed it), and the officials group. Also used
 * by tests that want a pool of their own.
 */
export async function provisionUserPool(client: CognitoIdentityProviderClient, prefix: string): Promise<{ userPoolId: string; clientId: string }> {
  const { UserPool } = await client.send(new CreateUserPoolCommand({ PoolName: `${prefix}users`, UsernameAttributes: [], MfaConfiguration: 'OPTIONAL' }));
  const userPoolId = UserPool!.Id!;
  await client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  const { UserPoolClient } = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: `${prefix}devices`,
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AccessTokenValidity: 1,
      IdTokenValidity: 1,
      RefreshTokenValidity: 90,
      TokenValidityUnits: { AccessToken: 'hours', IdToken: 'hours', RefreshToken: 'days' },
      EnableTokenRevocation: true,
    }),
  );
  await client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: OFFICIALS_GROUP }));
  return { userPoolId, clientId: UserPoolClient!.ClientId! };
}
