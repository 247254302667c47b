import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AdminAddUserToGroupCommand, AdminCreateUserCommand, AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { importJWK, SignJWT, type JWK } from 'jose';
import { afterAll } from 'vitest';
import { OFFICIALS_GROUP } from '../../backend/src/ports/identity.js';
import { describeAuthMatrix } from '../backend/auth/auth-matrix.scenario.js';
import { startLocalServer } from '../support/local-server.js';
import { localServices } from './support/aws-clients.js';
import { awsServerEnvProvisioner } from './support/aws-server-env.js';

const provisioner = awsServerEnvProvisioner();
const { region, credentials, cognito: endpoint } = localServices();
const cognito = new CognitoIdentityProviderClient({ endpoint: endpoint!.endpoint, region, credentials: { ...credentials } });
afterAll(() => cognito.destroy());

/** cognito-local signs every pool's tokens with one key it ships; forged tokens use it too. */
const cognitoLocalKey = JSON.parse(
  readFileSync(join(dirname(createRequire(import.meta.url).resolve('cognito-local/package.json')), 'lib', 'keys', 'cognitoLocal.private.json'), 'utf8'),
) as { jwk: JWK };

/** The same matrix against `npm start`'s program with BACKEND=aws on the local engines and cognito-local. */
describeAuthMatrix('auth matrix on the AWS adapters (cognito-local)', async (env) => {
  const backend = await provisioner.provision();
  const server = await startLocalServer({ env: { ...backend.env, ...env }, startTimeoutMs: 60_000 });
  const userPoolId = backend.env.COGNITO_USER_POOL_ID!;
  const issuer = `${backend.env.COGNITO_ENDPOINT}/${userPoolId}`;
  const key = await importJWK(cognitoLocalKey.jwk, 'RS256');
  const forge = async (claims: Record<string, unknown>) => {
    const now = Math.floor(Date.now() / 1000);
    const subject = randomUUID();
    const payload = { sub: subject, username: subject, token_use: 'access', client_id: backend.env.COGNITO_CLIENT_ID, iss: issuer, iat: now, exp: now + 3600, ...claims };
    const defined = Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined));
    return new SignJWT(defined).setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' }).sign(key);
  };
  return {
    url: server.url,
    forge,
    // A member of the officials group who never enrolled an authenticator (made by an administrator).
    officialWithoutMfa: async () => {
      const Username = `o-nomfa-${randomUUID()}`;
      await cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username, MessageAction: 'SUPPRESS' }));
      await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username, GroupName: OFFICIALS_GROUP }));
      const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username }));
      const sub = user.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
      return forge({ sub, username: Username, 'cognito:groups': [OFFICIALS_GROUP] });
    },
    stop: async () => {
      await server.stop();
      await backend.remove();
    },
  };
});
