// VP-14 (seed 003): an ephemeral Verified Permissions stage per pull request. The Cedar schema and
// policies in ../authorizer-policies are validated with Cedar before anything is deployed.
import * as pulumi from "@pulumi/pulumi";
import { AuthorizerWithPolicyStore, Profile } from "@rampart-iac/pulumi-rampart";

const config = new pulumi.Config();

const authz = new AuthorizerWithPolicyStore("docs", {
    stage: config.get("stage") ?? pulumi.getStack(),
    accountAlias: config.get("accountAlias") ?? "sandpit",
    profile: config.get("profile") === "production" ? Profile.Production : Profile.Ephemeral,
    repo: "rampart-iac/pulumi-rampart",
    owner: "platform-team",
    ttl: config.get("ttl") ?? "72h",
    policyStore: {
        schemaFile: "../authorizer-policies/schema.cedarschema.json",
        policyDir: "../authorizer-policies/policies",
    },
    cognito: { groups: ["readers", "writers", "admins"] },
    // The API Gateway API whose authorizers may invoke the function (its RestApi's or Api's
    // executionArn); the component creates the Lambda permission, scoped to that API's authorizers.
    authorizer: { apiExecutionArn: config.require("apiExecutionArn") },
});

export const policyStoreId = authz.policyStoreId;
export const authorizerFunctionArn = authz.authorizerFunctionArn;
// For the API's REQUEST authorizer (see README.md): its URI, cache key and cache TTL.
export const authorizerInvokeArn = authz.authorizerInvokeArn;
export const authorizerIdentitySource = authz.authorizerIdentitySource;
export const authorizerCacheTtlSeconds = authz.authorizerCacheTtlSeconds;
export const authorizerInvokeSourceArn = authz.authorizerInvokeSourceArn;
export const userPoolId = authz.userPoolId;
export const userPoolClientIds = authz.userPoolClientIds;
export const tableName = authz.tableName;
