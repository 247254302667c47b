import { Client } from '@opensearch-project/opensearch';
import { contactIndexNames, LOCAL_INDEX_SETTINGS } from '../src/adapters/search/contact-indices.js';
import { BULK_RESPONSE_FILTER } from '../src/adapters/search/contact-search-requests.js';
import { OpenSearchEngine } from '../src/adapters/search/opensearch-engine.js';
import { installContactIndices } from '../src/adapters/search/search-setup.js';

export interface RawBulkRun {
  concurrency: number;
  documents: number;
  seconds: number;
  documentsPerSecond: number;
  /** CPU seconds the node used during the run, when its process is known. */
  engineCpuSeconds?: number;
}

export interface RawBulkCeiling {
  /** Distinct contact documents read back from the pipeline's indices. */
  sourceDocuments: number;
  bulkSize: number;
  runs: RawBulkRun[];
  /** The best run's rate. */
  documentsPerSecond: number;
  best: RawBulkRun;
}

export interface RawBulkOptions {
  node: string;
  /** Index prefix the pipeline wrote to; its contact documents are the ones re-indexed. */
  sourcePrefix: string;
  bulkSize: number;
  concurrencies: readonly number[];
  durationMs: number;
  onProgress?: (indexed: number) => void;
  /** The node's CPU seconds so far (its process's), to relate documents to engine CPU. */
  engineCpuSeconds?: () => number;
}

/**
 * The node's own write ceiling for the pipeline's documents: reads back every contact the pipeline
 * stored and indexes copies with plain `_bulk` index actions (no scripts, no refresh waits, no
 * batch records) into indices made from the same template, for each concurrency in turn; the best
 * run is the ceiling. Every copy gets a fresh `_id`, so each action is an insert, as most of the
 * pipeline's writes are.
 */
export async function measureRawBulkCeiling(options: RawBulkOptions): Promise<RawBulkCeiling> {
  const client = new Client({ node: options.node });
  try {
    const source = contactIndexNames(options.sourcePrefix);
    const target = contactIndexNames(`${options.sourcePrefix}raw-`);
    await installContactIndices(new OpenSearchEngine(client), target, LOCAL_INDEX_SETTINGS);
    const documents = await readAll(client, source.contactsPattern);
    if (documents.length === 0) throw new Error(`no contact documents under ${source.contactsPattern} to re-index`);
    const retarget = (index: string) => target.prefix + index.slice(source.prefix.length);

    let copy = 0;
    let indexed = 0;
    const nextBody = (): object[] => {
      const body: object[] = [];
      for (let i = 0; i < options.bulkSize; i++, copy++) {
        const document = documents[copy % documents.length]!;
        body.push({ index: { _index: retarget(document.index), _id: `${document.id}~${Math.floor(copy / documents.length)}` } }, document.source);
      }
      return body;
    };
    const runs: RawBulkRun[] = [];
    for (const concurrency of options.concurrencies) {
      const started = performance.now();
      const cpuBefore = options.engineCpuSeconds?.();
      const deadline = started + options.durationMs;
      let documentsThisRun = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < deadline) {
            // The same response filter as the contact store's bulks.
            const { body } = await client.bulk({ body: nextBody() as never, filter_path: BULK_RESPONSE_FILTER });
            if (body.errors) throw new Error(`raw bulk failed: ${JSON.stringify(body.items.find((item) => Object.values(item)[0]?.error))}`);
            documentsThisRun += options.bulkSize;
            indexed += options.bulkSize;
            options.onProgress?.(indexed);
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const engineCpuSeconds = cpuBefore === undefined ? undefined : options.engineCpuSeconds!() - cpuBefore;
      runs.push({ concurrency, documents: documentsThisRun, seconds, documentsPerSecond: documentsThisRun / seconds, ...(engineCpuSeconds === undefined ? {} : { engineCpuSeconds }) });
    }
    await client.indices.delete({ index: target.contactsPattern }, { ignore: [404] });
    const best = runs.reduce((a, b) => (b.documentsPerSecond > a.documentsPerSecond ? b : a));
    return { sourceDocuments: documents.length, bulkSize: options.bulkSize, runs, documentsPerSecond: best.documentsPerSecond, best };
  } finally {
    await client.close();
  }
}

interface StoredDocument {
  index: string;
  id: string;
  source: object;
}

async function readAll(client: Client, pattern: string): Promise<StoredDocument[]> {
  const documents: StoredDocument[] = [];
  let { body } = await client.search({ index: pattern, scroll: '1m', size: 5000, body: { query: { match_all: {} } } });
  while (body.hits.hits.length > 0) {
    for (const hit of body.hits.hits) documents.push({ index: hit._index!, id: hit._id!, source: hit._source as object });
    ({ body } = await client.scroll({ scroll_id: body._scroll_id!, scroll: '1m' }));
  }
  await client.clearScroll({ scroll_id: body._scroll_id! }).catch(() => {});
  return documents;
}
