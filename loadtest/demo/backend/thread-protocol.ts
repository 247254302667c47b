import type { CaseExplanation } from './case-explanation.js';
import type { OfficialsReportWritten } from './officials-report-file.js';
import type { StoredWarning } from './store-inspector.js';

/** What the simulator hands the backend's thread. */
export interface BackendThreadData {
  /** The module the boot file imports (this thread's code). */
  entry: string;
  /** The backend's environment, as `npm start` would read it. */
  env: Record<string, string>;
  clockBuffer: SharedArrayBuffer;
  /** Check identity tokens on the wall clock (BACKEND=aws: Cognito stamps them with it). */
  identityOnWallClock: boolean;
}

/** The store reads the simulator may ask for, by name. */
export interface InspectorCalls {
  deviceNumber(subject: string): Promise<number | undefined>;
  warningsOf(devices: readonly number[]): Promise<Record<number, StoredWarning[]>>;
  explainCase(caseId: string, indexDevice: number): Promise<CaseExplanation>;
  /** Runs the analytics job over the days since `since` (epoch ms) and writes the officials' report to `file`. */
  officialsReport(file: string, since: number): Promise<OfficialsReportWritten>;
}

export type ToThread = { type: 'call'; id: number; method: keyof InspectorCalls; args: unknown[] } | { type: 'stop' };

export type FromThread =
  | { type: 'ready'; url: string }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; value?: unknown; error?: string }
  | { type: 'stopped' };
