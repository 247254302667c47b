import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../backend/src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('what keeps the Lambda bundles small', () => {
  it("imports zod as a namespace (`import * as z`): `import { z }` makes esbuild keep all of zod's locales (~260 KB)", () => {
    const offenders = sourceFiles(SRC).filter((file) => /^import \{[^}]*\bz\b[^}]*\} from 'zod'/m.test(readFileSync(file, 'utf8'))).map((f) => relative(SRC, f));
    expect(offenders).toEqual([]);
  });

  it('loads the search clients only when a request needs them (infra leaves the unused one out of each bundle)', () => {
    const offenders = sourceFiles(SRC)
      .filter((file) => /^import (?!type)[^;]*from '(@opensearch-project\/opensearch|@elastic\/elasticsearch)[^']*'/m.test(readFileSync(file, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(offenders).toEqual([]);
  });
});
