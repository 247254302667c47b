import { createInterface } from 'node:readline/promises';
import type { Logger } from '../ports/logger.js';
import type { SmsCodeProvider } from '../upload/auth-session.js';

/** --sms-code if given, else the server's dev echo (DEV_SMS_ECHO=1 only), else ask the operator. */
export function smsCodeProvider(smsCode: string | undefined, logger: Logger): SmsCodeProvider {
  return async (challenge) => {
    if (smsCode !== undefined) return smsCode;
    if (challenge.devCode !== undefined) {
      logger.warn('using the SMS code echoed by a development server (DEV_SMS_ECHO)');
      return challenge.devCode;
    }
    if (!process.stdin.isTTY) throw new Error(`an SMS code was sent to ${challenge.phoneNumber}: pass it with --sms-code or run on a terminal`);
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return (await rl.question(`SMS code sent to ${challenge.phoneNumber}: `)).trim();
    } finally {
      rl.close();
    }
  };
}
