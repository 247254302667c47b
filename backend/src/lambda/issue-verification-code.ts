import { makeIssueVerificationCode } from '../handlers/infection-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/admin/verification-codes', makeIssueVerificationCode);
