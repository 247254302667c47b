import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SmsSender } from '../local-identity/sms-sender.js';

export interface SnsSmsOptions {
  /** Alphanumeric sender ID where the destination country supports one (1–11 characters). */
  senderId?: string | undefined;
}

/**
 * Sign-in codes as SMS through Amazon SNS, typed `Transactional` (time-critical, delivered for
 * reliability rather than lowest cost). The account needs SMS production access and a monthly
 * spending limit that covers the sign-ups.
 */
export class SnsSmsSender implements SmsSender {
  constructor(
    private readonly sns: SNSClient,
    private readonly options: SnsSmsOptions = {},
  ) {}

  async send(phoneNumber: string, message: string): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        PhoneNumber: phoneNumber,
        Message: message,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          ...(this.options.senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: this.options.senderId } } : {}),
        },
      }),
    );
  }
}
