import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnsSmsSender } from '../../../backend/src/adapters/sns/sns-sms-sender.js';

/**
 * No SNS can run here, so the sender talks to an HTTP endpoint answering SNS's query protocol as
 * the SNS API reference documents it: Publish's form parameters in, PublishResponse XML out, and
 * the ErrorResponse SNS sends for a number it refuses.
 */
describe('SnsSmsSender', () => {
  const published: URLSearchParams[] = [];
  let server: Server;
  let sns: SNSClient;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const form = new URLSearchParams(body);
        published.push(form);
        response.setHeader('content-type', 'text/xml');
        if (form.get('PhoneNumber') === '+10000000000') {
          response.statusCode = 400;
          response.end(
            '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>InvalidParameter</Code>' +
              '<Message>Invalid parameter: PhoneNumber Reason: +10000000000 is not valid to publish to</Message></Error><RequestId>r-2</RequestId></ErrorResponse>',
          );
          return;
        }
        response.end(
          '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult>' +
            '<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>',
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sns = new SNSClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  });
  afterAll(async () => {
    sns.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('publishes the code to the phone number as a transactional SMS with the sender ID', async () => {
    await new SnsSmsSender(sns, { senderId: 'Proxitrace' }).send('+15550001234', 'Your Proxitrace code is 123456');
    const form = published.at(-1)!;
    expect(form.get('Action')).toBe('Publish');
    expect(form.get('PhoneNumber')).toBe('+15550001234');
    expect(form.get('Message')).toBe('Your Proxitrace code is 123456');
    const attributes = new Map<string, string>();
    for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i++) {
      attributes.set(form.get(`MessageAttributes.entry.${i}.Name`)!, form.get(`MessageAttributes.entry.${i}.Value.StringValue`)!);
    }
    expect(Object.fromEntries(attributes)).toEqual({ 'AWS.SNS.SMS.SMSType': 'Transactional', 'AWS.SNS.SMS.SenderID': 'Proxitrace' });
  });

  it('leaves the sender ID out when none is configured', async () => {
    await new SnsSmsSender(sns).send('+15550001234', 'code');
    expect([...published.at(-1)!.values()]).not.toContain('AWS.SNS.SMS.SenderID');
  });

  it('fails the send with SNS’s reason when SNS refuses the number', async () => {
    await expect(new SnsSmsSender(sns).send('+10000000000', 'code')).rejects.toThrow(/not valid to publish to/);
  });
});
