import { tokenVerifyingIdentity } from '../composition/aws-parts/identity.js';
import { tokenCipher } from '../composition/aws-parts/token-cipher.js';
import { devices, tokenRegistry } from '../composition/aws-parts/stores.js';
import { makeRegisterTokens } from '../handlers/register-tokens.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/tokens', makeRegisterTokens, { cipher: tokenCipher, identity: tokenVerifyingIdentity, devices, tokenRegistry });
