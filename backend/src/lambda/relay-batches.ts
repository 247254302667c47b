import { tokenVerifyingIdentity } from '../composition/aws-parts/identity.js';
import { relay } from '../composition/aws-parts/relay.js';
import { tokenCipher } from '../composition/aws-parts/token-cipher.js';
import { devices, queue } from '../composition/aws-parts/stores.js';
import { makeRelayBatches } from '../handlers/relay-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/relay/batches', makeRelayBatches, { cipher: tokenCipher, relay, identity: tokenVerifyingIdentity, devices, queue });
