import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeadLetter, DeadLetters } from '../../ports/dead-letters.js';
import type { KeyedTask } from '../../ports/tracing-outbox.js';
import { taskFromJson } from '../../ports/tracing-task-json.js';

export interface ReadLetter {
  id: string;
  body: string;
  reason: string;
  attempts: number;
  failedAt: number;
  source: 'contacts' | 'tracing';
}

export type LetterDecision = { action: 'keep' } | { action: 'delete' } | { action: 'replace'; body: string };

/** How long the walk hides a letter it has read, so that it reads each once. */
const WALK_VISIBILITY_SECONDS = 60;
/** Real SQS samples its servers: an empty receive on a non-empty queue happens; stop after a few in a row. */
const EMPTY_RECEIVES_TO_STOP = 3;

/**
 * Visits every message of a dead-letter queue once (hidden while the walk lasts, shown again at
 * its end unless deleted) and applies `decide` to it; returns how many were deleted or replaced.
 * Dead-letter queues are small by nature; this is an operator's and an erasure's tool, not a hot path.
 */
export async function eachDeadLetter(sqs: SQSClient, queueUrl: string, decide: (letter: ReadLetter) => LetterDecision | Promise<LetterDecision>): Promise<number> {
  const kept: Message[] = [];
  let changed = 0;
  for (let empty = 0; empty < EMPTY_RECEIVES_TO_STOP; ) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: WALK_VISIBILITY_SECONDS, WaitTimeSeconds: 0, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
    );
    if (messages.length === 0) {
      empty++;
      continue;
    }
    empty = 0;
    for (const message of messages) {
      const decision = await decide(readLetter(message));
      if (decision.action === 'keep') {
        kept.push(message);
        continue;
      }
      if (decision.action === 'replace') {
        await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: decision.body, MessageAttributes: message.MessageAttributes }));
      }
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      changed++;
    }
  }
  for (let i = 0; i < kept.length; i += 10) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: kept.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })),
      }),
    );
  }
  return changed;
}

function readLetter(message: Message): ReadLetter {
  const attributes = message.MessageAttributes ?? {};
  const sent = Number(message.Attributes?.SentTimestamp ?? 0);
  return {
    id: message.MessageId ?? '',
    body: message.Body ?? '',
    reason: attributes.reason?.StringValue ?? 'moved by the queue’s redrive policy (the consumer failed or timed out every time)',
    attempts: Number(attributes.attempts?.StringValue ?? message.Attributes?.ApproximateReceiveCount ?? 0),
    failedAt: Number(attributes.failedAt?.StringValue ?? sent),
    source: attributes.source?.StringValue === 'tracing' ? 'tracing' : 'contacts',
  };
}

export interface SqsDeadLettersOptions {
  queueUrl: string;
  deadLetterQueueUrl: string;
  tracingDeadLetterQueueUrl: string;
  /** Puts a tracing task back on the tracing outbox (its stream runs it again). */
  requeueTask: (task: KeyedTask) => Promise<void>;
}

/** The dead letters of the AWS backend: the contact queue's DLQ and the tracer's, read by walking them. */
export class SqsDeadLetters implements DeadLetters {
  constructor(
    private readonly sqs: SQSClient,
    private readonly options: SqsDeadLettersOptions,
  ) {}

  async list(limit: number): Promise<DeadLetter[]> {
    const letters: DeadLetter[] = [];
    for (const url of this.urls()) {
      await eachDeadLetter(this.sqs, url, (letter) => {
        if (letters.length < limit) letters.push(toDeadLetter(letter));
        return { action: 'keep' };
      });
    }
    return letters.sort((a, b) => a.failedAt.getTime() - b.failedAt.getTime());
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    return (await this.list(Number.MAX_SAFE_INTEGER)).find((d) => d.id === id);
  }

  async redrive(ids: readonly string[] | 'all'): Promise<number> {
    let redriven = 0;
    for (const url of this.urls()) {
      redriven += await eachDeadLetter(this.sqs, url, async (letter) => {
        if (ids !== 'all' && !ids.includes(letter.id)) return { action: 'keep' };
        if (letter.source === 'tracing') {
          const { key, task } = JSON.parse(letter.body) as { key: string; task: unknown };
          await this.options.requeueTask({ key, task: taskFromJson(JSON.stringify(task)) });
        } else {
          await this.sqs.send(new SendMessageCommand({ QueueUrl: this.options.queueUrl, MessageBody: letter.body }));
        }
        return { action: 'delete' };
      });
    }
    return redriven;
  }

  async purge(ids: readonly string[] | 'all'): Promise<number> {
    if (ids === 'all') {
      const count = (await this.list(Number.MAX_SAFE_INTEGER)).length;
      for (const url of this.urls()) await this.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
      return count;
    }
    let purged = 0;
    for (const url of this.urls()) purged += await eachDeadLetter(this.sqs, url, (letter) => (ids.includes(letter.id) ? { action: 'delete' } : { action: 'keep' }));
    return purged;
  }

  private urls(): string[] {
    return [this.options.deadLetterQueueUrl, this.options.tracingDeadLetterQueueUrl];
  }
}

function toDeadLetter(letter: ReadLetter): DeadLetter {
  return { id: letter.id, source: letter.source, body: letter.body, reason: letter.reason, attempts: letter.attempts, failedAt: new Date(letter.failedAt) };
}
