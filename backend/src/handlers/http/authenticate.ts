import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Clock } from '../../application/clock.js';
import type { Device } from '../../domain/device.js';
import { SubjectErasedError, type DeviceDirectory } from '../../ports/device-directory.js';
import { OFFICIALS_GROUP, type Identity, type Principal } from '../../ports/identity.js';
import { SecondFactorError } from '../../domain/errors.js';
import { HttpError } from './http-error.js';
import { header } from './request-body.js';

export async function authenticate(event: APIGatewayProxyEventV2, identity: Pick<Identity, 'verifyAccessToken'>): Promise<Principal> {
  const authorization = header(event, 'authorization');
  const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (!match) {
    throw new HttpError(401, 'unauthorized', 'Send the access token as "Authorization: Bearer <token>".', {
      reason: authorization ? 'malformed authorization header' : 'missing authorization header',
    });
  }
  return identity.verifyAccessToken(match[1]!);
}

export interface DeviceAuth {
  identity: Pick<Identity, 'verifyAccessToken'>;
  devices: DeviceDirectory;
  clock: Clock;
}

const ERASED = () => new HttpError(401, 'device_erased', 'This device was erased; sign in again to start afresh.');

/**
 * The caller's device. A valid token whose subject has no device yet gets one (a user who signed
 * in with the identity provider directly, e.g. pre-created Cognito users); a subject that was
 * erased does not come back through its old tokens. While an erasure is unfinished only the
 * erasure itself (`allowErasing`) may be called again.
 */
export async function authenticateDevice(event: APIGatewayProxyEventV2, auth: DeviceAuth, options: { allowErasing?: boolean } = {}): Promise<Device> {
  const principal = await authenticate(event, auth.identity);
  const found = await auth.devices.lookup(principal.subject);
  switch (found.state) {
    case 'active':
      return found.device;
    case 'erasing':
      if (options.allowErasing) return found.device;
      throw ERASED();
    case 'erased':
      throw ERASED();
    case 'unknown':
      try {
        return await auth.devices.ensureDevice(principal.subject, auth.clock());
      } catch (error) {
        if (error instanceof SubjectErasedError) throw ERASED();
        throw error;
      }
  }
}

/**
 * A health official's principal. The token must carry the role, and the directory must still
 * hold it (checked through a short cache, so a removed role stops working within a minute), with
 * the session opened by the second factor.
 */
export async function authenticateOfficial(event: APIGatewayProxyEventV2, identity: Identity): Promise<Principal> {
  const principal = await authenticate(event, identity);
  if (!principal.groups.includes(OFFICIALS_GROUP)) {
    throw new HttpError(403, 'forbidden', 'Only health officials may do this.');
  }
  const standing = await identity.officialStanding(principal);
  if (!standing.official) throw new HttpError(403, 'forbidden', 'Only health officials may do this; the officials role was removed.');
  if (!standing.mfa) throw new SecondFactorError('required');
  return principal;
}

/** The client's address as API Gateway (or the local server) saw it. */
export function clientAddress(event: APIGatewayProxyEventV2): string {
  return event.requestContext?.http?.sourceIp ?? 'unknown';
}
