import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { OFFICIALS_GROUP } from '../../../backend/src/ports/identity.js';
import type { StageConfig } from '../config/stage-config.js';

/**
 * Who signs in. Devices and officials of the API: one user pool with opaque usernames, an
 * `officials` group and optional TOTP MFA; the backend runs the SMS code itself and signs users in
 * with ADMIN_USER_PASSWORD_AUTH (officials: USER_PASSWORD_AUTH and the TOTP challenge) on a client
 * without secret, 1-hour access tokens and 90-day refresh tokens (docs/AWS-ADAPTERS.md). Health officials' OpenSearch Dashboards: a second pool,
 * TOTP MFA required, no self sign-up, behind an identity pool whose authenticated role the search
 * setup maps to read-only access.
 */
export class Identity extends Construct {
  readonly devicePool: cognito.UserPool;
  readonly deviceClient: cognito.UserPoolClient;
  readonly officialsPool: cognito.UserPool;
  readonly officialsIdentityPool: cognito.CfnIdentityPool;
  /** The role officials hold in Dashboards (Cognito identity pool, authenticated). */
  readonly officialsRole: iam.Role;
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: { config: StageConfig }) {
    super(scope, id);
    const { config } = props;
    const removalPolicy = config.keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const passwordPolicy = { minLength: 14, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true, tempPasswordValidity: Duration.days(1) };

    this.devicePool = new cognito.UserPool(this, 'Devices', {
      userPoolName: `${config.prefix}users`,
      // Usernames are opaque (`d-`/`o-` + an HMAC of the number): the number is an attribute, never an alias.
      signInAliases: { username: true, phone: false, email: false },
      selfSignUpEnabled: false,
      // Cognito sends nothing: the backend sends the sign-in codes and creates users without a welcome message.
      enableSmsRole: false,
      // Officials enrol an authenticator (TOTP); devices have none.
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy,
      accountRecovery: cognito.AccountRecovery.NONE,
      // Lite: priced per monthly active user at a third of Essentials; nothing here needs more.
      featurePlan: cognito.FeaturePlan.LITE,
      deletionProtection: config.keepData,
      removalPolicy,
    });
    new cognito.CfnUserPoolGroup(this, 'OfficialsGroup', { userPoolId: this.devicePool.userPoolId, groupName: OFFICIALS_GROUP, description: 'Health officials: verification codes, stats, token flags, relay operations' });
    this.deviceClient = this.devicePool.addClient('DeviceClient', {
      userPoolClientName: `${config.prefix}devices`,
      generateSecret: false,
      // Admin password auth: devices (a fresh password per sign-in); user password auth: officials' TOTP challenge and the load tool's users.
      authFlows: { adminUserPassword: true, userPassword: true, custom: false, userSrp: false },
      accessTokenValidity: Duration.hours(config.identity.accessTokenHours),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(config.identity.refreshTokenDays),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
    });
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.devicePool.userPoolId}`;

    this.officialsPool = new cognito.UserPool(this, 'Officials', {
      userPoolName: `${config.prefix}officials`,
      signInAliases: { email: true, username: false },
      selfSignUpEnabled: false,
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy,
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // A few hundred officials: threat protection (compromised credentials, adaptive authentication) costs little.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: config.keepData,
      removalPolicy,
    });
    this.officialsPool.addDomain('DashboardsDomain', { cognitoDomain: { domainPrefix: config.identity.dashboardsDomainPrefix } });
    this.officialsIdentityPool = new cognito.CfnIdentityPool(this, 'OfficialsIdentities', {
      identityPoolName: `${config.prefix}officials`.replaceAll('-', '_'),
      allowUnauthenticatedIdentities: false,
      // OpenSearch Service adds its own app client and provider when it configures Dashboards sign-in.
      cognitoIdentityProviders: [],
    });
    this.officialsRole = new iam.Role(this, 'OfficialsRole', {
      description: 'Health officials signed in to OpenSearch Dashboards (read-only on contacts, mapped by the search setup)',
      assumedBy: new iam.FederatedPrincipal(
        'cognito-identity.amazonaws.com',
        {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': this.officialsIdentityPool.ref },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
        },
        'sts:AssumeRoleWithWebIdentity',
      ),
    });
    new cognito.CfnIdentityPoolRoleAttachment(this, 'OfficialsRoles', {
      identityPoolId: this.officialsIdentityPool.ref,
      roles: { authenticated: this.officialsRole.roleArn },
    });
  }
}
