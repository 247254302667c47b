import { afterEach, describe, expect, it } from 'vitest';
import { embeddedOutbreakBackend, type OutbreakBackend } from '../../../../backend/bench/outbreak/outbreak-backends.js';
import { measureOutbreak } from '../../../../backend/bench/outbreak/measure-outbreak.js';
import { parseOutbreakArgs } from '../../../../backend/bench/outbreak/outbreak-options.js';

describe('bench:outbreak on the embedded store', () => {
  let backend: OutbreakBackend | undefined;
  afterEach(async () => backend?.close());

  it('warns every device of the tree once at its degree, and counts only what the tracer did', async () => {
    backend = await embeddedOutbreakBackend(() => new Date());
    const figures = await measureOutbreak(backend, 12);
    expect(figures.warnedByDegree).toEqual({ '1': 3, '2': 9 });
    // The index's spread, and a warning delivered to each device.
    expect(figures.tasks).toBeGreaterThanOrEqual(1 + 12);
    expect(figures.portCalls['channel.deliver']).toBe(12);
    expect(figures.statements.queries).toBeGreaterThan(0);
    expect(figures.requests).toEqual({});
    // Nothing waits any more: a poll that finds no task costs the tracer nothing.
    backend.cost.reset();
    await backend.traceUntilIdle();
    expect(backend.cost.portCalls).toEqual({});
    expect(backend.cost.statements.queries).toBe(0);
  });

  it('fails when the tracer warns the wrong devices', async () => {
    backend = await embeddedOutbreakBackend(() => new Date());
    const ledger = backend.services.ledger;
    backend.services.ledger = new Proxy(ledger, {
      get: (target, key) => (key === 'notificationsFor' ? async () => [] : Reflect.get(target, key)),
    });
    await expect(measureOutbreak(backend, 4)).rejects.toThrow(/wrong for 4 of 4 devices on embedded.*expected one at degree/);
  });
});

describe('Function: parseOutbreakArgs', () => {
  it.each([
    [[], { backends: ['embedded', 'aws'], reaches: [10, 100, 1000], out: 'bench-results' }],
    [['--backend', 'aws', '--reach', '5,50'], { backends: ['aws'], reaches: [5, 50], out: 'bench-results' }],
  ])('%j', (argv, options) => expect(parseOutbreakArgs(argv)).toEqual({ options }));

  it.each([
    [['--backend', 'dynamo'], /--backend must be embedded, aws or both/],
    [['--reach', '10,x'], /--reach must be whole numbers/],
    [['--reach', '0'], /--reach must be whole numbers/],
    [['--nope'], /see --help/],
  ])('%j is refused', (argv, message) => expect((parseOutbreakArgs(argv) as { error: string }).error).toMatch(message));
});
