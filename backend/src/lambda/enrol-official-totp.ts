import { makeEnrolOfficialTotp } from '../handlers/auth-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/auth/official/totp', makeEnrolOfficialTotp);
