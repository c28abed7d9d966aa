"""A stage with its own database, role and key prefix on a shared PostgreSQL instance and cache, by id and endpoint (docs/customising.md, "Shared database and cache")."""
import pulumi
import pulumi_rampart as rampart

config = pulumi.Config()
stage = rampart.ServicePlatform(
    "web",
    stage="pr-2",
    network=rampart.PlatformNetworkArgs(
        existing_vpc=rampart.ExistingVpcArgs(
            vpc_id=config.require("vpcId"),
            public_subnet_ids=config.require_object("publicSubnetIds"),
            private_subnet_ids=config.require_object("privateSubnetIds"),
        )
    ),
    services=[rampart.PlatformServiceArgs(name="api", use_database=True, use_cache=True)],
    database=rampart.PlatformDatabaseArgs(
        existing=rampart.ExistingDatabaseArgs(
            host=config.require("dbHost"),
            admin_secret_arn=config.require("adminSecretArn"),
            security_group_id=config.require("dbSecurityGroupId"),
        )
    ),
    cache=rampart.PlatformCacheArgs(
        existing=rampart.ExistingCacheArgs(host=config.require("cacheHost"), security_group_id=config.require("cacheSecurityGroupId"))
    ),
)
pulumi.export("databaseSecretArn", stage.database_secret_arn)
