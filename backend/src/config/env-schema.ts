import { isIP } from 'node:net';
import * as z from 'zod';

/** Reusable zod pieces for reading environment variables, which are always strings. */

/** A whole number with no default: undefined when unset, for a default that depends on other settings. */
export const optionalInteger = (range: { min?: number; max?: number } = {}) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(range.min ?? Number.MIN_SAFE_INTEGER).max(range.max ?? Number.MAX_SAFE_INTEGER))
    .optional();

export const integer = (fallback: number, range: { min?: number; max?: number } = {}) => optionalInteger(range).transform((v) => v ?? fallback);

/** Accepts "0.25" or a fraction such as "1/3", because officials think in fractions. */
export const probability = (fallback: number, options: { exclusiveOfOne?: boolean } = {}) =>
  z
    .string()
    .trim()
    .transform((text, ctx) => {
      const fraction = /^(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(text);
      const value = fraction ? Number(fraction[1]) / Number(fraction[2]) : Number(text);
      if (!Number.isFinite(value) || text === '') {
        ctx.addIssue({ code: 'custom', message: 'must be a number such as 0.25 or a fraction such as 1/3' });
        return z.NEVER;
      }
      return value;
    })
    .pipe(options.exclusiveOfOne ? z.number().gt(0).lt(1) : z.number().gt(0).max(1))
    .optional()
    .transform((v) => v ?? fallback);

/** 1/0 or true/false, in any case (as every choice here: `info` is INFO, `normal` is NORMAL). */
export const flag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['0', '1', 'true', 'false'], { error: 'must be 1, 0, true or false' }))
  .optional()
  .transform((v) => v === '1' || v === 'true');

/** One of a few words, in any case; the value is normalised to the spelling given (also for command-line flags). */
export const anyCase = <const T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .trim()
    .transform((v) => values.find((w) => w.toLowerCase() === v.toLowerCase()) ?? v)
    .pipe(z.enum(values, { error: `must be one of ${values.join(', ')}` }));

/** An environment variable's choice: `anyCase`, with a default when unset. */
export const choice = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) => anyCase(values).optional().default(fallback);

/**
 * Where to listen: an IPv4 or IPv6 literal, or a host name. A dotted quad that is not a valid
 * address (999.1.1.1) is refused here rather than failing later in the resolver.
 */
export const listenHost = z
  .string()
  .trim()
  .min(1)
  .refine((h) => isIP(h) !== 0 || (!/^[\d.]+$/.test(h) && /^(?=.{1,253}$)([a-z\d]([a-z\d-]{0,61}[a-z\d])?)(\.[a-z\d]([a-z\d-]{0,61}[a-z\d])?)*$/i.test(h)), {
    message: 'must be an IP address such as 127.0.0.1 or 0.0.0.0 (all interfaces), or a host name such as localhost',
  })
  .optional()
  .default('127.0.0.1');

export const commaList = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0));

export const E164 = /^\+[1-9]\d{6,14}$/;

/** Addresses and CIDR ranges, IPv4 or IPv6, such as 127.0.0.0/8,::1/128; `none` for an empty list. */
export const addressList = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v?.trim().toLowerCase() === 'none' ? '' : (v ?? fallback)).split(',').map((s) => s.trim()).filter((s) => s.length > 0))
    .pipe(z.array(z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], { error: 'each entry must be an IP address or CIDR range such as 127.0.0.0/8' })));

/** Country calling codes (digits, no +) such as 44,353,1; `any` allows every country. */
export const callingCodes = z
  .string()
  .optional()
  .transform((v, ctx): readonly string[] | 'any' | undefined => {
    if (v === undefined) return undefined;
    if (v.trim().toLowerCase() === 'any') return 'any';
    const codes = v.split(',').map((s) => s.trim().replace(/^\+/, '')).filter((s) => s.length > 0);
    if (codes.length === 0 || codes.some((c) => !/^[1-9]\d{0,3}$/.test(c))) {
      ctx.addIssue({ code: 'custom', message: 'must be calling codes such as 44,353,1 (1–4 digits each), or any' });
      return z.NEVER;
    }
    return codes;
  });

/** Variables whose values never appear in an error message. */
const SECRET = /SECRET|PASSWORD|API_KEY|SESSION_TOKEN|TOKEN_KEYS$|RELAY_KEYS$/;

/** Turns zod issues into one message that names every bad variable and what is wrong with it. */
export function describeEnvIssues(error: z.ZodError, env: Record<string, string | undefined>): string {
  const lines = error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '(environment)');
    const value = env[name];
    const shown = value === undefined ? 'unset' : SECRET.test(name) ? 'set, not shown' : JSON.stringify(value);
    return `  ${name} (${shown}): ${issue.message}`;
  });
  return `Invalid configuration:\n${lines.join('\n')}`;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** A decimal number such as 0.5 or 1.5 within a range. */
export const decimal = (fallback: number, range: { min: number; max: number }) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, 'must be a number such as 0.5')
    .transform(Number)
    .pipe(z.number().min(range.min).max(range.max))
    .optional()
    .transform((v) => v ?? fallback);

/** A comma-separated list of exactly `count` decimals within a range, e.g. "55,65,75". */
export const decimalList = (fallback: readonly number[], options: { count: number; min: number; max: number }) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^\\s*-?\\d+(\\.\\d+)?(\\s*,\\s*-?\\d+(\\.\\d+)?){${options.count - 1}}\\s*$`), `must be ${options.count} comma-separated numbers`)
    .transform((text) => text.split(',').map((part) => Number(part.trim())))
    .pipe(z.array(z.number().min(options.min).max(options.max)))
    .optional()
    .transform((v) => v ?? [...fallback]);
