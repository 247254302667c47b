import * as z from 'zod';
import { checkDuration, type DurationBounds } from './duration-format.js';

export * from './duration-format.js';

/** A zod schema: a duration string → milliseconds within `bounds`. */
export function durationSchema(bounds: DurationBounds) {
  return z.string().transform((text, ctx) => {
    const checked = checkDuration(text, bounds);
    if (checked.ok) return checked.ms;
    ctx.addIssue({ code: 'custom', message: checked.message });
    return z.NEVER;
  });
}
