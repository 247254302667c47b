import { infectionRequestSchema, verificationCodeRequestSchema } from '../api/schemas.js';
import { issueAuditedVerificationCode } from '../application/issue-audited-verification-code.js';
import { reportInfection } from '../application/report-infection.js';
import type { BackendServices } from '../composition/backend-services.js';
import { authenticateDevice, authenticateOfficial } from './http/authenticate.js';
import { httpHandler, type HttpLambda } from './http/http-handler.js';
import { parseJsonBody } from './http/request-body.js';
import { jsonResponse } from './http/responses.js';

/** POST /v1/admin/verification-codes: officials only; a one-time code for a positive test. */
export function makeIssueVerificationCode(s: BackendServices): HttpLambda {
  const { officialCodesPerHour: perHour, officialCodesPerDay: perDay } = s.config.signIn;
  const deps = { devices: s.devices, ttlMs: s.config.verificationCodeTtlMs, clock: s.clock, limits: s.rateLimits, audit: s.audit, quota: { perHour, perDay } };
  return httpHandler(s.logger, async (event) => {
    const official = await authenticateOfficial(event, s.identity);
    parseJsonBody(event, verificationCodeRequestSchema, { maxBytes: s.config.maxBodyBytes, allowEmpty: true });
    const { code, expiresAt } = await issueAuditedVerificationCode(deps, official.subject);
    return jsonResponse(201, { code, expiresAt: expiresAt.toISOString() });
  });
}

/** POST /v1/infections: redeems a verification code and notifies the reporter's contacts. */
export function makeReportInfection(s: BackendServices): HttpLambda {
  const deps = { devices: s.devices, index: s.exposureIndex, tracer: s.tracer, policy: s.config.exposurePolicy, clock: s.clock };
  return httpHandler(s.logger, async (event) => {
    const device = await authenticateDevice(event, s.identity, s.devices);
    const request = parseJsonBody(event, infectionRequestSchema, { maxBytes: s.config.maxBodyBytes });
    const onset = request.symptomOnset === undefined ? undefined : new Date(request.symptomOnset);
    const reported = await reportInfection(deps, device, request.verificationCode, onset);
    s.logger.info('infection reported', { caseId: reported.caseId, notified: reported.notified });
    return jsonResponse(202, reported);
  });
}
