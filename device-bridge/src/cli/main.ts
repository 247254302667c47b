import { loadConfig, helpText } from '../config/config.js';
import { runBridge } from './run-bridge.js';
import { runDedicated } from './run-dedicated.js';

async function main(): Promise<number> {
  const loaded = loadConfig(process.argv.slice(2), process.env);
  if (loaded.ok && 'help' in loaded) {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  if (!loaded.ok) {
    process.stderr.write(`Invalid configuration:\n${loaded.problems.map((p) => `  - ${p}`).join('\n')}\nRun with --help for all options.\n`);
    return 2;
  }
  return loaded.config.mode === 'dedicated' ? runDedicated(loaded.config) : runBridge(loaded.config);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
