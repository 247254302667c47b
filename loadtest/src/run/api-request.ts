import type { Dispatcher } from 'undici';
import { HttpExchange } from '../http/http-exchange.js';
import { errorKind, type HttpTarget } from '../http/http-target.js';
import type { Completion, ScheduledRequest } from '../scheduler/dispatcher.js';

/** A request to the API under test; `onSuccess` (when given) receives the 2xx body. */
export class ApiRequest extends HttpExchange implements ScheduledRequest {
  protected readonly wantsBody: boolean;
  private done: Completion | undefined;

  constructor(
    readonly endpoint: number,
    readonly scheduledAtMs: number,
    private readonly target: HttpTarget,
    private readonly method: Dispatcher.HttpMethod,
    private readonly path: string,
    private readonly headers: Readonly<Record<string, string>>,
    private readonly body: string | undefined,
    private readonly onSuccess?: (body: string | undefined) => void,
  ) {
    super();
    this.wantsBody = onSuccess !== undefined;
  }

  start(done: Completion): void {
    this.done = done;
    this.target.dispatch(this.method, this.path, this.headers, this.body, this);
  }

  protected finished(status: number, body: string | undefined, error: Error | undefined): void {
    if (status >= 200 && status < 300) this.onSuccess?.(body);
    this.done!.complete(this, status, errorKind(status, body, error));
  }
}
