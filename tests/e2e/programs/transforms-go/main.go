// The `transforms` option on a rampart component reaches its children through the plugin
// (docs/customising.md).
package main

import (
	"context"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/rampart-iac/pulumi-rampart/sdk/go/rampart"
)

func longerIdleTimeout(_ context.Context, args *pulumi.ResourceTransformArgs) *pulumi.ResourceTransformResult {
	if args.Type != "aws:lb/loadBalancer:LoadBalancer" {
		return nil
	}
	args.Props["idleTimeout"] = pulumi.Int(120)
	return &pulumi.ResourceTransformResult{Props: args.Props, Opts: args.Opts}
}

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		platform, err := rampart.NewServicePlatform(ctx, "web", &rampart.ServicePlatformArgs{
			Stage: "tf",
			Services: []rampart.PlatformServiceArgs{
				{Name: "api", Cpu: pulumi.Float64Ref(256), Memory: pulumi.Float64Ref(512), Port: pulumi.Float64Ref(8080), Public: pulumi.BoolRef(true)},
			},
		}, pulumi.Transforms([]pulumi.ResourceTransform{longerIdleTimeout}))
		if err != nil {
			return err
		}
		ctx.Export("urn", platform.URN())
		return nil
	})
}
