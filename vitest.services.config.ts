import { defineConfig } from 'vitest/config';

/**
 * Tests against the real engines (DynamoDB Local, ElasticMQ, OpenSearch, cognito-local), started once
 * by the global setup from Maven Central jars. `npm test` runs this after the main suite;
 * `npm run test:services` runs it alone.
 */
export default defineConfig({
  test: {
    include: ['test/services/**/*.test.ts'],
    globalSetup: ['test/services/support/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    // the global setup may download the jars on a fresh machine
    hookTimeout: 300_000,
    allowOnly: false,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/vitest-services.json' },
  },
});
