import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';

/** Which function invocation a piece of work belongs to: what its log lines are attributed to. */
export interface Invocation {
  functionName: string;
  requestId: string;
}

const current = new AsyncLocalStorage<Invocation>();

/**
 * Runs one invocation's work in its own scope, so that every line logged within it (by the
 * handler, the use cases or an adapter, through any logger) names this function and request. The
 * local stack hosts every function in one process: without this, lines would carry whichever
 * context a shared logger was given last.
 */
export function withinInvocation<T>(context: Pick<Context, 'functionName' | 'awsRequestId'>, run: () => Promise<T>): Promise<T> {
  return current.run({ functionName: context.functionName, requestId: context.awsRequestId }, run);
}

export function currentInvocation(): Invocation | undefined {
  return current.getStore();
}
