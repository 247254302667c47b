import type { Session } from '../auth/session.js';
import type { HttpTarget } from '../http/http-target.js';
import type { Intent, Population } from '../population/population.js';
import type { Clock } from '../scheduler/clock.js';
import type { OpenLoopDispatcher } from '../scheduler/dispatcher.js';
import { ApiRequest, type Credentialed } from './api-request.js';
import { Endpoint } from './endpoints.js';
import { parseTokenResponse } from './token-response.js';

/** What the generator got 202 for on POST /v1/contacts: the numbers the server's counts must match. */
export interface AcceptedContacts {
  batches: number;
  observations: number;
  /** Sum of the `accepted` field the server returned. */
  reportedAccepted: number;
}

/** Turns the population's intents into API requests and feeds their results back into the population. */
export class IntentRequests {
  readonly accepted: AcceptedContacts = { batches: 0, observations: 0, reportedAccepted: 0 };
  infectionsSkipped = 0;
  private readonly tokenBody: string;

  constructor(
    private readonly target: HttpTarget,
    private readonly dispatcher: OpenLoopDispatcher,
    private readonly population: Population,
    private readonly clock: Clock,
    private readonly official: Session | undefined,
  ) {
    this.tokenBody = JSON.stringify({ count: population.config.tokensPerCall });
  }

  readonly submit = (intent: Intent, scheduledAtMs: number): void => {
    switch (intent.kind) {
      case 'tokens': {
        const device = intent.device;
        this.send(Endpoint.tokens, scheduledAtMs, 'POST', '/v1/tokens', device, this.tokenBody, (body) =>
          this.population.acceptTokens(device, parseTokenResponse(body), this.clock.now()),
        );
        return;
      }
      case 'contacts': {
        const { batch } = intent;
        this.send(Endpoint.contacts, scheduledAtMs, 'POST', '/v1/contacts', batch.device, batch.body, (body) => {
          this.accepted.batches++;
          this.accepted.observations += batch.observationCount;
          const match = body === undefined ? null : /"accepted"\s*:\s*(\d+)/.exec(body);
          if (match) this.accepted.reportedAccepted += Number(match[1]);
        });
        return;
      }
      case 'notifications':
        this.send(Endpoint.notifications, scheduledAtMs, 'GET', '/v1/notifications', intent.device, undefined);
        return;
      case 'infection':
        this.reportInfection(intent.device, scheduledAtMs);
        return;
    }
  };

  /** An official issues a verification code, then the device reports with it: the second call is due when the first answers. */
  private reportInfection(device: Credentialed, scheduledAtMs: number): void {
    if (this.official === undefined) {
      this.infectionsSkipped++;
      return;
    }
    this.send(Endpoint.verificationCodes, scheduledAtMs, 'POST', '/v1/admin/verification-codes', this.official, '{}', (body) => {
      const code = body === undefined ? undefined : (JSON.parse(body) as { code?: string }).code;
      if (code === undefined) return;
      const report = JSON.stringify({ verificationCode: code, symptomOnset: symptomOnsetDate(Date.now()) });
      this.send(Endpoint.infections, this.clock.now(), 'POST', '/v1/infections', device, report);
    });
  }

  private send(
    endpoint: number,
    scheduledAtMs: number,
    method: 'GET' | 'POST',
    path: string,
    sender: Credentialed,
    body: string | undefined,
    onSuccess?: (body: string | undefined) => void,
  ): void {
    this.dispatcher.submit(new ApiRequest(endpoint, scheduledAtMs, this.target, method, path, sender, body, onSuccess));
  }
}

/** Symptoms typically start a few days before a positive test is reported. */
function symptomOnsetDate(nowMs: number): string {
  return new Date(nowMs - 3 * 86_400_000).toISOString().slice(0, 10);
}
