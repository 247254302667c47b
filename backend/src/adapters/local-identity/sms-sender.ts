/** The SMS port moved to ports/sms-sender.ts (the owner alerts use it too); kept for existing imports. */
export type { SmsSender } from '../../ports/sms-sender.js';
