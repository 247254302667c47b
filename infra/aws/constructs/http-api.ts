import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routeAccess } from '../../../backend/src/api/route-access.js';
import type { StageConfig } from '../config/stage-config.js';
import type { BackendFunctions } from './backend-functions.js';
import type { Identity } from './identity.js';

/** The sign-in routes: public, and throttled harder than the rest (each one may send an SMS). */
export const SIGN_IN_ROUTE = /^POST \/v1\/auth\//;

/**
 * The HTTP API: one route per HTTP-triggered function, behind a JWT authorizer on the device pool
 * unless api/route-access.ts makes the route public; stage and per-route throttling; JSON access
 * logs; CORS only when the stage names browser origins.
 */
export class HttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly url: string;

  constructor(scope: Construct, id: string, props: { config: StageConfig; functions: BackendFunctions; identity: Identity }) {
    super(scope, id);
    const { config, functions, identity } = props;
    const origins = config.api.corsOrigins;
    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: `${config.prefix}api`,
      description: 'Proxitrace device API v1',
      createDefaultStage: false,
      corsPreflight: origins.length > 0 ? { allowOrigins: origins, allowHeaders: ['authorization', 'content-type'], allowMethods: [apigw.CorsHttpMethod.ANY], maxAge: Duration.hours(1) } : undefined,
    });
    const authorizer = new HttpJwtAuthorizer('DeviceJwt', identity.issuer, {
      authorizerName: 'device-pool',
      jwtAudience: [identity.deviceClient.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const spec of functions.specs) {
      if (spec.trigger.kind !== 'http') continue;
      const route = spec.trigger.route;
      const integration = new HttpLambdaIntegration(`${spec.id}-integration`, functions.fn(spec.id), { payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0 });
      if (route === '$default') {
        // Whatever matches no route: the fallback answers 404 (or 405 with Allow) as the local server does, signed in or not.
        new apigw.HttpRoute(this, 'Route $default', { httpApi: this.api, routeKey: apigw.HttpRouteKey.DEFAULT, integration });
        continue;
      }
      const [method, path] = route.split(' ') as [keyof typeof apigw.HttpMethod, string];
      new apigw.HttpRoute(this, `Route ${route}`, {
        httpApi: this.api,
        routeKey: apigw.HttpRouteKey.with(path, apigw.HttpMethod[method]),
        integration,
        authorizer: routeAccess(route) === 'none' ? undefined : authorizer,
      });
      if (SIGN_IN_ROUTE.test(route)) {
        routeSettings[route] = { ThrottlingRateLimit: config.api.signInThrottle.rateLimit, ThrottlingBurstLimit: config.api.signInThrottle.burstLimit };
      }
    }
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/${config.prefix}api`,
      retention: config.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: config.api.throttle,
      detailedMetricsEnabled: true,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            route: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            responseLength: '$context.responseLength',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });
    (this.stage.node.defaultChild as apigw.CfnStage).routeSettings = routeSettings;
    this.url = `https://${this.api.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`;
    new CfnOutput(this, 'OriginUrl', { value: this.url, description: 'The HTTP API behind CloudFront: it answers 403 edge_required to anything CloudFront did not relay (clients use ApiUrl)' });
  }
}
