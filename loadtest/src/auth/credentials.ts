import type { SimulatedDevice } from '../population/simulated-device.js';

/**
 * Where the simulated devices and the health official get their access tokens: the local sign-up flow
 * (SMS challenge echoed by a DEV_SMS_ECHO=1 server) or a pool of pre-created Cognito users for a deployment.
 */
export interface CredentialSource {
  readonly description: string;
  /** Signs every device in; throws naming the first failure. */
  signInDevices(devices: SimulatedDevice[]): Promise<void>;
  /** `Bearer …` for an official, or undefined when none is configured (infection reports and stats are skipped). */
  signInOfficial(): Promise<string | undefined>;
  /** Refreshes the sessions of devices whose access token expires before `beforeMs`; returns how many. */
  refreshDue(devices: SimulatedDevice[], beforeMs: number): Promise<number>;
}
