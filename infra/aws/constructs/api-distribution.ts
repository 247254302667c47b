import { Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import { Construct } from 'constructs';
import { EDGE_SECRET_HEADER } from '../../../backend/src/handlers/http/edge-origin.js';
import type { StageConfig } from '../config/stage-config.js';
import type { HttpApi } from './http-api.js';

/**
 * The CloudFront distribution clients call: HTTPS only, nothing cached (every answer is per device),
 * every viewer header but Host forwarded (Authorization included, and CloudFront's own headers, of
 * which the backend reads CloudFront-Viewer-Address), the WAF web ACL attached. It reaches the HTTP
 * API over TLS 1.2 with the edge secret in `x-origin-verify`; the backend refuses whatever comes
 * without it (EDGE_ORIGIN_SECRET), so the execute-api endpoint serves nobody but the distribution.
 */
export class ApiDistribution extends Construct {
  readonly distribution: cloudfront.Distribution;
  /** The base URL clients use. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: { config: StageConfig; api: HttpApi; webAclArn: string; originSecret: string }) {
    super(scope, id);
    const { config, api, webAclArn, originSecret } = props;
    const stack = Stack.of(this);
    const origin = new origins.HttpOrigin(`${api.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      // API Gateway gives an integration 30 s at most.
      readTimeout: Duration.seconds(30),
      customHeaders: { [EDGE_SECRET_HEADER]: originSecret },
    });
    const domain = config.edge.domain;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Proxitrace ${config.stage} API`,
      defaultBehavior: {
        origin,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        compress: false,
      },
      webAclId: webAclArn,
      priceClass: config.edge.priceClass as cloudfront.PriceClass,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      ...(domain
        ? {
            domainNames: domain.names,
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            sslSupportMethod: cloudfront.SSLMethod.SNI,
          }
        : {}),
    });
    this.url = `https://${domain ? domain.names[0] : this.distribution.distributionDomainName}`;
  }
}
