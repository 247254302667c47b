import { makeAcknowledgeNotification } from '../handlers/device-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/notifications/acknowledge', makeAcknowledgeNotification);
