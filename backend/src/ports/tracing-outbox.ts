import type { DeviceNumber } from '../domain/device.js';
import type { ExposureState } from '../domain/exposure/exposure-state.js';
import type { NotificationEvent } from '../domain/exposure/notification.js';

/**
 * Work for the tracer, queued durably by whoever discovers it:
 * - `spread`: a new exposure state, to be carried to every contact of its device;
 * - `pair`: new sightings between two devices, one of which could pass exposure on when they were stored;
 * - `deliver`: a warning issued or raised, to be pushed to its device.
 * Tasks are idempotent: running one twice changes nothing the second time.
 */
export type TracingTask =
  | { kind: 'spread'; state: ExposureState }
  | { kind: 'pair'; low: DeviceNumber; high: DeviceNumber }
  | { kind: 'deliver'; event: NotificationEvent };

export interface KeyedTask {
  /** Equal keys are one task: queuing it again while it waits or after it ran is harmless. */
  key: string;
  task: TracingTask;
}

/** The producer side of the tracing outbox (the ledger queues its own tasks inside its transactions). */
export interface TracingOutbox {
  enqueue(tasks: readonly KeyedTask[]): Promise<void>;
  /** The tracer ran these tasks: they are done (a task queued again later is a new one, or ignored). */
  done(keys: readonly string[]): Promise<void>;
  /**
   * The tracer could not run the task: count the attempt and, once the attempts are used up,
   * dead-letter it with the reason. Says which happened.
   */
  failed(key: string, reason: string): Promise<'retry' | 'dead-lettered'>;
  /** Removes the waiting and the dead-lettered tasks that name the device (erasure). */
  deleteFor(device: DeviceNumber): Promise<number>;
  stats(): Promise<{ waiting: number; deadLettered: number }>;
}

export function pairTaskKey(batchKey: string, low: DeviceNumber, high: DeviceNumber): string {
  return `pair:${batchKey}:${low}:${high}`;
}

export function spreadTaskKey(state: ExposureState): string {
  return `spread:${state.caseId}:${state.device}:${state.degree}:${state.exposedAt}`;
}

export function deliverTaskKey(event: NotificationEvent): string {
  return `deliver:${event.notification.id}:${event.notification.degree}`;
}

export function spreadTask(state: ExposureState): KeyedTask {
  return { key: spreadTaskKey(state), task: { kind: 'spread', state } };
}

export function deliverTask(event: NotificationEvent): KeyedTask {
  return { key: deliverTaskKey(event), task: { kind: 'deliver', event } };
}

/** The devices a task names (erasure removes the tasks that name a device). */
export function tracingTaskDevices(task: TracingTask): DeviceNumber[] {
  switch (task.kind) {
    case 'spread':
      return [task.state.device];
    case 'pair':
      return [task.low, task.high];
    case 'deliver':
      return [task.event.notification.device];
  }
}
