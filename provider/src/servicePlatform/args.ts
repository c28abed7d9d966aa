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
    /** AWS App Runner, reaching private resources through a VPC connector. */
    AppRunner = "appRunner",
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
    /** Actions as `service:Action`, for example `sqs:SendMessage`; no wildcards (name each action). */
    actions: string[];
    /** Resource ARNs, for example `arn:aws:sqs:us-east-1:123456789012:jobs`; never `*`. */
    resources: pulumi.Input<string>[];
}

/** Database engines rampart supports (the schema carries a string: Pulumi's analyzer has no one-member enums). */
export const DATABASE_ENGINES = ["postgres"] as const;

/** Cache engines rampart supports. */
export const CACHE_ENGINES = ["valkey"] as const;

/** A VPC that already exists; rampart then creates no network of its own. */
export interface ExistingVpc {
    /** The VPC id, for example `vpc-0abc...`. */
    vpcId: pulumi.Input<string>;
    /** Subnets for the load balancer (one per availability zone, routed to an internet gateway). */
    publicSubnetIds: pulumi.Input<string>[];
    /** Subnets for tasks, the database and the cache (no public IPs, routed through NAT or endpoints). */
    privateSubnetIds: pulumi.Input<string>[];
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
    /** Use an existing VPC instead of creating one; `cidrBlock`, `availabilityZoneCount` and `natGateways` are then ignored. */
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
    /** Path patterns routed to this service, for example `["/api/*"]`; needed when several services are public. */
    pathPatterns?: string[];
    /** Host names routed to this service; each must be `domain.name` or a subdomain of it. */
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
     */
    environment?: { [name: string]: pulumi.Input<string> };
    /**
     * Secret environment variables: each value is either a Secrets Manager secret ARN or SSM parameter ARN that the
     * task reads at start, or a secret value that rampart stores in Secrets Manager. Values never appear in the task
     * definition.
     */
    secrets?: { [name: string]: pulumi.Input<string> };
    /**
     * Secret environment variables read from existing Secrets Manager secrets or SSM parameters, by ARN. Use this for
     * ARNs that are outputs of other resources (a value in `secrets` that is only known at deployment is stored as a value).
     */
    secretArns?: { [name: string]: pulumi.Input<string> };
    /** Overrides the image's command. */
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
     * @default true
     */
    readonlyRootFilesystem?: boolean;
    /**
     * CPU architecture of the service's tasks: the image must be built for it. `ARM64` (Graviton) is priced lower in the
     * estimate and has no Fargate Spot, so `spot` defaults to `false` with it and `spot: true` is refused
     * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html). Fargate only.
     * @default "X86_64"
     */
    architecture?: CpuArchitecture;
    /**
     * ECS Exec (`aws ecs execute-command`) into the service's containers: the task role gets the four
     * `ssmmessages` channel actions (AWS grants them only on `*`), no-NAT networks get the `ssmmessages` interface
     * endpoint, and the root filesystem must be writable (`readonlyRootFilesystem: false`)
     * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html). Fargate only.
     * @default false
     */
    enableExecuteCommand?: boolean;
    /**
     * Seconds a new task of a public service may fail load balancer health checks before ECS replaces it, 0-2147483647
     * (`healthCheckGracePeriodSeconds`, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html).
     * Only for public Fargate services (the ones behind the load balancer).
     * @default 60
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
    /** Domain name, for example `api.example.com`. */
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
     * @default "17"
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
     * @example "03:00-03:30"
     */
    backupWindow?: string;
    /**
     * Weekly UTC window for maintenance (minor upgrades, patches), `ddd:hh24:mi-ddd:hh24:mi`, 30 minutes to 24 hours
     * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Maintenance.html). Changed in
     * place. Default: a 30-minute window RDS picks.
     * @example "sun:04:00-sun:04:30"
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
     * @example { "log_min_duration_statement": "1000", "rds.force_ssl": "1" }
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
     * @default false
     */
    allowReplacement?: boolean;
}

/** A serverless cache. */
export interface PlatformCache {
    /** Cache engine; only `valkey` today. Default: `valkey`. */
    engine?: string;
    /** Upper bound of stored data in GB. Default: `1`. */
    maxDataStorageGb?: number;
    /** Upper bound of ElastiCache Processing Units per second. Default: `5000`. */
    maxEcpuPerSecond?: number;
}

/** A custom domain for the CDN, served with an ACM certificate and TLS 1.2 or later. */
export interface PlatformCdnDomain {
    /** Domain name viewers use, for example `cdn.example.com`; the certificate must cover it. */
    name: string;
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
    /** Repository as `org/repo`. */
    githubRepository: string;
    /** Branches allowed to push. Default: `["main"]` when `subjects` is not given. */
    branches?: string[];
    /** Exact OIDC `sub` values allowed instead of `branches`, each of `githubRepository` (`repo:<githubRepository>:<context>`, for example `repo:org/app:environment:production`); no wildcards. Default: one subject per branch. */
    subjects?: string[];
    /**
     * The GitHub OIDC provider the CI role trusts (`arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com`).
     * IAM keeps one provider per issuer URL per account
     * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html), so stages share it.
     * @default the account's provider for `https://token.actions.githubusercontent.com`, looked up at preview; if the account
     * has none (or it lacks the client id `sts.amazonaws.com`) the deployment fails naming this argument and `createOidcProvider`.
     */
    oidcProviderArn?: pulumi.Input<string>;
    /**
     * Create the account's GitHub OIDC provider in this stack. Set it in ONE long-lived stack per account (an account bootstrap or
     * the production stage): a second provider for the same URL fails with `EntityAlreadyExists`, and every stage that looks the
     * provider up loses CI access when the stack that created it is destroyed. Not allowed together with `oidcProviderArn`.
     * @default false
     */
    createOidcProvider?: boolean;
}

/** Settings of the Application Load Balancer (Fargate with a `public` service). */
export interface PlatformLoadBalancer {
    /**
     * Seconds a connection may stay idle before the load balancer closes it, 1-4000; changed in place
     * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout).
     * Default: `60` (AWS's default).
     * @default 60
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
    /** Secrets Manager or SSM ARN holding the OpenTelemetry endpoint, injected as `OTEL_EXPORTER_OTLP_ENDPOINT`. */
    otelEndpointSecretArn?: pulumi.Input<string>;
    /** Secrets Manager or SSM ARN holding the OpenTelemetry headers, injected as `OTEL_EXPORTER_OTLP_HEADERS`. */
    otelHeadersSecretArn?: pulumi.Input<string>;
}

/** Arguments of ServicePlatform. */
export interface ServicePlatformArgs {
    /** Stage name: lowercase letters, digits and single hyphens, starting and ending with a letter or digit, 1-32 characters, for example `pr-123` or `prod`. */
    stage: string;
    /** Ephemeral or production defaults. Default: `ephemeral`. */
    profile?: Profile;
    /** Tags added to every taggable resource; they win over rampart's standard tags. */
    tags?: { [key: string]: string };
    /** The network. Default: a new VPC `10.0.0.0/16` over two zones. */
    network?: PlatformNetwork;
    /** Where containers run. Default: `fargate`. */
    compute?: Compute;
    /** The ECS cluster (Fargate): rampart's own, or an existing one. Default: a new cluster. */
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
    /** Logs, metrics and traces. */
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
     * @default false
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
     * @default false
     */
    allowServiceDataDeletion?: boolean;
    /**
     * Customer-managed KMS keys (key ARNs, `arn:<partition>:kms:<region>:<account>:key/<key id>`; alias ARNs do not
     * authorize decryption) that encrypt the secrets and SecureString parameters the services reference by ARN, in
     * `secrets`, `secretArns` or `observability`. The role that reads them (the ECS task execution role, the App
     * Runner instance role) gets `kms:Decrypt` on exactly these keys; each key's policy must also allow that role
     * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html,
     * https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html). Secrets encrypted with the
     * AWS-managed key `aws/secretsmanager` need nothing here. Default: none.
     */
    secretsKmsKeyArns?: pulumi.Input<string>[];
}
