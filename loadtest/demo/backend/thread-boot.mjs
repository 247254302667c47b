// The backend thread's entry: TypeScript through tsx's loader (a worker's execArgv cannot load it
// early enough), then the thread's real module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
