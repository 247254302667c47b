import { DomainError } from '../../domain/errors.js';
import { openOwnerPhone, sealOwnerPhone } from '../../domain/relay/owner-data.js';
import type { RelayKeys } from '../../domain/relay/relay-keys.js';
import { signEd25519, verifyEd25519 } from '../../domain/relay/relay-signatures.js';
import type { SignInChallenge } from '../../ports/identity.js';
import type { Clock } from '../clock.js';

/** How long the owner has to enter the SMS code. */
const TICKET_TTL_MS = 10 * 60_000;

export class OwnerVerificationError extends DomainError {
  readonly code = 'owner_verification_invalid';
}

export interface OwnerVerification {
  /** Opaque: names the SMS challenge and carries the number sealed, signed by the backend. */
  verificationId: string;
  devCode?: string | undefined;
}

/**
 * Proves that the owner holds the phone a device is registered to, with the identity provider's
 * SMS code: the caller starts the challenge for the number (under the sign-in limits) and hands
 * back a signed ticket that binds the challenge to the (sealed) number, so a registration cannot
 * name another number than the one that received the code. Stateless: the ticket is the only
 * record until it is redeemed.
 */
export function issueOwnerTicket(deps: { keys: RelayKeys; clock: Clock }, challenge: SignInChallenge, phoneNumber: string): OwnerVerification {
  const body = Buffer.from(
    JSON.stringify({ c: challenge.challengeId, p: sealOwnerPhone(deps.keys.ownerDataKey, 'owner-ticket', phoneNumber), e: deps.clock().getTime() + TICKET_TTL_MS }),
  ).toString('base64url');
  const signature = signEd25519(deps.keys.ackSigningKey, Buffer.from(`owner-ticket:${body}`)).toString('base64url');
  return { verificationId: `${body}.${signature}`, devCode: challenge.devCode };
}

export interface OwnerTicket {
  challengeId: string;
  /** Opens the owner's number; call only once the challenge was answered. */
  ownerPhone(): string;
}

/** Checks the ticket is ours and live; the caller then answers its challenge with the SMS code. */
export function openOwnerTicket(deps: { keys: RelayKeys; clock: Clock }, verificationId: string): OwnerTicket {
  const [body, signature] = verificationId.split('.');
  if (!body || !signature || !verifyEd25519(deps.keys.ackSigningKey, Buffer.from(`owner-ticket:${body}`), Buffer.from(signature, 'base64url'))) {
    throw new OwnerVerificationError('This owner verification is not one we issued.');
  }
  const ticket = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { c: string; p: string; e: number };
  if (ticket.e <= deps.clock().getTime()) throw new OwnerVerificationError('This owner verification has expired; start a new one.');
  return { challengeId: ticket.c, ownerPhone: () => openOwnerPhone(deps.keys.ownerDataKey, 'owner-ticket', ticket.p) };
}
