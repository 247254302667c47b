import { z } from 'zod';
import { readSettings, settingRows } from './read-settings.js';
import { choice, defaultKeyFile, E164, keyFileProblem, type SettingsTable } from './setting-types.js';

/** `npm run bridge -- provision`: the bridge's own sign-in, in two steps. */
export const SIGN_IN_SETTINGS = {
  api: { flag: 'api', env: 'BRIDGE_API_URL', help: 'Backend base URL (step 2 defaults to the one step 1 used)' },
  dataDir: { flag: 'data-dir', env: 'BRIDGE_DATA_DIR', default: './bridge-data', help: 'The bridge’s data directory: the session is sealed there' },
  keyFile: { flag: 'key-file', env: 'BRIDGE_KEY_FILE', help: 'Key sealing the session (default ~/.config/proxitrace-bridge/store.key)' },
  phoneNumber: { flag: 'phone', env: 'BRIDGE_PHONE_NUMBER', help: 'Step 1: the E.164 number to send the SMS code to' },
  code: { flag: 'code', env: 'BRIDGE_SIGN_IN_CODE', help: 'Step 2: the 6-digit code that arrived by SMS' },
  resend: { flag: 'resend', env: 'BRIDGE_SIGN_IN_RESEND', boolean: true, help: 'With --phone: send a new code although one is pending' },
} as const satisfies SettingsTable;

const schema = z.object({
  api: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
  dataDir: z.string().min(1),
  keyFile: z.string().min(1),
  phoneNumber: E164.optional(),
  code: z.string().trim().regex(/^\d{6}$/, 'must be the 6-digit code from the SMS').optional(),
  resend: choice(['yes', 'no']).optional().transform((v) => v === 'yes'),
});

export type SignInConfig = z.infer<typeof schema>;

export function loadSignInConfig(argv: readonly string[], env: Record<string, string | undefined>): { ok: true; config: SignInConfig } | { ok: true; help: true } | { ok: false; problems: string[] } {
  const read = readSettings(SIGN_IN_SETTINGS, argv, env, { keyFile: defaultKeyFile(env) });
  if (read.help) return { ok: true, help: true };
  const { raw, problems, label } = read;
  if (raw.phoneNumber === undefined && raw.code === undefined) problems.push(`give ${label('phoneNumber')} to have a code sent, or ${label('code')} to enter the code you received`);
  const result = schema.safeParse(raw);
  if (!result.success) return { ok: false, problems: [...problems, ...read.describe(result.error)] };
  const keyProblem = keyFileProblem(result.data.keyFile, result.data.dataDir);
  if (keyProblem) problems.push(`${label('keyFile')}: ${keyProblem}`);
  if (result.data.code === undefined && result.data.api === undefined) problems.push(`${label('api')}: is required to send a code`);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config: result.data };
}

export function signInHelpText(): string {
  return [
    'Proxitrace bridge sign-in, in two steps that work without a terminal:',
    '',
    '  npm run bridge -- provision --api URL --phone +E164 [--data-dir DIR]   1. the backend texts a code to the number',
    '  npm run bridge -- provision --code CODE [--data-dir DIR]               2. enter it; the session is sealed in DIR',
    '',
    'On a terminal, step 1 asks for the code at once. Step 1 never sends a second code while one is pending',
    '(add --resend for that); a wrong code can be entered again in step 2 without a new SMS, until the code',
    'expires (5 minutes) or was wrong 5 times. After that the bridge keeps its session by itself',
    '(refresh tokens, 90 days by default) and never sends an SMS on its own.',
    '',
    '  flag                   environment variable         meaning',
    ...settingRows(SIGN_IN_SETTINGS),
    '  --help, -h             show this help',
    '',
    'Exit codes: 0 done (or a code is now pending), 1 failed (wrong code, backend refused or unreachable), 2 bad usage.',
  ].join('\n');
}
