import { cognitoIdentity } from '../composition/aws-parts/identity.js';
import { tokenFlags } from '../composition/aws-parts/stores.js';
import { makeGetTokenFlags } from '../handlers/operations-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('GET /v1/admin/token-flags', makeGetTokenFlags, { identity: cognitoIdentity, tokenFlags });
