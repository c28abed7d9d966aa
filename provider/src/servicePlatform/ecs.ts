import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrustPolicy } from "../shared/iam";
import { physicalName } from "../shared/naming";
import { ComponentScope } from "../shared/scope";
import { containerDefinitions, TMP_VOLUME } from "./containers";
import { AwsEnvironment } from "../shared/environment";
import { LoadBalancerResult } from "./loadBalancer";
import { iamRoleName } from "./naming";
import { PlatformNetworkResult } from "./network";
import { accountScopedTrust, ecrRepositoryArnOfImage, executionRolePolicy, taskRoleDatabasePolicy } from "./policies";
import { RegistryResult, serviceImage } from "./registry";
import { EnvironmentSources, serviceEnvironment } from "./serviceEnvironment";
import { PlatformSettings, ResolvedService } from "./settings";
import { createLogGroup } from "../shared/logGroup";
import { serviceLogGroupName } from "./removedServices";

export interface EcsServiceResources {
    logGroup: aws.cloudwatch.LogGroup;
    executionRole: aws.iam.Role;
    taskRole: aws.iam.Role;
    taskDefinition: aws.ecs.TaskDefinition;
    service: aws.ecs.Service;
}

export interface EcsResult {
    /** The cluster the services run in: rampart's, or the one `cluster.existingClusterArn` names. */
    cluster: EcsClusterRef;
    services: Map<string, EcsServiceResources>;
}

export interface EcsDependencies extends EnvironmentSources {
    network: PlatformNetworkResult;
    serviceGroups: Map<string, aws.ec2.SecurityGroup>;
    loadBalancer?: LoadBalancerResult;
    registry: RegistryResult;
    env: AwsEnvironment;
}

/** Seconds a new task may fail load balancer health checks before ECS replaces it. */
export const HEALTH_CHECK_GRACE_SECONDS = 60;

/**
 * An ECS cluster (Container Insights on, enhanced in production, Fargate and Fargate Spot capacity), or the existing one
 * `cluster.existingClusterArn` names, and per service: a
 * log group with retention, a task execution role that reads exactly its secrets, an empty task role, a task
 * definition, and a Fargate service in the private subnets without public IPs, with a deployment circuit breaker
 * that rolls back, and target-tracking autoscaling when asked.
 */
export function createEcs(scope: ComponentScope, settings: PlatformSettings, deps: EcsDependencies): EcsResult {
    const existing = settings.existingClusterArn;
    let cluster: EcsClusterRef;
    const ready: pulumi.Resource[] = [];
    if (existing !== undefined) {
        // A shared cluster (issue 17): its capacity providers must include FARGATE (and FARGATE_SPOT for `spot` services).
        const arn = pulumi.output(existing);
        cluster = { arn, name: arn.apply(clusterNameOfArn) };
    } else {
        const created = new aws.ecs.Cluster(
            scope.child("cluster"),
            { name: scope.physical("ecsCluster"), settings: [{ name: "containerInsights", value: settings.observability.containerInsights }], tags: scope.tags },
            scope.opts(),
        );
        ready.push(
            new aws.ecs.ClusterCapacityProviders(
                scope.child("cluster-capacity"),
                { clusterName: created.name, capacityProviders: ["FARGATE", "FARGATE_SPOT"], defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1 }] },
                scope.opts(),
            ),
        );
        cluster = { arn: created.arn, name: created.name };
    }
    const services = new Map<string, EcsServiceResources>();
    for (const s of settings.services) services.set(s.name, createEcsService(scope, settings, s, cluster, ready, deps));
    return { cluster, services };
}

/** An ECS cluster by ARN and name. */
export interface EcsClusterRef {
    arn: pulumi.Output<string>;
    name: pulumi.Output<string>;
}

/** The name in an ECS cluster ARN (`arn:<partition>:ecs:<region>:<account>:cluster/<name>`). */
export function clusterNameOfArn(arn: string): string {
    return arn.slice(arn.indexOf(":cluster/") + ":cluster/".length);
}

function createEcsService(
    scope: ComponentScope,
    settings: PlatformSettings,
    s: ResolvedService,
    cluster: EcsClusterRef,
    clusterReady: pulumi.Resource[],
    deps: EcsDependencies,
): EcsServiceResources {
    const logGroup = createLogGroup(scope, scope.child("logs", s.name), { name: serviceLogGroupName(scope, s.name), retentionInDays: settings.observability.logRetentionDays });
    const executionRole = new aws.iam.Role(
        scope.child("exec-role", s.name),
        {
            name: iamRoleName(scope, `${s.name}-exec`),
            description: `ECS task execution role of ${s.name}: pulls its image, writes its logs, reads its secrets`,
            assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ecs-tasks.amazonaws.com")),
            tags: scope.tags,
        },
        scope.opts(),
    );
    const taskRole = new aws.iam.Role(
        scope.child("task-role", s.name),
        {
            name: iamRoleName(scope, `${s.name}-task`),
            description: s.useDatabase && deps.database
                ? `Role of ${s.name}'s application code: reads the database secret (DB_SECRET_ARN), nothing else`
                : `Role of ${s.name}'s application code; starts without permissions`,
            assumeRolePolicy: deps.env.accountId.apply((account) => JSON.stringify(serviceTrustPolicy("ecs-tasks.amazonaws.com", accountScopedTrust(account)))),
            tags: scope.tags,
        },
        scope.opts(),
    );

    // Reading the password at connect time (DB_SECRET_ARN) needs GetSecretValue on the application's role.
    if (s.useDatabase && deps.database) {
        new aws.iam.RolePolicy(
            scope.child("task-policy", s.name),
            {
                role: taskRole.id,
                policy: pulumi
                    .all([deps.database.secretArn, settings.kmsKeyArn])
                    .apply(([secretArn, kmsKeyArn]) => JSON.stringify(taskRoleDatabasePolicy(secretArn, kmsKeyArn))),
            },
            scope.opts(),
        );
    }

    const repository = deps.registry.repositories.get(s.name);
    const image = serviceImage(s.image, repository, s.imageTag);
    const environment = serviceEnvironment(settings, s, deps);
    const executionPolicy = new aws.iam.RolePolicy(
        scope.child("exec-policy", s.name),
        {
            role: executionRole.id,
            policy: pulumi
                .all([logGroup.arn, repository?.arn, image, environment, deps.env.partition])
                .apply(([logGroupArn, repositoryArn, img, env, partition]) => {
                    const repositoryArns = repositoryArn ? [repositoryArn] : [ecrRepositoryArnOfImage(img, partition)].filter((a): a is string => a !== undefined);
                    return JSON.stringify(executionRolePolicy({ logGroupArn, repositoryArns, ...env.readable }));
                }),
        },
        scope.opts(),
    );

    const taskDefinition = new aws.ecs.TaskDefinition(
        scope.child("task", s.name),
        {
            family: physicalName("ecsService", { prefix: scope.name, stage: settings.stage, suffix: s.name }),
            cpu: String(s.cpu),
            memory: String(s.memory),
            networkMode: "awsvpc",
            requiresCompatibilities: ["FARGATE"],
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
            executionRoleArn: executionRole.arn,
            taskRoleArn: taskRole.arn,
            volumes: [{ name: TMP_VOLUME }],
            containerDefinitions: pulumi.all([image, environment, logGroup.name, deps.env.region]).apply(([img, env, logGroupName, region]) =>
                JSON.stringify(
                    containerDefinitions({
                        name: s.name,
                        image: img,
                        cpu: s.cpu,
                        memory: s.memory,
                        port: s.port,
                        command: s.command,
                        environment: env.plain,
                        secrets: env.secrets,
                        logGroupName,
                        region,
                    }),
                ),
            ),
            tags: scope.tags,
        },
        scope.opts({ dependsOn: [executionPolicy] }),
    );

    const targetGroup = deps.loadBalancer?.targetGroups.get(s.name);
    const service = new aws.ecs.Service(
        scope.child("service", s.name),
        {
            name: s.physicalName,
            cluster: cluster.arn,
            taskDefinition: taskDefinition.arn,
            desiredCount: s.desiredCount,
            capacityProviderStrategies: [{ capacityProvider: s.spot ? "FARGATE_SPOT" : "FARGATE", weight: 1 }],
            platformVersion: "LATEST",
            networkConfiguration: { subnets: deps.network.privateSubnetIds, securityGroups: [deps.serviceGroups.get(s.name)!.id], assignPublicIp: false },
            loadBalancers: targetGroup ? [{ targetGroupArn: targetGroup.arn, containerName: s.name, containerPort: s.port }] : undefined,
            healthCheckGracePeriodSeconds: targetGroup ? HEALTH_CHECK_GRACE_SECONDS : undefined,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            deploymentMinimumHealthyPercent: 100,
            deploymentMaximumPercent: 200,
            enableEcsManagedTags: true,
            propagateTags: "SERVICE",
            enableExecuteCommand: false,
            forceDelete: !settings.production,
            waitForSteadyState: false,
            tags: scope.tags,
        },
        scope.opts({
            dependsOn: [...clusterReady, ...(targetGroup ? attachments(deps.loadBalancer!, s.name) : [])],
            ignoreChanges: s.autoscaling ? ["desiredCount"] : [],
        }),
    );
    if (s.autoscaling) createAutoscaling(scope, s, cluster, service, deps.loadBalancer, targetGroup);
    return { logGroup, executionRole, taskRole, taskDefinition, service };
}

/** What attaches a service's target group to the load balancer: the listeners, and the service's own rule. */
function attachments(loadBalancer: LoadBalancerResult, service: string): pulumi.Resource[] {
    const rule = loadBalancer.rules.get(service);
    return [...loadBalancer.listeners, ...(rule ? [rule] : [])];
}

/** Target tracking on CPU (default 70%), memory and load balancer requests per task, as the service asks. */
function createAutoscaling(
    scope: ComponentScope,
    s: ResolvedService,
    cluster: EcsClusterRef,
    service: aws.ecs.Service,
    loadBalancer: LoadBalancerResult | undefined,
    targetGroup: aws.lb.TargetGroup | undefined,
): void {
    const a = s.autoscaling!;
    const target = new aws.appautoscaling.Target(
        scope.child("scaling", s.name),
        {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: pulumi.interpolate`service/${cluster.name}/${service.name}`,
            minCapacity: a.min,
            maxCapacity: a.max,
            tags: scope.tags,
        },
        scope.opts(),
    );
    const policy = (metric: string, targetValue: number, predefinedMetricType: string, resourceLabel?: pulumi.Input<string>) =>
        new aws.appautoscaling.Policy(
            scope.child("scaling", s.name, metric),
            {
                name: `${s.physicalName}-${metric}`,
                policyType: "TargetTrackingScaling",
                serviceNamespace: target.serviceNamespace,
                scalableDimension: target.scalableDimension,
                resourceId: target.resourceId,
                targetTrackingScalingPolicyConfiguration: {
                    targetValue,
                    predefinedMetricSpecification: { predefinedMetricType, resourceLabel },
                    scaleInCooldown: 300,
                    scaleOutCooldown: 60,
                },
            },
            scope.opts(),
        );
    if (a.cpuTarget !== undefined) policy("cpu", a.cpuTarget, "ECSServiceAverageCPUUtilization");
    if (a.memoryTarget !== undefined) policy("memory", a.memoryTarget, "ECSServiceAverageMemoryUtilization");
    if (a.requestsPerTarget !== undefined && loadBalancer && targetGroup) {
        policy("requests", a.requestsPerTarget, "ALBRequestCountPerTarget", pulumi.interpolate`${loadBalancer.loadBalancer.arnSuffix}/${targetGroup.arnSuffix}`);
    }
}
