import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedServices } from '../../../backend/src/composition/embedded.js';
import { inheritedEnv } from '../../support/child-env.js';
import type { TestClock } from '../../support/embedded-services.js';
import { embeddedWorldBackend, TracingWorld, type WorldBackend } from '../../support/tracing-world.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');

// Each test spawns the CLI a few times; on a loaded 2-core machine a start takes seconds.
describe('npm run dead-letters (embedded)', { timeout: 180_000 }, () => {
  // The CLI runs on the real clock: so does this world, or the redriven messages would lie in its future.
  const clock: TestClock = { now: () => new Date(), advance: () => {} };
  let backend: WorldBackend & { dataDir: string };
  let world: TracingWorld;
  const cli = async (...args: string[]) => {
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', resolve(ROOT, 'backend/src/tools/dead-letters-cli.ts'), ...args], {
        cwd: ROOT,
        env: { ...inheritedEnv(), DATA_DIR: backend.dataDir },
      });
      return { code: 0, stdout, stderr: '' };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  beforeAll(async () => {
    backend = await embeddedWorldBackend(clock);
    world = new TracingWorld(backend, clock);
    // A batch the consumer gave up on, and a body that can never be processed.
    await world.upload('A', [{ of: 'B', from: 30, to: 10 }]);
    const [message] = await (backend.services as EmbeddedServices).embeddedQueue.receive(1);
    await backend.services.queue.deadLetter(message!.body, 'failed on attempt 5 of 5: search engine unavailable', 5);
    await backend.services.queue.deadLetter('{oops', 'message body is not JSON', 1);
  });
  afterAll(() => backend.close());

  it('answers --help and refuses a command it does not know', async () => {
    expect((await cli('--help')).stdout).toContain('Usage: npm run dead-letters');
    const unknown = await cli('explode');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "explode"');
  });

  it('lists each dead letter with its reason, and shows one in full', async () => {
    const list = await cli('list', '--json');
    const letters = JSON.parse(list.stdout) as { id: string; reason: string; source: string }[];
    expect(letters.map((l) => [l.source, l.reason]).sort()).toEqual([
      ['contacts', 'failed on attempt 5 of 5: search engine unavailable'],
      ['contacts', 'message body is not JSON'],
    ]);
    expect((await cli('list')).stdout).toMatch(/ID\s+SOURCE\s+ATTEMPTS\s+FAILED AT\s+REASON/);
    const shown = await cli('show', letters[0]!.id);
    expect(shown.stdout).toContain(`id:        ${letters[0]!.id}`);
    expect((await cli('show', 'no-such-id')).code).toBe(2);
  });

  it('redrives a batch so that it is stored exactly once, and purges the rest', async () => {
    const letters = JSON.parse((await cli('list', '--json')).stdout) as { id: string; body: string }[];
    const batch = letters.find((l) => l.body.startsWith('{"version"'))!;
    expect((await cli('redrive', batch.id)).stdout).toContain('1 dead letter redriven');
    expect((await cli('redrive', batch.id)).code).toBe(1);
    await world.settle();
    expect(await backend.services.contacts.stats()).toMatchObject({ contacts: 1, batchesApplied: 1 });
    // The same batch dead-lettered and redriven again changes nothing: a batch key applies once.
    await backend.services.queue.deadLetter(batch.body, 'again', 5);
    expect((await cli('redrive', '--all')).stdout).toContain('2 dead letters redriven');
    await world.settle();
    expect(await backend.services.contacts.stats()).toMatchObject({ contacts: 1, batchesApplied: 1 });
    expect((await cli('purge', '--all')).stdout).toMatch(/\d+ dead letters? purged/);
    expect((await cli('list')).stdout).toContain('no dead letters');
  });
});
