import type { CredentialSource } from '../auth/credentials.js';
import type { Session } from '../auth/session.js';
import { forEachLimited } from './for-each-limited.js';
import type { HttpTarget } from '../http/http-target.js';
import type { Population } from '../population/population.js';
import type { Clock } from '../scheduler/clock.js';
import { parseTokenResponse } from './token-response.js';

export interface SetupResult {
  devicesSignedIn: number;
  official: Session | undefined;
  initialTokenCalls: number;
  seconds: number;
}

/**
 * Before the timed run: sign every device in and give each its first tokens, so the first encounters
 * already have real tokens to observe. Closed-loop and not part of the measured load. The official was
 * signed in by the preflight.
 */
export async function prepareDevices(
  target: HttpTarget,
  credentials: CredentialSource,
  population: Population,
  clock: Clock,
  official: Session | undefined,
): Promise<SetupResult> {
  const started = clock.now();
  await credentials.signInDevices(population.devices);
  const body = { count: population.config.tokensPerCall };
  await forEachLimited(population.devices, 16, async (device) => {
    const response = await target.json('POST', '/v1/tokens', body, device.session.authorization);
    if (response.status !== 201) {
      throw new Error(`initial POST /v1/tokens for device ${device.index} answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    population.acceptTokens(device, parseTokenResponse(JSON.stringify(response.body)), clock.now());
  });
  return {
    devicesSignedIn: population.devices.length,
    official,
    initialTokenCalls: population.devices.length,
    seconds: (clock.now() - started) / 1_000,
  };
}
