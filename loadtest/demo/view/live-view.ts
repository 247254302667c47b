import { createLogUpdate } from 'log-update';
import type { LiveState } from '../run/live-state.js';
import { count, probabilityText, townClock } from './format.js';
import { renderLive } from './render-live.js';

export interface View {
  update(state: LiveState): void;
  /** Leaves the last frame on screen. */
  finish(state: LiveState): void;
  /** A line that stays (above the live frame on a terminal). */
  note(text: string): void;
}

/**
 * On a terminal: the live frame, redrawn in place by log-update (at most every 150 ms).
 * Elsewhere (a pipe, CI): one line per new case and warning, and progress every simulated 6 hours.
 */
export function createView(out: NodeJS.WriteStream, interactive: boolean): View {
  return interactive ? new TerminalView(out) : new PlainView(out);
}

class TerminalView implements View {
  private readonly log;
  private shownAt = 0;

  constructor(out: NodeJS.WriteStream) {
    this.log = createLogUpdate(out, { showCursor: false });
  }

  update(state: LiveState): void {
    if (Date.now() - this.shownAt < 150) return;
    this.shownAt = Date.now();
    this.log(renderLive(state, true));
  }

  finish(state: LiveState): void {
    this.log(renderLive(state, true));
    this.log.done();
  }

  note(text: string): void {
    this.log.clear();
    process.stdout.write(`${text}\n`);
  }
}

class PlainView implements View {
  private cases = 0;
  private readonly warned = new Set<string>();
  private lastQuarter = -1;
  private phase = '';

  constructor(private readonly out: NodeJS.WriteStream) {}

  update(s: LiveState): void {
    if (s.phase !== this.phase) {
      this.phase = s.phase;
      this.note(`[${townClock(s.start + s.minute * 60_000)}] ${s.phase}`);
    }
    for (const k of s.cases.slice(this.cases)) this.note(`[${townClock(k.reportedAt)}] case: ${k.name} reported a positive test with the official's code`);
    this.cases = s.cases.length;
    for (const w of s.warnings) {
      if (this.warned.has(w.notificationId)) continue;
      this.warned.add(w.notificationId);
      this.note(`[${townClock(w.seenAt)}] warning: ${w.name} (${w.carries}) degree ${w.degree}, p=${probabilityText(w.probability)}, exposed ${townClock(w.exposedAt)}`);
    }
    const quarter = Math.floor(s.minute / 360);
    if (quarter !== this.lastQuarter && s.backend) {
      this.lastQuarter = quarter;
      const b = s.backend;
      this.note(
        `[${townClock(s.start + s.minute * 60_000)}] ${count(s.client.uploads)} uploads, ${count(b.contactsStored)} contacts stored, ${b.cases} cases, ${b.notifications} warnings, dead letters ${b.queue.deadLettered + b.tracing.deadLettered}`,
      );
    }
  }

  finish(state: LiveState): void {
    this.update(state);
  }

  note(text: string): void {
    this.out.write(`${text}\n`);
  }
}
