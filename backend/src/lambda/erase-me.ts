import { makeEraseMe } from '../handlers/device-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('DELETE /v1/me', makeEraseMe);
