import * as pulumi from "@pulumi/pulumi";
import { Profile } from "../shared/profile";

/** How private subnets reach the internet. */
export enum NatGateways {
    /**
     * No outbound internet from private subnets: interface endpoints for ECR, CloudWatch Logs and Secrets Manager instead
     * (SSM when a service may read a parameter, also through an ARN known only at deployment; SSM Messages with ECS Exec).
     * Fargate images must then be in this Region's private ECR (an ECR pull-through cache can mirror public images):
     * others are refused at preview (https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html).
     */
    None = "none",
    /**
     * One small IMDSv2-only NAT instance without SSH: the cheap choice for ephemeral stages. Managed by AWS Systems
     * Manager (AmazonSSMManagedInstanceCore) and patched in place every Sunday 04:00 UTC by Patch Manager
     * (AWS-RunPatchBaseline, Install, RebootIfNeeded: https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-aws-runpatchbaseline.html);
     * it boots only after its subnet's internet route exists.
     */
    Instance = "instance",
    /** One managed NAT gateway shared by every availability zone. */
    Single = "single",
    /** One managed NAT gateway per availability zone (production default). */
    OnePerAz = "onePerAz",
}

/** Where the services' containers run. */
export enum Compute {
    /** ECS on Fargate in private subnets behind an Application Load Balancer. */
    Fargate = "fargate",
    /** AWS App Runner, reaching private resources through a VPC connector. Closed to new AWS customers since 2026-04-30. */
    AppRunner = "appRunner",
    /**
     * Amazon ECS Express Mode (`aws.ecs.ExpressGatewayService`), App Runner's successor: one Express Mode service per
     * service, its Fargate tasks in the platform's private subnets, in the platform's (or the adopted) ECS cluster. ECS
     * provisions and runs the Application Load Balancer, target group, listener rule, certificate and security group of
     * the service's URL itself, with the infrastructure role rampart creates
     * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-work.html). In the private subnets
     * that load balancer is internal, so services are reachable inside the VPC only: `public`, `domain`, `hostnames`,
     * `pathPatterns` and `loadBalancer` are refused at preview, as are the Fargate options Express Mode does not take
     * (`spot`, `architecture: ARM64`, `enableExecuteCommand`, `readonlyRootFilesystem`, `healthCheckGracePeriodSeconds`).
     */
    ExpressMode = "expressMode",
}

/** CPU architecture of a Fargate task (`runtimePlatform.cpuArchitecture`, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RuntimePlatform.html). */
export enum CpuArchitecture {
    /** Intel/AMD 64-bit. */
    X86_64 = "X86_64",
    /** AWS Graviton (64-bit Arm): about 20% cheaper per vCPU and GB; the image must be built for linux/arm64; no Fargate Spot. */
    ARM64 = "ARM64",
}

/** Access a service's role gets to the platform's storage bucket. */
export enum BucketAccess {
    /** `s3:GetObject` on the bucket's objects and `s3:ListBucket` on the bucket. */
    Read = "read",
    /** `read`, plus `s3:PutObject`, `s3:DeleteObject` and `s3:AbortMultipartUpload` on the bucket's objects. */
    ReadWrite = "readWrite",
}

/**
 * One IAM statement added to a service's role (the ECS task role, the App Runner instance role): `Effect: Allow` on
 * exactly these actions and resources. See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 * and https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html.
 */
export interface ServicePolicyStatement {
    /**
     * Actions as `service:Action`, for example `sqs:SendMessage`; no wildcards (name each action).
     * Plain value (not an Output): the task role's actions are checked at preview, each a named `service:Action` without wildcards.
     */
    actions: string[];
    /**
     * Resource ARNs, for example `arn:aws:sqs:us-east-1:123456789012:jobs` (or another resource's `arn` output); never
     * `*`: a list, or an Output of a list. Each is an ARN (`arn:<partition>:<service>:<region>:<account>:<resource>`,
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). Values known at preview are checked then;
     * the rest when they resolve, before the role's policy is written.
     */
    resources: pulumi.Input<pulumi.Input<string>[]>;
}

/** Database engines rampart supports (the schema carries a string: Pulumi's analyzer has no one-member enums). */
export const DATABASE_ENGINES = ["postgres"] as const;

/** Cache engines rampart supports. */
export const CACHE_ENGINES = ["valkey"] as const;

/** A VPC that already exists; rampart then creates no network of its own. */
export interface ExistingVpc {
    /** The VPC id, for example `vpc-0abc...`. */
    vpcId: pulumi.Input<string>;
    /**
     * Subnets for the load balancer (one per availability zone, routed to an internet gateway): a list, or an Output
     * of a list (another stack's or resource's subnet ids). Two or more with a public Fargate service (an ALB spans
     * two zones: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer).
     * A list known at preview is checked then; an Output when it resolves.
     */
    publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Subnets for tasks, the database and the cache (no public IPs, routed through NAT or endpoints): a list, or an
     * Output of a list. Two or more with a database (a DB subnet group spans two zones:
     * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Subnets).
     * A list known at preview is checked then; an Output when it resolves.
     */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
}

/** The network the platform runs in. */
export interface PlatformNetwork {
    /**
     * Private IPv4 block of the VPC (RFC 1918), /16 to /24, split into one public and one private subnet per zone (a /16
     * into /24 subnets, others into 16 parts). With a load balancer it must be /23 or larger, so the public subnets are
     * at least /27 (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer).
     * Default: `10.0.0.0/16`.
     */
    cidrBlock?: string;
    /** Number of availability zones, 1-6. Default: `2`. */
    availabilityZoneCount?: number;
    /** How private subnets reach the internet. Default: `instance` for ephemeral, `onePerAz` for production. */
    natGateways?: NatGateways;
    /** Send VPC flow logs to CloudWatch Logs. Default: `false` for ephemeral, `true` for production. */
    flowLogs?: boolean;
    /** Use an existing VPC instead of creating one; `cidrBlock`, `availabilityZoneCount` and `natGateways` are then ignored. Default: none (rampart creates the VPC). */
    existingVpc?: ExistingVpc;
}

/** Target-tracking autoscaling for one service. */
export interface ServiceAutoscaling {
    /** Fewest running tasks. */
    min: number;
    /** Most running tasks. */
    max: number;
    /** Average CPU utilisation to hold, in percent. Default: `70`. */
    cpuTarget?: number;
    /** Average memory utilisation to hold, in percent. Default: none. */
    memoryTarget?: number;
    /** Load balancer requests per task to hold (public services only). Default: none. */
    requestsPerTarget?: number;
}

/** One containerised service of the platform. */
export interface PlatformService {
    /** Service name, unique in the platform: lowercase letters, digits and hyphens, 1-32 characters. */
    name: string;
    /**
     * Container image. With `network.natGateways: none` (Fargate) it must be in this Region's private ECR, for example an
     * ECR pull-through cache repository. Default: an ECR repository is created for the service and its URL is exported in `repositoryUrls`.
     */
    image?: pulumi.Input<string>;
    /**
     * Tag (or `sha256:` digest) to run from the created ECR repository; tags are immutable
     * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html), so deploy by setting a new one
     * (for example the git SHA CI pushed). Only without `image`. Default: none, and the service waits for its first
     * image: on Fargate it runs 0 tasks (autoscaling starts once a tag is given), on App Runner its service is not
     * created yet, and preview warns. First deploy: `up` creates the repository (`repositoryUrls`), CI pushes and sets
     * `imageTag`, the next `up` starts the service.
     */
    imageTag?: pulumi.Input<string>;
    /** CPU units (256 = 0.25 vCPU). Must form a pair Fargate accepts with `memory`. Default: `256`. */
    cpu?: number;
    /** Memory in MiB. Must form a pair Fargate accepts with `cpu`. Default: `512`. */
    memory?: number;
    /** Port the container listens on. Default: `8080`. */
    port?: number;
    /** Serve this service through the load balancer. Default: `false`. */
    public?: boolean;
    /** Path patterns routed to this service, for example `["/api/*"]`; needed when several services are public. Default: none (a single public service takes the default route). */
    pathPatterns?: string[];
    /** Host names routed to this service; each must be `domain.name` or a subdomain of it. Default: none. */
    hostnames?: string[];
    /** Path the load balancer and App Runner probe: starts with `/`, no spaces. Default: `/health`. */
    healthCheckPath?: string;
    /** Tasks to run when autoscaling is off. Default: `1`. */
    desiredCount?: number;
    /** Target-tracking autoscaling. Default: off. */
    autoscaling?: ServiceAutoscaling;
    /**
     * Plain environment variables, written into the task definition (App Runner: the service configuration) as they
     * are. Never put secrets here: use `secrets`. A value that is a Pulumi secret (for example
     * `config.requireSecret(...)`) is refused at preview with its path, so it never lands in plain text.
     * Default: none.
     */
    environment?: { [name: string]: pulumi.Input<string> };
    /**
     * Secret environment variables: each value is either a Secrets Manager secret ARN or SSM parameter ARN that the
     * task reads at start, or a secret value that rampart stores in Secrets Manager. Values never appear in the task
     * definition.
     * Default: none.
     */
    secrets?: { [name: string]: pulumi.Input<string> };
    /**
     * Secret environment variables read from existing Secrets Manager secrets or SSM parameters, by ARN. Use this for
     * ARNs that are outputs of other resources (a value in `secrets` that is only known at deployment is stored as a value).
     * Default: none.
     */
    secretArns?: { [name: string]: pulumi.Input<string> };
    /** Overrides the image's command. Default: the image's command. */
    command?: string[];
    /**
     * Allow this service to reach the database and inject the connection: `DB_HOST`, `DB_PORT`, `DB_NAME` as plain
     * values, `DB_USER` and `DB_PASSWORD` from the secret RDS manages (App Runner: `DB_CREDENTIALS`, that secret's JSON),
     * read when the service starts, and `DB_SECRET_ARN`, that secret's ARN, which the service may read when it connects.
     * There is no `DATABASE_URL`: RDS owns and rotates the password, so rampart never holds it. After each rotation the
     * service is redeployed so new tasks read the new password (docs: "Database password rotation"). Default: `false`.
     */
    useDatabase?: boolean;
    /** Allow this service to reach the cache and inject `CACHE_ENDPOINT`. Default: `false`. */
    useCache?: boolean;
    /** Run on Fargate Spot. Default: `true` for ephemeral, `false` for production and for `architecture: ARM64`. */
    spot?: boolean;
    /** TCP ports the service may reach outside the VPC (through NAT). Default: `[443]`. */
    egressPorts?: number[];
    /**
     * Mount the container's root filesystem read-only (a writable `/tmp` volume is always mounted). Turn it off for
     * images that write elsewhere (nginx writes `/var/cache/nginx`) or for ECS Exec, which needs a writable root
     * filesystem (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html). Fargate only.
     * Default: `true`.
     */
    readonlyRootFilesystem?: boolean;
    /**
     * CPU architecture of the service's tasks: the image must be built for it. `ARM64` (Graviton) is priced lower in the
     * estimate and has no Fargate Spot, so `spot` defaults to `false` with it and `spot: true` is refused
     * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html). Fargate only.
     * Default: `"X86_64"`.
     */
    architecture?: CpuArchitecture;
    /**
     * ECS Exec (`aws ecs execute-command`) into the service's containers: the task role gets the four
     * `ssmmessages` channel actions (AWS grants them only on `*`), no-NAT networks get the `ssmmessages` interface
     * endpoint, and the root filesystem must be writable (`readonlyRootFilesystem: false`)
     * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html). Fargate only.
     * Default: `false`.
     */
    enableExecuteCommand?: boolean;
    /**
     * Seconds a new task of a public service may fail load balancer health checks before ECS replaces it, 0-2147483647
     * (`healthCheckGracePeriodSeconds`, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html).
     * Only for public Fargate services (the ones behind the load balancer).
     * Default: `60`.
     */
    healthCheckGracePeriodSeconds?: number;
    /**
     * Extra IAM statements for the service's role (ECS task role, App Runner instance role), each `Allow` on exactly
     * the given actions and resources. Actions are `service:Action`; `*` resources are refused. Default: none.
     */
    policyStatements?: ServicePolicyStatement[];
    /** Access to the platform's storage bucket (`storage`), granted on that bucket only. Default: none. */
    bucketAccess?: BucketAccess;
}

/** A custom domain served with TLS. */
export interface PlatformDomain {
    /**
     * Domain name, for example `api.example.com`.
     * Plain value (not an Output): it decides how many DNS resources rampart creates and their logical names (one Route 53
     * alias record per distinct host name on Fargate, one custom domain association per host on App Runner, each named
     * after the host, the certificate's names deduplicated against `services[].hostnames`), and those host names are
     * checked at preview to lie under it.
     */
    name: string;
    /** Route 53 hosted zone that holds `name`; used to validate the certificate and create the alias record. */
    hostedZoneId: pulumi.Input<string>;
    /**
     * ARN of an existing ACM certificate for the load balancer, in the platform's Region, covering `name` and the host
     * names of host-routed services (`arn:<partition>:acm:<region>:<account>:certificate/<id>`); for example a wildcard
     * certificate shared by per-PR stages. rampart then requests and validates none
     * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html).
     * Default: a DNS-validated certificate rampart requests.
     */
    certificateArn?: pulumi.Input<string>;
}

/** The ECS cluster the Fargate services run in. */
export interface PlatformCluster {
    /**
     * ARN of an existing ECS cluster to run the services in (`arn:<partition>:ecs:<region>:<account>:cluster/<name>`),
     * for example one shared by per-PR stages; rampart then creates no cluster and leaves its settings (Container
     * Insights, capacity providers) alone. Its capacity providers must include `FARGATE`, and `FARGATE_SPOT` when a
     * service sets `spot` (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html).
     * Switching an existing stack to it moves the services (ECS replaces a service whose cluster changes) and deletes
     * rampart's cluster. Default: a cluster `<name>-<stage>`.
     */
    existingClusterArn?: pulumi.Input<string>;
}

/** A private PostgreSQL database. */
export interface PlatformDatabase {
    /** Database engine; only `postgres` today. Default: `postgres`. */
    engine?: string;
    /**
     * PostgreSQL version: a major version RDS offers (12-18; 12 and 13 only under RDS Extended Support, which AWS
     * charges for), or a minor version of one such as `17.6`. A major version alone lets RDS pick its default minor
     * version at creation and apply minor upgrades in the maintenance window (`autoMinorVersionUpgrade` on); plans never
     * differ after such an upgrade. A minor version pins it: automatic minor upgrades are off, because RDS cannot
     * downgrade and a pin older than what an upgraded instance runs would fail every later `up` with
     * "InvalidParameterCombination: Cannot upgrade postgres from 17.7 to 17.6"; raise the pin to upgrade. The default
     * applies when the database is created: a later rampart release with another default never changes the version of
     * an existing database, only a value set here does (a new major also needs RDS's major upgrade steps). See
     * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Upgrading.html (the provider's
     * rule for a version given as a prefix is cited in provider/src/shared/postgresVersions.ts).
     * Default: `"17"`.
     * Default: `"17"`.
     */
    engineVersion?: string;
    /** Instance class. Default: `db.t4g.micro`. */
    instanceClass?: string;
    /** Storage in GiB (gp3). Default: `20`. */
    allocatedStorageGb?: number;
    /** Standby in a second zone. Default: `false` for ephemeral, `true` for production. */
    multiAz?: boolean;
    /** Days of automated backups, 1-35. Default: `1` for ephemeral, `14` for production. */
    backupRetentionDays?: number;
    /** Refuse deletion. Default: `false` for ephemeral, `true` for production. */
    deletionProtection?: boolean;
    /** Name of the initial database. Default: `app`. */
    databaseName?: string;
    /** Performance Insights (7 days, free tier). Default: `false`. */
    performanceInsights?: boolean;
    /**
     * Daily UTC window for automated backups, `hh24:mi-hh24:mi`, at least 30 minutes, not overlapping
     * `maintenanceWindow` (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.BackupWindow.html).
     * Changed in place. Default: a 30-minute window RDS picks in the Region's 8-hour block.
     * Example: `"03:00-03:30"`.
     */
    backupWindow?: string;
    /**
     * Weekly UTC window for maintenance (minor upgrades, patches), `ddd:hh24:mi-ddd:hh24:mi`, 30 minutes to 24 hours
     * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Maintenance.html). Changed in
     * place. Default: a 30-minute window RDS picks.
     * Example: `"sun:04:00-sun:04:30"`.
     */
    maintenanceWindow?: string;
    /**
     * PostgreSQL parameters, by name (values are strings, as RDS takes them), in a DB parameter group rampart creates for
     * the instance (family `postgres<major>`, so `engineVersion` must be given with them). Each is applied with
     * `pending-reboot`, which RDS accepts for static and dynamic parameters alike: they take effect at the next reboot
     * or maintenance. Changing them updates the group in place
     * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithParamGroups.html). Once given, keep the
     * argument (`{}` empties the group): RDS refuses to delete a parameter group an instance still uses. Default: none
     * (RDS's default parameter group).
     * Example: `{ "log_min_duration_statement": "1000", "rds.force_ssl": "1" }`.
     */
    parameters?: Record<string, string>;
    /**
     * Allow a change that RDS cannot make to a running DB instance, and that therefore replaces it: `databaseName`,
     * `kmsKeyArn` (a customer-managed key added or changed), the stage (the instance identifier) or storage
     * encryption. The provider deletes the old instance before creating the new one, so its data is lost (ephemeral
     * stages keep no final snapshot). Without it such a change is refused at preview and by `up` with an error naming
     * the argument, and the instance keeps what it was created with. What RDS can modify:
     * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ModifyInstance.Settings.html; encryption and its key
     * are fixed: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html#Overview.Encryption.Limitations
     * (the provider's replace rules are cited in provider/src/shared/postgres.ts).
     * Default: `false`.
     */
    allowReplacement?: boolean;
    /**
     * Use a PostgreSQL instance that already exists (for example one shared by the per-PR stages of an account) instead
     * of creating one: the stage gets its own database and login role on it, both named `<name>_<stage>` (lowercase,
     * hyphens as underscores), and rampart creates no RDS instance, subnet group or parameter group. Fargate only. The
     * other `database` arguments describe an instance rampart creates and are refused with it, except `allowReplacement`:
     * switching a stage that has its own instance to `existing` would delete that instance with its data, so at preview
     * rampart looks for it (RDS DescribeDBInstances, which the deploying role needs) and refuses the switch unless
     * `allowReplacement` is true. See `ExistingDatabase`.
     * Default: none (rampart creates the instance).
     */
    existing?: ExistingDatabase;
}

/**
 * A PostgreSQL instance shared by stages (`database.existing`). rampart cannot connect to it while it deploys (the
 * engine has no network path into the VPC), so the connection is made inside AWS: each service with `useDatabase` gets
 * a non-essential init container (`db-init`, the official `postgres` image from ECR Public) that runs `psql` with the
 * admin credentials, creates the stage's role and database if they do not exist (and sets the role's password to
 * the stage's secret, so a lost or re-created secret heals on the next task start), revokes `CONNECT` on it from
 * `PUBLIC`, and exits; the service's container starts only when it exited 0 (container `dependsOn` with condition
 * `SUCCESS`, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html). The stage's
 * password is random (32 characters), lives in a Secrets Manager secret rampart creates (`username`, `password`,
 * `host`, `port`, `dbname` JSON, like an RDS secret) and reaches the containers by reference only. The services get
 * `DB_HOST`, `DB_PORT`, `DB_NAME`, `DB_USER`, `DB_PASSWORD` and `DB_SECRET_ARN` exactly as with a database rampart
 * creates. Destroying the stage deletes its secret and security group rules and never touches the instance; the
 * stage's database and role stay on it until dropped (`DROP DATABASE <name>_<stage>; DROP ROLE <name>_<stage>;`).
 * The admin password is read by the task execution role only (never by the application's task role). The statement
 * that sets the role's password carries it to the server (over TLS, `PGSSLMODE=require`): if the shared instance logs
 * DDL (`log_statement` `ddl` or `all`), it appears in that log, so keep `log_statement` at `none` on it
 * (https://www.postgresql.org/docs/current/sql-alterrole.html, "Notes").
 */
export interface ExistingDatabase {
    /**
     * Host name of the instance's endpoint, for example `shared.abc123xyz.eu-west-1.rds.amazonaws.com` (a DNS name, not
     * `host:port`): https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ConnectToInstance.html.
     */
    host: pulumi.Input<string>;
    /**
     * Port the instance listens on, 1150-65535 (the range RDS allows for PostgreSQL,
     * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html, `Port`), for example the
     * instance's `port` output. It goes into the security group rules, `DB_PORT`, the stage's secret and the init
     * container's `PGPORT`. A value known at preview is checked then; an Output when it resolves.
     * Default: `5432`.
     */
    port?: pulumi.Input<number>;
    /**
     * ARN of a Secrets Manager secret in the platform's Region holding JSON with `username` and `password` of a role
     * that may create roles and databases (`CREATEROLE`, `CREATEDB`): the master user secret RDS manages
     * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html) or one of the same shape
     * (`arn:<partition>:secretsmanager:<region>:<account>:secret:<name>`). If it is encrypted with a customer-managed key,
     * list that key in `secretsKmsKeyArns`.
     */
    adminSecretArn: pulumi.Input<string>;
    /**
     * Security group of the instance (`sg-...`, in the platform's VPC, so give `network.existingVpc`). rampart adds an
     * ingress rule to it from each service with `useDatabase` on `port`; the rules belong to the stage and are deleted
     * with it. Without it the instance's group must already admit the stages (for example from the VPC's CIDR block);
     * the services' own egress to `port` is always added.
     * Default: none (no ingress rule is added).
     */
    securityGroupId?: pulumi.Input<string>;
    /**
     * Image of the init container; it runs `sh` and `psql` (PostgreSQL client 15 or later, for `\getenv`). With
     * `network.natGateways: none` it must be in this Region's private ECR (an ECR pull-through cache of ECR Public can
     * mirror the default).
     * Default: `"public.ecr.aws/docker/library/postgres:17-alpine"`.
     */
    initImage?: pulumi.Input<string>;
}

/** A serverless cache. */
export interface PlatformCache {
    /** Cache engine; only `valkey` today. Default: `valkey`. */
    engine?: string;
    /** Upper bound of stored data in GB. Default: `1`. */
    maxDataStorageGb?: number;
    /** Upper bound of ElastiCache Processing Units per second. Default: `5000`. */
    maxEcpuPerSecond?: number;
    /**
     * Use a Valkey or Redis OSS cache that already exists (for example an ElastiCache Serverless cache shared by the
     * per-PR stages of an account) instead of creating one. The services with `useCache` get `CACHE_ENDPOINT`
     * (`host:port`, TLS) of it and `CACHE_KEY_PREFIX` `<name>-<stage>:`, which they put in front of every key so stages
     * do not see each other's keys. The prefix is a convention, not a boundary: for enforced isolation create an
     * ElastiCache RBAC user per stage with an access string such as `on ~<name>-<stage>:* +@all`
     * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html); rampart does not manage them. The
     * other `cache` arguments describe a cache rampart creates and are refused with it. Destroying the stage never
     * touches the cache (its keys stay until they expire or are deleted). Default: none (rampart creates the cache).
     */
    existing?: ExistingCache;
}

/** A cache shared by stages (`cache.existing`). */
export interface ExistingCache {
    /**
     * Host name of the cache's endpoint, for example `shared-abc123.serverless.euw1.cache.amazonaws.com` (a DNS name,
     * not `host:port`): https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Endpoints.html.
     */
    host: pulumi.Input<string>;
    /**
     * Port of the endpoint, 1-65535 (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Endpoints.html), for example
     * the cache's endpoint `port` output. ElastiCache Serverless serves 6379 (and reads on 6380, which rampart does not
     * open). It goes into the security group rules and `CACHE_ENDPOINT`. A value known at preview is checked then; an
     * Output when it resolves.
     * Default: `6379`.
     */
    port?: pulumi.Input<number>;
    /**
     * Security group of the cache (`sg-...`, in the platform's VPC). rampart adds an ingress rule to it from each
     * service with `useCache` on `port`; the rules belong to the stage and are deleted with it. Default: none.
     */
    securityGroupId?: pulumi.Input<string>;
}

/** A custom domain for the CDN, served with an ACM certificate and TLS 1.2 or later. */
export interface PlatformCdnDomain {
    /**
     * Domain name viewers use, for example `cdn.example.com`; the certificate must cover it. It becomes the
     * distribution's alias (`aliases`, https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_Aliases.html),
     * the name of the A and AAAA alias records (whose logical names do not depend on it) and `cdnBaseUrl`. A lowercase
     * fully qualified domain name: checked at preview when known, when it resolves otherwise.
     */
    name: pulumi.Input<string>;
    /** Route 53 hosted zone that holds `name`; rampart creates the A and AAAA alias records to the distribution. */
    hostedZoneId: pulumi.Input<string>;
    /**
     * ARN of an issued ACM certificate in us-east-1 covering `name`: CloudFront uses certificates from that Region only
     * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html).
     */
    certificateArn: pulumi.Input<string>;
}

/** Object storage, optionally behind a CDN. */
export interface PlatformStorage {
    /** Create a private, versioned, encrypted bucket with public access blocked and TLS required. Default: `true` when `storage` is given. */
    bucket?: boolean;
    /** Serve the bucket through CloudFront with origin access control. Default: `false`. */
    cdn?: boolean;
    /**
     * Serve the CDN on this domain with its ACM certificate (SNI) and minimum viewer protocol `TLSv1.2_2021`
     * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html).
     * Needs `cdn: true`. Default: none: the distribution's `*.cloudfront.net` name with CloudFront's default
     * certificate, with which CloudFront accepts viewers from TLSv1 (a preview warning says so).
     */
    cdnDomain?: PlatformCdnDomain;
}

/** A role GitHub Actions assumes to push images to this platform's repositories. */
export interface PlatformCi {
    /**
     * Repository as `org/repo` (GitHub's owner and repository name characters, no wildcards), for example a
     * `github.Repository`'s `fullName`. It goes into the CI role's trust-policy subjects (`repo:<org/repo>:...`,
     * https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims) and its description. A value
     * known at preview is checked then (with `subjects` against it); an Output when it resolves, before the trust policy
     * is written.
     */
    githubRepository: pulumi.Input<string>;
    /** Branches allowed to push. Default: `["main"]` when `subjects` is not given. */
    branches?: string[];
    /** Exact OIDC `sub` values allowed instead of `branches`, each of `githubRepository` (`repo:<githubRepository>:<context>`, for example `repo:org/app:environment:production`); no wildcards. Default: one subject per branch. */
    subjects?: string[];
    /**
     * The GitHub OIDC provider the CI role trusts (`arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com`).
     * IAM keeps one provider per issuer URL per account
     * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html), so stages share it.
     * Default: the account's provider for `https://token.actions.githubusercontent.com`, looked up at preview; if the account
     * has none (or it lacks the client id `sts.amazonaws.com`) the deployment fails naming this argument and `createOidcProvider`.
     */
    oidcProviderArn?: pulumi.Input<string>;
    /**
     * Create the account's GitHub OIDC provider in this stack. Set it in ONE long-lived stack per account (an account bootstrap or
     * the production stage): a second provider for the same URL fails with `EntityAlreadyExists`, and every stage that looks the
     * provider up loses CI access when the stack that created it is destroyed. Not allowed together with `oidcProviderArn`.
     * Default: `false`.
     */
    createOidcProvider?: boolean;
}

/** Settings of the Application Load Balancer (Fargate with a `public` service). */
export interface PlatformLoadBalancer {
    /**
     * Seconds a connection may stay idle before the load balancer closes it, 1-4000; changed in place
     * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout).
     * Default: `60` (AWS's default).
     * Default: `60`.
     */
    idleTimeoutSeconds?: number;
    /**
     * ARN of an AWS WAF web ACL to associate with the load balancer: a regional web ACL
     * (`arn:<partition>:wafv2:<region>:<account>:regional/webacl/<name>/<id>`) in the platform's Region; CloudFront
     * (global) web ACLs cannot be associated with a load balancer
     * (https://docs.aws.amazon.com/waf/latest/APIReference/API_AssociateWebACL.html). Default: none.
     */
    webAclArn?: pulumi.Input<string>;
}

/** Logs, metrics and traces. */
export interface PlatformObservability {
    /** Days to keep container, database and flow logs (a CloudWatch Logs retention value). Default: `7` for ephemeral, `90` for production. */
    logRetentionDays?: number;
    /** ECS Container Insights, with enhanced observability in production. Default: `true`. */
    containerInsights?: boolean;
    /** Load balancer access logs to S3. Default: `false` for ephemeral, `true` for production. */
    loadBalancerAccessLogs?: boolean;
    /** Secrets Manager or SSM ARN holding the OpenTelemetry endpoint, injected as `OTEL_EXPORTER_OTLP_ENDPOINT`. Default: none. */
    otelEndpointSecretArn?: pulumi.Input<string>;
    /** Secrets Manager or SSM ARN holding the OpenTelemetry headers, injected as `OTEL_EXPORTER_OTLP_HEADERS`. Default: none. */
    otelHeadersSecretArn?: pulumi.Input<string>;
}

/** Arguments of ServicePlatform. */
export interface ServicePlatformArgs {
    /** Stage name: lowercase letters, digits and single hyphens, starting and ending with a letter or digit, 1-32 characters, for example `pr-123` or `prod`. */
    stage: string;
    /** Ephemeral or production defaults. Default: `ephemeral`. */
    profile?: Profile;
    /** Tags added to every taggable resource; they win over rampart's standard tags. Default: none (rampart's standard tags only). */
    tags?: { [key: string]: string };
    /** The network. Default: a new VPC `10.0.0.0/16` over two zones. */
    network?: PlatformNetwork;
    /** Where containers run. Default: `fargate`. */
    compute?: Compute;
    /** The ECS cluster (Fargate, Express Mode): rampart's own, or an existing one. Default: a new cluster. */
    cluster?: PlatformCluster;
    /** The services to run. */
    services: PlatformService[];
    /** Custom domain with TLS. Default: none, and the load balancer serves plain HTTP (a warning says so); the production profile requires one for public Fargate services. */
    domain?: PlatformDomain;
    /** Settings of the Application Load Balancer: idle timeout and a WAF web ACL. Default: AWS's defaults, no web ACL. */
    loadBalancer?: PlatformLoadBalancer;
    /** A private PostgreSQL database. Default: none. */
    database?: PlatformDatabase;
    /** A serverless Valkey cache. Default: none. */
    cache?: PlatformCache;
    /** A bucket and optional CDN. Default: none. */
    storage?: PlatformStorage;
    /** A GitHub Actions role that can push to the platform's repositories. Default: none. */
    ci?: PlatformCi;
    /** Logs, metrics and traces. Default: each field's default (container logs go to CloudWatch Logs either way). */
    observability?: PlatformObservability;
    /**
     * Keep data stores (database, bucket, repositories) when the stack is destroyed. Only adds: `false` leaves a
     * `retainOnDelete` option given to the component in force. Default: `false` for ephemeral, `true` for production.
     */
    retainOnDelete?: boolean;
    /**
     * Set Pulumi's \`protect\` option on the data stores (database, bucket, repositories): \`pulumi destroy\`, and any change that would
     * replace or delete one of them, fails until this is turned off and applied with \`pulumi up\`
     * (https://www.pulumi.com/docs/iac/concepts/options/protect/). Only adds protection: \`false\` leaves a \`protect\`
     * option given to the component in force. Default: \`false\` for ephemeral, \`true\` for production.
     */
    protectDataStores?: boolean;
    /**
     * Customer-managed KMS key for the ECR repositories, the Secrets Manager secrets rampart stores, the database and its
     * managed secret, the cache and App Runner. Its key policy must let those services use it. Default: AWS-managed keys.
     */
    kmsKeyArn?: pulumi.Input<string>;
    /**
     * Allow a change that ECR cannot make to an existing repository, and that therefore replaces it, deleting its
     * images: its encryption (adding, changing or removing `kmsKeyArn`). ECR fixes a repository's encryption settings
     * when it is created (https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html; the
     * provider's replace rule is cited in provider/src/servicePlatform/registry.ts). Without it such a
     * change is refused at preview and by `up` with an error naming the argument, and the repositories keep their
     * encryption.
     * Default: `false`.
     */
    allowRepositoryReplacement?: boolean;
    /**
     * Allow a change that deletes what rampart made for a service the arguments no longer keep: removing or renaming a
     * service deletes its ECR repository with every image in it (when it holds any) and, on ECS, its log group with its
     * logs; giving a service its own `image` deletes its repository. ECR deletes a repository that holds images only
     * when forced (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DeleteRepository.html). The component
     * cannot see its previous arguments, so at preview it lists this platform's repositories and log groups in the
     * account (ECR DescribeRepositories, ListImages and CloudWatch Logs DescribeLogGroups, which the deploying role
     * needs) and refuses such a change with an error naming the service, unless this is true. Nothing is refused when
     * the data would be kept anyway (`retainOnDelete`, the production default).
     * Default: `false`.
     */
    allowServiceDataDeletion?: boolean;
    /**
     * Customer-managed KMS keys (key ARNs, `arn:<partition>:kms:<region>:<account>:key/<key id>`; alias ARNs do not
     * authorize decryption) that encrypt the secrets and SecureString parameters the services reference by ARN, in
     * `secrets`, `secretArns` or `observability`. The role that reads them (the ECS task execution role, the App
     * Runner instance role) gets `kms:Decrypt` on exactly these keys; each key's policy must also allow that role
     * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html,
     * https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html). Secrets encrypted with the
     * AWS-managed key `aws/secretsmanager` need nothing here. A list, or an Output of a list (for example the `arn`
     * outputs of `aws.kms.Key` resources): values known at preview are checked then, the rest when they resolve, before
     * the policy is written. Default: none.
     */
    secretsKmsKeyArns?: pulumi.Input<pulumi.Input<string>[]>;
}
