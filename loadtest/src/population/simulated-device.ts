import { Session } from '../auth/session.js';

/** A token window the server issued to a device, with its validity as epoch milliseconds. */
export interface IssuedToken {
  token: string;
  validFromMs: number;
  validUntilMs: number;
}

const MAX_TOKENS_HELD = 16;
const SIGNED_OUT = new Session('(not signed in)', { accessToken: '' });

/** One simulated phone: its credentials, the tokens it broadcasts and the observations it has not uploaded yet. */
export class SimulatedDevice {
  /** Set at sign-in; refreshed in place before its access token expires. */
  session: Session = SIGNED_OUT;
  deviceId = '';
  tokens: IssuedToken[] = [];
  /** Observations waiting for upload, already serialised to JSON. */
  pending: string[] = [];
  /** Bumped whenever a batch is sent, so a stale flush timer can tell its batch is gone. */
  batchGeneration = 0;
  /** Devices seen in the current simulated day (for duplicate accounting). */
  seenToday: number[] = [];
  dayIndex = 0;

  /** `login` is what it signs in as: a generated phone number, or a Cognito username. */
  constructor(
    readonly index: number,
    readonly login: string,
  ) {}

  signedIn(session: Session, deviceId: string): void {
    this.session = session;
    this.deviceId = deviceId;
  }

  /** The request headers of the current access token, built once per token so the hot path allocates none. */
  get headers(): Readonly<Record<string, string>> {
    return this.session.headers;
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
