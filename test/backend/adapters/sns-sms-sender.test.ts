import { SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnsSmsSender } from '../../../backend/src/adapters/sns/sns-sms-sender.js';
import { FakeSns } from '../../support/fake-sns.js';

/** No SNS can run here, so the sender talks to FakeSns (SNS's query protocol, refusing one number). */
describe('SnsSmsSender', () => {
  const fake = new FakeSns((phone) => phone === '+10000000000');
  const published = fake.published;
  let sns: SNSClient;

  beforeAll(async () => {
    sns = new SNSClient({ endpoint: await fake.start(), region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  });
  afterAll(async () => {
    sns.destroy();
    await fake.stop();
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
