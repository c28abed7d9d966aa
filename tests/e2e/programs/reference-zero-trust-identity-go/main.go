package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/rampart-iac/pulumi-rampart/sdk/go/rampart"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		// A generated root CA for the trust domain and a role GitHub Actions assumes from the main branch of one repository
		// (through the account's GitHub OIDC provider, created once per account: see the README's account setup).
		mode := rampart.TrustRootModeGenerated
		identity, err := rampart.NewZeroTrustIdentity(ctx, "identity", &rampart.ZeroTrustIdentityArgs{
			Stage:       "dev",
			TrustDomain: pulumi.StringRef("dev.example.org"),
			TrustRoot:   &rampart.TrustRootArgs{Mode: &mode},
			GithubOidc: &rampart.GithubOidcArgs{
				Roles: []rampart.GithubRoleArgs{{Name: "deploy", Repository: "acme/app", Branches: []string{"main"}}},
			},
		})
		if err != nil {
			return err
		}
		ctx.Export("roleArns", identity.RoleArns)
		ctx.Export("rootCaCertificateSecretArn", identity.RootCaCertificateSecretArn)
		return nil
	})
}
