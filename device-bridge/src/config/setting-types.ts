import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { z } from 'zod';

/** One setting: its flag, its environment variable, its default and its help text. */
export interface Setting {
  flag: string;
  env: string;
  default?: string;
  help: string;
  /** A flag without a value (`--resend`); its variable takes yes/no. */
  boolean?: true;
}

export type SettingsTable = Record<string, Setting>;

export const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number like +15550100001');

/** One of `values`, accepted in any case (as the backend accepts its choices). */
export const choice = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.string().transform((v, ctx): T[number] => {
    const found = values.find((c) => c.toLowerCase() === v.trim().toLowerCase());
    if (found === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')} (any case), got "${v}"` });
      return z.NEVER;
    }
    return found;
  });

export const int = (min: number, max: number) =>
  z.string().transform((v, ctx) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n) || n < min || n > max) ctx.addIssue({ code: 'custom', message: `must be an integer ${min}..${max}, got "${v}"` });
    return n;
  });

/** The backend's LOG_LEVEL values. */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
/** The backend's LOG_FORMAT values; `text`, this bridge's older name for `readable`, still works. */
export const LOG_FORMATS = ['auto', 'json', 'readable'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export const logFormatSchema = choice([...LOG_FORMATS, 'text']).transform((v): LogFormat => (v === 'text' ? 'readable' : v));

/** The sealing key's default home: the user's configuration directory, never the data directory. */
export function defaultKeyFile(env: Record<string, string | undefined>): string {
  const config = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(config, 'proxitrace-bridge', 'store.key');
}

/** The key must live apart from what it seals: a copy of the data directory alone opens nothing. */
export function keyFileProblem(keyFile: string, dataDir: string): string | undefined {
  const inside = relative(resolve(dataDir), resolve(keyFile));
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) return `must be outside the data directory ${dataDir} (a copy of the data directory must not carry its key)`;
  return undefined;
}
