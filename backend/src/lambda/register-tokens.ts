import { makeRegisterTokens } from '../handlers/register-tokens.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/tokens', makeRegisterTokens);
