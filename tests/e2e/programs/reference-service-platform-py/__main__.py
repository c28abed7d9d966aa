import pulumi
import pulumi_rampart as rampart

# One public service on ECS Fargate behind a load balancer (plain HTTP until a `domain` is given), with the ephemeral profile's defaults.
platform = rampart.ServicePlatform(
    "web",
    stage="dev",
    services=[rampart.PlatformServiceArgs(name="api", port=8080, cpu=256, memory=512, public=True, health_check_path="/healthz")],
)

pulumi.export("url", platform.url)
pulumi.export("vpcId", platform.vpc_id)
pulumi.export("repositoryUrls", platform.repository_urls)
