import fc from 'fast-check';

/** The part of JSON Schema (OpenAPI 3.1) the API's documents use. */
export interface JsonSchema {
  $ref?: string;
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

export type Components = Record<string, JsonSchema>;

export function resolve(schema: JsonSchema, components: Components): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = components[name];
  if (!target) throw new Error(`unknown schema ${schema.$ref}`);
  return resolve(target, components);
}

const isoTime = fc
  .date({ min: new Date(Date.now() - 30 * 86_400_000), max: new Date(Date.now() + 3_600_000), noInvalidDate: true })
  .map((d) => d.toISOString());

/** Values the schema accepts (as far as the schema alone can tell: cross-field rules are the server's). */
export function validValue(schema: JsonSchema, components: Components, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => validValue(a, components, depth + 1)));
  switch (s.type) {
    case 'object': {
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(s.properties ?? {})) record[key] = validValue(value, components, depth + 1);
      return fc.record(record, { requiredKeys: (s.required ?? []).filter((k) => k in record) });
    }
    case 'array':
      return fc.array(validValue(s.items ?? {}, components, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 5, depth > 1 ? 3 : 60) });
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1_000_000, max: s.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'string':
      return stringValue(s);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringValue(s: JsonSchema): fc.Arbitrary<string> {
  if (s.format === 'uuid') return fc.uuid({ version: 4 });
  if (s.format === 'date-time') return isoTime;
  if (s.format === 'date') return isoTime.map((t) => t.slice(0, 10));
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
  return fc.string({ minLength: s.minLength ?? 0, maxLength: s.maxLength ?? 40 });
}

/** Values just outside what the schema accepts, and values of the wrong kind altogether. */
export function invalidValue(schema: JsonSchema, components: Components): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  const wrongKind = fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, '', ' ', '\u0000', '💥', [], {}, [[[[]]]], 'null', '{}'),
    fc.string({ maxLength: 300 }),
    fc.integer(),
    fc.double(),
    fc.jsonValue({ maxDepth: 4 }),
  );
  const boundary: fc.Arbitrary<unknown>[] = [wrongKind];
  if (s.type === 'integer' || s.type === 'number') {
    if (s.minimum !== undefined) boundary.push(fc.constantFrom(s.minimum - 1, s.minimum - 0.5));
    if (s.maximum !== undefined) boundary.push(fc.constantFrom(s.maximum + 1, s.maximum + 0.5, Number.MAX_SAFE_INTEGER + 2));
  }
  if (s.type === 'string') {
    if (s.maxLength !== undefined) boundary.push(fc.string({ minLength: s.maxLength + 1, maxLength: s.maxLength + 3 }));
    if (s.minLength) boundary.push(fc.string({ maxLength: s.minLength - 1 }));
    if (s.pattern || s.format) boundary.push(stringValue(s).map((v) => `${v}x`), stringValue(s).map((v) => v.slice(1)));
  }
  if (s.type === 'array') {
    if (s.maxItems !== undefined) boundary.push(fc.array(validValue(s.items ?? {}, components, 2), { minLength: s.maxItems + 1, maxLength: s.maxItems + 2 }));
    if (s.minItems) boundary.push(fc.constant([]));
  }
  return fc.oneof(...boundary);
}

/** A valid object with one thing broken: a field missing, wrong, extra, or a nested value broken. */
export function brokenObject(schema: JsonSchema, components: Components): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  const props = Object.entries(s.properties ?? {});
  if (s.type !== 'object' || props.length === 0) return invalidValue(s, components);
  const valid = validValue(s, components) as fc.Arbitrary<Record<string, unknown>>;
  return fc.oneof(
    fc.tuple(valid, fc.constantFrom(...props.map(([k]) => k))).map(([value, key]) => {
      const copy = { ...value };
      delete copy[key];
      return copy;
    }),
    fc.tuple(valid, fc.constantFrom(...props), fc.nat()).chain(([value, [key, prop]]) =>
      brokenOrInvalid(prop, components).map((bad) => ({ ...value, [key]: bad })),
    ),
    fc.tuple(valid, fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 1 })).map(([value, key, extra]) => ({ ...value, [`x${key}`]: extra })),
    fc.constantFrom({ __proto__: { admin: true } }, JSON.parse('{"__proto__": {"polluted": 1}}'), { constructor: { prototype: {} } }),
  );
}

function brokenOrInvalid(schema: JsonSchema, components: Components): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  if (s.type === 'array' && s.items) {
    return fc.oneof(invalidValue(s, components), fc.tuple(validValue(s, components) as fc.Arbitrary<unknown[]>, brokenObject(s.items, components)).map(([items, bad]) => [...items, bad]));
  }
  return s.type === 'object' ? brokenObject(s, components) : invalidValue(s, components);
}
