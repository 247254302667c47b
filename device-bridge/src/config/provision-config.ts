import { z } from 'zod';
import { readSettings, settingRows } from './read-settings.js';
import { choice, defaultKeyFile, E164, keyFileProblem, LOG_LEVELS, type SettingsTable } from './setting-types.js';

/** `npm run provision` settings: flag, environment variable, default, help (one table for --help and validation). */
export const PROVISION_SETTINGS = {
  api: { flag: 'api', env: 'BRIDGE_API_URL', help: 'Backend base URL (required)' },
  dataDir: { flag: 'data-dir', env: 'DEVICE_DATA_DIR', default: './device-data', help: 'The dedicated device’s data directory: provisioning.json is written there (0600)' },
  credentialsDir: { flag: 'credentials-dir', env: 'PROVISION_CREDENTIALS_DIR', default: './bridge-data', help: 'Data directory of the bridge that provisions (its sealed session; sign it in with npm run bridge -- provision)' },
  keyFile: { flag: 'key-file', env: 'BRIDGE_KEY_FILE', help: 'Key sealing that bridge’s session (default ~/.config/proxitrace-bridge/store.key)' },
  phoneNumber: { flag: 'phone', env: 'BRIDGE_PHONE_NUMBER', help: 'E.164 number of the provisioning bridge, for its first sign-in when none is stored' },
  ownerPhone: { flag: 'owner-phone', env: 'DEVICE_OWNER_PHONE', help: 'E.164 number of the device’s owner: receives a code now and exposure warnings later' },
  ownerCode: { flag: 'owner-code', env: 'DEVICE_OWNER_CODE', help: 'The code the owner received (second run); otherwise the dev echo or a prompt' },
  resend: { flag: 'resend', env: 'PROVISION_RESEND', boolean: true, help: 'Send the owner a new code although one is pending' },
  renew: { flag: 'renew', env: 'PROVISION_RENEW', default: 'no', help: 'yes: fetch a fresh token bundle for an already provisioned device (same identity, seq and store)' },
  erase: { flag: 'erase', env: 'PROVISION_ERASE', default: 'no', help: 'yes: erase a provisioned device at the backend (its tokens, contacts, warnings, key, owner’s number), then its files in DEVICE_DIR; stop the device first' },
  logLevel: { flag: 'log-level', env: 'BRIDGE_LOG_LEVEL', default: 'INFO', help: 'DEBUG, INFO, WARN, ERROR or SILENT (any case)' },
} as const satisfies SettingsTable;

const schema = z.object({
  api: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
  dataDir: z.string().min(1),
  credentialsDir: z.string().min(1),
  keyFile: z.string().min(1),
  phoneNumber: E164.optional(),
  ownerPhone: E164.optional(),
  ownerCode: z.string().trim().regex(/^\d{6}$/, 'must be the 6-digit code').optional(),
  resend: choice(['yes', 'no']).optional().transform((v) => v === 'yes'),
  renew: choice(['yes', 'no']).transform((v) => v === 'yes'),
  erase: choice(['yes', 'no']).transform((v) => v === 'yes'),
  logLevel: choice(LOG_LEVELS),
});

export type ProvisionConfig = z.infer<typeof schema>;

export function loadProvisionConfig(argv: readonly string[], env: Record<string, string | undefined>): { ok: true; config: ProvisionConfig } | { ok: true; help: true } | { ok: false; problems: string[] } {
  const read = readSettings(PROVISION_SETTINGS, argv, env, { keyFile: defaultKeyFile(env) });
  if (read.help) return { ok: true, help: true };
  const { problems, label } = read;
  const result = schema.safeParse(read.raw);
  if (!result.success) return { ok: false, problems: [...problems, ...read.describe(result.error)] };
  const c = result.data;
  if (c.renew && c.erase) problems.push(`${label('erase')}: cannot be combined with ${label('renew')}`);
  if (!c.renew && !c.erase && c.ownerPhone === undefined && c.ownerCode === undefined) problems.push(`${label('ownerPhone')}: is required to provision a new device`);
  const keyProblem = keyFileProblem(c.keyFile, c.credentialsDir);
  if (keyProblem) problems.push(`${label('keyFile')}: ${keyProblem}`);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config: c };
}

export function provisionHelpText(): string {
  return [
    'Proxitrace provisioning: registers a dedicated (BLE-only) device with the backend, through a signed-in bridge.',
    'The device gets its Ed25519 identity (generated here; only the public key leaves), a bundle of future tokens',
    '(DEDICATED_BUNDLE_DAYS on the backend, 4 days by default) and the backend’s keys. The owner proves their number with a code.',
    '',
    'Usage: npm run provision -- --api URL --data-dir DEVICE_DIR --owner-phone +E164           the owner receives a code',
    '       npm run provision -- --api URL --data-dir DEVICE_DIR --owner-code CODE             then: enter it (no new SMS)',
    '       npm run provision -- --api URL --data-dir DEVICE_DIR --renew yes                   a fresh bundle before the old one runs out',
    '       npm run provision -- --api URL --data-dir DEVICE_DIR --erase yes                   the owner erases the device (signed with its key)',
    '',
    'On a terminal the code is asked for at once. Without one, the first run keeps the owner’s pending code in',
    'DEVICE_DIR and exits with 3; the second run (--owner-code) completes it. A new code is sent only with --resend.',
    '',
    '  flag                   environment variable         meaning',
    ...settingRows(PROVISION_SETTINGS),
    '  --help, -h             show this help',
    '',
    'When the bundle runs out the device stops advertising (it never invents a token), keeps scanning and',
    'holding batches, and warns a day ahead; renewing keeps its identity, its chain and its store.',
    'Erasing signs the request with the device’s key from DEVICE_DIR/provisioning.json; once the backend has erased',
    'it (or no longer knows it), provisioning.json and the device’s batch store are deleted. A failed erasure can be run again.',
    'Exit codes: 0 provisioned (or erased), 1 failed, 2 bad configuration, 3 waiting for a code (run again with --owner-code).',
  ].join('\n');
}
