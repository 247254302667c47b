import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * SNS's query protocol for Publish, as the SNS API reference documents it: the form parameters
 * in, PublishResponse XML out, and the ErrorResponse SNS sends for a number it refuses
 * (`refuses`). No SNS can run on this machine; the real SDK client talks to this.
 */
export class FakeSns {
  /** Every Publish request's form parameters, in order. */
  readonly published: URLSearchParams[] = [];
  private server?: Server;

  constructor(private readonly refuses: (phoneNumber: string) => boolean = () => false) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const form = new URLSearchParams(body);
        this.published.push(form);
        response.setHeader('content-type', 'text/xml');
        const phone = form.get('PhoneNumber') ?? '';
        if (this.refuses(phone)) {
          response.statusCode = 400;
          response.end(
            '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>InvalidParameter</Code>' +
              `<Message>Invalid parameter: PhoneNumber Reason: ${phone} is not valid to publish to</Message></Error><RequestId>r-${this.published.length}</RequestId></ErrorResponse>`,
          );
          return;
        }
        response.end(
          `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-${this.published.length}</MessageId></PublishResult>` +
            `<ResponseMetadata><RequestId>r-${this.published.length}</RequestId></ResponseMetadata></PublishResponse>`,
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
