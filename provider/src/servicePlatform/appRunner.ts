import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, serviceTrustPolicy } from "../shared/iam";
import { ComponentScope } from "../shared/scope";
import { AwsEnvironment } from "../shared/environment";
import { iamRoleName } from "./naming";
import { PlatformNetworkResult } from "./network";
import { allowFromCidr, allowToGroup, createSecurityGroup } from "./securityGroups";
import { appRunnerAccessPolicy, ecrRepositoryArnOfImage, isEcrPublicImage, secretReadStatements, serviceRoleStatements } from "./policies";
import { RegistryResult, serviceImage } from "./registry";
import { EnvironmentSources, serviceEnvironment } from "./serviceEnvironment";
import { PlatformSettings, ResolvedService } from "./settings";

/** Concurrent requests per instance App Runner scales on when `autoscaling.requestsPerTarget` is not given. */
export const DEFAULT_MAX_CONCURRENCY = 100;

export interface AppRunnerServiceResources {
    service: aws.apprunner.Service;
    connector: aws.apprunner.VpcConnector;
    instanceRole: aws.iam.Role;
    accessRole?: aws.iam.Role;
    autoscaling: aws.apprunner.AutoScalingConfigurationVersion;
    /** The VPC ingress connection of a private service (`public: false`). */
    ingressConnection?: aws.apprunner.VpcIngressConnection;
}

export interface AppRunnerResult {
    services: Map<string, AppRunnerServiceResources>;
    url?: pulumi.Output<string>;
    /** `https://<domain name of the VPC ingress connection>` of each private service, by service name. Present with private services. */
    privateServiceUrls?: pulumi.Output<{ [name: string]: string }>;
}

/**
 * The private App Runner services that get a VPC ingress connection (pure): `public: false`, and running (a service
 * waiting for its first image is created later, see registry.ts awaitingImageWarning).
 */
export function privateAppRunnerServices<T extends Pick<ResolvedService, "public" | "awaitingImage">>(services: T[]): T[] {
    return services.filter((s) => !s.public && !s.awaitingImage);
}

/**
 * The interface endpoint App Runner's private services are reached through (AWS PrivateLink,
 * https://docs.aws.amazon.com/apprunner/latest/dg/network-pl.html). App Runner resolves each VPC ingress connection's
 * own domain name to this endpoint, so the endpoint's private DNS is off: the service name
 * `com.amazonaws.<region>.apprunner.requests` has no private DNS name of its own to take over (AWS CDK creates it
 * with `privateDnsEnabled: false` for the same reason,
 * https://docs.aws.amazon.com/cdk/api/v2/docs/@aws-cdk_aws-apprunner-alpha.VpcIngressConnectionProps.html).
 */
export const APP_RUNNER_REQUESTS_ENDPOINT = { service: "apprunner.requests", privateDnsEnabled: false } as const;

/** A private service's URL from its VPC ingress connection's domain name (pure). */
export const privateServiceUrl = (domainName: string) => `https://${domainName}`;

/**
 * App Runner allows 10 auto-scaling configuration names per Region and account, and 5 revisions per name
 * (https://docs.aws.amazon.com/general/latest/gr/apprunner.html,
 * https://docs.aws.amazon.com/apprunner/latest/dg/manage-autoscaling.html): a platform uses one name, with one
 * revision per distinct scaling setting its services ask for, so per-PR stages do not run out of names.
 */
export const MAX_AUTO_SCALING_REVISIONS_PER_NAME = 5;

/** The scaling a service asks App Runner for (pure): instances kept (at least 1), at most, and concurrent requests per instance. */
export function appRunnerScaling(s: Pick<ResolvedService, "autoscaling" | "desiredCount">): { minSize: number; maxSize: number; maxConcurrency: number } {
    const min = Math.max(1, s.autoscaling?.min ?? s.desiredCount);
    return { minSize: min, maxSize: Math.max(min, s.autoscaling?.max ?? min), maxConcurrency: s.autoscaling?.requestsPerTarget ?? DEFAULT_MAX_CONCURRENCY };
}

/** The logical-name key of one scaling setting: `<min>-<max>-<concurrency>`. */
export const autoScalingKey = (c: { minSize: number; maxSize: number; maxConcurrency: number }) => `${c.minSize}-${c.maxSize}-${c.maxConcurrency}`;

/** The distinct scaling settings of the services (pure), in the services' order: one configuration revision each. */
export function distinctScalings(services: Pick<ResolvedService, "autoscaling" | "desiredCount">[]): { key: string; minSize: number; maxSize: number; maxConcurrency: number }[] {
    const byKey = new Map<string, { key: string; minSize: number; maxSize: number; maxConcurrency: number }>();
    for (const s of services) {
        const c = appRunnerScaling(s);
        const key = autoScalingKey(c);
        if (!byKey.has(key)) byKey.set(key, { key, ...c });
    }
    return [...byKey.values()];
}

export interface AppRunnerDependencies extends EnvironmentSources {
    network: PlatformNetworkResult;
    serviceGroups: Map<string, aws.ec2.SecurityGroup>;
    registry: RegistryResult;
    env: AwsEnvironment;
    /** ARN of the platform's storage bucket, when there is one (for `bucketAccess`). */
    bucketArn?: pulumi.Output<string>;
}

/** Whether App Runner needs an access role to pull the image: private ECR, or an image known only at deployment. */
export function needsAccessRole(service: ResolvedService): boolean {
    if (service.createsRepository) return true;
    const image = service.image;
    return typeof image !== "string" || !isEcrPublicImage(image);
}

/**
 * The Combine's shape: one App Runner service per service, reaching the database and cache through its own VPC
 * connector in the private subnets (whose security group is the service's group in the chain), an instance role that
 * reads exactly the service's secrets (passed as ARNs, never values), an access role for private ECR images, health
 * checks on `healthCheckPath` and the platform's auto-scaling configuration (one name per platform, a revision per distinct
 * setting: `distinctScalings`). With a domain, the default public service is associated
 * with `domain.name` (and services with host names with theirs) and Route 53 alias records point at App Runner.
 */
/**
 * AWS closed App Runner to new customers on 2026-04-30: accounts that were not customers by then cannot create App
 * Runner services (https://docs.aws.amazon.com/apprunner/latest/dg/apprunner-availability-change.html).
 */
export const APP_RUNNER_AVAILABILITY_WARNING = (component: string) =>
    `ServicePlatform "${component}": compute appRunner works only in accounts that already used AWS App Runner: AWS closed it to new ` +
    "customers on 2026-04-30 and recommends Amazon ECS instead (https://docs.aws.amazon.com/apprunner/latest/dg/apprunner-availability-change.html). " +
    "In any other account `up` fails; use compute expressMode (Amazon ECS Express Mode, App Runner's successor: " +
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-overview.html) or compute fargate.";

export function createAppRunner(scope: ComponentScope, settings: PlatformSettings, deps: AppRunnerDependencies): AppRunnerResult {
    pulumi.log.warn(APP_RUNNER_AVAILABILITY_WARNING(scope.name), scope.component);
    const services = new Map<string, AppRunnerServiceResources>();
    // A service waiting for its first image is created on the `up` that sets its imageTag (registry.ts: awaitingImageWarning).
    const running = settings.services.filter((x) => !x.awaitingImage);
    const autoscaling = createAutoScaling(scope, running);
    for (const s of running) services.set(s.name, createAppRunnerService(scope, settings, s, { ...deps, autoscaling }));

    let url: pulumi.Output<string> | undefined;
    const primary = running.find((s) => s.defaultRoute) ?? running.find((s) => s.public);
    if (settings.domain && running.some((s) => s.public)) {
        const zoneId = aws.apprunner.getHostedZoneIdOutput({}, { parent: scope.component }).id;
        for (const s of running.filter((x) => x.public)) {
            const hosts = [...(s.defaultRoute ? [settings.domain.name] : []), ...s.hostnames];
            for (const host of hosts) associateDomain(scope, settings.domain.hostedZoneId, zoneId, host, services.get(s.name)!.service);
        }
        if (primary?.defaultRoute) url = pulumi.output(`https://${settings.domain.name}`);
    }
    if (!url && primary) url = pulumi.interpolate`https://${services.get(primary.name)!.service.serviceUrl}`;
    const privateServiceUrls = createPrivateIngress(scope, settings, running, services, deps);
    return { services, url, privateServiceUrls };
}

/**
 * Makes private services (`public: false`) reachable from the VPC (https://docs.aws.amazon.com/apprunner/latest/dg/network-pl.html):
 * ONE `apprunner.requests` interface endpoint per platform in the private subnets
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc_endpoint), and a VPC ingress
 * connection per private service tying the service to that endpoint
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/apprunner_vpc_ingress_connection,
 * https://docs.aws.amazon.com/apprunner/latest/api/API_CreateVpcIngressConnection.html).
 *
 * The endpoint has its own security group admitting HTTPS (443) only, from the VPC's CIDR block: a private service is
 * meant for callers in the VPC that the platform does not know (a Lambda function, a bastion, another stack's tasks), so
 * their security groups cannot be named; nothing outside the VPC reaches a private address in it. The platform's own
 * services call out through their VPC connectors, whose groups allow only the egress they name, so each service group
 * gets an egress rule to the endpoint's group on 443 (and nothing wider).
 */
function createPrivateIngress(
    scope: ComponentScope,
    settings: PlatformSettings,
    running: ResolvedService[],
    services: Map<string, AppRunnerServiceResources>,
    deps: AppRunnerDependencies,
): pulumi.Output<{ [name: string]: string }> | undefined {
    const privates = privateAppRunnerServices(running);
    if (!privates.length) return undefined;
    const vpcId = deps.network.vpcId;
    const sg = createSecurityGroup(scope, "apprunner-requests", vpcId, `rampart ${settings.name} App Runner private services: HTTPS from the VPC`);
    // With `existingVpc` rampart did not create the VPC: its CIDR block is looked up.
    const vpcCidr = deps.network.vpc?.cidrBlock ?? aws.ec2.getVpcOutput({ id: vpcId }, { parent: scope.component }).cidrBlock;
    allowFromCidr(scope, "apprunner-requests-https", sg, vpcCidr, { from: 443 }, "HTTPS to private App Runner services from the VPC");
    for (const s of running) {
        allowToGroup(scope, `svc-${s.name}-to-apprunner-requests`, deps.serviceGroups.get(s.name)!, sg.id, { from: 443 }, `${s.name} to private App Runner services`);
    }
    const endpoint = new aws.ec2.VpcEndpoint(
        scope.child("apprunner-requests-endpoint"),
        {
            vpcId,
            serviceName: pulumi.interpolate`com.amazonaws.${deps.env.region}.${APP_RUNNER_REQUESTS_ENDPOINT.service}`,
            vpcEndpointType: "Interface",
            privateDnsEnabled: APP_RUNNER_REQUESTS_ENDPOINT.privateDnsEnabled,
            subnetIds: deps.network.privateSubnetIds,
            securityGroupIds: [sg.id],
            tags: scope.named(scope.physical("label", APP_RUNNER_REQUESTS_ENDPOINT.service)),
        },
        scope.opts(),
    );
    const urls: Record<string, pulumi.Output<string>> = {};
    for (const s of privates) {
        const r = services.get(s.name)!;
        r.ingressConnection = new aws.apprunner.VpcIngressConnection(
            scope.child("ingress", s.name),
            {
                name: scope.physical("appRunnerVpcIngressConnection", s.name),
                serviceArn: r.service.arn,
                ingressVpcConfiguration: { vpcId, vpcEndpointId: endpoint.id },
                tags: scope.tags,
            },
            scope.opts(),
        );
        urls[s.name] = r.ingressConnection.domainName.apply(privateServiceUrl);
    }
    return pulumi.all(urls);
}

/** The platform's one auto-scaling configuration name, with a revision per distinct setting, by `autoScalingKey`. */
function createAutoScaling(scope: ComponentScope, services: ResolvedService[]): Map<string, aws.apprunner.AutoScalingConfigurationVersion> {
    const name = scope.physical("appRunnerAutoScalingConfiguration");
    return new Map(
        distinctScalings(services).map(({ key, ...c }) => [
            key,
            new aws.apprunner.AutoScalingConfigurationVersion(scope.child("autoscaling", key), { autoScalingConfigurationName: name, ...c, tags: scope.tags }, scope.opts()),
        ]),
    );
}

function createAppRunnerService(
    scope: ComponentScope,
    settings: PlatformSettings,
    s: ResolvedService,
    deps: AppRunnerDependencies & { autoscaling: Map<string, aws.apprunner.AutoScalingConfigurationVersion> },
): AppRunnerServiceResources {
    const connector = new aws.apprunner.VpcConnector(
        scope.child("connector", s.name),
        {
            vpcConnectorName: scope.physical("appRunnerVpcConnector", s.name),
            subnets: deps.network.privateSubnetIds,
            securityGroups: [deps.serviceGroups.get(s.name)!.id],
            tags: scope.tags,
        },
        scope.opts(),
    );

    const environment = serviceEnvironment(settings, s, deps);
    const instanceRole = new aws.iam.Role(
        scope.child("instance-role", s.name),
        {
            name: iamRoleName(scope, `${s.name}-instance`),
            description:
                s.bucketAccess || s.policyStatements.length
                    ? `App Runner instance role of ${s.name}: reads its secrets${s.bucketAccess ? ", the storage bucket" : ""}${s.policyStatements.length ? `, ${s.policyStatements.length} statement(s) of its own` : ""}`
                    : `App Runner instance role of ${s.name}: reads its secrets, nothing else`,
            assumeRolePolicy: JSON.stringify(serviceTrustPolicy("tasks.apprunner.amazonaws.com")),
            tags: scope.tags,
        },
        scope.opts(),
    );
    const readsSecrets =
        Object.keys(s.secrets).length > 0 ||
        Object.keys(s.secretArns).length > 0 ||
        (s.useDatabase && settings.database !== undefined) ||
        settings.observability.otelEndpointSecretArn !== undefined ||
        settings.observability.otelHeadersSecretArn !== undefined;
    const bucket = s.bucketAccess && deps.bucketArn ? { arn: deps.bucketArn, access: s.bucketAccess } : undefined;
    const dependsOn: pulumi.Resource[] = [];
    if (readsSecrets || bucket || s.policyStatements.length) {
        dependsOn.push(
            new aws.iam.RolePolicy(
                scope.child("instance-policy", s.name),
                {
                    role: instanceRole.id,
                    policy: pulumi
                        .all([environment, bucket?.arn, pulumi.all(s.policyStatements.map((st) => pulumi.output(st.resources)))])
                        .apply(([env, bucketArn, resources]) =>
                            JSON.stringify(
                                policyDocument([
                                    ...secretReadStatements(env.readable),
                                    ...serviceRoleStatements({
                                        bucket: bucketArn ? { arn: bucketArn, access: bucket!.access } : undefined,
                                        statements: s.policyStatements.map((st, i) => ({ actions: st.actions, resources: resources[i] })),
                                    }),
                                ]),
                            ),
                        ),
                },
                scope.opts(),
            ),
        );
    }

    const repository = deps.registry.repositories.get(s.name);
    const image = serviceImage(s.image, repository, s.imageTag);
    let accessRole: aws.iam.Role | undefined;
    if (needsAccessRole(s)) {
        accessRole = new aws.iam.Role(
            scope.child("access-role", s.name),
            {
                name: iamRoleName(scope, `${s.name}-access`),
                description: `App Runner access role of ${s.name}: pulls its image from ECR`,
                assumeRolePolicy: JSON.stringify(serviceTrustPolicy("build.apprunner.amazonaws.com")),
                tags: scope.tags,
            },
            scope.opts(),
        );
        dependsOn.push(
            new aws.iam.RolePolicy(
                scope.child("access-policy", s.name),
                {
                    role: accessRole.id,
                    policy: pulumi.all([repository?.arn, image, deps.env.partition]).apply(([repositoryArn, img, partition]) => {
                        const arns = repositoryArn ? [repositoryArn] : [ecrRepositoryArnOfImage(img, partition)].filter((a): a is string => a !== undefined);
                        return JSON.stringify(appRunnerAccessPolicy(arns));
                    }),
                },
                scope.opts(),
            ),
        );
    }

    const autoscaling = deps.autoscaling.get(autoScalingKey(appRunnerScaling(s)))!;

    const service = new aws.apprunner.Service(
        scope.child("apprunner", s.name),
        {
            serviceName: s.physicalName,
            sourceConfiguration: {
                autoDeploymentsEnabled: false,
                authenticationConfiguration: accessRole ? { accessRoleArn: accessRole.arn } : undefined,
                imageRepository: {
                    imageIdentifier: image,
                    imageRepositoryType: image.apply((img) => (isEcrPublicImage(img) ? "ECR_PUBLIC" : "ECR")),
                    imageConfiguration: {
                        port: String(s.port),
                        runtimeEnvironmentVariables: environment.apply((env) => env.plain),
                        runtimeEnvironmentSecrets: environment.apply((env) => env.secrets),
                    },
                },
            },
            instanceConfiguration: { cpu: String(s.cpu), memory: String(s.memory), instanceRoleArn: instanceRole.arn },
            networkConfiguration: {
                egressConfiguration: { egressType: "VPC", vpcConnectorArn: connector.arn },
                ingressConfiguration: { isPubliclyAccessible: s.public },
            },
            healthCheckConfiguration: { protocol: "HTTP", path: s.healthCheckPath, interval: 10, timeout: 5, healthyThreshold: 1, unhealthyThreshold: 5 },
            autoScalingConfigurationArn: autoscaling.arn,
            encryptionConfiguration: settings.kmsKeyArn ? { kmsKey: settings.kmsKeyArn } : undefined,
            tags: scope.tags,
        },
        scope.opts({ dependsOn }),
    );
    return { service, connector, instanceRole, accessRole, autoscaling };
}

/**
 * Associates a host name with a service and points it at App Runner with a Route 53 alias. App Runner reports the
 * certificate validation records only once the association exists, and how many depends on the name, so those
 * records are created when the association's outputs are known.
 */
function associateDomain(scope: ComponentScope, hostedZoneId: pulumi.Input<string>, appRunnerZoneId: pulumi.Output<string>, host: string, service: aws.apprunner.Service): void {
    const association = new aws.apprunner.CustomDomainAssociation(
        scope.child("domain", host),
        { domainName: host, serviceArn: service.arn, enableWwwSubdomain: false },
        scope.opts(),
    );
    new aws.route53.Record(
        scope.child("alias", host),
        { zoneId: hostedZoneId, name: host, type: "A", aliases: [{ name: association.dnsTarget, zoneId: appRunnerZoneId, evaluateTargetHealth: true }] },
        scope.opts(),
    );
    association.certificateValidationRecords.apply((records) => {
        (records ?? []).forEach((record, i) => {
            if (!record?.name || !record.value) return;
            new aws.route53.Record(
                scope.child("domain-validation", host, String(i + 1)),
                { zoneId: hostedZoneId, name: record.name, type: record.type ?? "CNAME", records: [record.value], ttl: 300, allowOverwrite: true },
                scope.opts(),
            );
        });
    });
}

