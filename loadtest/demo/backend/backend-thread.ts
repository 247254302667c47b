import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../../../backend/src/application/clock.js';
import { createLogger } from '../../../backend/src/composition/logger.js';
import { loadBackendConfig } from '../../../backend/src/config/backend-config.js';
import { startLocalStack, type LocalStack } from '../../../backend/src/local/local-stack.js';
import { SharedClock } from '../time/shared-clock.js';
import { writeOfficialsReport } from './officials-report-file.js';
import { StoreInspector } from './store-inspector.js';
import type { BackendThreadData, FromThread, InspectorCalls, ToThread } from './thread-protocol.js';

/**
 * The backend of the simulated town, in its own thread (so on its own core): the very stack
 * `npm start` runs (HTTP server, queue and tracing consumers, retention), on the town's shared
 * clock. Its logs go to this thread's stdout, which the simulator writes to a file.
 */
const data = workerData as BackendThreadData;
const port = parentPort!;
const send = (message: FromThread) => port.postMessage(message);
const clock = new SharedClock(data.clockBuffer);

let stack: LocalStack;
try {
  const config = loadBackendConfig(data.env);
  stack = await startLocalStack(config, createLogger(config), { clock: clock.date, identityClock: data.identityOnWallClock ? systemClock : clock.date });
} catch (error) {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
const inspector = new StoreInspector(stack.services);
const calls: InspectorCalls = {
  deviceNumber: (subject) => inspector.deviceNumber(subject),
  warningsOf: (devices) => inspector.warningsOf(devices),
  explainCase: (caseId, indexDevice) => inspector.explainCase(caseId, indexDevice),
  officialsReport: (file, since) => writeOfficialsReport(stack.services, file, new Date(since)),
};

port.on('message', (message: ToThread) => {
  if (message.type === 'stop') {
    void stack.stop().finally(() => {
      send({ type: 'stopped' });
      port.close();
    });
    return;
  }
  const call = calls[message.method] as (...args: unknown[]) => Promise<unknown>;
  call(...message.args).then(
    (value) => send({ type: 'result', id: message.id, value }),
    (error: unknown) => send({ type: 'result', id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
send({ type: 'ready', url: stack.url });
