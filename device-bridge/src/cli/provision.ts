import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { z } from 'zod';
import { renewalMessage } from '../../../backend/src/application/relay/register-dedicated-device.js';
import { ed25519PrivateKey, rawPrivateKey, rawPublicKey, signEd25519 } from '../../../backend/src/domain/relay/relay-signatures.js';
import { loadProvisionConfig, provisionHelpText, type ProvisionConfig } from '../config/provision-config.js';
import { loadDeviceCredentials, PROVISIONING_FILE, saveDeviceCredentials, type DeviceCredentials } from '../dedicated/device-credentials.js';
import { AuthSession, FileCredentialStore } from '../upload/auth-session.js';
import { JsonHttp } from '../upload/http.js';
import { jsonLogger } from './logger.js';
import { smsCodeProvider } from './sms-code.js';

const provisionedSchema = z.object({
  deviceId: z.uuid(),
  tokens: z.array(z.object({ token: z.string(), validFrom: z.string(), validUntil: z.string() })).min(1),
  backend: z.object({ batchKeyId: z.number().int(), batchPublicKey: z.string(), ackPublicKey: z.string() }),
});

async function main(): Promise<number> {
  const loaded = loadProvisionConfig(process.argv.slice(2), process.env);
  if (loaded.ok && 'help' in loaded) {
    process.stdout.write(`${provisionHelpText()}\n`);
    return 0;
  }
  if (!loaded.ok) {
    process.stderr.write(`Invalid configuration:\n${loaded.problems.map((p) => `  - ${p}`).join('\n')}\nRun with --help for all options.\n`);
    return 2;
  }
  return provision(loaded.config);
}

async function provision(config: ProvisionConfig): Promise<number> {
  const logger = jsonLogger(config.logLevel);
  const file = join(config.dataDir, PROVISIONING_FILE);
  if (!config.renew && existsSync(file)) {
    process.stderr.write(`${file} exists: this device is provisioned already (use --renew yes for a fresh bundle)\n`);
    return 2;
  }
  const credentialStore = new FileCredentialStore(join(config.credentialsDir, 'credentials.json'));
  if (credentialStore.load() === undefined && config.phoneNumber === undefined) {
    process.stderr.write('Invalid configuration:\n  - --phone / BRIDGE_PHONE_NUMBER: is required for the first sign-in (no stored credentials)\n');
    return 2;
  }
  const http = new JsonHttp({ baseUrl: config.api });
  const auth = new AuthSession(http, { phoneNumber: config.phoneNumber ?? '', store: credentialStore, codeProvider: smsCodeProvider(config.smsCode, logger) });
  const bearer = await auth.accessToken();

  let identity: Pick<DeviceCredentials, 'deviceId' | 'signingKey' | 'publicKey'> | undefined;
  let body: unknown;
  if (config.renew) {
    const current = loadDeviceCredentials(file);
    identity = current;
    const requestedAt = new Date();
    const signature = signEd25519(ed25519PrivateKey(current.signingKey), renewalMessage(current.deviceId, requestedAt));
    body = (await http.post('/v1/dedicated-devices/bundle', { deviceId: current.deviceId, requestedAt: requestedAt.toISOString(), signature: signature.toString('base64url') }, bearer)).body;
  } else {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const keys = { signingKey: rawPrivateKey(privateKey), publicKey: rawPublicKey(publicKey) };
    const verification = (await http.post('/v1/dedicated-devices/owner-verification', { phoneNumber: config.ownerPhone }, bearer)).body as { verificationId: string; devCode?: string };
    const code = await smsCodeProvider(config.ownerCode, logger)({ phoneNumber: config.ownerPhone!, challengeId: verification.verificationId, devCode: verification.devCode });
    body = (await http.post('/v1/dedicated-devices', { publicKey: keys.publicKey.toString('base64url'), owner: { verificationId: verification.verificationId, code } }, bearer)).body;
    identity = { deviceId: '', ...keys };
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
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`provisioning failed: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
