import type { RelayApi } from '../../../device-bridge/src/ports/relay-api.js';
import type { ContactsApi, TokenApi } from '../../../device-bridge/src/ports/token-api.js';
import { BridgeApiClient } from '../../../device-bridge/src/upload/api-client.js';
import { AuthSession, MemoryCredentialStore, type CredentialStore } from '../../../device-bridge/src/upload/auth-session.js';
import { JsonHttp } from '../../../device-bridge/src/upload/http.js';
import { SignInFlow, type PendingChallenge, type PendingStore } from '../../../device-bridge/src/upload/sign-in-flow.js';

export class MemoryPendingStore implements PendingStore {
  value: PendingChallenge | undefined;
  load() {
    return this.value;
  }
  save(p: PendingChallenge) {
    this.value = p;
  }
  clear() {
    this.value = undefined;
  }
}

/**
 * A real API client against `url`; `signIn()` runs both sign-in steps with the server's
 * dev-echoed SMS code. `client` signs in by itself on first use when no session is stored (as an
 * operator would have done before starting the bridge); `session` is the bare client.
 */
export function makeClient(url: string, store: CredentialStore = new MemoryCredentialStore(), phoneNumber = '+15550100001') {
  const http = new JsonHttp({ baseUrl: url, timeoutMs: 5_000 });
  const auth = new AuthSession(http, { store });
  const flow = new SignInFlow(http, url, { pending: new MemoryPendingStore(), session: auth });
  const signIn = async () => {
    const { devCode } = await flow.requestCode(phoneNumber);
    if (devCode === undefined) throw new Error('no dev code');
    const outcome = await flow.enterCode(devCode);
    if (outcome.kind !== 'signed_in') throw new Error(`sign-in: ${outcome.kind}`);
    return outcome.deviceId;
  };
  const session = new BridgeApiClient(http, auth);
  let signingIn: Promise<unknown> | undefined;
  const ensure = async () => {
    if (auth.deviceId === undefined) await (signingIn ??= signIn().finally(() => (signingIn = undefined)));
  };
  const client: TokenApi & ContactsApi & RelayApi = {
    fetchTokens: async (count) => (await ensure(), session.fetchTokens(count)),
    postContacts: async (batchId, observations) => (await ensure(), session.postContacts(batchId, observations)),
    postRelayBatches: async (envelopes) => (await ensure(), session.postRelayBatches(envelopes)),
  };
  return { client, session, auth, store, flow, signIn };
}
