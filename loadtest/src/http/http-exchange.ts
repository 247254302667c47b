import type { Connection, ConnectionSet } from './connection-set.js';

/**
 * One request/response, written as undici's callback-style dispatch handler so that the request object
 * itself receives the response: no separate handler, closure or promise per request on the hot path.
 * Subclasses decide what a finished exchange means.
 */
export abstract class HttpExchange {
  protected status = 0;
  private chunks: Buffer[] | undefined;
  private connections: ConnectionSet | undefined;
  private connection: Connection | undefined;

  /** Called by the target when it puts this exchange on a connection; handed back before `finished`. */
  onConnection(connections: ConnectionSet, connection: Connection): void {
    this.connections = connections;
    this.connection = connection;
  }

  /** Whether the 2xx body is needed; error bodies are always kept so their error code can be reported. */
  protected abstract readonly wantsBody: boolean;

  protected abstract finished(status: number, body: string | undefined, error: Error | undefined): void;

  onConnect(): void {}

  onHeaders(statusCode: number): boolean {
    this.status = statusCode;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.wantsBody || this.status >= 400) (this.chunks ??= []).push(chunk);
    return true;
  }

  onComplete(): void {
    const body = this.chunks === undefined ? undefined : Buffer.concat(this.chunks).toString('utf8');
    this.releaseConnection();
    this.finished(this.status, body, undefined);
  }

  onError(error: Error): void {
    this.releaseConnection();
    this.finished(0, undefined, error);
  }

  /** Before `finished`, so that the next request it starts can take this now idle connection. */
  private releaseConnection(): void {
    if (this.connection === undefined) return;
    this.connections!.release(this.connection);
    this.connection = undefined;
  }
}
