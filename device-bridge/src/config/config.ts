import { z } from 'zod';
import { durationSchema, formatDuration } from '../../../backend/src/config/duration.js';
import { DEFAULT_SERVICE_UUID, EXPOSURE_NOTIFICATION_UUID, MIN_SERVICE_UUID } from '../ble/advert-layout.js';
import { choice, defaultKeyFile, E164, int, keyFileProblem, LOG_LEVELS, logFormatSchema, type SettingsTable } from './setting-types.js';
import { readSettings, settingRows } from './read-settings.js';

/**
 * Every setting: its flag, its environment variable, its default and its help text. Flags win over
 * the environment. One table so --help, the README and validation cannot drift apart.
 */
export const SETTINGS = {
  mode: { flag: 'mode', env: 'BRIDGE_MODE', default: 'bridge', help: 'bridge (uploads, relays) or dedicated (the BLE-only device model: no network, batches wait for a relay)' },
  api: { flag: 'api', env: 'BRIDGE_API_URL', help: 'Backend base URL, e.g. http://127.0.0.1:3000 (required in bridge mode, and for simulated peers)' },
  radio: { flag: 'radio', env: 'BRIDGE_RADIO', default: 'hci', help: 'Radio adapter: hci (noble + bleno) or sim (simulated air shared by the processes on this machine)' },
  dataDir: { flag: 'data-dir', env: 'BRIDGE_DATA_DIR', default: './bridge-data', help: 'Directory for the outbox, the sealed session and tokens' },
  keyFile: { flag: 'key-file', env: 'BRIDGE_KEY_FILE', help: 'Key sealing the session and tokens at rest; kept outside the data directory, created on first use (default ~/.config/proxitrace-bridge/store.key)' },
  phoneNumber: { flag: 'phone', env: 'BRIDGE_PHONE_NUMBER', help: 'E.164 number for a first sign-in when none is stored (better: npm run bridge -- provision)' },
  serviceUuid: { flag: 'service-uuid', env: 'BRIDGE_SERVICE_UUID', default: `0x${DEFAULT_SERVICE_UUID.toString(16)}`, help: '16-bit service UUID, >= 0x1000 and not 0xFD6F' },
  txPower: { flag: 'tx-power', env: 'BRIDGE_TX_POWER', default: '0', help: 'TX power in dBm written into the advertisement (-127..20)' },
  flushMaxAge: { flag: 'flush-max-age', env: 'FLUSH_MAX_AGE', default: '15m', help: 'Upload a partial batch once its oldest observation waited this long (1s..24h)' },
  observationIdle: { flag: 'observation-idle', env: 'BRIDGE_OBSERVATION_IDLE', default: '5m', help: 'An observation not seen for this long is finished (1s..6h)' },
  observationMax: { flag: 'observation-max', env: 'BRIDGE_OBSERVATION_MAX', default: '3h', help: 'The longest one observation lasts before it is finished and a new one starts (10s..24h)' },
  cacheMax: { flag: 'cache-max', env: 'BRIDGE_CACHE_MAX', default: '200000', help: 'Most observations kept open at once' },
  prefetch: { flag: 'prefetch', env: 'BRIDGE_TOKEN_PREFETCH', default: '3', help: 'Token windows fetched ahead (current + following), 1..8' },
  rotationJitter: { flag: 'rotation-jitter', env: 'BRIDGE_ROTATION_JITTER', default: '5s', help: 'Random delay after a window boundary before rotating (0..10m)' },
  scanWatchdog: { flag: 'scan-watchdog', env: 'BRIDGE_SCAN_WATCHDOG', default: '60s', help: 'Restart scanning when no report arrived for this long (1s..1h)' },
  sweepInterval: { flag: 'sweep-interval', env: 'BRIDGE_SWEEP_INTERVAL', default: '5s', help: 'How often idle observations are finished (100ms..10m, at most --observation-idle)' },
  checkpointInterval: { flag: 'checkpoint-interval', env: 'BRIDGE_CHECKPOINT_INTERVAL', default: '30s', help: 'How often open observations are saved to disk (100ms..1h)' },
  statusInterval: { flag: 'status-interval', env: 'BRIDGE_STATUS_INTERVAL', default: '5s', help: 'Status line period (100ms..1h, 0 = off)' },
  logLevel: { flag: 'log-level', env: 'BRIDGE_LOG_LEVEL', default: 'INFO', help: 'DEBUG, INFO, WARN, ERROR or SILENT (any case), as the backend’s LOG_LEVEL' },
  logFormat: { flag: 'log-format', env: 'BRIDGE_LOG_FORMAT', default: 'auto', help: 'auto (readable lines on a terminal, JSON otherwise), json or readable: the backend\'s LOG_FORMAT values' },
  hciScanUart: { flag: 'hci-scan-uart', env: 'BRIDGE_HCI_SCAN_UART', help: 'hci: serial port (H4 UART) of the scanning controller, e.g. /dev/ttyUSB0' },
  hciAdvUart: { flag: 'hci-adv-uart', env: 'BRIDGE_HCI_ADV_UART', help: 'hci: serial port (H4 UART) of the advertising controller (must differ)' },
  hciScanDevice: { flag: 'hci-scan-device', env: 'BRIDGE_HCI_SCAN_DEVICE', help: 'hci: kernel HCI device index for scanning (like NOBLE_HCI_DEVICE_ID)' },
  hciAdvDevice: { flag: 'hci-adv-device', env: 'BRIDGE_HCI_ADV_DEVICE', help: 'hci: kernel HCI device index for advertising (like BLENO_HCI_DEVICE_ID)' },
  hciAdvInterval: { flag: 'hci-adv-interval', env: 'BRIDGE_HCI_ADV_INTERVAL', default: '200ms', help: 'hci: advertising interval (100ms..10.24s)' },
  simAir: { flag: 'sim-air', env: 'BRIDGE_SIM_AIR', default: 'shared', help: 'sim: name of the air shared by every sim process of this user on this machine, or "private" for an air of this process alone' },
  simPosition: { flag: 'sim-position', env: 'BRIDGE_SIM_POSITION', help: 'sim: this radio’s position x,y in metres (default: random within 10 m of 0,0, in range of the other processes)' },
  simPeers: { flag: 'sim-peers', env: 'BRIDGE_SIM_PEERS', help: 'sim: simulated phones nearby; each signs in as a device (needs a backend with DEV_SMS_ECHO=1) and advertises its server tokens (default 3, or 0 without --api)' },
  relay: { flag: 'relay', env: 'BRIDGE_RELAY', default: 'on', help: 'bridge: collect dedicated devices’ batches over GATT and deliver them (on/off)' },
  relayCooldown: { flag: 'relay-cooldown', env: 'BRIDGE_RELAY_COOLDOWN', default: '30s', help: 'bridge: leave a dedicated device alone this long after a relay session (1s..1d)' },
  storeMaxBatches: { flag: 'store-max-batches', env: 'DEVICE_STORE_MAX_BATCHES', default: '64', help: 'dedicated: signed batches held for relays; when full the oldest is dropped and reported' },
} as const satisfies SettingsTable;

const S = 1_000;
const M = 60_000;
const H = 3_600_000;

const position = z.string().transform((v, ctx) => {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(v);
  if (m === null) {
    ctx.addIssue({ code: 'custom', message: `must be x,y in metres such as 3,-2.5, got "${v}"` });
    return z.NEVER;
  }
  return { x: Number(m[1]), y: Number(m[2]) };
});

const schema = z.object({
  mode: choice(['bridge', 'dedicated']),
  api: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
  radio: choice(['hci', 'sim']),
  dataDir: z.string().min(1),
  keyFile: z.string().min(1),
  phoneNumber: E164.optional(),
  serviceUuid: z.string().transform((v, ctx) => {
    const n = /^(0x)?[0-9a-f]{1,4}$/i.test(v) ? Number.parseInt(v.replace(/^0x/i, ''), 16) : Number.NaN;
    if (Number.isNaN(n) || n < MIN_SERVICE_UUID || n === EXPOSURE_NOTIFICATION_UUID) {
      ctx.addIssue({ code: 'custom', message: `must be a 16-bit hex UUID >= 0x1000 and not 0xFD6F, got "${v}"` });
    }
    return n;
  }),
  txPower: int(-127, 20),
  flushMaxAge: durationSchema({ min: S, max: 24 * H }),
  observationIdle: durationSchema({ min: S, max: 6 * H }),
  observationMax: durationSchema({ min: 10 * S, max: 24 * H }),
  cacheMax: int(1, 10_000_000),
  prefetch: int(1, 8),
  rotationJitter: durationSchema({ min: 1, max: 10 * M, zeroMeans: 'no delay' }),
  scanWatchdog: durationSchema({ min: S, max: H }),
  sweepInterval: durationSchema({ min: 100, max: 10 * M }),
  checkpointInterval: durationSchema({ min: 100, max: H }),
  statusInterval: durationSchema({ min: 100, max: H, zeroMeans: 'off' }),
  logLevel: choice(LOG_LEVELS),
  logFormat: logFormatSchema,
  hciScanUart: z.string().min(1).optional(),
  hciAdvUart: z.string().min(1).optional(),
  hciScanDevice: int(0, 64).optional(),
  hciAdvDevice: int(0, 64).optional(),
  hciAdvInterval: durationSchema({ min: 100, max: 10_240 }),
  simAir: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a name of letters, digits, ".", "_" or "-" (or "private")'),
  simPosition: position.optional(),
  simPeers: int(0, 50),
  relay: choice(['on', 'off']).transform((v) => v === 'on'),
  relayCooldown: durationSchema({ min: S, max: 24 * H }),
  storeMaxBatches: int(1, 100_000),
});

export type BridgeConfig = z.infer<typeof schema>;

export type ConfigResult = { ok: true; config: BridgeConfig } | { ok: true; help: true } | { ok: false; problems: string[] };

/** Reads flags and environment; reports every problem at once, each naming its flag and variable. */
export function loadConfig(argv: readonly string[], env: Record<string, string | undefined>): ConfigResult {
  const read = readSettings(SETTINGS, argv, env, { keyFile: defaultKeyFile(env) });
  if (read.help) return { ok: true, help: true };
  const { raw, problems, label } = read;
  raw.simPeers ??= raw.api === undefined ? '0' : '3';
  if (raw.mode?.toLowerCase() !== 'dedicated' && raw.api === undefined) problems.push(`${label('api')}: is required in bridge mode`);
  const result = schema.safeParse(raw);
  if (!result.success) problems.push(...read.describe(result.error));
  else problems.push(...crossFieldProblems(result.data, label));
  if (problems.length > 0 || !result.success) return { ok: false, problems };
  return { ok: true, config: result.data };
}

function crossFieldProblems(c: BridgeConfig, label: (k: keyof typeof SETTINGS) => string): string[] {
  const problems: string[] = [];
  const keyProblem = keyFileProblem(c.keyFile, c.dataDir);
  if (keyProblem) problems.push(`${label('keyFile')}: ${keyProblem}`);
  if (c.sweepInterval > c.observationIdle) {
    problems.push(`${label('sweepInterval')}: ${formatDuration(c.sweepInterval)} is longer than ${label('observationIdle')} (${formatDuration(c.observationIdle)}): idle observations would be finished late`);
  }
  if (c.scanWatchdog <= c.sweepInterval) {
    problems.push(`${label('scanWatchdog')}: must be longer than ${label('sweepInterval')} (${formatDuration(c.sweepInterval)}), which is how often it is checked`);
  }
  if (c.radio === 'sim' && c.simPeers > 0 && c.api === undefined) {
    problems.push(`${label('simPeers')}: simulated peers sign in as devices: give ${label('api')} too, or --sim-peers 0`);
  }
  if (c.radio !== 'hci') return problems;
  if ((c.hciScanUart === undefined) !== (c.hciAdvUart === undefined)) {
    problems.push(`${label('hciScanUart')} and ${label('hciAdvUart')}: give both (one controller scans, the other advertises)`);
  } else if (c.hciScanUart !== undefined && c.hciScanUart === c.hciAdvUart) {
    problems.push(`${label('hciAdvUart')}: must differ from ${label('hciScanUart')} (a serial port has one owner)`);
  }
  return problems;
}

export function helpText(): string {
  const rows = settingRows(SETTINGS);
  return [
    'Proxitrace device bridge: advertise rotating tokens, scan, de-duplicate, upload contacts in batches, relay dedicated devices.',
    '',
    'Usage: npm run bridge -- provision --api URL --phone +E164     sign in, step 1: an SMS code is sent (see provision --help)',
    '       npm run bridge -- provision --api URL --code CODE       sign in, step 2',
    '       npm run bridge -- --api URL --radio hci|sim [options]   run',
    '       npm run bridge -- --mode dedicated --data-dir DIR --radio hci|sim [options]   (after npm run provision)',
    '',
    '  flag                   environment variable         meaning',
    ...rows,
    '  --help, -h             show this help',
    '',
    'Durations: 250ms, 90s, 15m, 1h, 2d; a bare number is seconds. Choices are accepted in any case.',
    'Logs go to stderr in the backend’s format (Powertools: level, message, timestamp, service); the status line to stdout.',
    'Exit codes: 0 done, 1 failed, 2 bad configuration, 3 waiting for the operator (an SMS code: npm run bridge -- provision --code CODE).',
  ].join('\n');
}
