import { AsyncLocalStorage } from 'node:async_hooks';
import { onAwsClient, type ObservableAwsClient } from '../../../backend/src/composition/aws-clients.js';
import { startRecordingHttpProxy, type RecordedRequest } from './recording-http-proxy.js';

/**
 * One AWS API call as IAM authorises it: the action (`dynamodb:PutItem`, `sqs:SendMessage`,
 * `es:ESHttpPost`) and the resource it names, as `kind:name` — `table:<name>`,
 * `table:<name>/index/<index>`, `queue:<name>`, `user-pool:<id>`, `secret:<id>`,
 * `sms:phone-number`, `search:<path>`. A call on several resources (a transaction, a batch) is one
 * entry per resource, with the action IAM checks for each.
 */
export interface RecordedCall {
  /** The function (registry id) whose client made the call. */
  fn: string;
  action: string;
  resource: string;
  /** The SDK operation as sent (TransactWriteItems, SendMessageBatch, …); the HTTP method and path for search. */
  operation: string;
}

/** Calls made by a client that was built outside any function (so the test can insist there are none). */
export const UNATTRIBUTED = '(unattributed)';

const SERVICE_PREFIX: Record<string, string> = {
  DynamoDBClient: 'dynamodb',
  SQSClient: 'sqs',
  CognitoIdentityProviderClient: 'cognito-idp',
  SecretsManagerClient: 'secretsmanager',
  SNSClient: 'sns',
};

/** SQS authorises each batch action as its single-message action (SQS Developer Guide, "Amazon SQS API permissions"). */
const SQS_BATCH_ACTIONS: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

/** DynamoDB has no IAM action for transactions: each item is authorised as its own operation (DynamoDB Developer Guide, "Using IAM with DynamoDB transactions"). */
const TRANSACT_ITEM_ACTIONS: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };

type Input = Record<string, any>;

/** The IAM view of one SDK call: its action(s) and resource(s). */
export function iamCallsOf(clientName: string, commandName: string, input: Input): { action: string; resource: string }[] {
  const service = SERVICE_PREFIX[clientName] ?? `unknown-client(${clientName})`;
  const operation = commandName.replace(/Command$/, '');
  const one = (action: string, resource: string) => [{ action: `${service}:${action}`, resource }];
  switch (service) {
    case 'dynamodb': {
      if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
        return (input.TransactItems as Input[]).flatMap((item) =>
          Object.entries(item).map(([kind, part]) => ({ action: `dynamodb:${TRANSACT_ITEM_ACTIONS[kind] ?? kind}`, resource: `table:${(part as Input).TableName}` })),
        );
      }
      if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') return Object.keys(input.RequestItems as Input).flatMap((table) => one(operation, `table:${table}`));
      return one(operation, `table:${input.TableName}${input.IndexName ? `/index/${input.IndexName}` : ''}`);
    }
    case 'sqs': {
      const queue = input.QueueUrl ? new URL(String(input.QueueUrl)).pathname.split('/').at(-1) : input.QueueName;
      return one(SQS_BATCH_ACTIONS[operation] ?? operation, `queue:${queue}`);
    }
    case 'cognito-idp':
      return one(operation, `user-pool:${input.UserPoolId ?? '(by token)'}`);
    case 'secretsmanager':
      return one(operation, `secret:${input.SecretId ?? '*'}`);
    case 'sns':
      return one(operation, input.PhoneNumber ? 'sms:phone-number' : `topic:${input.TopicArn ?? input.TargetArn}`);
    default:
      return one(operation, '?');
  }
}

/**
 * Records every AWS call the backend's clients make, attributed to the function that built the
 * client. The composition passes each client through `observed` (composition/aws-clients.ts), where
 * this adds an initialize-step middleware: it sees the command before it is signed or sent, so an
 * attempt counts even if the service refuses it (IAM would have been asked either way).
 * The search tier has no SDK client: each function gets its own recording proxy in front of the
 * node, and every request it forwards is a call of `es:ESHttp<Method>` on its path.
 */
export class AwsCallRecorder {
  private readonly sdkCalls: RecordedCall[] = [];
  private readonly proxies: { fn: string; requests: RecordedRequest[]; close(): Promise<void> }[] = [];
  private readonly attribution = new AsyncLocalStorage<string>();
  /** The function whose entry is being imported: its top-level await builds the clients. */
  private importing: string | undefined;
  private stopHook: (() => void) | undefined;

  start(): void {
    this.stopHook = onAwsClient((client) => this.observe(client, this.attribution.getStore() ?? this.importing ?? UNATTRIBUTED));
  }

  /** Runs `work` (an invocation, or a cold start) as function `fn`: clients it builds are that function's. */
  async as<T>(fn: string, work: () => Promise<T>): Promise<T> {
    const outer = this.importing;
    this.importing = fn;
    try {
      return await this.attribution.run(fn, work);
    } finally {
      this.importing = outer;
    }
  }

  /** A search endpoint of the function's own, in front of `node`. */
  async searchEndpointFor(fn: string, node: string): Promise<string> {
    const proxy = await startRecordingHttpProxy(node);
    this.proxies.push({ fn, ...proxy });
    return proxy.url;
  }

  /** Every call so far, SDK and search. */
  calls(): RecordedCall[] {
    const search = this.proxies.flatMap(({ fn, requests }) =>
      requests.map((r) => {
        const method = r.method.charAt(0) + r.method.slice(1).toLowerCase();
        const path = r.url.split('?')[0]!;
        return { fn, action: `es:ESHttp${method}`, resource: `search:${path}`, operation: `${r.method} ${path}` };
      }),
    );
    return [...this.sdkCalls, ...search];
  }

  async stop(): Promise<void> {
    this.stopHook?.();
    await Promise.all(this.proxies.map((p) => p.close()));
  }

  private observe(client: ObservableAwsClient, fn: string): void {
    const clientName = client.constructor.name;
    const middleware = (next: (args: { input: Input }) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: Input }) => {
      const operation = (context.commandName ?? 'UnknownCommand').replace(/Command$/, '');
      for (const call of iamCallsOf(clientName, operation, args.input)) this.sdkCalls.push({ fn, ...call, operation });
      return next(args);
    };
    client.middlewareStack.add(middleware as never, { step: 'initialize', name: 'proxitraceAwsCallRecorder' });
  }
}
