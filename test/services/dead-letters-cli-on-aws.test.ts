import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMessage } from '../../backend/src/application/contact-batch-message.js';
import { issueTokens } from '../../backend/src/application/issue-tokens.js';
import { createAwsServices, type AwsServices } from '../../backend/src/composition/aws.js';
import { createLogger } from '../../backend/src/composition/logger.js';
import { loadBackendConfig } from '../../backend/src/config/backend-config.js';
import { makeProcessContactBatches } from '../../backend/src/handlers/process-contact-batches.js';
import { SqsEventSource } from '../../backend/src/local/sqs-event-source.js';
import { inheritedEnv } from '../support/child-env.js';
import { awsServerEnvProvisioner, type AwsServerEnv } from './support/aws-server-env.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const provisioner = awsServerEnvProvisioner();

// The CLI and this file both run on the real clock, as an operator's shell and a deployed consumer do.
describe('npm run dead-letters on BACKEND=aws (the SQS dead-letter queues)', { timeout: 180_000 }, () => {
  let backend: AwsServerEnv;
  let s: AwsServices;
  let consumer: SqsEventSource;
  let batchBody: string;
  const cli = async (...args: string[]) => {
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', resolve(ROOT, 'backend/src/tools/dead-letters-cli.ts'), ...args], {
        cwd: ROOT,
        env: { ...inheritedEnv(), ...backend.env },
      });
      return { code: 0, stdout, stderr: '' };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  /** Lets the consumer take everything visible on the contact queue. */
  const drain = async () => {
    while ((await consumer.pollOnce()) > 0);
  };

  beforeAll(async () => {
    backend = await provisioner.provision({ visibilityTimeoutSeconds: 1 });
    const config = loadBackendConfig({ ...backend.env, LOG_LEVEL: 'SILENT' });
    const logger = createLogger(config);
    s = await createAwsServices(config, logger);
    const { Attributes } = await s.sqs.send(new GetQueueAttributesCommand({ QueueUrl: backend.queueUrl, AttributeNames: ['QueueArn'] }));
    consumer = new SqsEventSource({ sqs: s.sqs, queueUrl: backend.queueUrl, queueArn: Attributes!.QueueArn!, handler: makeProcessContactBatches(s), batchSize: 10, waitTimeSeconds: 0, logger });

    // A batch the consumer gave up on (A heard B), and a body that can never be processed.
    const now = new Date();
    const [a, b] = [await s.devices.ensureDevice('dead-letters-a', now), await s.devices.ensureDevice('dead-letters-b', now)];
    const [token] = await issueTokens({ cipher: s.cipher, registry: s.tokenRegistry, tokenTtlMinutes: config.tokenTtlMinutes, clock: () => now }, b, 1);
    const observation = { token: token!.token, firstSeen: token!.validFrom, lastSeen: now, rssi: -60 };
    batchBody = JSON.stringify(toMessage(`${a.number}:dl-1`, { batchId: 'dl-1', reporter: a.number, receivedAt: now, observations: [observation] }));
    await s.queue.deadLetter(batchBody, 'failed on attempt 5 of 5: search engine unavailable', 5);
    await s.queue.deadLetter('{oops', 'message body is not JSON', 1);
  });
  afterAll(async () => {
    await s?.close();
    await backend?.remove();
  });

  it('answers --help', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run dead-letters');
  });

  it('lists each dead letter with its reason, and shows one in full', async () => {
    const letters = JSON.parse((await cli('list', '--json')).stdout) as { id: string; reason: string; source: string }[];
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
    const batch = letters.find((l) => l.body === batchBody)!;
    expect((await cli('redrive', batch.id)).stdout).toContain('1 dead letter redriven');
    expect((await cli('redrive', batch.id)).code).toBe(1);
    await drain();
    expect(await s.contacts.stats()).toMatchObject({ contacts: 1, batchesApplied: 1 });
    // The same batch dead-lettered and redriven again changes nothing: a batch key applies once.
    await s.queue.deadLetter(batchBody, 'again', 5);
    expect((await cli('redrive', '--all')).stdout).toContain('2 dead letters redriven');
    await drain();
    expect(await s.contacts.stats()).toMatchObject({ contacts: 1, batchesApplied: 1 });
    // The body that is not JSON failed again, with its reason.
    const left = JSON.parse((await cli('list', '--json')).stdout) as { body: string; reason: string }[];
    expect(left.map((l) => [l.body, l.reason])).toEqual([['{oops', 'message body is not JSON']]);
    expect((await cli('purge', '--all')).stdout).toContain('1 dead letter purged');
    expect((await cli('list')).stdout).toContain('no dead letters');
  });
});
