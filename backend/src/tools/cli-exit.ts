import { ConfigError } from '../config/env-schema.js';

/**
 * The operators' tools' shared ending: `main`'s code as the exit code; a bad variable (its own
 * message), an unknown flag or another usage error exits 2, anything else 1, each as one line naming the tool.
 */
export function runTool(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof ConfigError) {
        console.error(error.message);
        process.exit(2);
      }
      const usage = String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS');
      const message = error instanceof Error ? error.message.split('. To specify')[0] : String(error);
      console.error(`${name}: ${message}${usage ? ' (--help says what it does)' : ''}`);
      process.exit(usage ? 2 : 1);
    },
  );
}

/** A usage error: one line naming the tool, exit code 2. */
export function usageError(name: string, message: string): number {
  console.error(`${name}: ${message}`);
  return 2;
}
