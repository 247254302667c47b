import { createHmac } from 'node:crypto';

/**
 * Keyed hashes of phone numbers: the key of a number's rate-limit counters and the opaque
 * usernames of the identity provider, so a number is never a username or a token claim.
 */
export class PhoneHasher {
  constructor(private readonly secret: Buffer) {}

  /** The number's own key (rate limits; the local provider's device users). */
  key(phoneNumber: string): string {
    return createHmac('sha256', this.secret).update(phoneNumber).digest('base64url');
  }

  /** A username per role, so that an official's account is never the one their phone signs in with. */
  username(role: 'device' | 'official', phoneNumber: string): string {
    return `${role === 'official' ? 'o' : 'd'}-${createHmac('sha256', this.secret).update(`${role}\0${phoneNumber}`).digest('base64url')}`;
  }
}
