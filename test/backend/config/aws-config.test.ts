import { describe, expect, it } from 'vitest';
import { loadBackendConfig } from '../../../backend/src/config/backend-config.js';
import { ConfigError } from '../../../backend/src/config/env-schema.js';

const LOCAL_AWS = {
  BACKEND: 'aws',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  SQS_QUEUE_URL: 'http://127.0.0.1:9324/000000000000/proxitrace-contacts',
  SQS_DLQ_URL: 'http://127.0.0.1:9324/000000000000/proxitrace-contacts-dlq',
  SQS_TRACING_DLQ_URL: 'http://127.0.0.1:9324/000000000000/proxitrace-tracing-dlq',
  SQS_ENDPOINT: 'http://127.0.0.1:9324',
  SEARCH_NODE: 'http://127.0.0.1:9201',
  COGNITO_USER_POOL_ID: 'local_abc',
  COGNITO_CLIENT_ID: 'client',
  TOKEN_KEYS_FILE: '/run/secrets/token-keys.json',
  PHONE_HASH_SECRET: Buffer.alloc(32, 7).toString('base64'),
  // Local engines: a development stack (npm run stack sets the same).
  SMS_SENDER: 'log',
  INSECURE_DEVELOPMENT: '1',
  RELAY_KEYS_FILE: '/run/secrets/relay-keys.json',
};

const messageOf = (env: Record<string, string>): string => {
  try {
    loadBackendConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('backend configuration: BACKEND', () => {
  it('is embedded by default, without AWS settings', () => {
    expect(loadBackendConfig({})).toMatchObject({ backend: 'embedded', aws: undefined });
  });

  it('refuses an unknown backend by name', () => {
    expect(messageOf({ BACKEND: 'cloud' })).toContain('BACKEND ("cloud"): must be embedded or aws');
  });

  it('names every missing AWS setting at once, with the other problems', () => {
    const message = messageOf({ BACKEND: 'aws', PORT: 'eighty', AWS_ACCESS_KEY_ID: 'key' });
    for (const name of ['PORT ("eighty")', 'AWS_REGION (unset)', 'SQS_QUEUE_URL (unset)', 'SQS_DLQ_URL (unset)', 'SQS_TRACING_DLQ_URL (unset)', 'SEARCH_NODE (unset)', 'COGNITO_USER_POOL_ID (unset)', 'COGNITO_CLIENT_ID (unset)', 'AWS_SECRET_ACCESS_KEY (unset)', 'TOKEN_KEYS (unset)', 'RELAY_KEYS (unset)']) {
      expect(message).toContain(name);
    }
    expect(message).toContain('is required when BACKEND=aws');
  });

  it.each([
    ['SQS_QUEUE_URL', 'not a url'],
    ['DYNAMODB_ENDPOINT', 'localhost:8000'],
    ['SQS_WAIT_TIME_SECONDS', '21'],
    ['SEARCH_REFRESH_INTERVAL', 'soon'],
    ['SEARCH_ENGINE', 'solr'],
    ['SEARCH_AUTH', 'kerberos'],
    ['SMS_SENDER', 'pigeon'],
    ['SMS_SENDER_ID', 'Proxitrace Health'],
  ])('refuses a bad %s', (name, value) => {
    expect(messageOf({ ...LOCAL_AWS, [name]: value })).toContain(`${name} (${JSON.stringify(value)})`);
  });

  it('derives the issuer and JWKS URL from the endpoint override (cognito-local) or the region (Cognito)', () => {
    const local = loadBackendConfig({ ...LOCAL_AWS, COGNITO_ENDPOINT: 'http://127.0.0.1:9229' }).aws!;
    expect(local.cognito).toMatchObject({ issuer: 'http://127.0.0.1:9229/local_abc', jwksUri: 'http://127.0.0.1:9229/local_abc/.well-known/jwks.json' });
    const cloud = loadBackendConfig({ ...LOCAL_AWS, AWS_REGION: 'eu-west-1', COGNITO_USER_POOL_ID: 'eu-west-1_X' }).aws!;
    expect(cloud.cognito.issuer).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X');
  });

  it('has the documented AWS defaults and leaves credentials to the SDK when unset', () => {
    const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...withoutKeys } = LOCAL_AWS;
    const config = loadBackendConfig(withoutKeys);
    expect(config.backend).toBe('aws');
    expect(config.aws).toMatchObject({
      credentials: undefined,
      dynamodb: { tablePrefix: 'proxitrace-', endpoint: undefined },
      sqs: { waitTimeSeconds: 5, endpoint: 'http://127.0.0.1:9324' },
      search: { engine: 'opensearch', auth: { kind: 'none' }, indexPrefix: 'proxitrace-', shards: 1, replicas: 0, refreshInterval: '1s' },
      sms: { sender: 'log' },
    });
  });
});

describe('backend configuration: the search tier', () => {
  it('signs for Amazon OpenSearch Service, or OpenSearch Serverless when asked', () => {
    expect(loadBackendConfig({ ...LOCAL_AWS, SEARCH_AUTH: 'sigv4' }).aws!.search.auth).toEqual({ kind: 'sigv4', service: 'es' });
    expect(loadBackendConfig({ ...LOCAL_AWS, SEARCH_AUTH: 'SigV4', SEARCH_SIGV4_SERVICE: 'aoss' }).aws!.search.auth).toEqual({ kind: 'sigv4', service: 'aoss' });
  });

  it('takes an Elastic API key for Elasticsearch', () => {
    const search = loadBackendConfig({ ...LOCAL_AWS, SEARCH_ENGINE: 'elasticsearch', SEARCH_AUTH: 'api-key', SEARCH_API_KEY: 'ZWxhc3RpYw==' }).aws!.search;
    expect(search).toMatchObject({ engine: 'elasticsearch', auth: { kind: 'api-key', apiKey: 'ZWxhc3RpYw==' } });
    // Elastic Cloud deployments keep the key in Secrets Manager; the functions read it at cold start.
    const fromSecret = loadBackendConfig({ ...LOCAL_AWS, SEARCH_ENGINE: 'elasticsearch', SEARCH_AUTH: 'api-key', SEARCH_API_KEY_SECRET_ID: 'arn:aws:secretsmanager:eu-west-2:1:secret:k' }).aws!.search;
    expect(fromSecret.auth).toEqual({ kind: 'api-key-secret', secretId: 'arn:aws:secretsmanager:eu-west-2:1:secret:k' });
  });

  it.each([
    [{ SEARCH_ENGINE: 'elasticsearch', SEARCH_AUTH: 'sigv4' }, 'SEARCH_AUTH ("sigv4"): sigv4 signs requests for Amazon OpenSearch Service'],
    [{ SEARCH_AUTH: 'api-key', SEARCH_API_KEY: 'k' }, 'SEARCH_AUTH ("api-key"): api-key is for SEARCH_ENGINE=elasticsearch'],
    [{ SEARCH_ENGINE: 'elasticsearch', SEARCH_AUTH: 'api-key' }, 'SEARCH_API_KEY (unset): SEARCH_API_KEY or SEARCH_API_KEY_SECRET_ID is required when SEARCH_AUTH=api-key'],
    [{ SEARCH_AUTH: 'basic', SEARCH_USERNAME: 'analyst' }, 'SEARCH_PASSWORD (unset): is required when SEARCH_AUTH=basic'],
  ])('refuses an auth setting that does not fit the engine: %o', (settings, expected) => {
    expect(messageOf({ ...LOCAL_AWS, ...settings })).toContain(expected);
  });

  it('never prints a secret in its error message', () => {
    // An API key with OpenSearch is refused (a SEARCH_AUTH issue); a blank one is an issue of its own.
    const message = messageOf({ ...LOCAL_AWS, SEARCH_ENGINE: 'elasticsearch', SEARCH_AUTH: 'api-key', SEARCH_API_KEY: '  ', AWS_SECRET_ACCESS_KEY: 'very-secret-key', AWS_ACCESS_KEY_ID: '' });
    expect(message).toContain('SEARCH_API_KEY (set, not shown): must not be empty');
    expect(message).not.toContain('very-secret-key');
  });
});

describe('BACKEND=aws refuses unsafe settings', () => {
  const SAFE = { ...LOCAL_AWS, SMS_SENDER: 'sns', SMS_ALLOWED_CALLING_CODES: '44', INSECURE_DEVELOPMENT: undefined, DEV_SMS_ECHO: undefined };
  const refusal = (env: Record<string, string | undefined>) => {
    try {
      loadBackendConfig(env);
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('starts with safe settings', () => {
    expect(loadBackendConfig(SAFE).insecureDevelopment).toEqual([]);
  });

  it.each([
    ['DEV_SMS_ECHO=1', { DEV_SMS_ECHO: '1' }, /DEV_SMS_ECHO=1/],
    ['SMS_SENDER=log', { SMS_SENDER: 'log' }, /SMS_SENDER=log/],
    ['SMS_SENDER unset (it defaults to sns) but no allow-list', { SMS_SENDER: undefined, SMS_ALLOWED_CALLING_CODES: undefined }, /SMS_ALLOWED_CALLING_CODES/],
    ['unauthenticated search on a remote node', { SEARCH_NODE: 'https://search.example.org', SEARCH_AUTH: 'none' }, /SEARCH_AUTH=none for the non-loopback search node search.example.org/],
  ])('refuses %s unless INSECURE_DEVELOPMENT=1', (_name, change, pattern) => {
    expect(refusal({ ...SAFE, ...change })).toMatch(pattern);
    expect(refusal({ ...SAFE, ...change })).toMatch(/INSECURE_DEVELOPMENT=1/);
    expect(loadBackendConfig({ ...SAFE, ...change, INSECURE_DEVELOPMENT: '1' }).insecureDevelopment).toEqual([expect.stringMatching(pattern)]);
  });

  it('accepts unauthenticated search on a loopback node', () => {
    expect(refusal({ ...SAFE, SEARCH_NODE: 'http://127.0.0.1:9201' })).toBe('');
  });

  it('needs PHONE_HASH_SECRET of at least 32 bytes', () => {
    expect(refusal({ ...SAFE, PHONE_HASH_SECRET: undefined })).toContain('PHONE_HASH_SECRET (unset)');
    expect(refusal({ ...SAFE, PHONE_HASH_SECRET: Buffer.alloc(8).toString('base64') })).toContain('at least 32');
  });
});

describe('the SMS budget per hour (SMS_BUDGET_PER_HOUR)', () => {
  const { INSECURE_DEVELOPMENT: _insecure, ...safe } = LOCAL_AWS;
  const SENDING = { ...safe, SMS_SENDER: 'sns', SMS_ALLOWED_CALLING_CODES: '44' };
  const budgetOf = (env: Record<string, string>) => loadBackendConfig(env).signIn.limits.smsBudget.limit;

  it('caps what is billed where SMS are sent, and stays above the load tool\'s 80,000 numbers where codes only go to the log', () => {
    expect(budgetOf(SENDING)).toBe(20_000);
    expect(budgetOf(LOCAL_AWS)).toBe(1_000_000);
    expect(budgetOf({})).toBe(1_000_000);
  });

  it('is what the operator sets, on any backend', () => {
    expect(budgetOf({ ...SENDING, SMS_BUDGET_PER_HOUR: '60000' })).toBe(60_000);
    expect(budgetOf({ SMS_BUDGET_PER_HOUR: '500' })).toBe(500);
    expect(messageOf({ SMS_BUDGET_PER_HOUR: '0' })).toMatch(/SMS_BUDGET_PER_HOUR/);
  });
});
