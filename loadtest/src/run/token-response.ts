import type { IssuedToken } from '../population/simulated-device.js';

interface TokenBody {
  tokens?: { token?: string; validFrom?: string; validUntil?: string }[];
}

/** Parses a POST /v1/tokens body; windows with missing or unparseable fields are left out. */
export function parseTokenResponse(text: string | undefined): IssuedToken[] {
  if (!text) return [];
  const body = JSON.parse(text) as TokenBody;
  const out: IssuedToken[] = [];
  for (const t of body.tokens ?? []) {
    const validFromMs = Date.parse(t.validFrom ?? '');
    const validUntilMs = Date.parse(t.validUntil ?? '');
    if (t.token && Number.isFinite(validFromMs) && Number.isFinite(validUntilMs)) out.push({ token: t.token, validFromMs, validUntilMs });
  }
  return out;
}
