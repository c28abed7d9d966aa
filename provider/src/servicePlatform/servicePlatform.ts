import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { deploymentRefusal, keepMessage, ReplacementGuard } from "../shared/replacementGuard";
import { isKnown } from "../shared/validation";
import { ComponentScope } from "../shared/scope";
import { Compute, ServicePlatformArgs } from "./args";
import { createAppRunner } from "./appRunner";
import { createCache } from "./cache";
import { createCi } from "./ci";
import { estimateMonthlyCost, interfaceEndpointServices } from "./cost";
import { createDatabase, createDatabaseRotation } from "./database";
import { createEcs } from "./ecs";
import { createExpressMode } from "./expressMode";
import { awsEnvironment } from "../shared/environment";
import { createLoadBalancer } from "./loadBalancer";
import { createNetwork } from "./network";
import { awaitingImageWarning, createRegistry } from "./registry";
import { findLeftBehind, leftBehindProblems, lookupFailure } from "./removedServices";
import { createSecrets, referencesSsmParameters, storedSecretCount } from "./secrets";
import { createServiceSecurityGroups } from "./securityGroups";
import { resolveSettings } from "./settings";
import { createSharedCache, createSharedDatabase, findOwnDatabase, leftBehindDatabaseProblems } from "./sharedData";
import { createStorage } from "./storage";
import { regionBoundArns, regionProblems, validateServicePlatformArgs } from "./validate";

export const SERVICE_PLATFORM_TYPE = "rampart:index:ServicePlatform";

/**
 * A secure-by-default container platform on AWS: network, ECS Fargate or App Runner services behind
 * a TLS load balancer, image registry, PostgreSQL, Valkey cache, bucket and CDN, secrets and a CI
 * push role, with ephemeral and production profiles.
 */
export class ServicePlatform extends pulumi.ComponentResource {
    /** Base URL of the platform: `https://<domain>` with a domain, otherwise `http://<load balancer DNS name>` (App Runner: the service's `https://` URL). Present when a service is `public` (on App Runner, once it has an image). */
    public readonly url?: pulumi.Output<string>;
    /** DNS name of the Application Load Balancer. Present when a Fargate service is `public`. */
    public readonly loadBalancerDnsName?: pulumi.Output<string>;
    /** Id of the VPC the platform runs in. */
    public readonly vpcId!: pulumi.Output<string>;
    /** Public subnet ids, one per availability zone. */
    public readonly publicSubnetIds!: pulumi.Output<string[]>;
    /** Private subnet ids, one per availability zone. */
    public readonly privateSubnetIds!: pulumi.Output<string[]>;
    /** Name of the ECS cluster. Present with `compute: fargate` (the default) and `compute: expressMode`. */
    public readonly clusterName?: pulumi.Output<string>;
    /** Physical service names, by service name. */
    public readonly serviceNames!: pulumi.Output<{ [name: string]: string }>;
    /** ECR repository URLs of the services that gave no image, by service name. Present when a service has no `image`. */
    public readonly repositoryUrls?: pulumi.Output<{ [name: string]: string }>;
    /** Database endpoint as host:port (with `database.existing`, the shared instance's). Present with `database`. */
    public readonly databaseEndpoint?: pulumi.Output<string>;
    /** ARN of the Secrets Manager secret RDS manages for the master user; with `database.existing`, of the stage's own login secret. Present with `database`. */
    public readonly databaseSecretArn?: pulumi.Output<string>;
    /** Cache endpoint as host:port (TLS; with `cache.existing`, the shared cache's). Present with `cache`. */
    public readonly cacheEndpoint?: pulumi.Output<string>;
    /** Name of the storage bucket. Present with `storage.bucket`. */
    public readonly bucketName?: pulumi.Output<string>;
    /** `https://` base URL of the CDN in front of the bucket. Present with `storage.cdn`. */
    public readonly cdnBaseUrl?: pulumi.Output<string>;
    /** ARN of the role GitHub Actions assumes to push images. Present with `ci`. */
    public readonly ciRoleArn?: pulumi.Output<string>;
    /**
     * ARN of each service's own role, by service name: the ECS task role (Fargate, Express Mode) or the App Runner instance role,
     * which carries `policyStatements`, `bucketAccess` and the database secret read. Use it in resource policies
     * (an SQS queue's, a KMS key's) that must name the service.
     */
    public readonly taskRoleArns!: pulumi.Output<{ [name: string]: string }>;
    /**
     * `https://` URL of each private service (`public: false`), by service name: the domain name of its App Runner VPC
     * ingress connection, reachable only from inside the VPC through the platform's `apprunner.requests` interface endpoint
     * (https://docs.aws.amazon.com/apprunner/latest/dg/network-pl.html). Present with compute appRunner and private services.
     */
    public readonly privateServiceUrls?: pulumi.Output<{ [name: string]: string }>;
    /** List-price estimate in USD of what this configuration costs per month while idle (us-east-1). */
    public readonly estimatedMonthlyCostUsd!: pulumi.Output<number>;

    /**
     * Checks arguments as the constructor does, creating nothing: throws one ComponentValidationError listing every
     * problem with the values known now. The plugin calls it to report the component's problems together with
     * type errors from Python, Go and YAML.
     */
    static validateArguments(name: string, args: ServicePlatformArgs): void {
        validateServicePlatformArgs(name, args);
    }

    constructor(name: string, args: ServicePlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        validateServicePlatformArgs(name, args);
        super(SERVICE_PLATFORM_TYPE, name, {}, opts);

        const settings = resolveSettings(name, args);
        const scope = new ComponentScope(this, name, {
            stage: settings.stage,
            profile: settings.profile,
            userTags: args.tags,
            retainOnDelete: settings.retainOnDelete,
            protectDataStores: settings.protectDataStores,
        });
        const env = awsEnvironment(scope);
        // Checks that need the account or the provider's Region; every child waits for them (one gate).
        const checks: Promise<void>[] = [];
        // Adopted ARNs of another Region than the provider's, known at preview (validate.ts regionProblems).
        if (regionBoundArns(args).length) {
            checks.push(
                aws.getRegion({}, { parent: this }).then((r) => {
                    const problems = regionProblems(args, r.region ?? r.name);
                    if (problems.length) throw deploymentRefusal("ServicePlatform", name, problems);
                }),
            );
        }
        // Switching to a shared database must not delete the stage's own instance unasked (sharedData.ts).
        if (settings.sharedDatabase && args.database?.allowReplacement !== true) {
            checks.push(
                findOwnDatabase(scope).then((found) => {
                    const problems = leftBehindDatabaseProblems(scope.physical("rdsIdentifier"), found, args.database?.existing?.host);
                    if (problems.length) throw deploymentRefusal("ServicePlatform", name, problems);
                }),
            );
        }
        // Removing, renaming or re-imaging a service must not delete its images and logs unasked (removedServices.ts).
        if (!settings.allowServiceDataDeletion && !settings.retainOnDelete && !opts?.retainOnDelete) {
            checks.push(
                findLeftBehind(scope, settings).then(
                    (found) => {
                        const problems = leftBehindProblems(scope, settings, found);
                        if (problems.length) throw deploymentRefusal("ServicePlatform", name, problems);
                    },
                    (error: unknown) => {
                        throw keepMessage(lookupFailure(name, error));
                    },
                ),
            );
        }
        if (checks.length) scope.gateChildren(Promise.all(checks).then(() => undefined));
        const referencesSsm = referencesSsmParameters(settings);
        const waiting = awaitingImageWarning(name, settings.compute, settings.services);
        if (waiting) pulumi.log.warn(waiting, this);

        const network = createNetwork(scope, settings, env, { interfaceEndpoints: interfaceEndpointServices(settings, referencesSsm) });
        const serviceGroups = createServiceSecurityGroups(scope, settings, network.vpcId);
        const loadBalancer = settings.loadBalancer ? createLoadBalancer(scope, settings, network, serviceGroups, env) : undefined;
        // The stateful resources whose replace-forcing properties are fixed once they exist (shared/replacementGuard.ts).
        const guard = new ReplacementGuard("ServicePlatform", name);
        const registry = createRegistry(scope, settings, guard);
        const database = settings.database ? createDatabase(scope, settings, settings.database, network, serviceGroups, guard) : undefined;
        // Everything else receives the key through the guard, so a refused change registers none of it.
        const guarded = settings.kmsKeyArn === undefined ? settings : { ...settings, kmsKeyArn: guard.release(settings.kmsKeyArn) };
        const cache = settings.cache ? createCache(scope, guarded, settings.cache, network, serviceGroups) : undefined;
        // database.existing / cache.existing: the stage's own database, role and key prefix on stores other stacks own.
        const sharedDatabase = settings.sharedDatabase ? createSharedDatabase(scope, guarded, settings.sharedDatabase, network, serviceGroups) : undefined;
        const sharedCache = settings.sharedCache ? createSharedCache(scope, guarded, settings.sharedCache, network, serviceGroups) : undefined;
        const storage = settings.storage?.bucket ? createStorage(scope, guarded, env) : undefined;
        const secrets = createSecrets(scope, guarded);

        let appRunnerUrl: pulumi.Output<string> | undefined;
        if (settings.compute === Compute.Fargate) {
            const ecs = createEcs(scope, guarded, {
                network,
                serviceGroups,
                loadBalancer,
                registry,
                database: database ?? sharedDatabase,
                cache: cache ?? sharedCache,
                secrets,
                env,
                bucketArn: storage?.bucket.arn,
            });
            this.clusterName = ecs.cluster.name;
            createDatabaseRotation(
                scope,
                settings,
                database,
                {
                    ecsServices: new Map([...ecs.services].map(([service, r]) => [service, { cluster: ecs.cluster.arn, serviceName: r.service.name, serviceArn: r.service.arn }])),
                    appRunnerServiceArns: new Map(),
                },
                env,
            );
            this.serviceNames = pulumi.all(Object.fromEntries([...ecs.services].map(([service, r]) => [service, r.service.name])));
            this.taskRoleArns = pulumi.all(Object.fromEntries([...ecs.services].map(([service, r]) => [service, r.taskRole.arn])));
        } else if (settings.compute === Compute.ExpressMode) {
            const express = createExpressMode(scope, guarded, { network, serviceGroups, registry, database, cache, secrets, env, bucketArn: storage?.bucket.arn });
            this.clusterName = express.cluster.name;
            createDatabaseRotation(
                scope,
                settings,
                database,
                {
                    // An Express Mode service is an ECS service: UpdateService with forceNewDeployment starts new tasks.
                    ecsServices: new Map(
                        [...express.services].flatMap(([service, r]) => (r.service ? [[service, { cluster: express.cluster.arn, serviceName: r.service.serviceName, serviceArn: r.service.serviceArn }] as const] : [])),
                    ),
                    appRunnerServiceArns: new Map(),
                },
                env,
            );
            this.serviceNames = pulumi.all(Object.fromEntries([...express.services].flatMap(([service, r]) => (r.service ? [[service, r.service.serviceName]] : []))));
            this.taskRoleArns = pulumi.all(Object.fromEntries([...express.services].map(([service, r]) => [service, r.taskRole.arn])));
        } else {
            const appRunner = createAppRunner(scope, guarded, { network, serviceGroups, registry, database, cache: cache ?? sharedCache, secrets, env, bucketArn: storage?.bucket.arn });
            appRunnerUrl = appRunner.url;
            this.privateServiceUrls = appRunner.privateServiceUrls;
            createDatabaseRotation(
                scope,
                settings,
                database,
                { ecsServices: new Map(), appRunnerServiceArns: new Map([...appRunner.services].map(([service, r]) => [service, r.service.arn])) },
                env,
            );
            this.serviceNames = pulumi.all(Object.fromEntries([...appRunner.services].map(([service, r]) => [service, r.service.serviceName])));
            this.taskRoleArns = pulumi.all(Object.fromEntries([...appRunner.services].map(([service, r]) => [service, r.instanceRole.arn])));
        }
        // The component's outputs carry the check too, so a refused environment fails the deployment in every language.
        this.serviceNames = pulumi.all([secrets.environmentCheck, this.serviceNames]).apply(([, names]) => names);
        const ci = settings.ci ? createCi(scope, guarded, settings.ci, registry) : undefined;
        const cost = estimateMonthlyCost(settings, { storedSecretCount: storedSecretCount(settings.services), referencesSsm });

        this.url = loadBalancer?.url ?? appRunnerUrl;
        this.loadBalancerDnsName = loadBalancer?.loadBalancer.dnsName;
        this.vpcId = network.vpcId;
        this.publicSubnetIds = network.publicSubnetIds;
        this.privateSubnetIds = network.privateSubnetIds;
        this.repositoryUrls = registry.repositories.size
            ? guard.release(pulumi.all(Object.fromEntries([...registry.repositories].map(([service, repo]) => [service, repo.repositoryUrl]))))
            : undefined;
        this.databaseEndpoint = (database ?? sharedDatabase)?.endpoint;
        this.databaseSecretArn = (database ?? sharedDatabase)?.secretArn;
        this.cacheEndpoint = (cache ?? sharedCache)?.endpoint;
        this.bucketName = storage?.bucket.bucket;
        this.cdnBaseUrl = storage?.cdnBaseUrl;
        this.ciRoleArn = ci?.role.arn;
        // With an existing VPC whose private subnet list is an Output, the zone count (load balancer addresses,
        // endpoints) is known only when it resolves: the estimate waits for it (a pure function, no resources).
        const existingPrivate = settings.network.existingVpc?.privateSubnetIds;
        this.estimatedMonthlyCostUsd =
            existingPrivate !== undefined && !isKnown(existingPrivate)
                ? network.privateSubnetIds.apply(
                      (ids) => estimateMonthlyCost({ ...settings, network: { ...settings.network, zoneCount: ids.length } }, { storedSecretCount: storedSecretCount(settings.services), referencesSsm }).totalUsd,
                  )
                : pulumi.output(cost.totalUsd);

        this.registerOutputs(
            Object.fromEntries(
                Object.entries({
                    url: this.url,
                    loadBalancerDnsName: this.loadBalancerDnsName,
                    vpcId: this.vpcId,
                    publicSubnetIds: this.publicSubnetIds,
                    privateSubnetIds: this.privateSubnetIds,
                    clusterName: this.clusterName,
                    serviceNames: this.serviceNames,
                    taskRoleArns: this.taskRoleArns,
                    repositoryUrls: this.repositoryUrls,
                    databaseEndpoint: this.databaseEndpoint,
                    databaseSecretArn: this.databaseSecretArn,
                    cacheEndpoint: this.cacheEndpoint,
                    bucketName: this.bucketName,
                    cdnBaseUrl: this.cdnBaseUrl,
                    ciRoleArn: this.ciRoleArn,
                    estimatedMonthlyCostUsd: this.estimatedMonthlyCostUsd,
                    privateServiceUrls: this.privateServiceUrls,
                }).filter(([, v]) => v !== undefined),
            ),
        );
    }
}
