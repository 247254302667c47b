import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { MemoryOutbox } from '../../../device-bridge/src/outbox/memory-outbox.js';
import { SqliteOutbox } from '../../../device-bridge/src/outbox/sqlite-outbox.js';
import { describeOutboxContract } from './outbox-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'bridge-outbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

describeOutboxContract('memory', () => ({ store: new MemoryOutbox() }));
describeOutboxContract('sqlite file', () => {
  const path = join(dir, `outbox-${n++}.db`);
  return { store: new SqliteOutbox(path), reopen: () => new SqliteOutbox(path) };
});
