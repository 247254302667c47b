import { tokenVerifyingIdentity } from '../composition/aws-parts/identity.js';
import { devices, reports } from '../composition/aws-parts/stores.js';
import { makeReportInfection } from '../handlers/infection-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/infections', makeReportInfection, { identity: tokenVerifyingIdentity, devices, reports });
