package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/rampart-iac/pulumi-rampart/sdk/go/rampart"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		// One public service on ECS Fargate behind a load balancer (plain HTTP until a `domain` is given), with the ephemeral profile's defaults.
		platform, err := rampart.NewServicePlatform(ctx, "web", &rampart.ServicePlatformArgs{
			Stage: "dev",
			Services: []rampart.PlatformServiceArgs{{
				Name:            "api",
				Port:            pulumi.Float64Ref(8080),
				Cpu:             pulumi.Float64Ref(256),
				Memory:          pulumi.Float64Ref(512),
				Public:          pulumi.BoolRef(true),
				HealthCheckPath: pulumi.StringRef("/healthz"),
			}},
		})
		if err != nil {
			return err
		}
		ctx.Export("url", platform.Url)
		ctx.Export("vpcId", platform.VpcId)
		ctx.Export("repositoryUrls", platform.RepositoryUrls)
		return nil
	})
}
