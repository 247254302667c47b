import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a custom resource answered: the PUT's method and its JSON body (Status, Data, Reason, …). */
export interface CloudFormationAnswer {
  method: string;
  Status?: string;
  [field: string]: unknown;
}

/** Plays the pre-signed S3 URL CloudFormation gives a custom resource: keeps every answer PUT to it. */
export class CloudFormationResponses {
  readonly answers: CloudFormationAnswer[] = [];
  private server?: Server;

  /** Starts listening; returns the response URL to put into the events. */
  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        this.answers.push({ method: request.method ?? '', ...(JSON.parse(body) as object) });
        response.end();
      });
    });
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/response`;
  }

  async stop(): Promise<void> {
    await new Promise((done) => this.server?.close(done));
  }
}
