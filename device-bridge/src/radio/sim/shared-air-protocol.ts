import { z } from 'zod';

/**
 * What crosses the shared air between processes: one JSON object per line. A radio's state is
 * sent when it changes (advertisement, address, position), not per advertising event: every
 * process runs the propagation model for its own receivers.
 */
export const radioStateSchema = z.object({
  t: z.literal('state'),
  id: z.string().min(1).max(80),
  x: z.number().finite(),
  y: z.number().finite(),
  txPower: z.number().int().min(-127).max(20),
  address: z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/).nullable(),
  /** base64 of the advertising data (≤ 31 bytes), null when not advertising. */
  payload: z.string().max(64).nullable(),
  connectable: z.boolean(),
});
export const radioGoneSchema = z.object({ t: z.literal('gone'), id: z.string().min(1).max(80) });
export const airMessageSchema = z.discriminatedUnion('t', [radioStateSchema, radioGoneSchema]);

export type RadioState = z.infer<typeof radioStateSchema>;
export type AirMessage = z.infer<typeof airMessageSchema>;

/** The longest line accepted; anything longer is not ours and closes the connection. */
export const MAX_LINE = 1_024;

/** Splits a stream into lines of at most MAX_LINE characters; `onLine` for each, `onOverflow` once. */
export function lineReader(onLine: (line: string) => void, onOverflow: () => void): (chunk: Buffer) => void {
  let buffered = '';
  return (chunk) => {
    buffered += chunk.toString('utf8');
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.length > 0) onLine(line);
    }
    if (buffered.length > MAX_LINE) {
      buffered = '';
      onOverflow();
    }
  };
}

/** Parses one line; undefined for anything malformed (ignored: one bad peer must not stop the air). */
export function parseAirMessage(line: string): AirMessage | undefined {
  try {
    const parsed = airMessageSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
