import { Client } from 'undici';

/** One keep-alive connection and how many requests are on it. */
export interface Connection {
  readonly client: Client;
  inFlight: number;
}

/**
 * A fixed number of keep-alive connections to one origin, each carrying one request at a time (no
 * pipelining), handed out idle first. Undici's Pool does the same job, but scans its clients and relays a
 * drain event for every request; on the generator's hot path that was a few per cent of its CPU.
 */
export class ConnectionSet {
  private readonly all: Connection[];
  private readonly idle: Connection[];
  private next = 0;

  constructor(origin: string, connections: number) {
    this.all = Array.from({ length: connections }, () => ({ client: new Client(origin, { pipelining: 1, keepAliveTimeout: 30_000 }), inFlight: 0 }));
    this.idle = [...this.all];
  }

  /** An idle connection, or when every one is busy the next in turn (the request then waits on it). */
  acquire(): Connection {
    const connection = this.idle.pop() ?? this.all[this.next++ % this.all.length]!;
    connection.inFlight++;
    return connection;
  }

  release(connection: Connection): void {
    if (--connection.inFlight === 0) this.idle.push(connection);
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((c) => c.client.close()));
  }

  async destroy(): Promise<void> {
    await Promise.all(this.all.map((c) => c.client.destroy()));
  }
}
