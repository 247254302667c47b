import { makeReportInfection } from '../handlers/infection-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/infections', makeReportInfection);
