import { tokenCipher } from '../composition/aws-parts/token-cipher.js';
import { rateLimits } from '../composition/aws-parts/sign-in.js';
import { contacts, devices, ledger, outbox, queue } from '../composition/aws-parts/stores.js';
import { makeProcessContactBatches } from '../handlers/process-contact-batches.js';
import { composedFunction } from './support/composed-function.js';

export const handler = await composedFunction(makeProcessContactBatches, { cipher: tokenCipher, devices, contacts, ledger, outbox, queue, rateLimits });
