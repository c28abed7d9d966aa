"""The `transforms` option on a rampart component reaches its children through the plugin (docs/customising.md)."""
import pulumi
import pulumi_rampart as rampart


def longer_idle_timeout(args: pulumi.ResourceTransformArgs):
    # Children built inside the plugin reach the transform with the engine's (camelCase) property names.
    if args.type_ == "aws:lb/loadBalancer:LoadBalancer":
        return pulumi.ResourceTransformResult(props={**args.props, "idleTimeout": 120}, opts=args.opts)
    return None


platform = rampart.ServicePlatform(
    "web",
    stage="tf",
    services=[rampart.PlatformServiceArgs(name="api", cpu=256, memory=512, port=8080, public=True)],
    opts=pulumi.ResourceOptions(transforms=[longer_idle_timeout]),
)
pulumi.export("urn", platform.urn)
