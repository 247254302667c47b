import type { NotificationEvent } from '../../domain/exposure/notification.js';
import type { WarningChannel } from '../../ports/warning-channel.js';
import type { OwnerAlerts } from './owner-alerts.js';

/**
 * A warning channel that also warns a dedicated device's owner by SMS. The tracer delivers each
 * warning from a durable task, so the SMS is awaited: a failed send fails the task, which is
 * retried, and the owner-alert ledger keeps it to one SMS per (case, device) whatever the retries
 * (a raise of the same warning sends none).
 */
export class OwnerAlertingChannel implements WarningChannel {
  constructor(
    private readonly inner: WarningChannel,
    private readonly ownerAlerts: OwnerAlerts,
  ) {}

  async deliver(event: NotificationEvent): Promise<void> {
    await this.inner.deliver(event);
    const outcome = await this.ownerAlerts.alert(event.notification);
    if (outcome === 'failed') throw new Error(`the owner SMS for notification ${event.notification.id} failed; it is retried`);
  }
}
