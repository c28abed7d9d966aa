"""Outputs of plain resources created in this program as ServicePlatform's composable inputs.

A KMS key's ARN goes into `secretsKmsKeyArns` (the key also encrypts the shared database's admin secret), an SQS
queue's ARN into a service's `policyStatements[].resources`, a random pet name into `storage.cdnDomain.name`
(`<pet>.example.com`) and `ci.githubRepository` (`acme/<pet>`), random integers into `database.existing.port` and
`cache.existing.port`. Every one of these values is unknown at the first preview.

Config `badRepository` (default false) wires the bare pet name in as the repository (no `owner/`); the component
refuses it with its one error when it resolves. Config `stage` (default pr-16) keeps two stacks' names apart in one
account.
"""
import pulumi
import pulumi_rampart as rampart


class PlainResource(pulumi.CustomResource):
    """A plain resource by its type token, with the outputs named in `outputs` as attributes.

    pulumi_aws and pulumi_random are not installed in the test virtualenv; the engine and the stand-in providers do
    not need them.
    """

    def __init__(self, token, name, props, outputs, opts=None):
        super().__init__(token, name, {**props, **{key: None for key in outputs}}, opts)


CDN_CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
config = pulumi.Config()
stage = config.get("stage") or "pr-16"

key = PlainResource("aws:kms/key:Key", "key", {"description": "keys of the secrets the services reference", "deletionWindowInDays": 7}, ["arn"])
admin = PlainResource("aws:secretsmanager/secret:Secret", "admin", {"name": f"shared-postgres-admin-{stage}", "kmsKeyId": key.arn}, ["arn"])
queue = PlainResource("aws:sqs/queue:Queue", "queue", {"name": f"jobs-{stage}"}, ["arn"])
pet = PlainResource("random:index/randomPet:RandomPet", "pet", {}, [])
db_port = PlainResource("random:index/randomInteger:RandomInteger", "dbPort", {"min": 6432, "max": 6432}, ["result"])
cache_port = PlainResource("random:index/randomInteger:RandomInteger", "cachePort", {"min": 6380, "max": 6380}, ["result"])

repository = pet.id if config.get_bool("badRepository") else pet.id.apply(lambda name: f"acme/{name}")
platform = rampart.ServicePlatform(
    "shop",
    stage=stage,
    services=[
        rampart.PlatformServiceArgs(
            name="api",
            use_database=True,
            use_cache=True,
            policy_statements=[rampart.ServicePolicyStatementArgs(actions=["sqs:SendMessage"], resources=[queue.arn])],
        )
    ],
    database=rampart.PlatformDatabaseArgs(
        existing=rampart.ExistingDatabaseArgs(host="shared.c0ffee12ab34.us-east-1.rds.amazonaws.com", port=db_port.result, admin_secret_arn=admin.arn)
    ),
    cache=rampart.PlatformCacheArgs(existing=rampart.ExistingCacheArgs(host="shared-x1y2z3.serverless.use1.cache.amazonaws.com", port=cache_port.result)),
    storage=rampart.PlatformStorageArgs(
        cdn=True,
        cdn_domain=rampart.PlatformCdnDomainArgs(name=pet.id.apply(lambda name: f"{name}.{stage}.example.com"), hosted_zone_id="Z0EXAMPLE", certificate_arn=CDN_CERTIFICATE),
    ),
    ci=rampart.PlatformCiArgs(github_repository=repository),
    # An Output of the whole list, as another stack or resource would give it.
    secrets_kms_key_arns=key.arn.apply(lambda arn: [arn]),
)
pulumi.export("cdnBaseUrl", platform.cdn_base_url)
pulumi.export("cacheEndpoint", platform.cache_endpoint)
pulumi.export("databaseEndpoint", platform.database_endpoint)
