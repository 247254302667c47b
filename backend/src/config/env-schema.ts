import * as z from 'zod';

/** Reusable zod pieces for reading environment variables, which are always strings. */

export const integer = (fallback: number, range: { min?: number; max?: number } = {}) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(range.min ?? Number.MIN_SAFE_INTEGER).max(range.max ?? Number.MAX_SAFE_INTEGER))
    .optional()
    .transform((v) => v ?? fallback);

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

export const flag = z
  .enum(['0', '1', 'true', 'false'])
  .optional()
  .transform((v) => v === '1' || v === 'true');

export const commaList = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0));

export const E164 = /^\+[1-9]\d{6,14}$/;

/** Variables whose values never appear in an error message. */
const SECRET = /SECRET|PASSWORD|API_KEY|SESSION_TOKEN|TOKEN_KEYS$/;

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
