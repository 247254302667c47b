import { describe, expect, it } from 'vitest';
import { newLiveState } from '../../../loadtest/demo/run/live-state.js';
import { renderLive } from '../../../loadtest/demo/view/render-live.js';
import { encounterText, townClock } from '../../../loadtest/demo/view/format.js';

const START = Date.UTC(2026, 2, 2);

describe('the live view', () => {
  it('shows the town clock, the traffic, the cases, each warning with its degree, probability and encounter, the cut-offs and the errors', () => {
    const s = newLiveState('hop 1/3 · warn while p ≥ 0.1 · 15 weighted min', START, 3 * 1440, 'max');
    Object.assign(s, { minute: 1440 + 8 * 60 + 5, phones: 180, dedicated: 8, unequipped: 12, people: 200, started: 188, phase: 'simulating 3 days', cutOff: 4, nearMisses: 9, ownerSms: 1 });
    Object.assign(s.client, { sightings: 91234, rotations: 3400, tokenFetches: 1200, uploads: 2100, observationsUploaded: 40210, relaySessions: 30, relayedBatches: 12 });
    s.backend = {
      queue: { backlog: 2, inFlight: 1, deadLettered: 0, oldestAgeSeconds: 0 },
      batchesProcessed: 2097,
      observationsProcessed: 40100,
      contactsStored: 15000,
      cases: 1,
      notifications: 1,
      notificationsRaised: 0,
      tracing: { waiting: 0, deadLettered: 0 },
      dropped: { today: {}, lastSevenDays: {} },
    };
    s.cases.push({ caseIndex: 0, person: 3, name: 'Ada Berg', caseId: 'c1', reportedAt: START + 20 * 3_600_000, symptomOnset: START - 86_400_000 });
    const encounter = { start: START + 7.5 * 3_600_000, end: START + 7.85 * 3_600_000, minutesByBucket: [0, 21, 0, 0, 0] as [number, number, number, number, number], weightedMinutes: 21 };
    s.warnings.push({ person: 9, name: 'Nils Varga', carries: 'phone', notificationId: 'n1', caseId: 'c1', degree: 1, probability: 1 / 3, exposedAt: encounter.start, seenAt: START + 22 * 3_600_000, why: { source: 3, sourceName: 'Ada Berg', encounter } });
    const text = renderLive(s, false);
    expect(text).toContain('Tue 08:05');
    expect(text).toContain('day 2 of 3');
    expect(text).toContain('188/188 on the air: 180 phones, 8 dedicated');
    expect(text).toContain('91,234 sightings · 3,400 token rotations');
    expect(text).toContain('15,000 contacts stored · queue 3');
    expect(text).toContain('Ada Berg reported a positive test');
    expect(text).toMatch(/Nils Varga\s+phone\s+degree 1 p=0\.33 · Ada Berg: from Mon 07:30, 21 min near = 21\.0 weighted min/);
    expect(text).toContain('cut off 4 qualifying contacts');
    expect(text).toContain('dead letters 0 · backend errors 0 · failed calls 0 · refused uploads 0');
    expect(townClock(START)).toBe('Mon 00:00');
    expect(encounterText(encounter)).toBe('21 min near = 21.0 weighted min');
  });
});
