"""skreg's deployment (seed 001) as one ServicePlatform: an API behind the load balancer that writes
packages to the bucket, a private worker, PostgreSQL, a packages bucket behind a CDN and a GitHub
Actions role that pushes images.

The Python twin of ../service-platform-ts/index.ts: same resource, arguments, config and outputs.
"""
import pulumi
import pulumi_rampart as rampart

config = pulumi.Config()

platform = rampart.ServicePlatform(
    "skreg",
    stage=config.get("stage", pulumi.get_stack()),
    profile=rampart.Profile.PRODUCTION if config.get("profile") == "production" else rampart.Profile.EPHEMERAL,
    services=[
        rampart.PlatformServiceArgs(
            name="api",
            # First deploy: no imageTag yet, so the services run 0 tasks while `up` creates their repositories
            # (repositoryUrls). CI then pushes <repository>:<git SHA> and runs `pulumi config set imageTag <SHA>` and `up`.
            image_tag=config.get("imageTag"),
            cpu=512,
            memory=1024,
            port=8080,
            public=True,
            health_check_path="/health",
            use_database=True,
            environment={"LOG_LEVEL": "info"},
            secrets={"SIGNING_KEY": config.require_secret("signingKey")},
            # Publishing writes package archives to the platform's bucket (the CDN serves them).
            bucket_access=rampart.BucketAccess.READ_WRITE,
        ),
        rampart.PlatformServiceArgs(name="worker", image_tag=config.get("imageTag"), cpu=256, memory=512, use_database=True),
    ],
    database=rampart.PlatformDatabaseArgs(instance_class="db.t4g.micro", allocated_storage_gb=20),
    storage=rampart.PlatformStorageArgs(bucket=True, cdn=True),
    ci=rampart.PlatformCiArgs(github_repository="skreg-dev/skreg", branches=["main"]),
)

pulumi.export("url", platform.url)
pulumi.export("vpcId", platform.vpc_id)
pulumi.export("clusterName", platform.cluster_name)
pulumi.export("serviceNames", platform.service_names)
pulumi.export("taskRoleArns", platform.task_role_arns)
pulumi.export("repositoryUrls", platform.repository_urls)
pulumi.export("databaseEndpoint", platform.database_endpoint)
pulumi.export("bucketName", platform.bucket_name)
pulumi.export("cdnBaseUrl", platform.cdn_base_url)
pulumi.export("ciRoleArn", platform.ci_role_arn)
pulumi.export("estimatedMonthlyCostUsd", platform.estimated_monthly_cost_usd)
