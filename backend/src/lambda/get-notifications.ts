import { tokenVerifyingIdentity } from '../composition/aws-parts/identity.js';
import { devices, ledger } from '../composition/aws-parts/stores.js';
import { makeGetNotifications } from '../handlers/device-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('GET /v1/notifications', makeGetNotifications, { identity: tokenVerifyingIdentity, devices, ledger });
