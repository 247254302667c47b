import { RemovalPolicy } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stage-config.js';

/**
 * The token key secret: the key file's JSON (docs/TOKENS.md). It is created empty and rotated at
 * once by the rotation function, which writes the first key; every rotation after adds a key that
 * issues only after every instance has re-read the secret, and drops keys retired past the lookback.
 */
export class TokenKeys extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: { config: StageConfig }) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: `${props.config.prefix}token-keys`,
      description: 'Proxitrace contact token keys (JSON key file, newest first); rotated by the rotate-token-keys function',
      generateSecretString: { secretStringTemplate: JSON.stringify({ keys: [] }), generateStringKey: 'bootstrap', excludePunctuation: true },
      removalPolicy: props.config.keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
