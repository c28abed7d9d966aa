"""Plain arguments from a stack reference: the plugin plans the platform with the referenced values."""
import pulumi
import pulumi_rampart as rampart

config = pulumi.Config()
settings = pulumi.StackReference("settings", stack_name=config.require("settingsStack"))

platform = rampart.ServicePlatform(
    "shop",
    stage=settings.get_output("stage"),
    network=rampart.PlatformNetworkArgs(cidr_block=settings.get_output("cidrBlock")),
    services=[rampart.PlatformServiceArgs(name="api", port=8080, cpu=settings.get_output("apiCpu"), memory=1024)],
)

pulumi.export("vpcId", platform.vpc_id)
