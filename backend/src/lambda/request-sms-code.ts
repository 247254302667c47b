import { cognitoIdentity } from '../composition/aws-parts/identity.js';
import { signInThrottle } from '../composition/aws-parts/sign-in.js';
import { makeRequestSmsCode } from '../handlers/auth-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/auth/sms', makeRequestSmsCode, { identity: cognitoIdentity, signInThrottle });
