import { infectionRequestSchema, verificationCodeRequestSchema } from '../api/schemas.js';
import { issueAuditedVerificationCode } from '../application/issue-audited-verification-code.js';
import { reportInfection } from '../application/report-infection.js';
import type { DeviceCaller, ServicesOf } from '../composition/backend-services.js';
import { authenticateDevice, authenticateOfficial } from './http/authenticate.js';
import { httpHandler, type HttpLambda } from './http/http-handler.js';
import { parseJsonBody } from './http/request-body.js';
import { jsonResponse } from './http/responses.js';

/** POST /v1/admin/verification-codes: officials only; a one-time code for a positive test. */
export function makeIssueVerificationCode(s: ServicesOf<'identity' | 'reports' | 'rateLimits' | 'audit'>): HttpLambda {
  const { officialCodesPerHour: perHour, officialCodesPerDay: perDay } = s.config.signIn;
  const deps = { reports: s.reports, ttlMs: s.config.verificationCodeTtlMs, clock: s.clock, limits: s.rateLimits, audit: s.audit, quota: { perHour, perDay } };
  return httpHandler(s.logger, async (event) => {
    const official = await authenticateOfficial(event, s.identity);
    parseJsonBody(event, verificationCodeRequestSchema, { maxBytes: s.config.maxBodyBytes, allowEmpty: true });
    const { code, expiresAt } = await issueAuditedVerificationCode(deps, official.subject);
    return jsonResponse(201, { code, expiresAt: expiresAt.toISOString() });
  });
}

/** POST /v1/infections: redeems a verification code; its contacts are warned by the tracer. */
export function makeReportInfection(s: ServicesOf<'reports'> & DeviceCaller): HttpLambda {
  const deps = { reports: s.reports, policy: s.config.exposurePolicy, clock: s.clock };
  return httpHandler(s.logger, async (event) => {
    const device = await authenticateDevice(event, s);
    const request = parseJsonBody(event, infectionRequestSchema, { maxBytes: s.config.maxBodyBytes });
    const onset = request.symptomOnset === undefined ? undefined : new Date(request.symptomOnset);
    const reported = await reportInfection(deps, device, request.verificationCode, onset);
    s.logger.info(reported.created ? 'infection reported' : 'infection report repeated', { caseId: reported.caseId });
    // `notified` stays for API v1 clients: warnings go out asynchronously, so none has at this point.
    return jsonResponse(202, { caseId: reported.caseId, tracing: 'queued', notified: 0 });
  });
}
