import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { OFFICIALS_GROUP } from '../../../backend/src/ports/identity.js';
import type { StageConfig } from '../config/stage-config.js';

/**
 * Who signs in. Devices: a user pool with the phone number as username and an `officials` group;
 * the backend runs the SMS code itself and signs users in with ADMIN_USER_PASSWORD_AUTH on a client
 * without secret (docs/AWS-ADAPTERS.md). Health officials' OpenSearch Dashboards: a second pool,
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
      signInAliases: { phone: true, username: false, email: false },
      selfSignUpEnabled: false,
      // Cognito sends nothing: the backend sends the sign-in codes and creates users without a welcome message.
      enableSmsRole: false,
      mfa: cognito.Mfa.OFF,
      passwordPolicy,
      accountRecovery: cognito.AccountRecovery.NONE,
      // Lite: priced per monthly active user at a third of Essentials; nothing here needs more.
      featurePlan: cognito.FeaturePlan.LITE,
      deletionProtection: config.keepData,
      removalPolicy,
    });
    new cognito.CfnUserPoolGroup(this, 'OfficialsGroup', { userPoolId: this.devicePool.userPoolId, groupName: OFFICIALS_GROUP, description: 'Health officials: verification codes and stats' });
    this.deviceClient = this.devicePool.addClient('DeviceClient', {
      userPoolClientName: `${config.prefix}devices`,
      generateSecret: false,
      authFlows: { adminUserPassword: true, userPassword: config.identity.loadTestSignIn, custom: false, userSrp: false },
      accessTokenValidity: Duration.hours(24),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
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
