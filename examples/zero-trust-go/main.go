// Unkey's workload and CI identity as one rampart ZeroTrustIdentity, in Go:
//
//   - a generated RSA-4096 root CA (key in Secrets Manager, never an output) that publishes an
//     empty CRL, and is the upstream authority of
//   - a SPIRE server on ECS Fargate behind an internal load balancer, with agents installed
//     through SSM on every EC2 instance tagged spire-agent=enabled, and
//   - registration entries for the four services of Unkey's SPIFFE plan (metald, billaged,
//     builderd, assetmanagerd);
//   - a GitHub Actions OIDC role "deploy" for unkeyed/unkey on main that may assume the
//     UnkeyPulumiAWSExecutor roles of two other accounts, and
//   - this account's own UnkeyPulumiAWSExecutor, which the management account's CI role assumes.
//
// KEEP IN LOCKSTEP with tests/e2e/twins/zero-trust-ts/index.ts: the TypeScript twin builds the same
// component with the same arguments, config keys and exports, and the end-to-end tests compare the
// resources both programs get. Change one, change the other.
package main

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	"github.com/rampart-iac/pulumi-rampart/sdk/go/rampart"
)

// The services of Unkey's SPIFFE/SPIRE plan, each installed as /usr/local/bin/<name> and run by
// systemd as <name>.service.
var services = []string{"metald", "billaged", "builderd", "assetmanagerd"}

// This example does not create a VPC: the stack config must name your own network (vpcId, subnetIds) and the CI
// role this account's executor trusts (managementCiRoleArn); `pulumi up` stops with a missing-config error otherwise.
var defaultAllowedCidrBlocks = []string{"10.0.0.0/16"}

// The executor roles of the accounts the deploy role deploys into (Unkey's canary and production).
var executorRoleArns = []string{
	"arn:aws:iam::222222222222:role/UnkeyPulumiAWSExecutor",
	"arn:aws:iam::333333333333:role/UnkeyPulumiAWSExecutor",
}

// Settings is what the program reads from the stack's config.
type Settings struct {
	Stage                 string   // config stage; default: the stack name
	Profile               string   // config profile: ephemeral (default) or production
	VpcID                 string   // config vpcId (required)
	SubnetIDs             []string // config subnetIds (private subnets, required)
	AllowedCidrBlocks     []string // config allowedCidrBlocks: where agents connect from
	ManagementCiRoleArn   string   // config managementCiRoleArn: the CI role trusted by this account's executor (required)
	GithubOidcProviderArn string   // config githubOidcProviderArn: the account's existing GitHub OIDC provider, if any
}

// ReadSettings reads the stack's config, filling in the defaults.
func ReadSettings(ctx *pulumi.Context) Settings {
	cfg := config.New(ctx, "")
	s := Settings{
		Stage:                 cfg.Get("stage"),
		Profile:               cfg.Get("profile"),
		VpcID:                 cfg.Require("vpcId"),
		ManagementCiRoleArn:   cfg.Require("managementCiRoleArn"),
		GithubOidcProviderArn: cfg.Get("githubOidcProviderArn"),
	}
	if s.Stage == "" {
		s.Stage = ctx.Stack()
	}
	cfg.RequireObject("subnetIds", &s.SubnetIDs)
	if err := cfg.TryObject("allowedCidrBlocks", &s.AllowedCidrBlocks); err != nil || len(s.AllowedCidrBlocks) == 0 {
		s.AllowedCidrBlocks = defaultAllowedCidrBlocks
	}
	return s
}

// IdentityArgs are the component's arguments for the given settings.
func IdentityArgs(s Settings) *rampart.ZeroTrustIdentityArgs {
	workloads := make([]rampart.WorkloadArgs, 0, len(services))
	for _, name := range services {
		workloads = append(workloads, rampart.WorkloadArgs{
			Name: name,
			Path: pulumi.StringRef("/service/" + name),
			// Both selectors must match: the binary's path and its systemd unit. The systemd
			// workload attestor's selector is `id:<unit>`; `systemd:unit:...` does not exist.
			Selectors: []rampart.WorkloadSelectorArgs{
				{Type: "unix", Value: "path:/usr/local/bin/" + name},
				{Type: "systemd", Value: "id:" + name + ".service"},
			},
		})
	}

	spire := &rampart.SpireServerArgs{
		VpcId:             pulumi.String(s.VpcID),
		SubnetIds:         pulumi.ToStringArray(s.SubnetIDs),
		AllowedCidrBlocks: pulumi.ToStringArray(s.AllowedCidrBlocks),
	}
	var profile *rampart.Profile
	if s.Profile != "" {
		p := rampart.Profile(s.Profile) // the component validates the value
		profile = &p
		if p == rampart.ProfileProduction {
			// Production runs three servers, which share an RDS PostgreSQL datastore.
			spire.Datastore = &rampart.SpireDatastoreArgs{Create: pulumi.BoolRef(true)}
		}
	}

	githubOidc := &rampart.GithubOidcArgs{
		Roles: []rampart.GithubRoleArgs{{
			Name:              "deploy",
			Repository:        "unkeyed/unkey",
			Branches:          []string{"main"},
			AssumableRoleArns: pulumi.ToStringArray(executorRoleArns),
		}},
	}
	if s.GithubOidcProviderArn != "" {
		githubOidc.ProviderArn = pulumi.String(s.GithubOidcProviderArn)
	}

	// Other accounts' CI roles name the production executor before it exists, so production keeps
	// Unkey's fixed name. IAM role names are unique per account, so every other stage takes the
	// component's stage-scoped default (<component>-<stage>-executor) and stages never collide.
	executor := rampart.ExecutorRoleArgs{
		Name:                 "executor",
		TrustedPrincipalArns: pulumi.StringArray{pulumi.String(s.ManagementCiRoleArn)},
	}
	if s.Profile == string(rampart.ProfileProduction) {
		executor.RoleName = pulumi.StringRef("UnkeyPulumiAWSExecutor")
	}

	mode := rampart.TrustRootModeGenerated
	algorithm := rampart.KeyAlgorithmRsa4096
	return &rampart.ZeroTrustIdentityArgs{
		Stage:       s.Stage,
		Profile:     profile,
		TrustDomain: pulumi.StringRef("unkey.cloud"),
		TrustRoot: &rampart.TrustRootArgs{
			Mode:         &mode,
			KeyAlgorithm: &algorithm,
			Organization: pulumi.StringRef("Unkey"),
			Crl:          pulumi.BoolRef(true),
		},
		Spire: spire,
		Agents: &rampart.SpireAgentsArgs{
			TargetTag: rampart.InstanceTagArgs{Key: "spire-agent", Value: "enabled"},
		},
		Workloads:  workloads,
		GithubOidc: githubOidc,
		ExecutorRoles: []rampart.ExecutorRoleArgs{executor},
	}
}

// Deploy creates the component and returns the outputs the stack exports, by export name.
func Deploy(ctx *pulumi.Context) (map[string]pulumi.Output, error) {
	identity, err := rampart.NewZeroTrustIdentity(ctx, "unkey", IdentityArgs(ReadSettings(ctx)))
	if err != nil {
		return nil, fmt.Errorf("ZeroTrustIdentity unkey: %w", err)
	}
	return map[string]pulumi.Output{
		"trustDomain":               identity.TrustDomain,
		"rootCaCertificatePem":      identity.RootCaCertificatePem,
		"crlUrl":                    identity.CrlUrl,
		"spireServerAddress":        identity.SpireServerAddress,
		"trustBundleUrl":            identity.TrustBundleUrl,
		"serverConfigParameterName": identity.ServerConfigParameterName,
		"registrationEntries":       identity.RegistrationEntries,
		"githubOidcProviderArn":     identity.GithubOidcProviderArn,
		"roleArns":                  identity.RoleArns,
	}, nil
}

// Program is the whole stack: the component and its exported outputs.
func Program(ctx *pulumi.Context) error {
	outputs, err := Deploy(ctx)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(outputs))
	for name := range outputs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		ctx.Export(name, outputs[name])
	}
	return nil
}

func main() {
	pulumi.Run(Program)
}
