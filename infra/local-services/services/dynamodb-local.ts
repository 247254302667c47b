import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoTables, dynamoTableNames, type DynamoTableNames } from '../../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { ensureClasspath } from '../maven-classpath.js';
import { startProcess, waitUntilReady } from '../managed-process.js';
import { localCredentials, LOCAL_REGION, seconds, type RunningService, type ServiceContext } from './service.js';

export interface DynamoDbEndpoint {
  endpoint: string;
  tables: DynamoTableNames;
}

const MAIN_CLASS = 'software.amazon.dynamodb.services.local.main.ServerRunner';

/** AWS's DynamoDB Local, in memory, with the project's tables. */
export async function startDynamoDbLocal(context: ServiceContext, port: number): Promise<RunningService<DynamoDbEndpoint>> {
  const started = Date.now();
  const classpath = await ensureClasspath('dynamodb');
  context.progress(`dynamodb: classpath ${classpath.cached ? 'cached' : 'copied by Maven'} (${seconds(started)})`);
  const process = startProcess({
    name: 'dynamodb',
    command: 'java',
    // DynamoDB Local has no bind-address option: it listens on every interface.
    args: [
      `-Dsqlite4java.library.path=${classpath.dir}`,
      '-Xmx512m',
      '-cp',
      join(classpath.dir, '*'),
      MAIN_CLASS,
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    cwd: context.runDir,
    logFile: join(context.runDir, 'dynamodb.log'),
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: localCredentials() });
  try {
    await waitUntilReady(process, async () => (await client.send(new ListTablesCommand({ Limit: 1 })), true), context.readyTimeoutMs);
    const tables = dynamoTableNames(context.prefix);
    await createDynamoTables(client, tables);
    context.progress(`dynamodb: ready on ${endpoint}, ${Object.keys(tables).length} tables (${seconds(started)})`);
    return { endpoint: { endpoint, tables }, pid: process.pid, exited: process.exited, stop: () => process.stop() };
  } catch (error) {
    await process.stop();
    throw error;
  } finally {
    client.destroy();
  }
}
