import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationEvent } from '../../../backend/src/domain/exposure/notification.js';
import { NOW } from '../../support/builders.js';
import { testClock } from '../../support/embedded-services.js';
import { TracingWorld, type WorldBackend } from '../../support/tracing-world.js';
import type { TestClock } from '../../support/embedded-services.js';
import type { WarningChannel } from '../../../backend/src/ports/warning-channel.js';

const DAY = 24 * 60;
/** 20 minutes at near range: one qualifying encounter. */
const meeting = (of: string, daysAgo: number) => ({ of, from: daysAgo * DAY, to: daysAgo * DAY - 20 });

/**
 * A small graph whose true answer is known (minutes are 20 at near range, so every meeting
 * qualifies on its own; X reports at the end):
 *
 *   X–A 3 days ago, A–F 2 days ago, F–G 1.5 days ago, X–F 1 day ago, F–H half a day ago
 *
 * F is reached through A (degree 2, from 2 days ago) and directly (degree 1, from 1 day ago). Its
 * warning is degree 1. H met F after F's direct exposure: degree 2. G met F before it: only the
 * chain through A reaches G, at degree 3, so G is warned only when the policy reaches degree 3,
 * and only because F's earlier, longer chain is kept beside its shorter one.
 */
const ARRIVALS: Record<string, (w: TracingWorld) => Promise<unknown>> = {
  'A hears X': (w) => w.upload('A', [meeting('X', 3)]),
  'F hears A': (w) => w.upload('F', [meeting('A', 2)]),
  'F hears X': (w) => w.upload('F', [meeting('X', 1)]),
  'G and H hear F': async (w) => {
    await w.upload('G', [meeting('F', 1.5)]);
    await w.upload('H', [meeting('F', 0.5)]);
  },
  'X reports': (w) => w.report('X'),
};

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

export type WorldMaker = (clock: TestClock, env: Record<string, string>, channel: WarningChannel) => Promise<WorldBackend>;

/** Runs the graph in every arrival order (or `sample` of them, seeded), on the backend `make` builds. */
export function describeTracingOrder(backendName: string, make: WorldMaker, options: { sample?: number } = {}): void {
  describe.each([
    ['degree 2 (hop 1/3, minimum 0.1)', '0.1', { A: 1, F: 1, H: 2 }],
    ['degree 3 (hop 1/3, minimum 1/27)', '1/27', { A: 1, F: 1, H: 2, G: 3 }],
  ])(`tracing on ${backendName} reaches every device at its lowest degree, in any arrival order: policy down to %s`, (_name, minimum, truth) => {
    const clock = testClock(NOW);
    const events: NotificationEvent[] = [];
    let backend: WorldBackend;
    beforeAll(async () => {
      backend = await make(clock, { MIN_NOTIFY_PROBABILITY: minimum }, { deliver: async (e) => void events.push(e) });
    });
    afterAll(() => backend.close());

    const all = permutations(Object.keys(ARRIVALS));
    const orders = options.sample ? all.filter((_, i) => i % Math.ceil(all.length / options.sample!) === 0) : all;

    it(`gives the known answer for ${orders.length} of the ${all.length} orders, each warning issued once and raised rather than repeated`, async () => {
      for (const order of orders) {
        const world = new TracingWorld(backend, clock);
        events.length = 0;
        for (const arrival of order) {
          await ARRIVALS[arrival]!(world);
          await world.settle();
        }
        const degrees = await world.degrees(['X', 'A', 'F', 'G', 'H']);
        expect({ order, degrees }).toEqual({ order, degrees: truth });
        const numbers = new Map(await Promise.all(Object.keys(truth).map(async (n) => [(await world.device(n)).number, n] as const)));
        const issued = events.filter((e) => e.kind === 'issued').map((e) => numbers.get(e.notification.device));
        expect({ order, issued: issued.sort() }).toEqual({ order, issued: Object.keys(truth).sort() });
        const raisedF = events.some((e) => e.kind === 'raised' && numbers.get(e.notification.device) === 'F');
        const fFirstAtTwo =
          order.indexOf('F hears A') < order.indexOf('F hears X') && order.indexOf('A hears X') < order.indexOf('F hears X') && order.indexOf('X reports') < order.indexOf('F hears X');
        expect({ order, raisedF }).toEqual({ order, raisedF: fFirstAtTwo });
      }
    }, 600_000);
  });
}
