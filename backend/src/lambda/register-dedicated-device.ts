import { cognitoIdentity } from '../composition/aws-parts/identity.js';
import { relay } from '../composition/aws-parts/relay.js';
import { tokenCipher } from '../composition/aws-parts/token-cipher.js';
import { signInThrottle } from '../composition/aws-parts/sign-in.js';
import { devices, queue, tokenRegistry } from '../composition/aws-parts/stores.js';
import { makeRegisterDedicatedDevice } from '../handlers/relay-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/dedicated-devices', makeRegisterDedicatedDevice, { cipher: tokenCipher, relay, identity: cognitoIdentity, signInThrottle, devices, queue, tokenRegistry });
