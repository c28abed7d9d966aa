"""A stage that adopts a shared ECS cluster and ACM certificate by ARN (docs/customising.md, "Adopt what exists")."""
import pulumi
import pulumi_rampart as rampart

config = pulumi.Config()
stage = rampart.ServicePlatform(
    "web",
    stage="pr-2",
    services=[rampart.PlatformServiceArgs(name="api", public=True)],
    cluster=rampart.PlatformClusterArgs(existing_cluster_arn=config.require("clusterArn")),
    domain=rampart.PlatformDomainArgs(name="pr-2.previews.example.com", hosted_zone_id="Z0123456789ABCDEFGHIJ", certificate_arn=config.require("certificateArn")),
)
pulumi.export("clusterName", stage.cluster_name)
