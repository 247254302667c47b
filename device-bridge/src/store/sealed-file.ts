import type { z } from 'zod';
import type { SecretBox } from '../../../backend/src/domain/secret-box.js';
import { readFileIfPresent, removeFile, writePrivateFile } from './private-file.js';

/** A sealed file exists but does not open with this key (another key, or altered). */
export class SealedFileError extends Error {}

/** One JSON value sealed with AES-256-GCM in a 0600 file: `{"sealed":"…"}`. */
export class SealedJsonFile<T> {
  constructor(
    readonly path: string,
    private readonly box: SecretBox,
    private readonly schema: z.ZodType<T>,
  ) {}

  exists(): boolean {
    return readFileIfPresent(this.path) !== undefined;
  }

  /** The value, undefined when there is no file; throws {@link SealedFileError} when it does not open. */
  load(): T | undefined {
    const text = readFileIfPresent(this.path);
    if (text === undefined) return undefined;
    let sealed: unknown;
    try {
      sealed = (JSON.parse(text) as { sealed?: unknown }).sealed;
    } catch {
      sealed = undefined;
    }
    const plain = typeof sealed === 'string' ? this.box.open(sealed) : undefined;
    if (plain === undefined) throw new SealedFileError(`${this.path} does not open with this key (sealed with another key, or altered)`);
    const parsed = this.schema.safeParse(JSON.parse(plain));
    if (!parsed.success) throw new SealedFileError(`${this.path}: unexpected content (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    return parsed.data;
  }

  save(value: T): void {
    writePrivateFile(this.path, `${JSON.stringify({ sealed: this.box.seal(JSON.stringify(value)) })}\n`);
  }

  clear(): void {
    removeFile(this.path);
  }
}
