import { makeOpenApiDocument } from '../handlers/operations-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('GET /openapi.json', makeOpenApiDocument, {});
