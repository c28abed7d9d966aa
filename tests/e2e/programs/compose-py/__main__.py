"""One component's outputs as another's inputs: the platform's network carries the SPIRE servers.

Config `zones` (default 2) is the platform's availabilityZoneCount; `rds` (default false) gives SPIRE an RDS
datastore, which needs private subnets in two availability zones: with one zone, ZeroTrustIdentity refuses the
resolved subnet list with its one clean error.
"""
import pulumi
import pulumi_rampart as rampart

config = pulumi.Config()
platform = rampart.ServicePlatform(
    "skreg",
    stage="dev",
    services=[rampart.PlatformServiceArgs(name="api")],
    network=rampart.PlatformNetworkArgs(availability_zone_count=config.get_int("zones") or 2),
)
identity = rampart.ZeroTrustIdentity(
    "unkey",
    stage="dev",
    trust_domain="unkey.cloud",
    spire=rampart.SpireServerArgs(
        vpc_id=platform.vpc_id,
        subnet_ids=platform.private_subnet_ids,
        datastore=rampart.SpireDatastoreArgs(create=True) if config.get_bool("rds") else None,
        server_count=1,
    ),
)
pulumi.export("privateSubnetIds", platform.private_subnet_ids)
pulumi.export("vpcId", platform.vpc_id)
pulumi.export("spireServerAddress", identity.spire_server_address)
