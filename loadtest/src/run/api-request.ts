import type { Dispatcher } from 'undici';
import { HttpExchange } from '../http/http-exchange.js';
import { errorKind, type HttpTarget } from '../http/http-target.js';
import type { Completion, ScheduledRequest } from '../scheduler/dispatcher.js';

/** Whoever sends a request: its headers carry the access token current when the request goes out. */
export interface Credentialed {
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * A request to the API under test; `onSuccess` (when given) receives the 2xx body. The sender's headers
 * are read when the request starts, not when it was scheduled, so a request that waited for a slot
 * goes out with the renewed token.
 */
export class ApiRequest extends HttpExchange implements ScheduledRequest {
  protected readonly wantsBody: boolean;
  private done: Completion | undefined;

  constructor(
    readonly endpoint: number,
    readonly scheduledAtMs: number,
    private readonly target: HttpTarget,
    private readonly method: Dispatcher.HttpMethod,
    private readonly path: string,
    private readonly sender: Credentialed,
    private readonly body: string | undefined,
    private readonly onSuccess?: (body: string | undefined) => void,
  ) {
    super();
    this.wantsBody = onSuccess !== undefined;
  }

  start(done: Completion): void {
    this.done = done;
    this.target.dispatch(this.method, this.path, this.sender.headers, this.body, this);
  }

  protected finished(status: number, body: string | undefined, error: Error | undefined): void {
    if (status >= 200 && status < 300) this.onSuccess?.(body);
    this.done!.complete(this, status, errorKind(status, body, error));
  }
}
