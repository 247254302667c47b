import { tokenVerifyingIdentity } from '../composition/aws-parts/identity.js';
import { devices, ledger } from '../composition/aws-parts/stores.js';
import { makeAcknowledgeNotification } from '../handlers/device-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/notifications/acknowledge', makeAcknowledgeNotification, { identity: tokenVerifyingIdentity, devices, ledger });
