import { cognitoIdentity } from '../composition/aws-parts/identity.js';
import { relay } from '../composition/aws-parts/relay.js';
import { signInThrottle } from '../composition/aws-parts/sign-in.js';
import { devices } from '../composition/aws-parts/stores.js';
import { makeStartOwnerVerification } from '../handlers/relay-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/dedicated-devices/owner-verification', makeStartOwnerVerification, { relay, identity: cognitoIdentity, signInThrottle, devices });
