import { cognitoIdentity } from '../composition/aws-parts/identity.js';
import { refreshFamilies, signInThrottle } from '../composition/aws-parts/sign-in.js';
import { devices } from '../composition/aws-parts/stores.js';
import { makeVerifySmsCode } from '../handlers/auth-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/auth/verify', makeVerifySmsCode, { identity: cognitoIdentity, signInThrottle, refreshFamilies, devices });
