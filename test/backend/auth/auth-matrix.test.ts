import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { loadOrCreateLocalIdentityKeys } from '../../../backend/src/adapters/local-identity/local-identity-keys.js';
import { LOCAL_CLIENT_ID, LOCAL_ISSUER } from '../../../backend/src/adapters/local-identity/local-identity.js';
import { startLocalServer } from '../../support/local-server.js';
import { describeAuthMatrix } from './auth-matrix.scenario.js';

/** The auth matrix against `npm start`'s program; forged tokens are signed with its own key. */
describeAuthMatrix('auth matrix on the embedded local stack', async (env) => {
  const server = await startLocalServer({ env });
  const keys = await loadOrCreateLocalIdentityKeys(join(server.dataDir, 'identity-keys.json'));
  const forge = async (claims: Record<string, unknown>) => {
    const now = Math.floor(Date.now() / 1000);
    const subject = randomUUID();
    const payload = { sub: subject, username: subject, token_use: 'access', client_id: LOCAL_CLIENT_ID, iss: LOCAL_ISSUER, iat: now, exp: now + 3600, 'cognito:groups': [], ...claims };
    const defined = Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined));
    return new SignJWT(defined).setProtectedHeader({ alg: 'RS256', kid: keys.kid }).sign(keys.privateKey);
  };
  return {
    url: server.url,
    forge,
    officialWithoutMfa: (subject) => forge({ sub: subject, username: subject, 'cognito:groups': ['officials'], amr: ['sms'] }),
    stop: () => server.stop(),
  };
});
