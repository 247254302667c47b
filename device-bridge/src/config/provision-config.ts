import { parseArgs } from 'node:util';
import { z } from 'zod';

/** `npm run provision` settings: flag, environment variable, default, help (one table for --help and validation). */
export const PROVISION_SETTINGS = {
  api: { flag: 'api', env: 'BRIDGE_API_URL', help: 'Backend base URL (required)' },
  dataDir: { flag: 'data-dir', env: 'DEVICE_DATA_DIR', default: './device-data', help: 'The dedicated device’s data directory: provisioning.json is written there (0600)' },
  phoneNumber: { flag: 'phone', env: 'BRIDGE_PHONE_NUMBER', help: 'E.164 number the provisioning phone/bridge signs in with (needed until its credentials are stored)' },
  smsCode: { flag: 'sms-code', env: 'BRIDGE_SMS_CODE', help: 'SMS code for that sign-in; otherwise the dev echo or a prompt' },
  credentialsDir: { flag: 'credentials-dir', env: 'PROVISION_CREDENTIALS_DIR', default: './provisioner-data', help: 'Where the provisioning phone/bridge keeps its own sign-in' },
  ownerPhone: { flag: 'owner-phone', env: 'DEVICE_OWNER_PHONE', help: 'E.164 number of the device’s owner: receives a code now and exposure warnings later' },
  ownerCode: { flag: 'owner-code', env: 'DEVICE_OWNER_CODE', help: 'The code the owner received; otherwise the dev echo or a prompt' },
  renew: { flag: 'renew', env: 'PROVISION_RENEW', default: 'no', help: 'yes: fetch a fresh token bundle for an already provisioned device (same identity, seq and store)' },
  logLevel: { flag: 'log-level', env: 'BRIDGE_LOG_LEVEL', default: 'info', help: 'debug, info, warn or error' },
} as const satisfies Record<string, { flag: string; env: string; default?: string; help: string }>;

type Key = keyof typeof PROVISION_SETTINGS;
const label = (k: Key) => `--${PROVISION_SETTINGS[k].flag} / ${PROVISION_SETTINGS[k].env}`;
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number like +15550100001');

const schema = z.object({
  api: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
  dataDir: z.string().min(1),
  phoneNumber: e164.optional(),
  smsCode: z.string().min(1).optional(),
  credentialsDir: z.string().min(1),
  ownerPhone: e164.optional(),
  ownerCode: z.string().regex(/^\d{6}$/, 'must be the 6-digit code').optional(),
  renew: z.enum(['yes', 'no']).transform((v) => v === 'yes'),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']),
});

export type ProvisionConfig = z.infer<typeof schema>;

export function loadProvisionConfig(argv: readonly string[], env: Record<string, string | undefined>): { ok: true; config: ProvisionConfig } | { ok: true; help: true } | { ok: false; problems: string[] } {
  const options = Object.fromEntries(Object.values(PROVISION_SETTINGS).map((s) => [s.flag, { type: 'string' as const }]));
  const parsed = parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: false, allowPositionals: true });
  const flags = parsed.values as Record<string, string | boolean | undefined>;
  if (flags.help === true) return { ok: true, help: true };
  const problems: string[] = [];
  for (const [name, value] of Object.entries(flags)) {
    if (!(name in options)) problems.push(`unknown flag --${name}`);
    else if (typeof value !== 'string') problems.push(`--${name}: needs a value`);
  }
  for (const p of parsed.positionals) problems.push(`unexpected argument "${p}"`);
  const raw: Record<string, string | undefined> = {};
  for (const [key, s] of Object.entries(PROVISION_SETTINGS)) {
    const flag = flags[s.flag];
    raw[key] = typeof flag === 'string' ? flag : env[s.env] || ('default' in s ? s.default : undefined);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path[0] as Key;
      problems.push(`${label(key)}: ${issue.code === 'invalid_type' && raw[key] === undefined ? 'is required' : issue.message}`);
    }
  } else if (!result.data.renew && result.data.ownerPhone === undefined) problems.push(`${label('ownerPhone')}: is required to provision a new device`);
  return problems.length > 0 || !result.success ? { ok: false, problems } : { ok: true, config: result.data };
}

export function provisionHelpText(): string {
  return [
    'Proxitrace provisioning: registers a dedicated (BLE-only) device with the backend, through this phone or bridge.',
    'The device gets its Ed25519 identity (generated here; only the public key leaves), a bundle of future tokens',
    '(DEDICATED_BUNDLE_DAYS on the backend, 4 days by default) and the backend’s keys. The owner proves their number with a code.',
    '',
    'Usage: npm run provision -- --api URL --data-dir DEVICE_DIR --owner-phone +E164 [--phone +E164] [options]',
    '       npm run provision -- --api URL --data-dir DEVICE_DIR --renew yes      (a fresh bundle before the old one runs out)',
    '',
    '  flag                   environment variable             meaning',
    ...Object.values(PROVISION_SETTINGS).map((s) => `  --${s.flag.padEnd(20)} ${s.env.padEnd(32)} ${s.help}${'default' in s ? ` (default ${s.default})` : ''}`),
    '  --help, -h             show this help',
    '',
    'When the bundle runs out the device stops advertising (it never invents a token), keeps scanning and',
    'holding batches, and warns a day ahead; renewing keeps its identity, its chain and its store.',
  ].join('\n');
}
