import { makeHealth } from '../handlers/operations-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('GET /health', makeHealth, {});
