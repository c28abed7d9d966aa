import json

import pulumi
import pulumi_rampart as rampart

# A per-stage Verified Permissions policy store whose one policy lets the Cognito group `readers` call GET /notes,
# with the Lambda authorizer, the user pool and the DynamoDB table. The Cedar schema needs the entity types
# User, UserGroup and Resource, which the Cognito identity source and the authorizer use.
cedar_schema = json.dumps({
    "Notes": {
        "entityTypes": {"User": {"memberOfTypes": ["UserGroup"]}, "UserGroup": {}, "Resource": {}},
        "actions": {"GET /notes": {"appliesTo": {"principalTypes": ["User"], "resourceTypes": ["Resource"]}}},
    },
})

authz = rampart.AuthorizerWithPolicyStore(
    "notes",
    stage="dev",
    account_alias="sandbox",
    policy_store=rampart.PolicyStoreConfigArgs(
        schema=cedar_schema,
        policies=[
            rampart.CedarPolicyArgs(
                id="readers-list-notes",
                statement='permit (principal in Notes::UserGroup::"{userPoolId}|readers", action == Notes::Action::"GET /notes", resource);',
            ),
        ],
    ),
    cognito=rampart.CognitoConfigArgs(groups=["readers"]),
)

pulumi.export("policyStoreId", authz.policy_store_id)
pulumi.export("authorizerFunctionArn", authz.authorizer_function_arn)
pulumi.export("userPoolId", authz.user_pool_id)
