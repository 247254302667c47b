import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { PowertoolsMetrics } from '../../../backend/src/adapters/metrics/powertools-metrics.js';

/** Runs `write` with stdout captured: Powertools writes EMF lines there, as Lambda's log agent reads them. */
function captureStdout(write: () => void): string[] {
  const lines: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    write();
  } finally {
    process.stdout.write = original;
  }
  return lines.join('').split('\n').filter((l) => l.trim().startsWith('{'));
}

describe('Class: PowertoolsMetrics', () => {
  it('writes CloudWatch EMF: one line per dimension set, counts and milliseconds under the namespace and service', () => {
    const metrics = new PowertoolsMetrics(new Metrics({ namespace: 'Proxitrace/test', serviceName: 'proxitrace' }));
    const lines = captureStdout(() => {
      metrics.count('ContactBatches');
      metrics.count('ContactsStored', 48);
      metrics.duration('UploadToStored', 850);
      metrics.count('ObservationsDropped', 2, { reason: 'expired_token' });
      metrics.count('HttpRequests', 1, { route: 'POST /v1/tokens' });
      metrics.flush();
    });
    const emf = lines.map((l) => JSON.parse(l) as Record<string, any>);
    expect(emf).toHaveLength(3);
    const plain = emf.find((e) => e._aws.CloudWatchMetrics[0].Dimensions[0].length === 1)!;
    expect(plain._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Proxitrace/test', Dimensions: [['service']] });
    expect(plain).toMatchObject({ service: 'proxitrace', ContactBatches: 1, ContactsStored: 48, UploadToStored: 850 });
    expect(plain._aws.CloudWatchMetrics[0].Metrics).toContainEqual({ Name: 'UploadToStored', Unit: 'Milliseconds' });
    expect(emf.find((e) => e.reason === 'expired_token')).toMatchObject({ ObservationsDropped: 2, _aws: { CloudWatchMetrics: [{ Dimensions: [['service', 'reason']] }] } });
    expect(emf.find((e) => e.route === 'POST /v1/tokens')).toMatchObject({ HttpRequests: 1 });
  });

  it('writes nothing when nothing was recorded', () => {
    const metrics = new PowertoolsMetrics(new Metrics({ namespace: 'Proxitrace/test', serviceName: 'proxitrace' }));
    expect(captureStdout(() => metrics.flush())).toEqual([]);
  });
});
