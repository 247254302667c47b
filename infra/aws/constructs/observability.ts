import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { DROP_REASONS } from '../../../backend/src/domain/contacts/observation.js';
import type { CountMetric, DurationMetric } from '../../../backend/src/ports/metrics.js';
import type { StageConfig } from '../config/stage-config.js';
import { metricsNamespace, type BackendFunctions } from './backend-functions.js';
import type { ContactQueue } from './contact-queue.js';
import type { HttpApi } from './http-api.js';
import type { SearchTarget } from './search-tier.js';
import { webAclName, webAclRules } from './web-acl-rules.js';
import { EDGE_REGION } from '../stack-names.js';

/** Each alarm names its section of infra/RUNBOOK.md (the anchor); a test checks every one exists. */
export const RUNBOOK = 'infra/RUNBOOK.md';

export interface ObservabilityProps {
  config: StageConfig;
  functions: BackendFunctions;
  queue: ContactQueue;
  api: HttpApi;
  search: SearchTarget;
}

/**
 * Alarms (each with a runbook section) to one SNS topic, and one CloudWatch dashboard: the API,
 * the queue, the consumer's metrics (Powertools EMF from the handlers), the functions and the search
 * domain.
 */
export class Observability extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, private readonly props: ObservabilityProps) {
    super(scope, id);
    const { config, functions, queue, api, search } = props;
    this.topic = new sns.Topic(this, 'Alarms', {
      topicName: `${config.prefix}alarms`,
      enforceSSL: true,
      masterKey: kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    });
    if (config.alarms.email) this.topic.addSubscription(new subscriptions.EmailSubscription(config.alarms.email));

    this.alarm('dlq-depth', 'contact-dead-letters', 'Contact batches were dead-lettered', queue.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }), 1, 1);
    this.alarm(
      'queue-age',
      'contact-queue-age',
      `The oldest contact batch waits longer than ${config.alarms.oldestMessageAgeSeconds} s`,
      queue.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' }),
      config.alarms.oldestMessageAgeSeconds,
      3,
      5,
    );
    this.alarm(
      'tracing-dlq-depth',
      'tracing-dead-letters',
      'Tracing tasks were dead-lettered: warnings they would have spread or delivered are missing',
      queue.tracingDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      1,
      1,
    );
    const tracer = functions.specs.find((spec) => spec.trigger.kind === 'table-stream');
    if (tracer) {
      this.alarm(
        'tracer-lag',
        'tracer-iterator-age',
        `The tracer reads tracing-outbox records more than ${config.alarms.tracerIteratorAgeSeconds} s old`,
        functions.fn(tracer.id).metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' }),
        config.alarms.tracerIteratorAgeSeconds * 1000,
        3,
        5,
      );
    }
    if (functions.streamFailures) {
      this.alarm('stream-failures', 'stream-failures', 'Stream records failed every retry', functions.streamFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }), 1, 1);
    }
    for (const [fnId, fn] of functions.functions) {
      this.alarm('function-errors', `${fnId}-errors`, `${fnId} failed invocations`, fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), 1, 1);
      this.alarm('function-throttles', `${fnId}-throttles`, `${fnId} was throttled`, fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }), 1, 1);
    }
    const apiMetric = (metricName: string) =>
      new cloudwatch.Metric({ namespace: 'AWS/ApiGateway', metricName, dimensionsMap: { ApiId: api.api.apiId, Stage: '$default' }, statistic: 'Sum', period: Duration.minutes(1) });
    const serverErrorRate = new cloudwatch.MathExpression({
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: { errors: apiMetric('5xx'), requests: apiMetric('Count') },
      period: Duration.minutes(1),
      label: '5xx %',
    });
    this.alarm('api-5xx-rate', 'api-5xx-rate', `More than ${config.alarms.serverErrorRatePercent} % of API requests answered 5xx`, serverErrorRate, config.alarms.serverErrorRatePercent, 3, 5);
    this.alarm(
      'time-to-notify-p99',
      'time-to-notify-p99',
      `p99 time from infection report or upload to notification above ${config.alarms.timeToNotifyP99Ms} ms`,
      this.backendMetric('TimeToNotify', 'p99', Duration.minutes(5)),
      config.alarms.timeToNotifyP99Ms,
      2,
      3,
    );
    if (search.kind === 'opensearch-service') {
      const { domain } = search;
      const volumeMb = config.search.kind === 'opensearch-service' ? config.search.volumeGb * 1024 : 0;
      this.alarm('search-red', 'search-cluster-red', 'A primary shard is unassigned', domain.metricClusterStatusRed({ period: Duration.minutes(1) }), 1, 1);
      this.alarm('search-writes-blocked', 'search-writes-blocked', 'The domain blocks writes', domain.metricClusterIndexWritesBlocked({ period: Duration.minutes(1) }), 1, 1);
      this.alarm('search-storage', 'search-free-storage', 'A data node has less than a quarter of its volume free', domain.metricFreeStorageSpace({ period: Duration.minutes(5) }), volumeMb / 4, 1, 1, cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD);
      this.alarm('search-jvm', 'search-jvm-pressure', 'JVM memory pressure above 85 %', domain.metricJVMMemoryPressure({ period: Duration.minutes(5) }), 85, 3, 3);
    }
    this.dashboard = this.buildDashboard(apiMetric, serverErrorRate);
  }

  /** A metric the handlers emit (ports/metrics.ts), as the dashboard and alarms read it. */
  backendMetric(name: CountMetric | DurationMetric, statistic: string, period = Duration.minutes(1), dimensions: Record<string, string> = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({ namespace: metricsNamespace(this.props.config), metricName: name, dimensionsMap: { service: 'proxitrace', ...dimensions }, statistic, period });
  }

  private alarm(
    runbookSection: string,
    name: string,
    summary: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    datapointsToAlarm: number,
    evaluationPeriods = datapointsToAlarm,
    comparisonOperator = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  ): void {
    const alarm = new cloudwatch.Alarm(this, name, {
      alarmName: `${this.props.config.prefix}${name}`,
      alarmDescription: `${summary}. Runbook: ${RUNBOOK}#${runbookSection}`,
      metric,
      threshold,
      evaluationPeriods,
      datapointsToAlarm,
      comparisonOperator,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }

  /** A metric of the API's web ACL: CloudFront's WAF reports in us-east-1, without a Region dimension. */
  private wafMetric(metricName: 'AllowedRequests' | 'BlockedRequests' | 'CountedRequests', rule: string): cloudwatch.Metric {
    return new cloudwatch.Metric({ namespace: 'AWS/WAFV2', metricName, dimensionsMap: { WebACL: webAclName(this.props.config), Rule: rule }, region: EDGE_REGION, statistic: 'Sum', period: Duration.minutes(1), label: rule });
  }

  private buildDashboard(apiMetric: (name: string) => cloudwatch.Metric, serverErrorRate: cloudwatch.MathExpression): cloudwatch.Dashboard {
    const { config, functions, queue, search } = this.props;
    const m = (name: CountMetric | DurationMetric, statistic = 'Sum') => this.backendMetric(name, statistic);
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `${config.prefix}overview`, defaultInterval: Duration.hours(3) });
    const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) => new cloudwatch.GraphWidget({ title, left, right, width: 8, height: 6 });
    const fns = [...functions.functions.values()];
    const tracer = functions.specs.find((spec) => spec.trigger.kind === 'table-stream');
    const tracerIteratorAge = tracer ? functions.fn(tracer.id).metric('IteratorAge', { statistic: 'Maximum' }) : undefined;
    dashboard.addWidgets(
      new cloudwatch.TextWidget({ markdown: `# Proxitrace ${config.stage}\nAlarms and what to do: \`${RUNBOOK}\`. Region ${Stack.of(this).region}.`, width: 24, height: 2 }),
      graph('API requests and 5xx %', [apiMetric('Count')], [serverErrorRate]),
      graph(
        'API latency p99 (ms): gateway; handlers of the hot routes',
        [apiMetric('Latency').with({ statistic: 'p99' })],
        ['POST /v1/tokens', 'POST /v1/contacts'].map((route) => this.backendMetric('HttpLatency', 'p99', Duration.minutes(1), { route })),
      ),
      graph('Contact queue', [queue.queue.metricApproximateNumberOfMessagesVisible(), queue.deadLetterQueue.metricApproximateNumberOfMessagesVisible()], [queue.queue.metricApproximateAgeOfOldestMessage()]),
      graph('Tracer: dead-lettered tasks; stream iterator age (ms)', [queue.tracingDeadLetterQueue.metricApproximateNumberOfMessagesVisible()], tracerIteratorAge ? [tracerIteratorAge] : []),
      graph('Consumer: batches, observations, contacts stored', [m('ContactBatches'), m('Observations'), m('ContactsStored')], [m('BatchesDeadLettered'), m('ContactBatchesDuplicate')]),
      graph('Observations dropped by reason', DROP_REASONS.map((reason) => this.backendMetric('ObservationsDropped', 'Sum', Duration.minutes(1), { reason }))),
      graph('Upload → stored, report → notified (p99 ms)', [m('UploadToStored', 'p99'), m('TimeToNotify', 'p99')], [m('NotificationsSent')]),
      graph('Function errors', fns.map((fn) => fn.metricErrors({ statistic: 'Sum' }))),
      graph('Function throttles', fns.map((fn) => fn.metricThrottles({ statistic: 'Sum' }))),
      graph('Function duration p99 (ms)', fns.map((fn) => fn.metricDuration({ statistic: 'p99' }))),
      graph('Edge: requests the WAF blocked, by rule; allowed (right)', webAclRules(config).map((rule) => this.wafMetric('BlockedRequests', rule.name)), [this.wafMetric('AllowedRequests', 'ALL')]),
      graph('Edge: requests the WAF only counted, by rule (count mode, and the two core rules the API breaks)', webAclRules(config).map((rule) => this.wafMetric('CountedRequests', rule.name))),
    );
    if (search.kind === 'opensearch-service') {
      const { domain } = search;
      dashboard.addWidgets(
        graph('Search: indexing and search latency p99', [domain.metricIndexingLatency(), domain.metricSearchLatency()]),
        graph('Search: CPU and JVM pressure', [domain.metricCPUUtilization(), domain.metricJVMMemoryPressure()]),
        graph('Search: free storage (MB) and red status', [domain.metricFreeStorageSpace()], [domain.metricClusterStatusRed()]),
      );
    }
    return dashboard;
  }
}
