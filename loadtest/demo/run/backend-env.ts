import { loadBackendConfig, type BackendConfig } from '../../../backend/src/config/backend-config.js';
import { ConfigError } from '../../../backend/src/config/env-schema.js';
import { OFFICIAL_NUMBER } from '../town/population.js';

/** The settings an official may try in a what-if (`--compare-policy`): the exposure policy's. */
export const POLICY_VARIABLES = [
  'HOP_PROBABILITY',
  'MIN_NOTIFY_PROBABILITY',
  'EXPOSURE_MIN_MINUTES',
  'ATTENUATION_THRESHOLDS_DB',
  'ATTENUATION_WEIGHTS',
  'UNKNOWN_SIGNAL_WEIGHT',
  'ENCOUNTER_GAP_MINUTES',
  'INFECTIOUS_DAYS_BEFORE_ONSET',
  'INFECTIOUS_DAYS_AFTER_REPORT',
  'LOOKBACK_DAYS',
  'RSSI_CORRECTION_DB',
  'DEFAULT_TX_POWER_DBM',
] as const;

/** What the demo sets itself: the rest of the environment passes through as for `npm start`. */
const DEMO_OWNED = ['PORT', 'HOST', 'DATA_DIR', 'BACKEND', 'DEV_SMS_ECHO', 'OFFICIAL_PHONE_NUMBERS', 'LOG_LEVEL', 'LOG_FORMAT'];

/**
 * `HOP_PROBABILITY=1/2,MIN_NOTIFY_PROBABILITY=0.2` → the two settings. A value may hold commas
 * (`ATTENUATION_WEIGHTS=1.5,1,0.5,0`): a new setting starts only where a NAME= follows one.
 */
export function parsePolicyOverrides(text: string): { overrides: Record<string, string> } | { problem: string } {
  const overrides: Record<string, string> = {};
  for (const part of text.split(/,(?=[A-Z_]+=)/)) {
    const match = /^([A-Z_]+)=(.+)$/.exec(part.trim());
    if (!match) return { problem: `"${part}" is not NAME=value` };
    const [, name, value] = match as unknown as [string, string, string];
    if (!(POLICY_VARIABLES as readonly string[]).includes(name)) return { problem: `${name} is not a policy setting (one of ${POLICY_VARIABLES.join(', ')})` };
    overrides[name] = value;
  }
  return Object.keys(overrides).length > 0 ? { overrides } : { problem: 'no settings given' };
}

export interface DemoEnvOptions {
  /** The environment the demo was started with (its policy settings apply). */
  base: Record<string, string | undefined>;
  dataDir: string;
  days: number;
  policy?: Record<string, string> | undefined;
  /** BACKEND=aws and its endpoints, when on the real-services stack. */
  aws?: Record<string, string> | undefined;
}

/**
 * The backend's environment for the town. Besides what the user set, a few settings follow from
 * compressing days into minutes: a consumer's batch stays invisible for 12 simulated hours (20 s
 * at the default speed) before it would be retried, access tokens last a simulated day, the
 * official's session a week, and a dedicated device's bundle covers the whole run.
 */
export function demoBackendEnv(options: DemoEnvOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.base)) if (v !== undefined && v !== '' && !DEMO_OWNED.includes(k)) env[k] = v;
  return {
    ...env,
    QUEUE_VISIBILITY_TIMEOUT_SECONDS: '43200',
    ACCESS_TOKEN_TTL_HOURS: '24',
    OFFICIAL_SESSION_HOURS: '168',
    DEDICATED_BUNDLE_DAYS: String(Math.min(14, options.days + 1)),
    SQLITE_SYNCHRONOUS: 'NORMAL',
    ...options.policy,
    ...options.aws,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir,
    LOG_LEVEL: 'INFO',
    // The demo counts the backend's errors from its JSON lines (and writes them to the run's log file).
    LOG_FORMAT: 'json',
    DEV_SMS_ECHO: '1',
    OFFICIAL_PHONE_NUMBERS: OFFICIAL_NUMBER,
  };
}

/** The configuration that environment gives (the truth uses its exposure policy); throws ConfigError on a bad value. */
export function configOf(env: Record<string, string>): BackendConfig {
  return loadBackendConfig(env);
}

export { ConfigError };
