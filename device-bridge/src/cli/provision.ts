import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { z } from 'zod';
import { deviceRequestMessage } from '../../../backend/src/application/relay/device-signed-request.js';
import { renewalMessage } from '../../../backend/src/application/relay/register-dedicated-device.js';
import { ed25519PrivateKey, rawPrivateKey, rawPublicKey, signEd25519 } from '../../../backend/src/domain/relay/relay-signatures.js';
import { loadProvisionConfig, provisionHelpText, type ProvisionConfig } from '../config/provision-config.js';
import { DEVICE_STORE_FILE, loadDeviceCredentials, PROVISIONING_FILE, saveDeviceCredentials, type DeviceCredentials } from '../dedicated/device-credentials.js';
import { readFileIfPresent, removeFile, writePrivateFile } from '../store/private-file.js';
import { AuthSession } from '../upload/auth-session.js';
import { ApiError } from '../upload/errors.js';
import { JsonHttp } from '../upload/http.js';
import { codeRefusal, SignInFlow } from '../upload/sign-in-flow.js';
import { ConsoleOutput } from './console-output.js';
import { EXIT } from './exit-codes.js';
import { openSecrets } from './open-secrets.js';
import { signInBeforeRunning, terminalIo, type OperatorIo } from './sign-in-steps.js';

const provisionedSchema = z.object({
  deviceId: z.uuid(),
  tokens: z.array(z.object({ token: z.string(), validFrom: z.string(), validUntil: z.string() })).min(1),
  backend: z.object({ batchKeyId: z.number().int(), batchPublicKey: z.string(), ackPublicKey: z.string() }),
});
/** The owner's code was sent and not entered yet (`<data-dir>/owner-verification.json`). */
const OWNER_PENDING_FILE = 'owner-verification.json';
const ownerPendingSchema = z.object({ ownerPhone: z.string(), verificationId: z.string().min(1), requestedAt: z.number() });
type OwnerPending = z.infer<typeof ownerPendingSchema>;

async function main(): Promise<number> {
  const loaded = loadProvisionConfig(process.argv.slice(2), process.env);
  if (loaded.ok && 'help' in loaded) {
    process.stdout.write(`${provisionHelpText()}\n`);
    return EXIT.ok;
  }
  if (!loaded.ok) {
    process.stderr.write(`Invalid configuration:\n${loaded.problems.map((p) => `  - ${p}`).join('\n')}\nRun with --help for all options.\n`);
    return EXIT.badConfiguration;
  }
  return provision(loaded.config, terminalIo());
}

async function provision(config: ProvisionConfig, io: OperatorIo): Promise<number> {
  const logger = new ConsoleOutput({ level: config.logLevel, format: 'auto' }).logger;
  const file = join(config.dataDir, PROVISIONING_FILE);
  if (config.erase && !existsSync(file)) {
    io.say(`${file} does not exist: no provisioned device to erase here`);
    return EXIT.badConfiguration;
  }
  if (!config.renew && !config.erase && existsSync(file)) {
    io.say(`${file} exists: this device is provisioned already (use --renew yes for a fresh bundle)`);
    return EXIT.badConfiguration;
  }
  const secrets = openSecrets(config.credentialsDir, config.keyFile, io);
  if (secrets === undefined) return EXIT.badConfiguration;
  const http = new JsonHttp({ baseUrl: config.api });
  const auth = new AuthSession(http, { store: secrets.session });
  const signedIn = await signInBeforeRunning(secrets, new SignInFlow(http, config.api, { pending: secrets.pending, session: auth }), { phoneNumber: config.phoneNumber, dataDir: config.credentialsDir, api: config.api }, io);
  if (signedIn !== 'signed_in') return signedIn === 'failed' ? EXIT.failed : EXIT.waitingForOperator;
  if (config.erase) return eraseProvisioned(config.dataDir, http, auth, io, logger);

  let identity: Pick<DeviceCredentials, 'deviceId' | 'signingKey' | 'publicKey'>;
  let body: unknown;
  try {
    const bearer = await auth.accessToken();
    if (config.renew) {
      const current = loadDeviceCredentials(file);
      identity = current;
      const requestedAt = new Date();
      const signature = signEd25519(ed25519PrivateKey(current.signingKey), renewalMessage(current.deviceId, requestedAt));
      body = (await http.post('/v1/dedicated-devices/bundle', { deviceId: current.deviceId, requestedAt: requestedAt.toISOString(), signature: signature.toString('base64url') }, bearer)).body;
    } else {
      const registered = await registerWithOwnerCode(config, http, bearer, io);
      if (typeof registered === 'number') return registered;
      ({ identity, body } = registered);
    }
  } catch (error) {
    io.say(`provisioning failed: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
  const provisioned = provisionedSchema.parse(body);
  const credentials: DeviceCredentials = {
    deviceId: provisioned.deviceId,
    signingKey: identity.signingKey,
    publicKey: identity.publicKey,
    tokens: provisioned.tokens.map((t) => ({ token: t.token, validFrom: Date.parse(t.validFrom), validUntil: Date.parse(t.validUntil) })),
    backend: {
      batchKeyId: provisioned.backend.batchKeyId,
      batchPublicKey: Buffer.from(provisioned.backend.batchPublicKey, 'base64url'),
      ackPublicKey: Buffer.from(provisioned.backend.ackPublicKey, 'base64url'),
    },
    provisionedAt: Date.now(),
  };
  saveDeviceCredentials(file, credentials);
  const until = new Date(credentials.tokens.at(-1)!.validUntil).toISOString();
  logger.info(config.renew ? 'token bundle renewed' : 'dedicated device provisioned', { deviceId: credentials.deviceId, windows: credentials.tokens.length, bundleUntil: until, file });
  process.stdout.write(`${JSON.stringify({ deviceId: credentials.deviceId, windows: credentials.tokens.length, bundleUntil: until })}\n`);
  return EXIT.ok;
}

/**
 * The owner erases the device: a request signed with its key (the credential provisioning left
 * here). Its files go only once the backend has erased it, or no longer knows it (an earlier run
 * erased it and lost the answer): until then the key is kept so that the erasure can be retried.
 */
async function eraseProvisioned(dataDir: string, http: JsonHttp, auth: AuthSession, io: OperatorIo, logger: ConsoleOutput['logger']): Promise<number> {
  const device = loadDeviceCredentials(join(dataDir, PROVISIONING_FILE));
  const requestedAt = new Date();
  const signature = signEd25519(ed25519PrivateKey(device.signingKey), deviceRequestMessage('erase', device.deviceId, requestedAt));
  let erased: unknown = 'already erased';
  try {
    const request = { deviceId: device.deviceId, requestedAt: requestedAt.toISOString(), signature: signature.toString('base64url') };
    erased = ((await http.post('/v1/dedicated-devices/erasure', request, await auth.accessToken())).body as { erased: unknown }).erased;
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 'device_unknown')) {
      io.say(`erasure failed: ${error instanceof Error ? error.message : String(error)}; nothing was deleted here, run it again`);
      return EXIT.failed;
    }
  }
  for (const name of [PROVISIONING_FILE, DEVICE_STORE_FILE, `${DEVICE_STORE_FILE}-wal`, `${DEVICE_STORE_FILE}-shm`]) removeFile(join(dataDir, name));
  logger.info('dedicated device erased', { deviceId: device.deviceId, dataDir });
  process.stdout.write(`${JSON.stringify({ deviceId: device.deviceId, erased })}\n`);
  return EXIT.ok;
}

/**
 * The owner proves their number: one code is sent (unless one is pending, or --resend), then the
 * device is registered with it: from the dev echo, a terminal prompt, or --owner-code on a later
 * run. Resolves with an exit code when it cannot finish now.
 */
async function registerWithOwnerCode(config: ProvisionConfig, http: JsonHttp, bearer: string, io: OperatorIo): Promise<{ identity: Pick<DeviceCredentials, 'deviceId' | 'signingKey' | 'publicKey'>; body: unknown } | number> {
  const pendingPath = join(config.dataDir, OWNER_PENDING_FILE);
  const stored = ownerPendingSchema.safeParse(JSON.parse(readFileIfPresent(pendingPath) ?? 'null'));
  let pending: OwnerPending | undefined = stored.success ? stored.data : undefined;
  let code = config.ownerCode;
  const later = `npm run provision -- --api ${config.api} --data-dir ${config.dataDir} --owner-code CODE`;
  if (code !== undefined) {
    if (pending === undefined) {
      io.say(`no owner code is pending for ${config.dataDir}: start with --owner-phone +E164`);
      return EXIT.badConfiguration;
    }
  } else if (pending === undefined || pending.ownerPhone !== config.ownerPhone || config.resend) {
    const answer = (await http.post('/v1/dedicated-devices/owner-verification', { phoneNumber: config.ownerPhone }, bearer)).body as { verificationId: string; devCode?: string };
    pending = { ownerPhone: config.ownerPhone!, verificationId: answer.verificationId, requestedAt: Date.now() };
    writePrivateFile(pendingPath, `${JSON.stringify(pending)}\n`);
    if (answer.devCode !== undefined) {
      io.say('warning: using the owner code echoed by a development server (DEV_SMS_ECHO): never in production');
      code = answer.devCode;
    } else io.say(`a code was sent to the owner, ${pending.ownerPhone}`);
  } else io.say(`a code was sent to the owner, ${pending.ownerPhone}, ${Math.round((Date.now() - pending.requestedAt) / 60_000)} min ago: no new code sent (add --resend for one)`);

  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keys = { signingKey: rawPrivateKey(privateKey), publicKey: rawPublicKey(publicKey) };
  for (;;) {
    if (code === undefined) {
      if (!io.interactive) {
        io.say(`enter the owner's code with: ${later}`);
        return EXIT.waitingForOperator;
      }
      code = await io.ask(`code sent to the owner ${pending.ownerPhone} (empty line: later): `);
      if (code === '') {
        io.say(`the code stays pending; enter it later with: ${later}`);
        return EXIT.waitingForOperator;
      }
    }
    try {
      const body = (await http.post('/v1/dedicated-devices', { publicKey: keys.publicKey.toString('base64url'), owner: { verificationId: pending.verificationId, code } }, bearer)).body;
      removeFile(pendingPath);
      return { identity: { deviceId: '', ...keys }, body };
    } catch (error) {
      const refusal = codeRefusal(error);
      if (refusal === undefined) throw error;
      if (refusal.kind === 'challenge_over') {
        removeFile(pendingPath);
        io.say(`provisioning failed: the owner's code is no longer valid (${refusal.reason}); send a new one: --owner-phone ${pending.ownerPhone}`);
        return EXIT.failed;
      }
      if (refusal.kind === 'wait') {
        io.say(`provisioning failed: too many wrong codes for the owner's number lately (${refusal.reason}); try again later with the same code`);
        return EXIT.failed;
      }
      io.say(`that is not the code sent to ${pending.ownerPhone}; it can be entered again (no new SMS)`);
      if (!io.interactive) return EXIT.failed;
      code = undefined;
    }
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`provisioning failed: ${err instanceof ApiError || err instanceof Error ? err.message : String(err)}\n`);
    process.exit(EXIT.failed);
  },
);
