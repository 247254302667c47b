import { DROP_REASONS, noDrops, type DropReason } from '../domain/contacts/observation.js';
import type { RateLimitStore } from '../ports/rate-limit-store.js';

const DAY_MS = 86_400_000;
const DAYS_SHOWN = 7;
/** What is counted besides the drop reasons. */
export const REFUSALS = ['uploads_over_daily_limit', 'uploads_with_future_sightings'] as const;
export type Refusal = (typeof REFUSALS)[number];
type Counted = DropReason | Refusal;

/**
 * Per-day counters of what the backend refused or dropped, by reason, shared by every instance
 * (the rate-limit store's counters): so that an operator can tell a broken client (many
 * `unknown_token` or `outside_window`) from a quiet day. Kept a week.
 */
export class OperationalCounts {
  constructor(private readonly counters: RateLimitStore) {}

  async count(counts: Partial<Record<Counted, number>>, now: Date): Promise<void> {
    const day = Math.floor(now.getTime() / DAY_MS);
    const expires = new Date((day + DAYS_SHOWN + 1) * DAY_MS);
    await Promise.all(
      Object.entries(counts)
        .filter(([, n]) => (n ?? 0) > 0)
        .map(([reason, n]) => this.counters.take(key(reason, day), Number.MAX_SAFE_INTEGER, expires, now, n)),
    );
  }

  /** Today's counts and the last seven days' (today included), by reason. */
  async read(now: Date): Promise<{ today: Record<Counted, number>; lastSevenDays: Record<Counted, number> }> {
    const day = Math.floor(now.getTime() / DAY_MS);
    const reasons: Counted[] = [...DROP_REASONS, ...REFUSALS];
    const empty = () => ({ ...noDrops(), ...Object.fromEntries(REFUSALS.map((r) => [r, 0])) }) as Record<Counted, number>;
    const today = empty();
    const week = empty();
    await Promise.all(
      reasons.flatMap((reason) =>
        Array.from({ length: DAYS_SHOWN }, async (_, back) => {
          const n = (await this.counters.peek(key(reason, day - back), now))?.count ?? 0;
          week[reason] += n;
          if (back === 0) today[reason] += n;
        }),
      ),
    );
    return { today, lastSevenDays: week };
  }
}

function key(reason: string, day: number): string {
  return `count:${reason}:${day}`;
}
