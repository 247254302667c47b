import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { typescriptFiles } from './typescript-files.js';

const TEST_ROOT = resolve(import.meta.dirname, '..');


describe('test hygiene', () => {
  it('has no focused or skipped tests (a justified skip says why on the same line: "// skip-ok: <reason>")', () => {
    const offenders = typescriptFiles(TEST_ROOT).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${relative(TEST_ROOT, file)}:${i + 1}` }))
        .filter(({ line }) => /\b(it|test|describe)\.(only|skip)\(|\bx(it|describe)\(/.test(line) && !line.includes('skip-ok:'))
        .map(({ at }) => at),
    );
    expect(offenders).toEqual([]);
  });
});
