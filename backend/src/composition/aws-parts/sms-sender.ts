import { SNSClient } from '@aws-sdk/client-sns';
import { LogSmsSender } from '../../adapters/log/log-sms-sender.js';
import { SnsSmsSender } from '../../adapters/sns/sns-sms-sender.js';
import type { SmsSender } from '../../ports/sms-sender.js';
import { awsClientConfig, observed } from '../aws-clients.js';
import type { AwsContext } from './aws-context.js';

/** Sign-in codes and owners' warnings: SMS through SNS (SMS_SENDER=sns) or to the log (built once). */
export function smsSender(ctx: AwsContext): SmsSender {
  return ctx.once('sms', () => {
    const { sms } = ctx.aws;
    if (sms.sender !== 'sns') return new LogSmsSender(ctx.logger);
    const sns = observed(new SNSClient(awsClientConfig(ctx.aws, sms.snsEndpoint)));
    ctx.onClose(() => sns.destroy());
    return new SnsSmsSender(sns, { senderId: sms.senderId });
  });
}
