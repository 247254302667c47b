import { makeGetNotifications } from '../handlers/device-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('GET /v1/notifications', makeGetNotifications);
