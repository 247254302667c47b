import { describe, expect, it } from 'vitest';
import { followUpRetentionProblems } from '../../../backend/src/application/analytics/follow-up-retention.js';
import { loadBackendConfig } from '../../../backend/src/config/backend-config.js';
import { analyticsJobDeps } from '../../../backend/src/handlers/analytics-handlers.js';
import type { BackendServices } from '../../../backend/src/composition/backend-services.js';

const analyticsOf = (env: Record<string, string>) => loadBackendConfig({ LOG_LEVEL: 'SILENT', ...env }).analytics;

describe("the retentions a week's follow-up needs", () => {
  it('holds for the defaults', () => {
    expect(followUpRetentionProblems(analyticsOf({}))).toEqual([]);
  });

  // Defaults: a week (7) + incubation 14 (longer than isolation 10 and the serial interval's 99 % tail) + 1 late day = 22.
  it('refuses an encounter retention that lets a week’s encounters expire before its cohorts are followed up, naming the variable and the least value', () => {
    expect(followUpRetentionProblems(analyticsOf({ ANALYTICS_ENCOUNTER_RETENTION_DAYS: '22' }))).toEqual([]);
    expect(followUpRetentionProblems(analyticsOf({ ANALYTICS_ENCOUNTER_RETENTION_DAYS: '21' }))).toEqual([
      "  ANALYTICS_ENCOUNTER_RETENTION_DAYS (21): must be at least 22 days: a week's figures are recomputed from its encounters until its cohorts are followed up",
    ]);
  });

  it('lets a longer serial interval lengthen what the cases must outlive', () => {
    const problems = followUpRetentionProblems(analyticsOf({ ANALYTICS_SERIAL_INTERVAL_MEAN_DAYS: '20', ANALYTICS_SERIAL_INTERVAL_SD_DAYS: '10', ANALYTICS_CASE_RETENTION_DAYS: '97', ANALYTICS_REINFECTION_DAYS: '90' }));
    expect(problems.map((p) => p.split(' (')[0]!.trim())).toContain('ANALYTICS_CASE_RETENTION_DAYS');
  });

  it('is checked where the job is composed, so the job refuses to run on such a configuration', () => {
    const config = loadBackendConfig({ LOG_LEVEL: 'SILENT', ANALYTICS_ACTIVITY_RETENTION_DAYS: '10' });
    expect(() => analyticsJobDeps({ config } as BackendServices)).toThrow(/ANALYTICS_ACTIVITY_RETENTION_DAYS \(10\): must be at least 22 days/);
  });
});
