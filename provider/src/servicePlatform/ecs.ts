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
import { policyDocument } from "../shared/iam";
import { accountScopedTrust, ecrRepositoryArnOfImage, executionRolePolicy, serviceRoleStatements } from "./policies";
import { ecsDesiredCount, RegistryResult, serviceImage } from "./registry";
import { EnvironmentSources, serviceEnvironment } from "./serviceEnvironment";
import { PlatformSettings, ResolvedService } from "./settings";
import { createLogGroup } from "../shared/logGroup";
import { serviceLogGroupName } from "./removedServices";
import { describeGiven } from "../shared/validation";
import { noNatImageProblem, refusalAtDeployment } from "./validate";

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
    /** ARN of the platform's storage bucket, when there is one (for `bucketAccess`). */
    bucketArn?: pulumi.Output<string>;
}

/**
 * An ECS cluster (Container Insights on, enhanced in production, Fargate and Fargate Spot capacity), or the existing one
 * `cluster.existingClusterArn` names, and per service: a
 * log group with retention, a task execution role that reads exactly its secrets, an empty task role, a task
 * definition, and a Fargate service in the private subnets without public IPs, with a deployment circuit breaker
 * that rolls back, and target-tracking autoscaling when asked.
 */
export function createEcs(scope: ComponentScope, settings: PlatformSettings, deps: EcsDependencies): EcsResult {
    const { cluster, ready } = createCluster(scope, settings);
    const services = new Map<string, EcsServiceResources>();
    settings.services.forEach((s, i) => services.set(s.name, createEcsService(scope, settings, s, i, cluster, ready, deps)));
    return { cluster, services };
}

/**
 * The platform's ECS cluster (Container Insights, Fargate and Fargate Spot capacity), or the existing one
 * `cluster.existingClusterArn` names; `ready`: what must exist before services are created in it.
 */
export function createCluster(scope: ComponentScope, settings: PlatformSettings): { cluster: EcsClusterRef; ready: pulumi.Resource[] } {
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
    return { cluster, ready };
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

/** What a service's tasks need on both ECS compute options (Fargate services and Express Mode services). */
export type EcsServiceDependencies = Omit<EcsDependencies, "loadBalancer">;

export interface ServiceRoles {
    logGroup: aws.cloudwatch.LogGroup;
    executionRole: aws.iam.Role;
    taskRole: aws.iam.Role;
    /** The task role's policy, when the service is granted anything (database secret, bucket, ECS Exec, statements). */
    taskPolicy?: aws.iam.RolePolicy;
}

/**
 * A service's log group, its task execution role (its policy follows with the image: `createExecutionPolicy`) and its
 * task role (`taskRoleArns`), trusted by ECS tasks of this account only, with exactly what the service is granted.
 */
export function createServiceRoles(scope: ComponentScope, settings: PlatformSettings, s: ResolvedService, deps: EcsServiceDependencies): ServiceRoles {
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
    const usesDatabase = s.useDatabase && deps.database !== undefined;
    const bucket = s.bucketAccess && deps.bucketArn ? { arn: deps.bucketArn, access: s.bucketAccess } : undefined;
    const taskRole = new aws.iam.Role(
        scope.child("task-role", s.name),
        {
            name: iamRoleName(scope, `${s.name}-task`),
            description: taskRoleDescription(s, usesDatabase, bucket !== undefined),
            assumeRolePolicy: deps.env.accountId.apply((account) => JSON.stringify(serviceTrustPolicy("ecs-tasks.amazonaws.com", accountScopedTrust(account)))),
            tags: scope.tags,
        },
        scope.opts(),
    );

    // Reading the password at connect time (DB_SECRET_ARN), the bucket, ECS Exec and the user's statements.
    if (!(usesDatabase || bucket || s.enableExecuteCommand || s.policyStatements.length)) return { logGroup, executionRole, taskRole };
    const taskPolicy = new aws.iam.RolePolicy(
        scope.child("task-policy", s.name),
        {
            role: taskRole.id,
            policy: pulumi
                .all([usesDatabase ? deps.database!.secretArn : undefined, settings.kmsKeyArn, bucket?.arn, pulumi.all(s.policyStatements.map((st) => pulumi.output(st.resources)))])
                .apply(([secretArn, kmsKeyArn, bucketArn, resources]) =>
                    JSON.stringify(
                        policyDocument(
                            serviceRoleStatements({
                                databaseSecretArn: secretArn,
                                kmsKeyArn,
                                bucket: bucketArn ? { arn: bucketArn, access: bucket!.access } : undefined,
                                executeCommand: s.enableExecuteCommand,
                                statements: s.policyStatements.map((st, i) => ({ actions: st.actions, resources: resources[i] })),
                            }),
                        ),
                    ),
                ),
        },
        scope.opts(),
    );
    return { logGroup, executionRole, taskRole, taskPolicy };
}

export interface ServiceImageAccess {
    image: pulumi.Output<string>;
    environment: ReturnType<typeof serviceEnvironment>;
    /** Pulls exactly the service's image (and the init container's, when in private ECR), writes its log group, reads its secrets. */
    executionPolicy: aws.iam.RolePolicy;
}

/** The service's image (refused at deployment without NAT when it is not in this Region's private ECR), its environment and the execution role's policy. */
export function createExecutionPolicy(scope: ComponentScope, settings: PlatformSettings, s: ResolvedService, index: number, roles: ServiceRoles, deps: EcsServiceDependencies): ServiceImageAccess {
    const repository = deps.registry.repositories.get(s.name);
    // Without NAT the image must come from this Region's private ECR: checked at preview when the image is known,
    // here (at deployment, before the task definition) when it is another resource's output.
    const image = pulumi.all([serviceImage(s.image, repository, s.imageTag), deps.env.region]).apply(([img, region]) => {
        const problem = noNatImageProblem(settings, img, region);
        if (problem) throw refusalAtDeployment(scope.name, [{ path: `services[${index}].image`, given: describeGiven(img), allowed: problem }]);
        return img;
    });
    const environment = serviceEnvironment(settings, s, deps);
    const executionPolicy = new aws.iam.RolePolicy(
        scope.child("exec-policy", s.name),
        {
            role: roles.executionRole.id,
            policy: pulumi
                .all([roles.logGroup.arn, repository?.arn, image, environment, deps.env.partition])
                .apply(([logGroupArn, repositoryArn, img, env, partition]) => {
                    const own = repositoryArn ? [repositoryArn] : [ecrRepositoryArnOfImage(img, partition)].filter((a): a is string => a !== undefined);
                    // The init container's image (database.existing), when it is in private ECR (a pull-through cache).
                    const initRepository = env.init ? ecrRepositoryArnOfImage(env.init.image, partition) : undefined;
                    const repositoryArns = initRepository && !own.includes(initRepository) ? [...own, initRepository] : own;
                    return JSON.stringify(executionRolePolicy({ logGroupArn, repositoryArns, ...env.readable }));
                }),
        },
        scope.opts(),
    );
    return { image, environment, executionPolicy };
}

function createEcsService(
    scope: ComponentScope,
    settings: PlatformSettings,
    s: ResolvedService,
    index: number,
    cluster: EcsClusterRef,
    clusterReady: pulumi.Resource[],
    deps: EcsDependencies,
): EcsServiceResources {
    const { logGroup, executionRole, taskRole } = createServiceRoles(scope, settings, s, deps);
    const { image, environment, executionPolicy } = createExecutionPolicy(scope, settings, s, index, { logGroup, executionRole, taskRole }, deps);

    const taskDefinition = new aws.ecs.TaskDefinition(
        scope.child("task", s.name),
        {
            family: physicalName("ecsService", { prefix: scope.name, stage: settings.stage, suffix: s.name }),
            cpu: String(s.cpu),
            memory: String(s.memory),
            networkMode: "awsvpc",
            requiresCompatibilities: ["FARGATE"],
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: s.architecture },
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
                        readonlyRootFilesystem: s.readonlyRootFilesystem,
                        init: env.init,
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
            desiredCount: ecsDesiredCount(s),
            capacityProviderStrategies: [{ capacityProvider: s.spot ? "FARGATE_SPOT" : "FARGATE", weight: 1 }],
            platformVersion: "LATEST",
            networkConfiguration: { subnets: deps.network.privateSubnetIds, securityGroups: [deps.serviceGroups.get(s.name)!.id], assignPublicIp: false },
            loadBalancers: targetGroup ? [{ targetGroupArn: targetGroup.arn, containerName: s.name, containerPort: s.port }] : undefined,
            healthCheckGracePeriodSeconds: targetGroup ? s.healthCheckGracePeriodSeconds : undefined,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            deploymentMinimumHealthyPercent: 100,
            deploymentMaximumPercent: 200,
            enableEcsManagedTags: true,
            propagateTags: "SERVICE",
            enableExecuteCommand: s.enableExecuteCommand,
            forceDelete: !settings.production,
            waitForSteadyState: false,
            tags: scope.tags,
        },
        scope.opts({
            dependsOn: [...clusterReady, ...(targetGroup ? attachments(deps.loadBalancer!, s.name) : [])],
            ignoreChanges: s.autoscaling ? ["desiredCount"] : [],
        }),
    );
    // Registered once there is an image: the registration then scales the service from 0 into [min, max] (ecsDesiredCount).
    if (s.autoscaling && !s.awaitingImage) createAutoscaling(scope, s, cluster, service, deps.loadBalancer, targetGroup);
    return { logGroup, executionRole, taskRole, taskDefinition, service };
}

/** What the task role is for, in words (the two descriptions of earlier releases are kept as they were). */
export function taskRoleDescription(s: ResolvedService, usesDatabase: boolean, bucket: boolean): string {
    if (!bucket && !s.enableExecuteCommand && !s.policyStatements.length) {
        return usesDatabase ? `Role of ${s.name}'s application code: reads the database secret (DB_SECRET_ARN), nothing else` : `Role of ${s.name}'s application code; starts without permissions`;
    }
    const grants = [
        ...(usesDatabase ? ["reads the database secret (DB_SECRET_ARN)"] : []),
        ...(bucket ? [`${s.bucketAccess === "readWrite" ? "reads and writes" : "reads"} the storage bucket`] : []),
        ...(s.enableExecuteCommand ? ["opens ECS Exec channels"] : []),
        ...(s.policyStatements.length ? [`${s.policyStatements.length} statement(s) of its own`] : []),
    ];
    return `Role of ${s.name}'s application code: ${grants.join(", ")}`;
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
