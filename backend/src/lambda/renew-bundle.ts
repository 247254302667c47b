import { tokenVerifyingIdentity } from '../composition/aws-parts/identity.js';
import { relay } from '../composition/aws-parts/relay.js';
import { tokenCipher } from '../composition/aws-parts/token-cipher.js';
import { devices, queue, tokenRegistry } from '../composition/aws-parts/stores.js';
import { makeRenewBundle } from '../handlers/relay-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/dedicated-devices/bundle', makeRenewBundle, { cipher: tokenCipher, relay, identity: tokenVerifyingIdentity, devices, queue, tokenRegistry });
