import type { TokenWindow } from './token-api.js';

/**
 * Where the server-confirmed token windows are kept between runs, so that a bridge restarted
 * during a backend outage advertises the windows it already holds. Adapters:
 * store/sealed-token-store.ts (sealed on disk) and the in-memory one below.
 */
export interface TokenStore {
  load(): TokenWindow[];
  save(windows: readonly TokenWindow[]): void;
}

export class MemoryTokenStore implements TokenStore {
  private windows: TokenWindow[] = [];
  load(): TokenWindow[] {
    return [...this.windows];
  }
  save(windows: readonly TokenWindow[]): void {
    this.windows = [...windows];
  }
}
