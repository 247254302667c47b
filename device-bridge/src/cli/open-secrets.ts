import { BridgeSecrets } from '../store/bridge-secrets.js';
import { SealedFileError } from '../store/sealed-file.js';
import { SealingKeyError } from '../store/sealing-key.js';
import type { OperatorIo } from './sign-in-steps.js';

/** The data directory's sealed files under the key file; undefined (and said why) when they do not open. */
export function openSecrets(dataDir: string, keyFile: string, io: OperatorIo): BridgeSecrets | undefined {
  try {
    return new BridgeSecrets(dataDir, keyFile);
  } catch (error) {
    if (!(error instanceof SealingKeyError || error instanceof SealedFileError)) throw error;
    io.say(`cannot open the bridge's sealed files: ${error.message}`);
    io.say(`restore the key file (--key-file / BRIDGE_KEY_FILE, now ${keyFile}), or delete ${dataDir}/session.sealed and ${dataDir}/tokens.sealed to start afresh (a new sign-in by SMS)`);
    return undefined;
  }
}
