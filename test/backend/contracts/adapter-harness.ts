import { afterEach, beforeEach } from 'vitest';

/** A port adapter under test, on its own fresh storage, and how to dispose of it. */
export interface AdapterHarness<T> {
  adapter: T;
  close(): Promise<void>;
}

/** Gives every test of a contract suite a fresh adapter, handed to `use`. */
export function useFreshAdapter<T>(make: () => Promise<AdapterHarness<T>>, use: (adapter: T) => void): void {
  let harness: AdapterHarness<T>;
  beforeEach(async () => {
    harness = await make();
    use(harness.adapter);
  });
  afterEach(() => harness.close());
}
