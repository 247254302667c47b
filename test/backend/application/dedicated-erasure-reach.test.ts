import { describe, it } from 'vitest';
import type { EmbeddedServices } from '../../../backend/src/composition/embedded.js';
import { NOW } from '../../support/builders.js';
import { eraseRelayedDedicatedDevice } from '../../support/dedicated-erasure.scenario.js';
import { testClock } from '../../support/embedded-services.js';
import { everyRow } from '../../support/every-row.js';
import { embeddedWorldBackend } from '../../support/tracing-world.js';

describe("a dedicated device's erasure on the embedded backend", () => {
  it('leaves no row of the SQLite file naming its id, number, tokens or owner but the erasure markers', async () => {
    const clock = testClock(NOW);
    const backend = await embeddedWorldBackend(clock);
    try {
      await eraseRelayedDedicatedDevice({
        backend,
        clock,
        records: async () => everyRow(backend.services as EmbeddedServices).map((r) => ({ where: r.table, text: r.text })),
        markers: ['erased_devices', 'erased_subjects'],
      });
    } finally {
      await backend.close();
    }
  });
});
