import type { NotificationEvent } from '../domain/exposure/notification.js';

/**
 * Delivers a warning issued or raised to its device (push on a phone, SMS to a dedicated device's
 * owner, the log on the local stack). Called at least once per event from the tracing outbox:
 * a channel that must not repeat itself de-duplicates by notification id and degree.
 */
export interface WarningChannel {
  deliver(event: NotificationEvent): Promise<void>;
}
