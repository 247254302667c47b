import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Version {
  /** None yet for the version a rotation starts (its createSecret step puts the value). */
  value: string | undefined;
  stages: Set<string>;
}

/**
 * Secrets Manager's JSON protocol for one region, in memory: DescribeSecret, GetSecretValue,
 * PutSecretValue and UpdateSecretVersionStage with version stages as AWS documents them (a stage
 * is on one version at a time; AWSCURRENT moves, the old version becomes AWSPREVIOUS). No Secrets
 * Manager runs on this machine; the rotation function and the key loader talk to this through the
 * real AWS SDK client.
 */
export class FakeSecretsManager {
  readonly secrets = new Map<string, { versions: Map<string, Version>; rotationEnabled: boolean }>();
  requests: string[] = [];
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        const action = String(request.headers['x-amz-target'] ?? '').replace('secretsmanager.', '');
        this.requests.push(action);
        const [status, answer] = this.handle(action, JSON.parse(body || '{}') as Record<string, unknown>);
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((done) => this.server?.close(done));
  }

  create(name: string, value: string, rotationEnabled = true): void {
    this.secrets.set(name, { versions: new Map([[randomUUID(), { value, stages: new Set(['AWSCURRENT']) }]]), rotationEnabled });
  }

  /** Starts a rotation as the service does: a new version id, staged AWSPENDING, with no value until createSecret. */
  beginRotation(name: string): string {
    const token = randomUUID();
    const { versions } = this.secrets.get(name)!;
    for (const v of versions.values()) v.stages.delete('AWSPENDING');
    versions.set(token, { value: undefined, stages: new Set(['AWSPENDING']) });
    return token;
  }

  current(name: string): string {
    return [...this.secrets.get(name)!.versions.values()].find((v) => v.stages.has('AWSCURRENT'))!.value!;
  }

  private handle(action: string, input: Record<string, unknown>): [number, object] {
    const secret = this.secrets.get(String(input.SecretId));
    if (!secret) return [400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." }];
    const name = String(input.SecretId);
    switch (action) {
      case 'DescribeSecret':
        return [200, { ARN: name, Name: name, RotationEnabled: secret.rotationEnabled, VersionIdsToStages: Object.fromEntries([...secret.versions].map(([id, v]) => [id, [...v.stages]])) }];
      case 'GetSecretValue': {
        const stage = (input.VersionStage as string | undefined) ?? (input.VersionId ? undefined : 'AWSCURRENT');
        const found = [...secret.versions].find(([id, v]) => v.value !== undefined && (!input.VersionId || id === input.VersionId) && (!stage || v.stages.has(stage)));
        if (!found) return [400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret value." }];
        return [200, { ARN: name, Name: name, VersionId: found[0], SecretString: found[1].value, VersionStages: [...found[1].stages] }];
      }
      case 'PutSecretValue': {
        const id = String(input.ClientRequestToken);
        const stages = (input.VersionStages as string[] | undefined) ?? ['AWSCURRENT'];
        const existing = secret.versions.get(id);
        if (existing?.value !== undefined && existing.value !== input.SecretString) return [400, { __type: 'ResourceExistsException', message: 'version exists with another value' }];
        for (const v of secret.versions.values()) for (const s of stages) v.stages.delete(s);
        secret.versions.set(id, { value: String(input.SecretString), stages: new Set(stages) });
        return [200, { ARN: name, Name: name, VersionId: id, VersionStages: stages }];
      }
      case 'UpdateSecretVersionStage': {
        const stage = String(input.VersionStage);
        const from = input.RemoveFromVersionId as string | undefined;
        const holder = [...secret.versions].find(([, v]) => v.stages.has(stage));
        if (holder && holder[0] !== from && holder[0] !== input.MoveToVersionId) return [400, { __type: 'InvalidParameterException', message: `${stage} is on another version` }];
        if (holder) {
          holder[1].stages.delete(stage);
          if (stage === 'AWSCURRENT') {
            for (const v of secret.versions.values()) v.stages.delete('AWSPREVIOUS');
            holder[1].stages.add('AWSPREVIOUS');
          }
        }
        const target = secret.versions.get(String(input.MoveToVersionId));
        target?.stages.add(stage);
        if (stage === 'AWSCURRENT') target?.stages.delete('AWSPENDING');
        return [200, { ARN: name, Name: name }];
      }
      default:
        return [400, { __type: 'InvalidRequestException', message: `unsupported action ${action}` }];
    }
  }
}
