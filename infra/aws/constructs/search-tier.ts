import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stage-config.js';
import type { Identity } from './identity.js';

type SearchSettings = { shards: number; replicas: number; refreshInterval: string };

/** Where contacts live, as the functions' environment and grants need it. */
export type SearchTarget =
  | { kind: 'opensearch-service'; domain: opensearch.Domain; node: string; settings: SearchSettings }
  | { kind: 'elastic-cloud'; apiKey: secretsmanager.ISecret; node: string; settings: SearchSettings };

export interface SearchTierProps {
  config: StageConfig;
  identity: Identity;
  /** The deploy-time setup's role: the domain's fine-grained access control master user. */
  masterRole: iam.IRole;
  /** Every role that may send requests to the domain at all (fine-grained roles decide what each may do). */
  clientRoles: iam.IRole[];
}

/**
 * The search tier. Amazon OpenSearch Service: encrypted at rest and between nodes, HTTPS only
 * (TLS 1.2), fine-grained access control with the setup function as master user, Dashboards signed
 * in through the officials' Cognito pool, slow and application logs in CloudWatch. Or an Elastic
 * Cloud deployment: no resource here, only its endpoint and the secret holding its API key.
 */
export class SearchTier extends Construct {
  readonly target: SearchTarget;

  constructor(scope: Construct, id: string, props: SearchTierProps) {
    super(scope, id);
    const search = props.config.search;
    const settings = { shards: search.shards, replicas: search.replicas, refreshInterval: search.refreshInterval };
    if (search.kind === 'elastic-cloud') {
      this.target = { kind: 'elastic-cloud', apiKey: secretsmanager.Secret.fromSecretNameV2(this, 'ElasticApiKey', search.apiKeySecretName), node: search.endpoint, settings };
      return;
    }
    const { config, identity } = props;
    const removalPolicy = config.keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logGroup = (name: string) =>
      new logs.LogGroup(this, name, { logGroupName: `/aws/opensearch/${config.prefix}contacts/${name}`, retention: config.logRetentionDays, removalPolicy });
    const slowSearch = logGroup('slow-search');
    const slowIndex = logGroup('slow-index');
    const application = logGroup('application');
    const publishing = new logs.CfnResourcePolicy(this, 'LogPublishing', {
      policyName: `${config.prefix}opensearch-logs`,
      policyDocument: Stack.of(this).toJsonString({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'es.amazonaws.com' },
            Action: ['logs:PutLogEvents', 'logs:CreateLogStream'],
            Resource: [slowSearch.logGroupArn, slowIndex.logGroupArn, application.logGroupArn],
          },
        ],
      }),
    });
    const cognitoRole = new iam.Role(this, 'DashboardsCognitoRole', {
      description: 'Lets OpenSearch Service configure the officials pool for Dashboards sign-in',
      assumedBy: new iam.ServicePrincipal('opensearchservice.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonOpenSearchServiceCognitoAccess')],
    });

    const domainName = `${config.prefix}contacts`.slice(0, 28);
    const domain = new opensearch.Domain(this, 'Domain', {
      domainName,
      version: opensearch.EngineVersion.openSearch(search.engineVersion.replace('OpenSearch_', '')),
      capacity: {
        dataNodes: search.dataNodes.count,
        dataNodeInstanceType: search.dataNodes.instanceType,
        masterNodes: search.masterNodes?.count,
        masterNodeInstanceType: search.masterNodes?.instanceType,
        multiAzWithStandbyEnabled: false,
      },
      ebs: { volumeSize: search.volumeGb, volumeType: ec2.EbsDeviceVolumeType.GP3 },
      zoneAwareness: search.availabilityZones > 1 ? { enabled: true, availabilityZoneCount: search.availabilityZones } : undefined,
      encryptionAtRest: { enabled: true },
      nodeToNodeEncryption: true,
      enforceHttps: true,
      tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2_PFS,
      fineGrainedAccessControl: { masterUserArn: props.masterRole.roleArn },
      cognitoDashboardsAuth: { identityPoolId: identity.officialsIdentityPool.ref, userPoolId: identity.officialsPool.userPoolId, role: cognitoRole },
      logging: { slowSearchLogEnabled: true, slowSearchLogGroup: slowSearch, slowIndexLogEnabled: true, slowIndexLogGroup: slowIndex, appLogEnabled: true, appLogGroup: application },
      suppressLogsResourcePolicy: true,
      automatedSnapshotStartHour: 2,
      offPeakWindowEnabled: true,
      enableAutoSoftwareUpdate: true,
      removalPolicy,
    });
    domain.node.addDependency(publishing);
    // On the resource itself (the L2's access-policy helper would add a custom-resource function):
    // only these roles may send requests; fine-grained access control then decides per index.
    const cfnDomain = domain.node.defaultChild as opensearch.CfnDomain;
    cfnDomain.accessPolicies = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: [props.masterRole, identity.officialsRole, ...props.clientRoles].map((r) => r.roleArn) },
          Action: 'es:ESHttp*',
          // Formatted from the name: the domain's own ARN attribute would make it depend on itself.
          Resource: Stack.of(this).formatArn({ service: 'es', resource: 'domain', resourceName: `${domainName}/*` }),
        },
      ],
    };
    this.target = { kind: 'opensearch-service', domain, node: `https://${domain.domainEndpoint}`, settings };
  }
}
