/** The endpoints the load exercises, in report order. Indices into this list identify them on the hot path. */
export const ENDPOINTS = [
  'POST /v1/tokens',
  'POST /v1/contacts',
  'GET /v1/notifications',
  'POST /v1/admin/verification-codes',
  'POST /v1/infections',
] as const;

export const Endpoint = {
  tokens: 0,
  contacts: 1,
  notifications: 2,
  verificationCodes: 3,
  infections: 4,
} as const;
