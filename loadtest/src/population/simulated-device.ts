/** A token window the server issued to a device, with its validity as epoch milliseconds. */
export interface IssuedToken {
  token: string;
  validFromMs: number;
  validUntilMs: number;
}

const MAX_TOKENS_HELD = 16;

/** One simulated phone: its credentials, the tokens it broadcasts and the observations it has not uploaded yet. */
export class SimulatedDevice {
  authorization = '';
  /** Request headers, built once at sign-in so the hot path allocates none. */
  headers: Record<string, string> = {};
  deviceId = '';
  /** The session's single-use refresh token, when the sign-in gave one. */
  refreshToken: string | undefined;
  /** When the access token expires (wall-clock epoch ms); Infinity when unknown. */
  accessExpiresAtMs = Number.POSITIVE_INFINITY;
  tokens: IssuedToken[] = [];
  /** Observations waiting for upload, already serialised to JSON. */
  pending: string[] = [];
  /** Bumped whenever a batch is sent, so a stale flush timer can tell its batch is gone. */
  batchGeneration = 0;
  /** Devices seen in the current simulated day (for duplicate accounting). */
  seenToday: number[] = [];
  dayIndex = 0;

  constructor(
    readonly index: number,
    readonly phoneNumber: string,
  ) {}

  signedIn(accessToken: string, deviceId: string, session?: { refreshToken?: string | undefined; expiresInSeconds?: number | undefined }): void {
    this.authorization = `Bearer ${accessToken}`;
    this.headers = { 'content-type': 'application/json', authorization: this.authorization };
    this.deviceId = deviceId;
    this.refreshToken = session?.refreshToken ?? this.refreshToken;
    this.accessExpiresAtMs = session?.expiresInSeconds === undefined ? Number.POSITIVE_INFINITY : Date.now() + session.expiresInSeconds * 1000;
  }

  /**
   * Keeps the newest issue first; older windows stay usable while still valid, as on a real phone. Under
   * time compression a device renews many times within one real window, so the list is capped.
   */
  acceptTokens(tokens: IssuedToken[], wallNowMs: number): void {
    const stillValid = this.tokens.filter((t) => t.validUntilMs > wallNowMs);
    this.tokens = [...tokens, ...stillValid].slice(0, MAX_TOKENS_HELD);
  }

  /** The token this device broadcasts at `wallMs`, if it holds one valid then. */
  tokenAt(wallMs: number): IssuedToken | undefined {
    return this.tokens.find((t) => t.validFromMs <= wallMs && wallMs < t.validUntilMs);
  }

  startDay(dayIndex: number): void {
    if (dayIndex === this.dayIndex) return;
    this.dayIndex = dayIndex;
    this.seenToday = [];
  }
}

/** Distinct, valid E.164 numbers in the UK drama range (+44 7700 900xxx style), one per device. */
export function simulatedPhoneNumber(runId: number, index: number): string {
  return `+447${String(runId % 1_000).padStart(3, '0')}${String(index).padStart(6, '0')}`;
}
