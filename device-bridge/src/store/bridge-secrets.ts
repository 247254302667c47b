import { join } from 'node:path';
import { z } from 'zod';
import type { TokenStore } from '../ports/token-store.js';
import type { TokenWindow } from '../ports/token-api.js';
import { credentialsSchema, type CredentialStore, type Credentials } from '../upload/auth-session.js';
import { pendingChallengeSchema, type PendingChallenge, type PendingStore } from '../upload/sign-in-flow.js';
import { readFileIfPresent, removeFile, writePrivateFile } from './private-file.js';
import { SealedJsonFile } from './sealed-file.js';
import { SealingKey } from './sealing-key.js';

/** What a bridge keeps in its data directory besides the outbox. */
export const SESSION_FILE = 'session.sealed';
export const TOKENS_FILE = 'tokens.sealed';
export const PENDING_FILE = 'pending-sign-in.json';
/** Where sessions were kept in clear before they were sealed; moved into SESSION_FILE on start. */
const LEGACY_CREDENTIALS_FILE = 'credentials.json';

const tokensSchema = z.object({
  deviceId: z.string(),
  windows: z.array(z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{22}$/), validFrom: z.number(), validUntil: z.number() })),
});

/**
 * The bridge's secrets at rest: the session (access and refresh token) and the confirmed token
 * windows, each sealed (AES-256-GCM) under the key file, which lives outside the data directory.
 * The pending sign-in (a challenge id, useless without the SMS code) is a plain 0600 file.
 */
export class BridgeSecrets {
  readonly session: CredentialStore;
  readonly pending: PendingStore;
  private readonly sessionFile: SealedJsonFile<Credentials>;
  private readonly tokensFile: SealedJsonFile<z.infer<typeof tokensSchema>>;

  /** Throws SealingKeyError (bad key file) or SealedFileError (files sealed under another key). */
  constructor(
    readonly dataDir: string,
    keyFile: string,
  ) {
    const sealedExists = [SESSION_FILE, TOKENS_FILE].some((f) => readFileIfPresent(join(dataDir, f)) !== undefined);
    // A missing key is created only for a data directory that holds nothing sealed under another one.
    const key = SealingKey.open(keyFile, { create: !sealedExists });
    this.sessionFile = new SealedJsonFile(join(dataDir, SESSION_FILE), key.box('session'), credentialsSchema);
    this.tokensFile = new SealedJsonFile(join(dataDir, TOKENS_FILE), key.box('tokens'), tokensSchema);
    this.sessionFile.load(); // fail now, not later, if it does not open
    this.tokensFile.load();
    this.migrateLegacyCredentials();
    this.session = { load: () => this.sessionFile.load(), save: (c) => this.sessionFile.save(c), clear: () => this.sessionFile.clear() };
    const pendingPath = join(dataDir, PENDING_FILE);
    this.pending = {
      load: () => {
        const text = readFileIfPresent(pendingPath);
        const parsed = text === undefined ? undefined : pendingChallengeSchema.safeParse(parseJson(text));
        return parsed?.success ? (parsed.data as PendingChallenge) : undefined;
      },
      save: (p) => writePrivateFile(pendingPath, `${JSON.stringify(p)}\n`),
      clear: () => removeFile(pendingPath),
    };
  }

  /** The token windows of the device signed in as `deviceId()`: another device's are never advertised. */
  tokenStore(deviceId: () => string | undefined): TokenStore {
    return {
      load: (): TokenWindow[] => {
        const stored = this.tokensFile.load();
        return stored !== undefined && stored.deviceId === deviceId() ? stored.windows : [];
      },
      save: (windows) => {
        const id = deviceId();
        if (id !== undefined) this.tokensFile.save({ deviceId: id, windows: [...windows] });
      },
    };
  }

  private migrateLegacyCredentials(): void {
    const legacy = join(this.dataDir, LEGACY_CREDENTIALS_FILE);
    const text = readFileIfPresent(legacy);
    if (text === undefined) return;
    const parsed = credentialsSchema.safeParse(parseJson(text));
    if (parsed.success && !this.sessionFile.exists()) this.sessionFile.save(parsed.data);
    removeFile(legacy);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
