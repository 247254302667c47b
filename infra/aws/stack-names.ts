/** The stack of a stage in its own region: everything but the web ACL. `npm run deploy` writes its outputs under this name. */
export const stageStackName = (stage: string) => `Proxitrace-${stage}`;

/** CloudFront takes web ACLs, their rule sets and their logs from this region only. */
export const EDGE_REGION = 'us-east-1';

/** The stack of a stage in us-east-1: the WAF web ACL CloudFront takes from there. */
export const edgeStackName = (stage: string) => `Proxitrace-${stage}-edge`;
