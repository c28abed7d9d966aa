import * as rampart from "@rampart-iac/pulumi-rampart";

// A per-stage Verified Permissions policy store whose one policy lets the Cognito group `readers` call GET /notes,
// with the Lambda authorizer, the user pool and the DynamoDB table. The Cedar schema needs the entity types
// User, UserGroup and Resource, which the Cognito identity source and the authorizer use.
const cedarSchema = JSON.stringify({
    Notes: {
        entityTypes: { User: { memberOfTypes: ["UserGroup"] }, UserGroup: {}, Resource: {} },
        actions: { "GET /notes": { appliesTo: { principalTypes: ["User"], resourceTypes: ["Resource"] } } },
    },
});

const authz = new rampart.AuthorizerWithPolicyStore("notes", {
    stage: "dev",
    accountAlias: "sandbox",
    policyStore: {
        schema: cedarSchema,
        policies: [
            {
                id: "readers-list-notes",
                statement: 'permit (principal in Notes::UserGroup::"{userPoolId}|readers", action == Notes::Action::"GET /notes", resource);',
            },
        ],
    },
    cognito: { groups: ["readers"] },
});

export const policyStoreId = authz.policyStoreId;
export const authorizerFunctionArn = authz.authorizerFunctionArn;
export const userPoolId = authz.userPoolId;
