// Arguments the rampart plugin must refuse, from Go, beside an unrelated valid component (which
// must not report an error of its own). Config `case` picks the mistake:
//
//   - "missing": the typed SDK compiles a ServicePlatform without a stage and a service without a
//     name (Go sends the zero value, "").
//   - "untyped": the same arguments a Python dict or YAML would send, as an untyped pulumi.Map: a
//     string for a boolean and a misspelt key. The typed SDK rejects both at compile time; the
//     plugin checks whatever arrives.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	rampart "github.com/rampart-iac/pulumi-rampart/sdk/go/rampart"
)

type rawServicePlatform struct {
	pulumi.ResourceState
}

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		if _, err := rampart.NewZeroTrustIdentity(ctx, "unrelated", &rampart.ZeroTrustIdentityArgs{Stage: "dev"}); err != nil {
			return err
		}
		switch config.Require(ctx, "case") {
		case "missing":
			_, err := rampart.NewServicePlatform(ctx, "skreg", &rampart.ServicePlatformArgs{
				Services: []rampart.PlatformServiceArgs{{Port: pulumi.Float64Ref(8080)}},
			})
			return err
		default:
			var platform rawServicePlatform
			return ctx.RegisterRemoteComponentResource("rampart:index:ServicePlatform", "skreg", pulumi.Map{
				"stage": pulumi.String("dev"),
				"services": pulumi.Array{pulumi.Map{
					"name":   pulumi.String("api"),
					"public": pulumi.String("false"),
					"memroy": pulumi.Float64(2048),
				}},
			}, &platform)
		}
	})
}
