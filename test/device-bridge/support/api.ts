import { BridgeApiClient } from '../../../device-bridge/src/upload/api-client.js';
import { AuthSession, MemoryCredentialStore, type CredentialStore } from '../../../device-bridge/src/upload/auth-session.js';
import { JsonHttp } from '../../../device-bridge/src/upload/http.js';

/** A real API client against `url`, signing in with the server's dev-echoed SMS code. */
export function makeClient(url: string, store: CredentialStore = new MemoryCredentialStore()) {
  const http = new JsonHttp({ baseUrl: url, timeoutMs: 2_000 });
  const auth = new AuthSession(http, {
    phoneNumber: '+15550100001',
    store,
    codeProvider: async (c) => {
      if (c.devCode === undefined) throw new Error('no dev code');
      return c.devCode;
    },
  });
  return { client: new BridgeApiClient(http, auth), auth, store };
}
