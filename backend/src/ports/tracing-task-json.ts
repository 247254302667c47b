import type { ExposureNotification } from '../domain/exposure/notification.js';
import type { DeviceNumber } from '../domain/device.js';
import { tracingTaskDevices, type TracingTask } from './tracing-outbox.js';

/** Tracing tasks as the outboxes keep them: JSON, with the warning's times as epoch ms. */
export function taskToJson(task: TracingTask): string {
  if (task.kind !== 'deliver') return JSON.stringify(task);
  const n = task.event.notification;
  return JSON.stringify({
    ...task,
    event: { ...task.event, notification: { ...n, exposedAt: n.exposedAt.getTime(), issuedAt: n.issuedAt.getTime(), updatedAt: n.updatedAt?.getTime() } },
  });
}

export function taskFromJson(json: string): TracingTask {
  const task = JSON.parse(json) as TracingTask;
  if (task.kind !== 'deliver') return task;
  const n = task.event.notification as unknown as Record<keyof ExposureNotification, unknown>;
  const date = (v: unknown) => (v === undefined || v === null ? undefined : new Date(v as number));
  task.event.notification = {
    ...(n as unknown as ExposureNotification),
    exposedAt: date(n.exposedAt)!,
    issuedAt: date(n.issuedAt)!,
    updatedAt: date(n.updatedAt),
  };
  return task;
}

/** Whether a dead-lettered tracing task (`{ key, task }`, as both outboxes dead-letter it) names the device; an unreadable one does not. */
export function deadLetteredTaskNames(body: string, device: DeviceNumber): boolean {
  try {
    const { task } = JSON.parse(body) as { task?: TracingTask };
    return task !== undefined && tracingTaskDevices(task).includes(device);
  } catch {
    return false;
  }
}
