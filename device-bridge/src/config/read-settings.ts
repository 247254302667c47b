import { parseArgs } from 'node:util';
import type { z } from 'zod';
import type { SettingsTable } from './setting-types.js';

/** Flags that were removed, and what to use instead: said instead of a bare "unknown flag". */
const REMOVED_FLAGS: Record<string, string> = {
  'sms-code': 'removed: sign in with `npm run bridge -- provision --phone +E164`, then `… provision --code CODE`',
  'token-ttl-minutes': 'removed: the bridge takes token windows from the backend; --observation-max bounds an observation',
};

export type ReadSettings<T extends SettingsTable> =
  | { help: true }
  | {
      help: false;
      /** The value of each setting: flag, else environment (empty counts as unset), else default. */
      raw: Record<string, string | undefined>;
      problems: string[];
      label: (key: keyof T) => string;
      /** zod issues as lines naming the flag and the variable. */
      describe: (error: z.ZodError) => string[];
    };

/** Reads one settings table from argv and the environment; flags win. */
export function readSettings<T extends SettingsTable>(table: T, argv: readonly string[], env: Record<string, string | undefined>, defaults: Partial<Record<keyof T, string>> = {}): ReadSettings<T> {
  const options = Object.fromEntries(Object.values(table).map((s) => [s.flag, { type: s.boolean ? ('boolean' as const) : ('string' as const) }]));
  const parsed = parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: false, allowPositionals: true });
  const flags = parsed.values as Record<string, string | boolean | undefined>;
  if (flags.help === true) return { help: true };
  const problems: string[] = [];
  const booleans = new Set(Object.values(table).filter((s) => s.boolean).map((s) => s.flag));
  for (const [name, value] of Object.entries(flags)) {
    if (REMOVED_FLAGS[name] !== undefined) problems.push(`--${name}: ${REMOVED_FLAGS[name]}`);
    else if (!(name in options)) problems.push(`unknown flag --${name} (see --help)`);
    else if (booleans.has(name) ? typeof value !== 'boolean' : typeof value !== 'string') problems.push(booleans.has(name) ? `--${name}: takes no value` : `--${name}: needs a value`);
  }
  for (const p of parsed.positionals) problems.push(`unexpected argument "${p}"`);
  const raw: Record<string, string | undefined> = {};
  for (const [key, s] of Object.entries(table)) {
    const flag = flags[s.flag];
    const fromEnv = env[s.env] !== undefined && env[s.env] !== '' ? env[s.env] : undefined;
    raw[key] = typeof flag === 'string' ? flag : flag === true ? 'yes' : (fromEnv ?? s.default ?? defaults[key]);
  }
  const label = (key: keyof T) => `--${table[key]!.flag} / ${table[key]!.env}`;
  const describe = (error: z.ZodError) =>
    error.issues.map((issue) => {
      const key = issue.path[0] as keyof T | undefined;
      if (key === undefined) return issue.message;
      const msg = issue.code === 'invalid_type' && raw[key as string] === undefined ? 'is required' : issue.message;
      return `${label(key)}: ${msg}`;
    });
  return { help: false, raw, problems, label, describe };
}

/** The help table's rows. */
export function settingRows(table: SettingsTable, envWidth = 28): string[] {
  return Object.values(table).map((s) => {
    const def = s.default !== undefined ? ` (default ${s.default})` : '';
    return `  --${s.flag.padEnd(20)} ${s.env.padEnd(envWidth)} ${s.help}${def}`;
  });
}
