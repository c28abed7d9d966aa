package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/rampart-iac/pulumi-rampart/sdk/go/rampart"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		// A per-stage Verified Permissions policy store whose one policy lets the Cognito group `readers` call GET /notes,
		// with the Lambda authorizer, the user pool and the DynamoDB table. The Cedar schema needs the entity types
		// User, UserGroup and Resource, which the Cognito identity source and the authorizer use.
		schema := `{
			"Notes": {
				"entityTypes": {"User": {"memberOfTypes": ["UserGroup"]}, "UserGroup": {}, "Resource": {}},
				"actions": {"GET /notes": {"appliesTo": {"principalTypes": ["User"], "resourceTypes": ["Resource"]}}}
			}
		}`
		authz, err := rampart.NewAuthorizerWithPolicyStore(ctx, "notes", &rampart.AuthorizerWithPolicyStoreArgs{
			Stage:        "dev",
			AccountAlias: "sandbox",
			PolicyStore: rampart.PolicyStoreConfigArgs{
				Schema: &schema,
				Policies: []rampart.CedarPolicyArgs{{
					Id:        "readers-list-notes",
					Statement: `permit (principal in Notes::UserGroup::"{userPoolId}|readers", action == Notes::Action::"GET /notes", resource);`,
				}},
			},
			Cognito: &rampart.CognitoConfigArgs{Groups: []string{"readers"}},
		})
		if err != nil {
			return err
		}
		ctx.Export("policyStoreId", authz.PolicyStoreId)
		ctx.Export("authorizerFunctionArn", authz.AuthorizerFunctionArn)
		ctx.Export("userPoolId", authz.UserPoolId)
		return nil
	})
}
