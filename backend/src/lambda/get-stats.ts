import { cognitoIdentity } from '../composition/aws-parts/identity.js';
import { rateLimits } from '../composition/aws-parts/sign-in.js';
import { contacts, ledger, outbox, queue, reports } from '../composition/aws-parts/stores.js';
import { makeGetStats } from '../handlers/operations-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('GET /v1/admin/stats', makeGetStats, { identity: cognitoIdentity, queue, contacts, ledger, outbox, reports, rateLimits });
