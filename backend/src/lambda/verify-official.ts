import { cognitoIdentity } from '../composition/aws-parts/identity.js';
import { refreshFamilies, signInThrottle } from '../composition/aws-parts/sign-in.js';
import { makeVerifyOfficial } from '../handlers/auth-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/auth/official/verify', makeVerifyOfficial, { identity: cognitoIdentity, signInThrottle, refreshFamilies });
