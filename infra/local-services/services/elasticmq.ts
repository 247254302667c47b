import { join } from 'node:path';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { contactQueueNames, type ContactQueueUrls } from '../../../backend/src/adapters/sqs/sqs-queues.js';
import { ensureClasspath } from '../maven-classpath.js';
import { startProcess, waitUntilReady } from '../managed-process.js';
import { localCredentials, LOCAL_REGION, seconds, type RunningService, type ServiceContext } from './service.js';

export interface SqsEndpoint extends ContactQueueUrls {
  endpoint: string;
}

const MAIN_CLASS = 'org.elasticmq.server.Main';
const CONFIG_FILE = join(import.meta.dirname, '..', 'elasticmq.conf');
/** The queues elasticmq.conf creates. */
const CONFIGURED_PREFIX = 'proxitrace-';

/** ElasticMQ speaking SQS on loopback, with the contact queue and its DLQ from elasticmq.conf. */
export async function startElasticMq(context: ServiceContext, port: number): Promise<RunningService<SqsEndpoint>> {
  const started = Date.now();
  const classpath = await ensureClasspath('sqs');
  context.progress(`sqs: classpath ${classpath.cached ? 'cached' : 'copied by Maven'} (${seconds(started)})`);
  const process = startProcess({
    name: 'sqs',
    command: 'java',
    args: [
      `-Dconfig.file=${CONFIG_FILE}`,
      `-Drest-sqs.bind-port=${port}`,
      `-Dnode-address.port=${port}`,
      '-Xmx256m',
      '-cp',
      join(classpath.dir, '*'),
      MAIN_CLASS,
    ],
    cwd: context.runDir,
    logFile: join(context.runDir, 'sqs.log'),
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new SQSClient({ endpoint, region: LOCAL_REGION, credentials: localCredentials() });
  const names = contactQueueNames(CONFIGURED_PREFIX);
  const urlOf = async (QueueName: string) => (await client.send(new GetQueueUrlCommand({ QueueName }))).QueueUrl!;
  try {
    await waitUntilReady(process, async () => (await urlOf(names.queue), true), context.readyTimeoutMs);
    const [queueUrl, deadLetterQueueUrl, tracingDeadLetterQueueUrl] = await Promise.all([urlOf(names.queue), urlOf(names.deadLetterQueue), urlOf(names.tracingDeadLetterQueue)]);
    context.progress(`sqs: ready on ${endpoint}, queue ${names.queue} with DLQ ${names.deadLetterQueue}, tracer DLQ ${names.tracingDeadLetterQueue} (${seconds(started)})`);
    return { endpoint: { endpoint, queueUrl, deadLetterQueueUrl, tracingDeadLetterQueueUrl }, pid: process.pid, exited: process.exited, stop: () => process.stop() };
  } catch (error) {
    await process.stop();
    throw error;
  } finally {
    client.destroy();
  }
}
