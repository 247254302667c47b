/** What every local service gets from the launcher. */
export interface ServiceContext {
  /** A fresh folder for this run: logs, data, config files. */
  runDir: string;
  /** Prefix of the tables, queues and user pool the launcher provisions. */
  prefix: string;
  readyTimeoutMs: number;
  progress(message: string): void;
}

export interface RunningService<E> {
  endpoint: E;
  pid: number;
  /** Rejects when the process exits, expectedly (stop) or not. */
  exited: Promise<never>;
  stop(): Promise<void>;
}

/** Any credentials work with the local engines; the SDKs only need some. */
export const LOCAL_REGION = 'us-east-1';
/** A fresh object per client: the SDK annotates the credentials object it is given. */
export const localCredentials = () => ({ accessKeyId: 'local', secretAccessKey: 'local' });

export function seconds(sinceMs: number): string {
  return `${((Date.now() - sinceMs) / 1000).toFixed(1)}s`;
}
