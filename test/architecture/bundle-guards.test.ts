import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { typescriptFiles } from './typescript-files.js';

const SRC = resolve(import.meta.dirname, '../../backend/src');


describe('what keeps the Lambda bundles small', () => {
  it("imports zod as a namespace (`import * as z`): `import { z }` makes esbuild keep all of zod's locales (~260 KB)", () => {
    const offenders = typescriptFiles(SRC).filter((file) => /^import \{[^}]*\bz\b[^}]*\} from 'zod'/m.test(readFileSync(file, 'utf8'))).map((f) => relative(SRC, f));
    expect(offenders).toEqual([]);
  });

  it('loads the search clients only when a request needs them (infra leaves the unused one out of each bundle)', () => {
    const offenders = typescriptFiles(SRC)
      .filter((file) => /^import (?!type)[^;]*from '(@opensearch-project\/opensearch|@elastic\/elasticsearch)[^']*'/m.test(readFileSync(file, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(offenders).toEqual([]);
  });
});
