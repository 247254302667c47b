import type { Logger } from '@aws-lambda-powertools/logger';
import type { SmsSender } from '../local-identity/sms-sender.js';

/** The local stack's SMS gateway: the code goes to the log, for the developer to read. */
export class LogSmsSender implements SmsSender {
  constructor(private readonly logger: Logger) {}

  async send(phoneNumber: string, message: string): Promise<void> {
    this.logger.info('SMS (local stack: not sent)', { to: maskPhone(phoneNumber), text: message });
  }
}

/** Keeps the country code and the last two digits: enough to tell test phones apart. */
export function maskPhone(phoneNumber: string): string {
  return phoneNumber.length <= 6 ? '***' : `${phoneNumber.slice(0, 3)}***${phoneNumber.slice(-2)}`;
}
