import type { Dispatcher } from 'undici';
import { ConnectionSet } from './connection-set.js';
import { HttpExchange } from './http-exchange.js';

export type ResponseCallback = (status: number, body: string | undefined, error: Error | undefined) => void;

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
}

/**
 * The API under test: keep-alive connections to the target's origin, with any path prefix (an API
 * Gateway stage such as /prod) prepended to every request path.
 */
export class HttpTarget {
  private readonly connections: ConnectionSet;
  readonly origin: string;
  private readonly prefix: string;

  constructor(baseUrl: string, connections: number) {
    const url = new URL(baseUrl);
    this.origin = url.origin;
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.connections = new ConnectionSet(this.origin, connections);
  }

  /** The hot path: the exchange object is undici's handler, so nothing else is allocated per request. */
  dispatch(method: Dispatcher.HttpMethod, path: string, headers: Readonly<Record<string, string>>, body: string | undefined, exchange: HttpExchange): void {
    const connection = this.connections.acquire();
    exchange.onConnection(this.connections, connection);
    connection.client.dispatch({ origin: this.origin, method, path: this.prefix + path, headers, body }, exchange);
  }

  /** Callback form, for the few requests outside the hot path. */
  send(
    method: Dispatcher.HttpMethod,
    path: string,
    headers: Readonly<Record<string, string>>,
    body: string | undefined,
    wantBody: boolean,
    callback: ResponseCallback,
  ): void {
    this.dispatch(method, path, headers, body, new CallbackExchange(wantBody, callback));
  }

  /** Convenience for set-up steps (sign-up, stats): promise-based, parses JSON bodies. */
  json<T = unknown>(method: Dispatcher.HttpMethod, path: string, body?: unknown, authorization?: string): Promise<JsonResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (authorization) headers.authorization = authorization;
    return new Promise((resolve, reject) => {
      this.send(method, path, headers, body === undefined ? undefined : JSON.stringify(body), true, (status, text, error) => {
        if (error) return reject(error);
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // Not JSON: hand back the text so the caller can show it.
        }
        resolve({ status, body: parsed as T });
      });
    });
  }

  close(): Promise<void> {
    return this.connections.close();
  }

  /** Aborts whatever is still in flight (used when requests outlive the drain timeout). */
  destroy(): Promise<void> {
    return this.connections.destroy();
  }
}

class CallbackExchange extends HttpExchange {
  constructor(
    protected readonly wantsBody: boolean,
    private readonly callback: ResponseCallback,
  ) {
    super();
  }

  protected finished(status: number, body: string | undefined, error: Error | undefined): void {
    this.callback(status, body, error);
  }
}

/** A short, stable label for the error breakdown: the API's error code, else the HTTP status or error code. */
export function errorKind(status: number, body: string | undefined, error: Error | undefined): string | undefined {
  if (error) return (error as { code?: string }).code ?? error.name;
  if (status >= 200 && status < 300) return undefined;
  const match = body === undefined ? null : /"code"\s*:\s*"([^"]{1,64})"/.exec(body);
  return match ? `${status} ${match[1]}` : `http_${status}`;
}
