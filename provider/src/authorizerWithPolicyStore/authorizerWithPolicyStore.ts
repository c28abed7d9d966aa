import * as pulumi from "@pulumi/pulumi";
import { AuthorizerWithPolicyStoreArgs } from "./args";
import { validateAuthorizerArgs } from "./validate";

export const AUTHORIZER_TYPE = "rampart:index:AuthorizerWithPolicyStore";
/** The type the earlier public component used; stacks made with it move here without replacement. */
export const LEGACY_AUTHORIZER_TYPE = "verified-permissions-authorizer:index:AuthorizerWithPolicyStore";

/**
 * Amazon Verified Permissions for an API: a policy store with Cedar policies validated before deploy,
 * a Lambda authorizer that fails closed, a Cognito identity source and a DynamoDB table, with
 * defaults that cost nothing idle for per-PR stages.
 */
export class AuthorizerWithPolicyStore extends pulumi.ComponentResource {
    /** Id of the policy store. */
    public readonly policyStoreId?: pulumi.Output<string>;
    /** ARN of the policy store. */
    public readonly policyStoreArn?: pulumi.Output<string>;
    /** ARN of the authorizer function. */
    public readonly authorizerFunctionArn?: pulumi.Output<string>;
    /** Name of the authorizer function. */
    public readonly authorizerFunctionName?: pulumi.Output<string>;
    /** ARN of the authorizer's execution role. */
    public readonly authorizerRoleArn?: pulumi.Output<string>;
    /** Id of the Cognito user pool. */
    public readonly userPoolId?: pulumi.Output<string>;
    /** ARN of the Cognito user pool. */
    public readonly userPoolArn?: pulumi.Output<string>;
    /** App client ids of the user pool. */
    public readonly userPoolClientIds?: pulumi.Output<string[]>;
    /** Hosted UI domain of the user pool. */
    public readonly userPoolDomain?: pulumi.Output<string>;
    /** Id of the Verified Permissions identity source. */
    public readonly identitySourceId?: pulumi.Output<string>;
    /** Name of the DynamoDB table. */
    public readonly tableName?: pulumi.Output<string>;
    /** ARN of the DynamoDB table. */
    public readonly tableArn?: pulumi.Output<string>;
    /** ARN of the table's stream, when streams are on. */
    public readonly tableStreamArn?: pulumi.Output<string>;
    /** ARN of the Secrets Manager secret holding the JWT signing secret (`jwtSecret` mode). */
    public readonly jwtSecretArn?: pulumi.Output<string>;

    constructor(name: string, args: AuthorizerWithPolicyStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        validateAuthorizerArgs(name, args);
        super(AUTHORIZER_TYPE, name, {}, pulumi.mergeOptions(opts, { aliases: [{ type: LEGACY_AUTHORIZER_TYPE }] }));
        this.registerOutputs({});
    }
}
