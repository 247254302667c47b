import { loadConfig, helpText } from '../config/config.js';
import { loadSignInConfig, signInHelpText } from '../config/sign-in-config.js';
import { EXIT } from './exit-codes.js';
import { provisionBridge } from './provision-bridge.js';
import { runBridge } from './run-bridge.js';
import { runDedicated } from './run-dedicated.js';

function configurationProblems(problems: string[]): number {
  process.stderr.write(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nRun with --help for all options.\n`);
  return EXIT.badConfiguration;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'provision') {
    const loaded = loadSignInConfig(argv.slice(1), process.env);
    if (loaded.ok && 'help' in loaded) {
      process.stdout.write(`${signInHelpText()}\n`);
      return EXIT.ok;
    }
    return loaded.ok ? provisionBridge(loaded.config) : configurationProblems(loaded.problems);
  }
  const loaded = loadConfig(argv, process.env);
  if (loaded.ok && 'help' in loaded) {
    process.stdout.write(`${helpText()}\n`);
    return EXIT.ok;
  }
  if (!loaded.ok) return configurationProblems(loaded.problems);
  return loaded.config.mode === 'dedicated' ? runDedicated(loaded.config) : runBridge(loaded.config);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`the bridge stopped on an unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(EXIT.failed);
  },
);
