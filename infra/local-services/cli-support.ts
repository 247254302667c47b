import { startLocalServices, type LocalServices, type ServiceName } from './start-local-services.js';

/** The flags `npm run services` and `npm run stack` share. */
export const SERVICE_FLAGS = {
  prefix: { type: 'string' },
  'free-ports': { type: 'boolean' },
  'keep-logs': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface ServiceFlagValues {
  prefix?: string | undefined;
  'free-ports'?: boolean | undefined;
  'keep-logs'?: boolean | undefined;
}

/** Starts the services as the shared flags say, printing their progress. */
export function startServicesFromFlags(values: ServiceFlagValues, only?: readonly ServiceName[]): Promise<LocalServices> {
  return startLocalServices({
    only,
    prefix: values.prefix,
    ports: values['free-ports'] ? 'free' : undefined,
    keepRunDir: values['keep-logs'],
    progress: (message) => console.log(`  ${message}`),
  });
}

/**
 * Stops everything on Ctrl-C / SIGTERM (exit 0) or when a service dies (exit 1): first what runs on
 * top of the services (`stopFirst`), then the services. Returns that stop, for a failed start-up.
 */
export function stopEverythingOnExit(services: LocalServices, stopFirst: () => Promise<void> = async () => {}): (why: string, exitCode: number) => Promise<void> {
  let stopping = false;
  const stop = async (why: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${why}: stopping…`);
    await stopFirst().catch((error: unknown) => console.error('unclean stop of the backend:', error));
    await services.stop();
    console.log('stopped');
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  services.exited.catch((error: unknown) => {
    if (!stopping) void stop(`a service died (${error instanceof Error ? error.message : String(error)})`, 1);
  });
  return stop;
}
