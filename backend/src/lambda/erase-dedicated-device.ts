import { makeEraseDedicatedDevice } from '../handlers/dedicated-erasure-handler.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/dedicated-devices/erasure', makeEraseDedicatedDevice);
