import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, describe, expect, it } from 'vitest';
import { contactIndexNames, LOCAL_INDEX_SETTINGS } from '../../backend/src/adapters/search/contact-indices.js';
import { SearchContactStore } from '../../backend/src/adapters/search/search-contact-store.js';
import { installContactIndices } from '../../backend/src/adapters/search/search-setup.js';
import { searchEngineFromConfig } from '../../backend/src/composition/search-engine-from-config.js';
import type { SearchConfig } from '../../backend/src/config/aws-config.js';
import { aContact, minutesBefore, NOW } from '../support/builders.js';
import { localServices, uniquePrefix } from './support/aws-clients.js';
import { startRecordingHttpProxy, type RecordedRequest } from './support/recording-http-proxy.js';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const REGION = 'eu-west-1';

/** SHA-256 (or HMAC-SHA-256 with a secret) in the shape the SigV4 signer takes. */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData) =>
  typeof data === 'string' ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/** Recomputes the signature AWS would expect for a recorded request, from its own signed headers. */
async function expectedSignature(request: RecordedRequest, service: string): Promise<string> {
  const authorization = String(request.headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)![1]!.split(';');
  const url = new URL(request.url, 'http://placeholder');
  const amzDate = String(request.headers['x-amz-date']);
  const signer = new SignatureV4({ credentials: CREDENTIALS, region: REGION, service, sha256: Sha256, uriEscapePath: true });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: String(request.headers.host),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(signedHeaders.map((name) => [name, String(request.headers[name])])),
      body: request.body.length > 0 ? request.body.toString() : undefined,
    },
    { signingDate: new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z')) },
  );
  return /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))![1]!;
}

describe('search engine from configuration: SigV4 for Amazon OpenSearch Service', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it.each(['es', 'aoss'] as const)('signs every request the contact store makes for service %s, and the node still answers', async (service) => {
    const proxy = await startRecordingHttpProxy(localServices().opensearch!.node);
    closers.push(proxy.close);
    const names = contactIndexNames(uniquePrefix());
    const config: SearchConfig = { engine: 'opensearch', node: proxy.url, auth: { kind: 'sigv4', service }, indexPrefix: names.prefix, ...LOCAL_INDEX_SETTINGS };
    const { engine, close } = searchEngineFromConfig(config, { region: REGION, credentials: CREDENTIALS });
    closers.push(async () => {
      await engine.deleteIndices([names.contactsPattern, names.appliedBatches]);
      await close();
    });

    await installContactIndices(engine, names, LOCAL_INDEX_SETTINGS);
    const store = new SearchContactStore(engine, names, () => NOW);
    await store.applyBatch({ batchKey: 'r1:b1', reporter: 1, contacts: [aContact(1, 2, 30, 10)], observationCount: 1 });
    expect((await store.contactsOf([1], minutesBefore(60))).map((c) => c.deviceHigh)).toEqual([2]);

    expect(proxy.requests.length).toBeGreaterThanOrEqual(6);
    for (const request of proxy.requests) {
      const authorization = String(request.headers.authorization);
      expect(authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/${REGION}/${service}/aws4_request, SignedHeaders=[^ ]*host[^ ]*, Signature=[0-9a-f]{64}$`));
      expect(/Signature=([0-9a-f]{64})/.exec(authorization)![1], `${request.method} ${request.url}`).toBe(await expectedSignature(request, service));
    }
  });
});

describe('search engine from configuration: Elasticsearch', () => {
  it('sends the API key in the Authorization header', async () => {
    const proxy = await startRecordingHttpProxy(localServices().opensearch!.node);
    const config: SearchConfig = { engine: 'elasticsearch', node: proxy.url, auth: { kind: 'api-key', apiKey: 'ZWxhc3RpYy1rZXk=' }, indexPrefix: 'x-', ...LOCAL_INDEX_SETTINGS };
    const { engine, close } = searchEngineFromConfig(config, { region: REGION });
    try {
      // The node is OpenSearch, which the Elastic client refuses to talk to after the first answer: the request went out all the same.
      await engine.refresh('x-contacts-*').catch(() => {});
      expect(proxy.requests[0]?.headers.authorization).toBe('ApiKey ZWxhc3RpYy1rZXk=');
    } finally {
      await close();
      await proxy.close();
    }
  });
});
