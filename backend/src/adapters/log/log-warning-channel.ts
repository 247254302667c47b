import type { Logger } from '@aws-lambda-powertools/logger';
import type { NotificationEvent } from '../../domain/exposure/notification.js';
import type { WarningChannel } from '../../ports/warning-channel.js';

/** The local stack's push channel: a log line per warning issued or raised (no device, no case). */
export class LogWarningChannel implements WarningChannel {
  constructor(private readonly logger: Logger) {}

  async deliver(event: NotificationEvent): Promise<void> {
    const n = event.notification;
    this.logger.info(event.kind === 'issued' ? 'exposure warning issued' : 'exposure warning raised', {
      notificationId: n.id,
      degree: n.degree,
      probability: n.probability,
      ...(event.previousDegree === undefined ? {} : { previousDegree: event.previousDegree }),
    });
  }
}
