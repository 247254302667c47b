import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { FUNCTIONS } from '../../../backend/src/lambda/functions.js';

/**
 * One IAM role per function, made before the resources that name them (the search domain's access
 * policy lists them). Each starts empty: BackendFunctions grants exactly what the registry says.
 */
export class FunctionRoles extends Construct {
  readonly roles: ReadonlyMap<string, iam.Role>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.roles = new Map(
      FUNCTIONS.map((f) => [f.id, new iam.Role(this, f.id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: `Lambda ${f.id}: ${f.description}`.slice(0, 1000) })]),
    );
  }

  role(id: string): iam.Role {
    const role = this.roles.get(id);
    if (!role) throw new Error(`no role for function ${id}`);
    return role;
  }
}
