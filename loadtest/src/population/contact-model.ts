import { randomIndex, type Random } from '../scheduler/random.js';
import type { PopulationConfig } from './population-config.js';

export interface Encounter {
  target: number;
  /** The pair was already seen in the observer's current day. */
  duplicate: boolean;
}

type CircleConfig = Pick<PopulationConfig, 'devices' | 'duplicateFraction' | 'householdSize' | 'workplaceSize' | 'householdShare' | 'workplaceShare'>;

/**
 * Whom a device sees next. Devices are grouped into households and workplaces by index
 * (device i lives in household ⌊i / householdSize⌋); a re-encounter picks someone already seen today,
 * a first contact prefers an unseen housemate or colleague, else a random passer-by.
 */
export class ContactModel {
  constructor(
    private readonly c: CircleConfig,
    private readonly random: Random,
  ) {}

  household(observer: number): number[] {
    return this.circle(observer, this.c.householdSize);
  }

  workplace(observer: number): number[] {
    // Workplaces mix households: stride through the population so colleagues rarely share a home.
    const groups = Math.max(1, Math.ceil(this.c.devices / this.c.workplaceSize));
    const members: number[] = [];
    for (let i = observer % groups; i < this.c.devices; i += groups) members.push(i);
    return members;
  }

  next(observer: number, seenToday: readonly number[]): Encounter {
    if (seenToday.length > 0 && this.random() < this.c.duplicateFraction) {
      return { target: seenToday[randomIndex(this.random, seenToday.length)]!, duplicate: true };
    }
    const roll = this.random();
    const fromCircle =
      roll < this.c.householdShare
        ? this.unseenMember(observer, this.household(observer), seenToday)
        : roll < this.c.householdShare + this.c.workplaceShare
          ? this.unseenMember(observer, this.workplace(observer), seenToday)
          : undefined;
    const target = fromCircle ?? this.passerBy(observer);
    return { target, duplicate: seenToday.includes(target) };
  }

  private circle(observer: number, size: number): number[] {
    const start = Math.floor(observer / size) * size;
    const members: number[] = [];
    for (let i = start; i < Math.min(start + size, this.c.devices); i++) members.push(i);
    return members;
  }

  private unseenMember(observer: number, members: number[], seen: readonly number[]): number | undefined {
    const candidates = members.filter((m) => m !== observer && !seen.includes(m));
    return candidates.length === 0 ? undefined : candidates[randomIndex(this.random, candidates.length)];
  }

  private passerBy(observer: number): number {
    if (this.c.devices < 2) return observer;
    const pick = randomIndex(this.random, this.c.devices - 1);
    return pick >= observer ? pick + 1 : pick;
  }
}
