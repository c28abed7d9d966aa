"""VP-14 (seed 003): an ephemeral Verified Permissions stage per pull request. The Cedar schema and
policies in ../authorizer-policies are validated with Cedar before anything is deployed.

The Python twin of ../authorizer-ts/index.ts: same resource, arguments, config and outputs.
"""
import pulumi
import pulumi_rampart as rampart

config = pulumi.Config()

authz = rampart.AuthorizerWithPolicyStore(
    "docs",
    stage=config.get("stage", pulumi.get_stack()),
    account_alias=config.get("accountAlias", "sandpit"),
    profile=rampart.Profile.PRODUCTION if config.get("profile") == "production" else rampart.Profile.EPHEMERAL,
    repo="rampart-iac/pulumi-rampart",
    owner="platform-team",
    ttl=config.get("ttl", "72h"),
    policy_store=rampart.PolicyStoreConfigArgs(
        schema_file="../authorizer-policies/schema.cedarschema.json",
        policy_dir="../authorizer-policies/policies",
    ),
    cognito=rampart.CognitoConfigArgs(groups=["readers", "writers", "admins"]),
    # The API Gateway API whose authorizers may invoke the function (its RestApi's or Api's
    # execution_arn); the component creates the Lambda permission, scoped to that API's authorizers.
    authorizer=rampart.AuthorizerConfigArgs(api_execution_arn=config.require("apiExecutionArn")),
)

pulumi.export("policyStoreId", authz.policy_store_id)
pulumi.export("authorizerFunctionArn", authz.authorizer_function_arn)
# For the API's REQUEST authorizer (see README.md): its URI, cache key and cache TTL.
pulumi.export("authorizerInvokeArn", authz.authorizer_invoke_arn)
pulumi.export("authorizerIdentitySource", authz.authorizer_identity_source)
pulumi.export("authorizerCacheTtlSeconds", authz.authorizer_cache_ttl_seconds)
pulumi.export("authorizerInvokeSourceArn", authz.authorizer_invoke_source_arn)
pulumi.export("userPoolId", authz.user_pool_id)
pulumi.export("userPoolClientIds", authz.user_pool_client_ids)
pulumi.export("tableName", authz.table_name)
