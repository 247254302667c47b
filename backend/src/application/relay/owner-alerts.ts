import type { ExposureNotification } from '../../domain/exposure/notification.js';
import type { RelayKeys } from '../../domain/relay/relay-keys.js';
import { keyedLabel, openOwnerPhone } from '../../domain/relay/owner-data.js';
import type { DedicatedDeviceRegistry } from '../../ports/dedicated-devices.js';
import type { AlertRateLimit, ClaimOutcome, OwnerAlertLedger } from '../../ports/owner-alert-ledger.js';
import type { SmsSender } from '../../ports/sms-sender.js';
import type { Clock } from '../clock.js';

export interface OwnerAlertsOptions {
  limit: AlertRateLimit;
  retentionMs: number;
  onEvent?: (event: { outcome: ClaimOutcome | 'failed'; notificationId: string; error?: string }) => void;
}

export const OWNER_ALERT_TEXT = (exposedOn: string) =>
  `Proxitrace: the contact-tracing device registered to this number was close to someone who has since tested positive (on ${exposedOn}). Please follow your health authority's advice.`;

/**
 * Warns a dedicated device's owner by SMS when the device is notified of an exposure: once per
 * notification (the ledger's claim is durable before the SMS goes out, so a retry or a second
 * process sends nothing), and at most `limit.max` SMS per number per window, so that registering
 * many devices to someone's number cannot be used to flood it. Phones are not affected: they read
 * their notifications themselves.
 */
export class OwnerAlerts {
  constructor(
    private readonly registry: DedicatedDeviceRegistry,
    private readonly ledger: OwnerAlertLedger,
    private readonly sms: SmsSender,
    /** Read when an alert goes out: functions that never alert run without the relay keys. */
    private readonly keys: Pick<RelayKeys, 'ownerDataKey'>,
    private readonly clock: Clock,
    private readonly options: OwnerAlertsOptions,
  ) {}

  async alert(notification: ExposureNotification): Promise<ClaimOutcome | 'not_dedicated' | 'failed'> {
    const device = await this.registry.findByNumber(notification.device);
    if (!device) return 'not_dedicated';
    const { ownerDataKey } = this.keys;
    const phone = openOwnerPhone(ownerDataKey, device.deviceId, device.ownerPhoneSealed);
    const now = this.clock();
    const alertKey = `${notification.caseId}:${notification.device}`;
    const outcome = await this.ledger.claim(
      { alertKey, phoneKey: keyedLabel(ownerDataKey, 'phone', phone), at: now, keepUntil: new Date(now.getTime() + this.options.retentionMs) },
      this.options.limit,
    );
    if (outcome === 'send') {
      try {
        await this.sms.send(phone, OWNER_ALERT_TEXT(notification.exposedAt.toISOString().slice(0, 10)));
      } catch (error) {
        await this.ledger.markFailed(alertKey);
        this.options.onEvent?.({ outcome: 'failed', notificationId: notification.id, error: error instanceof Error ? error.message : String(error) });
        return 'failed';
      }
    }
    this.options.onEvent?.({ outcome, notificationId: notification.id });
    return outcome;
  }
}
