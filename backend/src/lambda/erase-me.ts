import { cognitoIdentity } from '../composition/aws-parts/identity.js';
import { tokenCipher } from '../composition/aws-parts/token-cipher.js';
import { refreshFamilies } from '../composition/aws-parts/sign-in.js';
import { analytics, contacts, devices, ledger, outbox, pseudonymKeys, queue, reports, tokenFlags, tokenRegistry } from '../composition/aws-parts/stores.js';
import { makeEraseMe } from '../handlers/device-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('DELETE /v1/me', makeEraseMe, { cipher: tokenCipher, identity: cognitoIdentity, devices, tokenRegistry, contacts, ledger, reports, outbox, tokenFlags, analytics, pseudonymKeys, queue, refreshFamilies });
