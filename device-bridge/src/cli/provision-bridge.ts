import { join } from 'node:path';
import type { SignInConfig } from '../config/sign-in-config.js';
import { SESSION_FILE } from '../store/bridge-secrets.js';
import { AuthSession } from '../upload/auth-session.js';
import { ApiError } from '../upload/errors.js';
import { JsonHttp } from '../upload/http.js';
import { SignInFlow } from '../upload/sign-in-flow.js';
import { EXIT } from './exit-codes.js';
import { openSecrets } from './open-secrets.js';
import { describePending, enterCode, nextStep, promptForCode, requestCode, terminalIo, type OperatorIo } from './sign-in-steps.js';

/** `npm run bridge -- provision`: step 1 (--phone) sends a code and keeps the challenge; step 2 (--code) completes it. */
export async function provisionBridge(config: SignInConfig, io: OperatorIo = terminalIo()): Promise<number> {
  const secrets = openSecrets(config.dataDir, config.keyFile, io);
  if (secrets === undefined) return EXIT.badConfiguration;
  const pending = secrets.pending.load();
  const session = secrets.session.load();
  if (session !== undefined && config.code === undefined) {
    io.say(`already signed in as device ${session.deviceId}: no code sent (to sign in afresh, delete ${join(config.dataDir, SESSION_FILE)} first)`);
    return EXIT.ok;
  }
  const api = config.api ?? pending?.api;
  if (api === undefined) {
    io.say('--api / BRIDGE_API_URL: is required');
    return EXIT.badConfiguration;
  }
  const http = new JsonHttp({ baseUrl: api });
  const flow = new SignInFlow(http, api, { pending: secrets.pending, session: new AuthSession(http, { store: secrets.session }) });
  try {
    if (config.code !== undefined) {
      if (pending === undefined) {
        io.say(`no sign-in is pending in ${config.dataDir}: have a code sent first: npm run bridge -- provision --api URL --phone +E164 --data-dir ${config.dataDir}`);
        return EXIT.badConfiguration;
      }
      if (config.phoneNumber !== undefined && config.phoneNumber !== pending.phoneNumber) {
        io.say(`the pending code was sent to ${pending.phoneNumber}, not ${config.phoneNumber}: enter that code, or have one sent to ${config.phoneNumber} (--phone without --code)`);
        return EXIT.badConfiguration;
      }
      return (await enterCode(flow, config.code, io)) === 'signed_in' ? EXIT.ok : EXIT.failed;
    }
    const phoneNumber = config.phoneNumber!;
    if (pending !== undefined && pending.phoneNumber === phoneNumber && !config.resend) {
      io.say(`${describePending(pending)}: no new code sent (add --resend for one)`);
      if (io.interactive) return stateExit(await promptForCode(flow, io, config.dataDir));
      io.say(`enter it with: ${nextStep(config.dataDir)}`);
      return EXIT.ok;
    }
    return stateExit(await requestCode(flow, phoneNumber, io, config.dataDir));
  } catch (error) {
    io.say(`sign-in failed: ${failureText(error)}`);
    return EXIT.failed;
  }
}

function stateExit(state: 'signed_in' | 'code_pending' | 'failed'): number {
  return state === 'failed' ? EXIT.failed : EXIT.ok;
}

function failureText(error: unknown): string {
  if (error instanceof ApiError && error.status === 429) {
    const wait = error.retryAfterMs === undefined ? 'later' : `in ${Math.ceil(error.retryAfterMs / 1000)} s`;
    return `the backend will not send another code now (${error.code}: at most 3 per number in 15 minutes, 10 a day); try again ${wait}`;
  }
  return error instanceof Error ? error.message : String(error);
}
