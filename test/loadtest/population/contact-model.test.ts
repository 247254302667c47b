import { describe, expect, it } from 'vitest';
import { ContactModel } from '../../../loadtest/src/population/contact-model.js';
import { DEFAULT_POPULATION } from '../../../loadtest/src/population/population-config.js';
import { seededRandom } from '../../../loadtest/src/scheduler/random.js';

const config = (devices: number, duplicateFraction: number) => ({ ...DEFAULT_POPULATION, devices, duplicateFraction });

describe('Class: ContactModel', () => {
  it.each([0.3, 0.5, 0.7])('a day of 100 encounters repeats pairs at the configured rate (%s)', (fraction) => {
    const model = new ContactModel(config(10_000, fraction), seededRandom(7));
    let duplicates = 0;
    let encounters = 0;
    for (let observer = 0; observer < 200; observer++) {
      const seen: number[] = [];
      for (let i = 0; i < 100; i++) {
        const e = model.next(observer, seen);
        encounters++;
        if (e.duplicate) duplicates++;
        else seen.push(e.target);
      }
    }
    expect(Math.abs(duplicates / encounters - fraction)).toBeLessThan(0.05);
  });

  it.each([
    [100, 3, 12],
    [1_000, 4, 20],
    [10, 3, 12],
  ])('with %i devices, households of %i and workplaces of %i contain the observer', (devices, householdSize, workplaceSize) => {
    const model = new ContactModel({ ...config(devices, 0.5), householdSize, workplaceSize }, seededRandom(1));
    for (let observer = 0; observer < devices; observer += 7) {
      const household = model.household(observer);
      const workplace = model.workplace(observer);
      expect(household).toContain(observer);
      expect(workplace).toContain(observer);
      expect(household.length).toBeLessThanOrEqual(householdSize);
      expect(workplace.length).toBeLessThanOrEqual(Math.min(workplaceSize, devices));
    }
  });

  it('never has a device observe itself and draws first contacts from household and workplace', () => {
    const c = config(1_000, 0);
    const model = new ContactModel(c, seededRandom(3));
    const observer = 42;
    const circle = new Set([...model.household(observer), ...model.workplace(observer)]);
    const seen: number[] = [];
    let fromCircle = 0;
    for (let i = 0; i < 30; i++) {
      const e = model.next(observer, seen);
      expect(e.target).not.toBe(observer);
      if (circle.has(e.target)) fromCircle++;
      seen.push(e.target);
    }
    // With shares of 20% + 40%, a random passer-by would almost never land in a 14-person circle.
    expect(fromCircle).toBeGreaterThan(5);
  });
});
