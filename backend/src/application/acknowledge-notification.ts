import type { Device } from '../domain/device.js';
import { NotificationNotFoundError } from '../domain/errors.js';
import type { ExposureLedger } from '../ports/exposure-ledger.js';
import type { Clock } from './clock.js';

/**
 * The device's user saw one of its warnings. The first acknowledgement is kept (repeating it is
 * harmless); the analytics count how many warnings are acknowledged, and how soon.
 */
export async function acknowledgeNotification(deps: { ledger: ExposureLedger; clock: Clock }, device: Device, id: string): Promise<Date> {
  const at = await deps.ledger.acknowledge(device.number, id, deps.clock());
  if (!at) throw new NotificationNotFoundError('You hold no notification with this id.', { id });
  return at;
}
