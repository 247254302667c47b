import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, COMMON_ERRORS, documentedStatuses, OPERATIONS } from '../../../backend/src/api/openapi.js';
import { contactsRequestSchema, MAX_OBSERVATIONS_PER_BATCH } from '../../../backend/src/api/schemas.js';
import { ROUTES } from '../../../backend/src/handlers/routes.js';

type Doc = { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>>; components: { schemas: Record<string, any> } };
const doc = buildOpenApiDocument() as Doc;

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and documents every device-facing route the server routes', () => {
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    const served = Object.keys(ROUTES).filter((key) => key !== '$default');
    expect(documented.sort()).toEqual(served.sort());
  });

  it('declares every status an operation can answer, each error with the error schema, 429 with Retry-After and 405 with Allow', () => {
    for (const op of OPERATIONS) {
      const responses = (doc.paths[op.path]![op.method] as unknown as { responses: Record<string, any> }).responses;
      expect(Object.keys(responses).map(Number).sort((a, b) => a - b)).toEqual(documentedStatuses(op));
      for (const status of op.errors.concat(COMMON_ERRORS)) {
        expect(responses[status].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
      }
      expect(responses[429].headers['Retry-After']).toBeDefined();
      expect(responses[405].headers.Allow).toBeDefined();
    }
  });

  it("declares GET /ready's 503 with the readiness report, not the error body", () => {
    const ready = (doc.paths['/ready']!.get as unknown as { responses: Record<string, any> }).responses;
    expect(ready[503].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ReadinessResponse' });
    expect(ready[200].content['application/json'].schema).toEqual(ready[503].content['application/json'].schema);
  });

  it('is generated from the schemas the handlers validate with', () => {
    const contacts = doc.components.schemas.ContactsRequest;
    expect(contacts.properties.observations.maxItems).toBe(MAX_OBSERVATIONS_PER_BATCH);
    expect(contacts.required).toEqual(expect.arrayContaining(['batchId', 'observations']));
    expect(Object.keys(contacts.properties).sort()).toEqual(Object.keys(contactsRequestSchema.shape).sort());
  });
});
