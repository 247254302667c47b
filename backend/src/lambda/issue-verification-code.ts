import { cognitoIdentity } from '../composition/aws-parts/identity.js';
import { audit, rateLimits } from '../composition/aws-parts/sign-in.js';
import { reports } from '../composition/aws-parts/stores.js';
import { makeIssueVerificationCode } from '../handlers/infection-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/admin/verification-codes', makeIssueVerificationCode, { identity: cognitoIdentity, reports, rateLimits, audit });
