import type { Device } from '../domain/device.js';
import type { TokenCipher } from '../domain/tokens/token-cipher.js';
import { encodeToken } from '../domain/tokens/token-encoding.js';
import { consecutiveWindows, windowEnd, windowStart } from '../domain/tokens/token-window.js';
import type { TokenRegistry } from '../ports/token-registry.js';
import type { Clock } from './clock.js';

export interface IssuedToken {
  token: string;
  validFrom: Date;
  validUntil: Date;
}

export interface IssueTokensDeps {
  cipher: TokenCipher;
  registry: TokenRegistry;
  tokenTtlMinutes: number;
  clock: Clock;
}

/**
 * Issues tokens for the current window and the `count - 1` after it. The same device asking
 * again for a window gets the same token; the issuance is durable before this resolves.
 */
export async function issueTokens(deps: IssueTokensDeps, device: Device, count: number): Promise<IssuedToken[]> {
  const windows = consecutiveWindows(deps.clock(), deps.tokenTtlMinutes, count);
  const issued = windows.map((window) => ({
    token: encodeToken(deps.cipher.issue(device.number, window)),
    validFrom: windowStart(window),
    validUntil: windowEnd(window),
  }));
  await deps.registry.recordIssued(
    issued.map((t) => ({ device: device.number, windowStart: t.validFrom, validUntil: t.validUntil, keyId: deps.cipher.issuingKeyId })),
  );
  return issued;
}
