import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { StatementCounter } from '../statement-counter.js';

/**
 * What the tracer's own invocations cost, counted only inside them (`within`): the calls into each
 * port, the SQL statements on the embedded store, and the HTTP requests to each engine on the AWS
 * adapters (DynamoDB, SQS, OpenSearch, by port). What the harness does around them — the stream or
 * outbox poll that finds the tasks, the checks after — is not counted: Lambda's event source does
 * that part in AWS.
 */
export class TracerCost {
  private readonly scope = new AsyncLocalStorage<true>();
  readonly portCalls: Record<string, number> = {};
  private statementCounter = new StatementCounter();
  readonly requests: Record<string, number> = {};
  private readonly onRequest = (message: unknown) => {
    if (!this.scope.getStore()) return;
    const { request } = message as { request: ClientRequest };
    const engine = this.engineOf(String(request.getHeader('host') ?? request.host));
    this.requests[engine] = (this.requests[engine] ?? 0) + 1;
  };

  /** `engines`: host:port → engine name, for the requests. */
  constructor(private readonly engines: Readonly<Record<string, string>> = {}) {
    subscribe('http.client.request.start', this.onRequest);
    this.statementCounter.start();
  }

  within<T>(run: () => Promise<T>): Promise<T> {
    return this.scope.run(true, run);
  }

  /** A port whose method calls are counted, under `name.method`, when made by the tracer. */
  counting<T extends object>(name: string, port: T): T {
    return new Proxy(port, {
      get: (target, key, receiver) => {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function' || typeof key !== 'string') return value;
        return (...args: unknown[]) => {
          if (this.scope.getStore()) this.portCalls[`${name}.${key}`] = (this.portCalls[`${name}.${key}`] ?? 0) + 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }

  /** For SqliteOptions.onStatement: counts the statement's verb when the tracer runs it. */
  readonly onStatement = (sql: string): void => {
    if (this.scope.getStore()) this.statementCounter.onStatement(sql);
  };

  /** The SQL statements by kind, and the queries among them (none on the AWS adapters). */
  get statements(): StatementCounter['counts'] & { queries: number } {
    return { ...this.statementCounter.counts, queries: this.statementCounter.queries };
  }

  reset(): void {
    for (const counts of [this.portCalls, this.requests]) for (const key of Object.keys(counts)) delete counts[key];
    this.statementCounter = new StatementCounter();
    this.statementCounter.start();
  }

  close(): void {
    unsubscribe('http.client.request.start', this.onRequest);
  }

  private engineOf(host: string): string {
    return this.engines[host] ?? host;
  }
}
