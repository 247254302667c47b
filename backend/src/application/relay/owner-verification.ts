import { DomainError } from '../../domain/errors.js';
import { openOwnerPhone, sealOwnerPhone } from '../../domain/relay/owner-data.js';
import type { RelayKeys } from '../../domain/relay/relay-keys.js';
import { signEd25519, verifyEd25519 } from '../../domain/relay/relay-signatures.js';
import type { Identity, SignInChallenge } from '../../ports/identity.js';
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
 * SMS code: the backend starts the challenge for the number and hands back a signed ticket that
 * binds the challenge to the (sealed) number, so a registration cannot name another number than
 * the one that received the code. Stateless: the ticket is the only record until it is redeemed.
 */
export async function startOwnerVerification(deps: { identity: Identity; keys: RelayKeys; clock: Clock }, phoneNumber: string): Promise<OwnerVerification> {
  const challenge: SignInChallenge = await deps.identity.startSignIn(phoneNumber);
  const body = Buffer.from(
    JSON.stringify({ c: challenge.challengeId, p: sealOwnerPhone(deps.keys.ownerDataKey, 'owner-ticket', phoneNumber), e: deps.clock().getTime() + TICKET_TTL_MS }),
  ).toString('base64url');
  const signature = signEd25519(deps.keys.ackSigningKey, Buffer.from(`owner-ticket:${body}`)).toString('base64url');
  return { verificationId: `${body}.${signature}`, devCode: challenge.devCode };
}

/** Redeems the ticket with the SMS code; returns the verified number. */
export async function completeOwnerVerification(deps: { identity: Identity; keys: RelayKeys; clock: Clock }, verificationId: string, code: string): Promise<string> {
  const [body, signature] = verificationId.split('.');
  if (!body || !signature || !verifyEd25519(deps.keys.ackSigningKey, Buffer.from(`owner-ticket:${body}`), Buffer.from(signature, 'base64url'))) {
    throw new OwnerVerificationError('This owner verification is not one we issued.');
  }
  const ticket = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { c: string; p: string; e: number };
  if (ticket.e <= deps.clock().getTime()) throw new OwnerVerificationError('This owner verification has expired; start a new one.');
  await deps.identity.completeSignIn(ticket.c, code);
  return openOwnerPhone(deps.keys.ownerDataKey, 'owner-ticket', ticket.p);
}
