import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_SERVICE_UUID, EXPOSURE_NOTIFICATION_UUID, MIN_SERVICE_UUID } from '../ble/advert-layout.js';
import { formatDuration, parseDuration } from './duration.js';

/**
 * Every setting: its flag, its environment variable, its default and its help text. Flags win over
 * the environment. One table so --help, the README and validation cannot drift apart.
 */
export const SETTINGS = {
  mode: { flag: 'mode', env: 'BRIDGE_MODE', default: 'bridge', help: 'bridge (uploads, relays) or dedicated (the BLE-only device model: no network, batches wait for a relay)' },
  api: { flag: 'api', env: 'BRIDGE_API_URL', help: 'Backend base URL, e.g. http://127.0.0.1:3000 (required in bridge mode)' },
  radio: { flag: 'radio', env: 'BRIDGE_RADIO', default: 'hci', help: 'Radio adapter: hci (noble + bleno) or sim (in-memory air)' },
  dataDir: { flag: 'data-dir', env: 'BRIDGE_DATA_DIR', default: './bridge-data', help: 'Directory for the outbox database and credentials' },
  phoneNumber: { flag: 'phone', env: 'BRIDGE_PHONE_NUMBER', help: 'E.164 number for the device sign-in (needed until credentials are stored)' },
  smsCode: { flag: 'sms-code', env: 'BRIDGE_SMS_CODE', help: 'SMS code for the sign-in; otherwise prompted on a terminal (or the dev echo is used)' },
  serviceUuid: { flag: 'service-uuid', env: 'BRIDGE_SERVICE_UUID', default: `0x${DEFAULT_SERVICE_UUID.toString(16)}`, help: '16-bit service UUID, >= 0x1000 and not 0xFD6F' },
  txPower: { flag: 'tx-power', env: 'BRIDGE_TX_POWER', default: '0', help: 'TX power in dBm written into the advertisement (-127..20)' },
  flushMaxAge: { flag: 'flush-max-age', env: 'FLUSH_MAX_AGE', default: '15m', help: 'Upload a partial batch once its oldest observation waited this long' },
  observationIdle: { flag: 'observation-idle', env: 'BRIDGE_OBSERVATION_IDLE', default: '5m', help: 'An observation not seen for this long is finished' },
  tokenTtl: { flag: 'token-ttl-minutes', env: 'TOKEN_TTL_MINUTES', default: '180', help: 'Token lifetime; also the longest one observation lasts' },
  cacheMax: { flag: 'cache-max', env: 'BRIDGE_CACHE_MAX', default: '200000', help: 'Most observations kept open at once' },
  prefetch: { flag: 'prefetch', env: 'BRIDGE_TOKEN_PREFETCH', default: '3', help: 'Token windows fetched ahead (current + following), 1..8' },
  rotationJitter: { flag: 'rotation-jitter', env: 'BRIDGE_ROTATION_JITTER', default: '5s', help: 'Random delay after a window boundary before rotating' },
  scanWatchdog: { flag: 'scan-watchdog', env: 'BRIDGE_SCAN_WATCHDOG', default: '60s', help: 'Restart scanning when no report arrived for this long' },
  sweepInterval: { flag: 'sweep-interval', env: 'BRIDGE_SWEEP_INTERVAL', default: '5s', help: 'How often idle observations are finished' },
  checkpointInterval: { flag: 'checkpoint-interval', env: 'BRIDGE_CHECKPOINT_INTERVAL', default: '30s', help: 'How often open observations are saved to disk' },
  statusInterval: { flag: 'status-interval', env: 'BRIDGE_STATUS_INTERVAL', default: '5s', help: 'Status line period (0 = off)' },
  logLevel: { flag: 'log-level', env: 'BRIDGE_LOG_LEVEL', default: 'info', help: 'debug, info, warn or error' },
  hciScanUart: { flag: 'hci-scan-uart', env: 'BRIDGE_HCI_SCAN_UART', help: 'hci: serial port (H4 UART) of the scanning controller, e.g. /dev/ttyUSB0' },
  hciAdvUart: { flag: 'hci-adv-uart', env: 'BRIDGE_HCI_ADV_UART', help: 'hci: serial port (H4 UART) of the advertising controller (must differ)' },
  hciScanDevice: { flag: 'hci-scan-device', env: 'BRIDGE_HCI_SCAN_DEVICE', help: 'hci: kernel HCI device index for scanning (like NOBLE_HCI_DEVICE_ID)' },
  hciAdvDevice: { flag: 'hci-adv-device', env: 'BRIDGE_HCI_ADV_DEVICE', help: 'hci: kernel HCI device index for advertising (like BLENO_HCI_DEVICE_ID)' },
  hciAdvInterval: { flag: 'hci-adv-interval', env: 'BRIDGE_HCI_ADV_INTERVAL', default: '200ms', help: 'hci: advertising interval (>= 100ms)' },
  simPeers: { flag: 'sim-peers', env: 'BRIDGE_SIM_PEERS', default: '5', help: 'sim: simulated neighbours advertising random tokens' },
  relay: { flag: 'relay', env: 'BRIDGE_RELAY', default: 'on', help: 'bridge: collect dedicated devices’ batches over GATT and deliver them (on/off)' },
  relayCooldown: { flag: 'relay-cooldown', env: 'BRIDGE_RELAY_COOLDOWN', default: '30s', help: 'bridge: leave a dedicated device alone this long after a relay session' },
  storeMaxBatches: { flag: 'store-max-batches', env: 'DEVICE_STORE_MAX_BATCHES', default: '64', help: 'dedicated: signed batches held for relays; when full the oldest is dropped and reported' },
} as const satisfies Record<string, { flag: string; env: string; default?: string; help: string }>;

type Key = keyof typeof SETTINGS;
const label = (k: Key) => `--${SETTINGS[k].flag} / ${SETTINGS[k].env}`;

const duration = z.string().transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === undefined) ctx.addIssue({ code: 'custom', message: `not a duration: "${v}" (use e.g. 900, 90s, 15m, 1h)` });
  return ms ?? 0;
});
const int = (min: number, max: number) =>
  z.string().transform((v, ctx) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) ctx.addIssue({ code: 'custom', message: `must be an integer ${min}..${max}, got "${v}"` });
    return n;
  });

const schema = z.object({
  mode: z.enum(['bridge', 'dedicated']),
  api: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
  radio: z.enum(['hci', 'sim']),
  dataDir: z.string().min(1),
  phoneNumber: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number like +15550100001').optional(),
  smsCode: z.string().min(1).optional(),
  serviceUuid: z.string().transform((v, ctx) => {
    const n = /^(0x)?[0-9a-f]{1,4}$/i.test(v) ? Number.parseInt(v.replace(/^0x/i, ''), 16) : Number.NaN;
    if (Number.isNaN(n) || n < MIN_SERVICE_UUID || n === EXPOSURE_NOTIFICATION_UUID) {
      ctx.addIssue({ code: 'custom', message: `must be a 16-bit hex UUID >= 0x1000 and not 0xFD6F, got "${v}"` });
    }
    return n;
  }),
  txPower: int(-127, 20),
  flushMaxAge: duration,
  observationIdle: duration,
  tokenTtl: int(1, 24 * 60).transform((m) => m * 60_000),
  cacheMax: int(1, 10_000_000),
  prefetch: int(1, 8),
  rotationJitter: duration,
  scanWatchdog: duration,
  sweepInterval: duration,
  checkpointInterval: duration,
  statusInterval: duration,
  logLevel: z.enum(['debug', 'info', 'warn', 'error']),
  hciScanUart: z.string().min(1).optional(),
  hciAdvUart: z.string().min(1).optional(),
  hciScanDevice: int(0, 64).optional(),
  hciAdvDevice: int(0, 64).optional(),
  hciAdvInterval: duration,
  simPeers: int(0, 10_000),
  relay: z.enum(['on', 'off']).transform((v) => v === 'on'),
  relayCooldown: duration,
  storeMaxBatches: int(1, 100_000),
});

export type BridgeConfig = z.infer<typeof schema>;

export type ConfigResult = { ok: true; config: BridgeConfig } | { ok: true; help: true } | { ok: false; problems: string[] };

/** Reads flags and environment; reports every problem at once, each naming its flag and variable. */
export function loadConfig(argv: readonly string[], env: Record<string, string | undefined>): ConfigResult {
  const problems: string[] = [];
  const options = Object.fromEntries(Object.values(SETTINGS).map((s) => [s.flag, { type: 'string' as const }]));
  const parsed = parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: false, allowPositionals: true });
  const flags = parsed.values as Record<string, string | boolean | undefined>;
  for (const [name, value] of Object.entries(flags)) {
    if (name === 'help') continue;
    if (!(name in options)) problems.push(`unknown flag --${name}`);
    else if (typeof value !== 'string') problems.push(`--${name}: needs a value`);
  }
  for (const p of parsed.positionals) problems.push(`unexpected argument "${p}"`);
  if (flags.help === true) return { ok: true, help: true };
  const raw: Record<string, string | undefined> = {};
  for (const [key, s] of Object.entries(SETTINGS)) {
    const flag = flags[s.flag];
    raw[key] = typeof flag === 'string' ? flag : env[s.env] !== undefined && env[s.env] !== '' ? env[s.env] : 'default' in s ? s.default : undefined;
  }
  if (raw.mode !== 'dedicated' && raw.api === undefined) problems.push(`${label('api')}: is required in bridge mode`);
  const result = schema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path[0] as Key | undefined;
      const msg = issue.code === 'invalid_type' && raw[key ?? ''] === undefined ? 'is required' : issue.message;
      problems.push(key === undefined ? msg : `${label(key)}: ${msg}`);
    }
  }
  if (result.success) problems.push(...crossFieldProblems(result.data));
  if (problems.length > 0 || !result.success) return { ok: false, problems };
  return { ok: true, config: result.data };
}

function crossFieldProblems(c: BridgeConfig): string[] {
  const problems: string[] = [];
  if (c.radio !== 'hci') return problems;
  if ((c.hciScanUart === undefined) !== (c.hciAdvUart === undefined)) {
    problems.push(`${label('hciScanUart')} and ${label('hciAdvUart')}: give both (one controller scans, the other advertises)`);
  } else if (c.hciScanUart !== undefined && c.hciScanUart === c.hciAdvUart) {
    problems.push(`${label('hciAdvUart')}: must differ from ${label('hciScanUart')} (a serial port has one owner)`);
  }
  if (c.hciAdvInterval < 100) problems.push(`${label('hciAdvInterval')}: must be at least 100ms for non-connectable advertising`);
  return problems;
}

export function helpText(): string {
  const rows = Object.values(SETTINGS).map((s) => {
    const def = 'default' in s ? ` (default ${s.default})` : '';
    return `  --${s.flag.padEnd(20)} ${s.env.padEnd(32)} ${s.help}${def}`;
  });
  return [
    'Proxitrace device bridge: advertise rotating tokens, scan, de-duplicate, upload contacts in batches.',
    '',
    'Usage: npm run bridge -- --api URL --radio hci|sim [options]',
    '       npm run bridge -- --mode dedicated --data-dir DIR --radio hci|sim [options]   (after npm run provision)',
    '',
    '  flag                   environment variable             meaning',
    ...rows,
    '  --help, -h             show this help',
    '',
    `Durations: 900 (seconds), 90s, 15m, 1h, 250ms. Default flush age ${formatDuration(15 * 60_000)}.`,
    'Logs are JSON lines on stderr; the status line goes to stdout.',
  ].join('\n');
}
