import { cognitoIdentity } from '../composition/aws-parts/identity.js';
import { refreshFamilies } from '../composition/aws-parts/sign-in.js';
import { makeRefreshSession } from '../handlers/auth-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/auth/refresh', makeRefreshSession, { identity: cognitoIdentity, refreshFamilies });
