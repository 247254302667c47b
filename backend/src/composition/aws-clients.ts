import type { AwsConfig } from '../config/aws-config.js';

/** What every AWS SDK v3 client has: a middleware stack to add steps to. */
export interface ObservableAwsClient {
  middlewareStack: { add(middleware: never, options: { step: 'initialize'; name?: string }): void };
}

type AwsClientHook = (client: ObservableAwsClient) => void;

const hooks = new Set<AwsClientHook>();

/**
 * Every AWS SDK client the backend builds passes through `observed`, so instrumentation can add its
 * middleware in one place: the access test records each call (and attributes it to the function
 * that made the client) through `onAwsClient`; tracing could attach here. No hook, no cost.
 */
export function onAwsClient(hook: AwsClientHook): () => void {
  hooks.add(hook);
  return () => hooks.delete(hook);
}

export function observed<C extends object>(client: C): C {
  for (const hook of hooks) hook(client as unknown as ObservableAwsClient);
  return client;
}

/** An SDK client's settings: the region, the endpoint override of a local engine, explicit keys when configured. */
export function awsClientConfig(aws: Pick<AwsConfig, 'region' | 'credentials'>, endpoint: string | undefined) {
  return {
    region: aws.region,
    ...(endpoint ? { endpoint } : {}),
    // A fresh credentials object per client: the SDK annotates the one it is given.
    ...(aws.credentials ? { credentials: { ...aws.credentials } } : {}),
  };
}
