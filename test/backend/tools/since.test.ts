import { describe, expect, it } from 'vitest';
import { parseSince } from '../../../backend/src/tools/cli-services.js';

const NOW = new Date('2026-12-02T12:00:00.000Z');

describe('--since of npm run analytics and npm run report', () => {
  it.each([
    ['7d', '2026-11-25T12:00:00.000Z'],
    ['2w', '2026-11-18T12:00:00.000Z'],
    ['36h', '2026-12-01T00:00:00.000Z'],
    // The project's one duration syntax: what the bridge and the load tool accept means the same here.
    ['90m', '2026-12-02T10:30:00.000Z'],
    ['1.5d', '2026-12-01T00:00:00.000Z'],
    ['2026-11-01', '2026-11-01T00:00:00.000Z'],
  ])('%j → %s', (text, expected) => expect(parseSince(text, NOW)?.toISOString()).toBe(expected));

  it.each(['soon', '0d', '-7d', '7 days', 'yesterday'])('refuses %j', (text) => expect(parseSince(text, NOW)).toBeUndefined());
});
