import type { SimulatedDevice } from '../population/simulated-device.js';
import type { Session } from './session.js';

/**
 * Where the simulated devices and the health official get their access tokens: the local sign-up flow
 * (SMS challenge echoed by a DEV_SMS_ECHO=1 server) or a pool of pre-created Cognito users for a deployment.
 */
export interface CredentialSource {
  readonly description: string;
  /** The largest population it can sign in, and why (said when --devices asks for more). */
  readonly maxDevices: number;
  readonly maxDevicesReason: string;
  /** How to name the configured official in messages (e.g. "--official-phone +447700900001"); undefined when there is none. */
  readonly officialLabel: string | undefined;
  /** Set by signInOfficial when the user should know something for later runs (an authenticator it enrolled). */
  readonly officialNotice?: string | undefined;
  /** What each of `count` devices signs in as: generated phone numbers, or the users' names. */
  logins(count: number): string[];
  /** Signs every device in (each gets its session); throws naming the first failure. */
  signInDevices(devices: SimulatedDevice[]): Promise<void>;
  /** The official's session, or undefined when none is configured (infection reports and stats are skipped). */
  signInOfficial(): Promise<Session | undefined>;
  /** Logins among the first `devices` (and the official) whose issued access token expires by `atMs` with no way to renew it. */
  strandedBy(devices: number, atMs: number): string[];
  /** New tokens for a session whose access token is about to expire; throws when none can be had. */
  refresh(session: Session): Promise<void>;
  close(): void;
}
