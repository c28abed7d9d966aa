import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../shared/naming";
import { byProfile, Profile, resolveProfile } from "../shared/profile";
import { BucketAccess, Compute, CpuArchitecture, ExistingVpc, NatGateways, PlatformCi, ServicePlatformArgs, ServicePolicyStatement } from "./args";
import { planSubnets, SubnetPlan } from "./cidr";
import { cdnDomainNameProblems, ciRepositoryProblems, existingPortProblems, existingSubnetsTwoZonesRule, policyResourcesProblems, secretsKmsKeyArnsProblems } from "./validate";
import { checkedWhenResolved } from "../shared/resolvedValidation";
import { isKnown, isKnownWithItems, ValidationProblem } from "../shared/validation";

/**
 * PostgreSQL major version of a new database: RDS runs its default minor version of it and applies minor upgrades
 * (see shared/postgresVersions.ts); override with `database.engineVersion`.
 */
export const DEFAULT_POSTGRES_VERSION = "17";
export const DEFAULT_VALKEY_MAJOR_VERSION = "8";
export { POSTGRES_PORT } from "../shared/postgresVersions";
/** ElastiCache Serverless listens on 6379 (primary) and 6380 (reader endpoint). */
export const CACHE_PORTS = { from: 6379, to: 6380 } as const;
export const DEFAULT_CPU_TARGET = 70;
/** Seconds a new task may fail load balancer health checks before ECS replaces it (`healthCheckGracePeriodSeconds`). */
export const DEFAULT_HEALTH_CHECK_GRACE_SECONDS = 60;

export interface ResolvedAutoscaling {
    min: number;
    max: number;
    cpuTarget?: number;
    memoryTarget?: number;
    requestsPerTarget?: number;
}

/** One service with every default applied. */
export interface ResolvedService {
    name: string;
    /** Physical name of the ECS or App Runner service. */
    physicalName: string;
    image?: pulumi.Input<string>;
    imageTag: pulumi.Input<string>;
    /** True when rampart creates the service's ECR repository (no `image` given). */
    createsRepository: boolean;
    /**
     * Neither `image` nor `imageTag` is given: nothing may have been pushed to the created repository yet, so ECS runs
     * the service at 0 tasks and App Runner's service is not created until `imageTag` names a pushed image (see
     * `awaitingImageWarning`).
     */
    awaitingImage: boolean;
    cpu: number;
    memory: number;
    port: number;
    public: boolean;
    pathPatterns: string[];
    hostnames: string[];
    healthCheckPath: string;
    /** Tasks (or App Runner instances) running while idle, once the service has an image (ECS runs 0 while `awaitingImage`). */
    desiredCount: number;
    autoscaling?: ResolvedAutoscaling;
    environment: Record<string, pulumi.Input<string>>;
    secrets: Record<string, pulumi.Input<string>>;
    secretArns: Record<string, pulumi.Input<string>>;
    command?: string[];
    useDatabase: boolean;
    useCache: boolean;
    spot: boolean;
    egressPorts: number[];
    /** The public service that takes requests no rule matches (and `domain.name` on App Runner). */
    defaultRoute: boolean;
    readonlyRootFilesystem: boolean;
    architecture: CpuArchitecture;
    enableExecuteCommand: boolean;
    healthCheckGracePeriodSeconds: number;
    policyStatements: ServicePolicyStatement[];
    bucketAccess?: BucketAccess;
}

export interface ResolvedNetwork {
    existingVpc?: ExistingVpc;
    /** With `existingVpc`: why each subnet list needs two zones (checked again when an Output list resolves). */
    existingSubnetsTwoZones?: { publicSubnetIds?: string; privateSubnetIds?: string };
    cidrBlock: string;
    /** Availability zones; with `existingVpc`, the number of private subnets, 0 while that list is an Output (the cost estimate waits for it). */
    zoneCount: number;
    natGateways: NatGateways;
    flowLogs: boolean;
    plan?: SubnetPlan;
}

export interface ResolvedDatabase {
    engine: "postgres";
    engineVersion: string;
    /** `engineVersion` is rampart's default (the user set none). */
    engineVersionIsDefault: boolean;
    instanceClass: string;
    allocatedStorageGb: number;
    multiAz: boolean;
    backupRetentionDays: number;
    deletionProtection: boolean;
    databaseName: string;
    performanceInsights: boolean;
    backupWindow?: string;
    maintenanceWindow?: string;
    parameters?: Record<string, string>;
    /** `database.allowReplacement`. */
    allowReplacement: boolean;
}

export interface ResolvedCache {
    engine: "valkey";
    maxDataStorageGb: number;
    maxEcpuPerSecond: number;
}

export interface ResolvedCi {
    /** `ci.githubRepository`; an Output is checked when it resolves. */
    githubRepository: pulumi.Input<string>;
    /** The trusted `sub` claims (`ciSubjects`): a list, or an Output of one while the repository is known only at deployment. */
    subjects: pulumi.Input<string[]>;
    oidcProviderArn?: pulumi.Input<string>;
    createOidcProvider: boolean;
}

export interface ResolvedObservability {
    logRetentionDays: number;
    containerInsights: "enhanced" | "enabled" | "disabled";
    loadBalancerAccessLogs: boolean;
    otelEndpointSecretArn?: pulumi.Input<string>;
    otelHeadersSecretArn?: pulumi.Input<string>;
}

/** Every argument of a ServicePlatform with the profile's defaults applied; the one place defaults live. */
export interface PlatformSettings {
    name: string;
    stage: string;
    profile: Profile;
    production: boolean;
    compute: Compute;
    network: ResolvedNetwork;
    services: ResolvedService[];
    /** A load balancer exists: Fargate with at least one public service. */
    loadBalancer: boolean;
    /** `cluster.existingClusterArn`. */
    existingClusterArn?: pulumi.Input<string>;
    /** `loadBalancer`: the idle timeout (AWS's default when not given) and the web ACL to associate. */
    loadBalancerSettings: { idleTimeoutSeconds?: number; webAclArn?: pulumi.Input<string> };
    domain?: { name: string; hostedZoneId: pulumi.Input<string>; certificateArn?: pulumi.Input<string> };
    database?: ResolvedDatabase;
    cache?: ResolvedCache;
    storage?: { bucket: boolean; cdn: boolean; cdnDomain?: { name: pulumi.Input<string>; hostedZoneId: pulumi.Input<string>; certificateArn: pulumi.Input<string> } };
    ci?: ResolvedCi;
    observability: ResolvedObservability;
    retainOnDelete: boolean;
    protectDataStores: boolean;
    kmsKeyArn?: pulumi.Input<string>;
    /** `allowRepositoryReplacement`. */
    allowRepositoryReplacement: boolean;
    /** `allowServiceDataDeletion`. */
    allowServiceDataDeletion: boolean;
    /** Customer-managed keys of the secrets the services reference: a list, or an Output checked when it resolves. */
    secretsKmsKeyArns: pulumi.Input<pulumi.Input<string>[]>;
    /** `database.existing`: the stage's own database and role on a shared instance (`database` is then undefined). */
    sharedDatabase?: ResolvedSharedDatabase;
    /** `cache.existing`: a shared cache with the stage's key prefix (`cache` is then undefined). */
    sharedCache?: ResolvedSharedCache;
}

/** Image of the init container that creates a stage's database on a shared instance (ECR Public's official image). */
export const DEFAULT_DB_INIT_IMAGE = "public.ecr.aws/docker/library/postgres:17-alpine";

export interface ResolvedSharedDatabase {
    host: pulumi.Input<string>;
    /** `database.existing.port` (default 5432); an Output is checked when it resolves. */
    port: pulumi.Input<number>;
    adminSecretArn: pulumi.Input<string>;
    securityGroupId?: pulumi.Input<string>;
    initImage: pulumi.Input<string>;
    /** The stage's database and role name, `<name>_<stage>` as a PostgreSQL identifier. */
    databaseName: string;
}

export interface ResolvedSharedCache {
    host: pulumi.Input<string>;
    /** `cache.existing.port` (default 6379); an Output is checked when it resolves. */
    port: pulumi.Input<number>;
    securityGroupId?: pulumi.Input<string>;
    /** `<name>-<stage>:`. */
    keyPrefix: string;
}

/**
 * The stage's database and role name on a shared instance: `<name>_<stage>` lowercased, every character other than a
 * letter, digit or underscore as `_`, starting with a letter (`r_` put in front otherwise), at most 63 characters
 * (PostgreSQL's NAMEDATALEN - 1; a longer name gets a hash suffix so two stages never share one):
 * https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS.
 */
export function sharedDatabaseName(name: string, stage: string): string {
    let id = `${name}_${stage}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
    if (!/^[a-z]/.test(id)) id = `r_${id}`;
    if (id.length <= 63) return id;
    let hash = 0;
    for (const c of `${name}\u0000${stage}`) hash = (Math.imul(hash, 31) + c.charCodeAt(0)) >>> 0;
    return `${id.slice(0, 54)}_${hash.toString(16).padStart(8, "0")}`;
}

/**
 * An argument as given when every part of it is known at construction (validate.ts checked it then); otherwise an
 * Output that fails with the component's one error when its resolved value has problems (the same pure problem
 * function). A list known at construction whose elements are Outputs counts as not known.
 */
export function checkedArgument<T>(resourceName: string, value: pulumi.Input<T>, problems: (resolved: pulumi.Unwrap<T>) => ValidationProblem[]): pulumi.Input<T> | pulumi.Output<pulumi.Unwrap<T>> {
    if (isKnownWithItems(value)) return value;
    return checkedWhenResolved("ServicePlatform", resourceName, pulumi.output(value) as pulumi.Output<T>, problems);
}

/** The `sub` claims the CI role trusts: the exact subjects, or one per branch. */
export function ciSubjects(ci: Omit<PlatformCi, "githubRepository"> & { githubRepository: string }): string[] {
    if (ci.subjects?.length) return [...ci.subjects];
    const branches = ci.branches?.length ? ci.branches : ["main"];
    return branches.map((b) => `repo:${ci.githubRepository}:ref:refs/heads/${b}`);
}

/**
 * Resolves the arguments (already validated) into settings with every default applied. Creates no resources; the
 * composable arguments known only at deployment come back as Outputs checked when they resolve (`checkedArgument`).
 */
export function resolveSettings(name: string, args: ServicePlatformArgs): PlatformSettings {
    const profile = resolveProfile(args.profile);
    const production = profile === Profile.Production;
    const compute = args.compute ?? Compute.Fargate;
    const pick = <T>(given: T | undefined, ephemeral: T, prod: T) => byProfile(profile, given, { ephemeral, production: prod });

    const net = args.network ?? {};
    const cidrBlock = net.cidrBlock ?? "10.0.0.0/16";
    const zoneCount = net.availabilityZoneCount ?? 2;
    const network: ResolvedNetwork = {
        existingVpc: net.existingVpc,
        existingSubnetsTwoZones: net.existingVpc
            ? { publicSubnetIds: existingSubnetsTwoZonesRule(args, "publicSubnetIds"), privateSubnetIds: existingSubnetsTwoZonesRule(args, "privateSubnetIds") }
            : undefined,
        cidrBlock,
        zoneCount: net.existingVpc ? (Array.isArray(net.existingVpc.privateSubnetIds) ? net.existingVpc.privateSubnetIds.length : 0) : zoneCount,
        natGateways: pick(net.natGateways, NatGateways.Instance, NatGateways.OnePerAz),
        flowLogs: pick(net.flowLogs, false, true),
        plan: net.existingVpc ? undefined : planSubnets(cidrBlock, zoneCount),
    };

    const firstUnrouted = args.services.find((s) => s.public && !s.pathPatterns?.length && !s.hostnames?.length)?.name;
    const services = args.services.map((s, i): ResolvedService => {
        const autoscaling = s.autoscaling
            ? {
                  min: s.autoscaling.min,
                  max: s.autoscaling.max,
                  cpuTarget:
                      compute === Compute.Fargate
                          ? s.autoscaling.cpuTarget ?? DEFAULT_CPU_TARGET
                          : // Express Mode tracks one metric: CPU unless the service names memory or requests (validate.ts).
                            compute === Compute.ExpressMode && s.autoscaling.memoryTarget === undefined && s.autoscaling.requestsPerTarget === undefined
                            ? s.autoscaling.cpuTarget ?? DEFAULT_CPU_TARGET
                            : undefined,
                  memoryTarget: s.autoscaling.memoryTarget,
                  requestsPerTarget: s.autoscaling.requestsPerTarget,
              }
            : undefined;
        return {
            name: s.name,
            physicalName: servicePhysicalName(compute, name, args.stage, s.name),
            image: s.image,
            imageTag: s.imageTag ?? "latest",
            createsRepository: s.image === undefined,
            awaitingImage: s.image === undefined && s.imageTag === undefined,
            cpu: s.cpu ?? 256,
            memory: s.memory ?? 512,
            port: s.port ?? 8080,
            public: s.public ?? false,
            pathPatterns: s.pathPatterns ?? [],
            hostnames: s.hostnames ?? [],
            healthCheckPath: s.healthCheckPath ?? "/health",
            desiredCount: autoscaling ? autoscaling.min : s.desiredCount ?? 1,
            autoscaling,
            environment: { ...(s.environment ?? {}) },
            secrets: { ...(s.secrets ?? {}) },
            secretArns: { ...(s.secretArns ?? {}) },
            command: s.command,
            useDatabase: s.useDatabase ?? false,
            useCache: s.useCache ?? false,
            // Fargate Spot runs x86_64 tasks only, so ARM64 services default to on-demand (validation refuses spot: true).
            spot: compute === Compute.Fargate && (s.architecture === CpuArchitecture.ARM64 ? s.spot ?? false : pick(s.spot, true, false)),
            egressPorts: s.egressPorts ?? [443],
            defaultRoute: s.name === firstUnrouted,
            readonlyRootFilesystem: s.readonlyRootFilesystem ?? true,
            architecture: s.architecture ?? CpuArchitecture.X86_64,
            enableExecuteCommand: s.enableExecuteCommand ?? false,
            healthCheckGracePeriodSeconds: s.healthCheckGracePeriodSeconds ?? DEFAULT_HEALTH_CHECK_GRACE_SECONDS,
            policyStatements: (s.policyStatements ?? []).map((st, j) => ({
                actions: [...st.actions],
                resources: checkedArgument(name, st.resources, (resources) => policyResourcesProblems(`services[${i}].policyStatements[${j}].resources`, resources)) as ServicePolicyStatement["resources"],
            })),
            bucketAccess: s.bucketAccess,
        };
    });

    const db = args.database;
    const obs = args.observability ?? {};
    return {
        name,
        stage: args.stage,
        profile,
        production,
        compute,
        network,
        services,
        loadBalancer: compute === Compute.Fargate && services.some((s) => s.public),
        existingClusterArn: args.cluster?.existingClusterArn,
        loadBalancerSettings: { idleTimeoutSeconds: args.loadBalancer?.idleTimeoutSeconds, webAclArn: args.loadBalancer?.webAclArn },
        domain: args.domain ? { name: args.domain.name, hostedZoneId: args.domain.hostedZoneId, certificateArn: args.domain.certificateArn } : undefined,
        database: db && !db.existing
            ? {
                  engine: "postgres",
                  engineVersion: db.engineVersion ?? DEFAULT_POSTGRES_VERSION,
                  engineVersionIsDefault: db.engineVersion === undefined,
                  instanceClass: db.instanceClass ?? "db.t4g.micro",
                  allocatedStorageGb: db.allocatedStorageGb ?? 20,
                  multiAz: pick(db.multiAz, false, true),
                  backupRetentionDays: pick(db.backupRetentionDays, 1, 14),
                  deletionProtection: pick(db.deletionProtection, false, true),
                  databaseName: db.databaseName ?? "app",
                  performanceInsights: db.performanceInsights ?? false,
                  backupWindow: db.backupWindow,
                  maintenanceWindow: db.maintenanceWindow,
                  parameters: db.parameters ? { ...db.parameters } : undefined,
                  allowReplacement: db.allowReplacement ?? false,
              }
            : undefined,
        cache: args.cache && !args.cache.existing
            ? { engine: "valkey", maxDataStorageGb: args.cache.maxDataStorageGb ?? 1, maxEcpuPerSecond: args.cache.maxEcpuPerSecond ?? 5000 }
            : undefined,
        storage: args.storage
            ? {
                  bucket: args.storage.bucket ?? true,
                  cdn: args.storage.cdn ?? false,
                  cdnDomain: args.storage.cdnDomain
                      ? {
                            name: checkedArgument(name, args.storage.cdnDomain.name, cdnDomainNameProblems) as pulumi.Input<string>,
                            hostedZoneId: args.storage.cdnDomain.hostedZoneId,
                            certificateArn: args.storage.cdnDomain.certificateArn,
                        }
                      : undefined,
              }
            : undefined,
        ci: args.ci ? resolveCi(name, args.ci) : undefined,
        observability: {
            logRetentionDays: pick(obs.logRetentionDays, 7, 90),
            containerInsights: obs.containerInsights === false ? "disabled" : production ? "enhanced" : "enabled",
            loadBalancerAccessLogs: pick(obs.loadBalancerAccessLogs, false, true),
            otelEndpointSecretArn: obs.otelEndpointSecretArn,
            otelHeadersSecretArn: obs.otelHeadersSecretArn,
        },
        retainOnDelete: pick(args.retainOnDelete, false, true),
        protectDataStores: pick(args.protectDataStores, false, true),
        kmsKeyArn: args.kmsKeyArn,
        allowRepositoryReplacement: args.allowRepositoryReplacement ?? false,
        allowServiceDataDeletion: args.allowServiceDataDeletion ?? false,
        secretsKmsKeyArns: checkedArgument(name, args.secretsKmsKeyArns ?? [], secretsKmsKeyArnsProblems) as pulumi.Input<pulumi.Input<string>[]>,
        sharedDatabase: db?.existing
            ? {
                  host: db.existing.host,
                  port: checkedArgument(name, db.existing.port ?? 5432, (port) => existingPortProblems("database.existing.port", port)) as pulumi.Input<number>,
                  adminSecretArn: db.existing.adminSecretArn,
                  securityGroupId: db.existing.securityGroupId,
                  initImage: db.existing.initImage ?? DEFAULT_DB_INIT_IMAGE,
                  databaseName: sharedDatabaseName(name, args.stage),
              }
            : undefined,
        sharedCache: args.cache?.existing
            ? {
                  host: args.cache.existing.host,
                  port: checkedArgument(name, args.cache.existing.port ?? 6379, (port) => existingPortProblems("cache.existing.port", port)) as pulumi.Input<number>,
                  securityGroupId: args.cache.existing.securityGroupId, keyPrefix: `${name}-${args.stage}:` }
            : undefined,
    };
}

/** `ci` with its subjects; a repository known only at deployment is checked, with the subjects against it, when it resolves. */
function resolveCi(name: string, ci: PlatformCi): ResolvedCi {
    const common = { oidcProviderArn: ci.oidcProviderArn, createOidcProvider: ci.createOidcProvider ?? false };
    if (isKnown(ci.githubRepository)) return { githubRepository: ci.githubRepository, subjects: ciSubjects({ ...ci, githubRepository: ci.githubRepository }), ...common };
    const repository = checkedWhenResolved("ServicePlatform", name, ci.githubRepository, (resolved) => ciRepositoryProblems(resolved, ci.subjects));
    return { githubRepository: repository, subjects: repository.apply((resolved) => ciSubjects({ ...ci, githubRepository: resolved })), ...common };
}

/**
 * Physical service name. ECS service names are unique per cluster, so `<service>-<stage>` is enough; App Runner
 * names are unique per account and region, so they carry the platform name too.
 */
export function servicePhysicalName(compute: Compute, platform: string, stage: string, service: string): string {
    return compute === Compute.AppRunner
        ? physicalName("appRunnerService", { prefix: platform, stage, suffix: service })
        : physicalName("ecsService", { prefix: service, stage });
}

/** Whether the services run as ECS services on Fargate: `fargate`, and `expressMode`, whose services are ECS services too. */
export function runsOnEcs(compute: Compute | undefined): boolean {
    return (compute ?? Compute.Fargate) !== Compute.AppRunner;
}
