import { dependencyChecks } from '../composition/aws-parts/dependency-checks.js';
import { makeReadiness } from '../handlers/operations-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('GET /ready', makeReadiness, { dependencyChecks });
