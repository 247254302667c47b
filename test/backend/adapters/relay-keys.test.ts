import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRelayKeys, newRelayKeyFile } from '../../../backend/src/adapters/relay-keys/load-relay-keys.js';
import { openSealedBatch, sealBatch } from '../../../backend/src/domain/relay/relay-seal.js';

describe('relay keys', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'relay-keys-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are created under DATA_DIR on first start (0600) and the same on the next', async () => {
    const file = join(dir, 'relay-keys.json');
    const first = await loadRelayKeys({ defaultFile: file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await loadRelayKeys({ defaultFile: file });
    expect(again.newestBatchKey.publicKey.equals(first.newestBatchKey.publicKey)).toBe(true);
    expect(again.ackPublicKey.equals(first.ackPublicKey)).toBe(true);
  });

  it('come from RELAY_KEYS before RELAY_KEYS_FILE before the default file; older batch keys still open', async () => {
    const older = newRelayKeyFile(1);
    const rotated = { ...older, batchKeys: [newRelayKeyFile(2).batchKeys[0]!, older.batchKeys[0]!] };
    const fromFile = join(dir, 'secret.json');
    writeFileSync(fromFile, JSON.stringify(older));
    const keys = await loadRelayKeys({ keysEnv: JSON.stringify(rotated), keysFile: fromFile, defaultFile: join(dir, 'unused.json') });
    expect(keys.newestBatchKey.id).toBe(2);
    const sealedToOld = await sealBatch(Buffer.from('batch'), (await loadRelayKeys({ keysFile: fromFile, defaultFile: '' })).newestBatchKey.publicKey, 1);
    expect((await openSealedBatch(sealedToOld, keys.batchKeyring)).toString()).toBe('batch');
  });

  it.each([
    ['not JSON', 'nope', 'is not JSON'],
    ['a short key', JSON.stringify({ ...newRelayKeyFile(), ackSigningKey: 'abc' }), 'ackSigningKey must be base64url of 32 bytes'],
    ['a batch key id twice', JSON.stringify({ ...newRelayKeyFile(), batchKeys: [newRelayKeyFile().batchKeys[0], newRelayKeyFile().batchKeys[0]] }), 'batch key ids must be distinct'],
  ])('refuse %s, naming the source and the problem', async (_name, value, message) => {
    await expect(loadRelayKeys({ keysEnv: value, defaultFile: '' })).rejects.toThrow(new RegExp(`RELAY_KEYS.*${message}`));
  });
});
