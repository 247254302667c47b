import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const FILE_NAME = '.official-sessions.json';

/**
 * The official's latest refresh token per server, kept between runs in the --out directory (owner-only),
 * so that a run resumes the session instead of signing in again: a sign-in spends one of the 3 SMS codes
 * a number gets in 15 minutes, and an authenticator code. Only the sign-up flow of a development server
 * uses it; refresh tokens rotate, so every renewal is written at once.
 */
export class OfficialSessionStore {
  readonly file: string;

  constructor(
    outDir: string,
    private readonly key: string,
  ) {
    this.file = join(outDir, FILE_NAME);
  }

  load(): string | undefined {
    const token = this.read()[this.key];
    return typeof token === 'string' ? token : undefined;
  }

  save(refreshToken: string | undefined): void {
    const all = this.read();
    if (refreshToken === undefined) delete all[this.key];
    else all[this.key] = refreshToken;
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.file);
  }

  private read(): Record<string, unknown> {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
}
