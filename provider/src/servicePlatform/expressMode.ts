/**
 * `compute: expressMode`: Amazon ECS Express Mode, the successor AWS recommends since App Runner closed to new customers
 * (https://docs.aws.amazon.com/apprunner/latest/dg/apprunner-availability-change.html). One `aws.ecs.ExpressGatewayService`
 * per service (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-overview.html,
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_express_gateway_service). ECS creates and
 * owns the service's Application Load Balancer, target group, listener rule, ACM certificate, its own security group and
 * the auto scaling target and policy (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-work.html);
 * rampart creates the roles, the log group, the cluster and the service's own security group (its tasks' group in the
 * database and cache chain).
 *
 * The pure parts (limits, the infrastructure role's trust and managed policy, the scaling target, the primary
 * container) are in expressModeInputs.ts; this file only creates resources.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, serviceTrustPolicy } from "../shared/iam";
import { ComponentScope } from "../shared/scope";
import { AwsEnvironment } from "../shared/environment";
import { createLogGroup } from "../shared/logGroup";
import { describeGiven } from "../shared/validation";
import { createCluster, EcsClusterRef, taskRoleDescription } from "./ecs";
import { iamRoleName } from "./naming";
import { PlatformNetworkResult } from "./network";
import { accountScopedTrust, ecrRepositoryArnOfImage, executionRolePolicy, serviceRoleStatements } from "./policies";
import { RegistryResult, serviceImage } from "./registry";
import { serviceLogGroupName } from "./removedServices";
import { EnvironmentSources, serviceEnvironment } from "./serviceEnvironment";
import { PlatformSettings, ResolvedService } from "./settings";
import { expressInfrastructurePolicyArn, expressInfrastructureTrustPolicy, expressPrimaryContainer, expressScalingTarget } from "./expressModeInputs";
import { noNatImageProblem, refusalAtDeployment } from "./validate";

export interface ExpressServiceResources {
    logGroup: aws.cloudwatch.LogGroup;
    executionRole: aws.iam.Role;
    taskRole: aws.iam.Role;
    /** Absent while the service waits for its first image (no `image`, no `imageTag`): see awaitingImageWarning. */
    service?: aws.ecs.ExpressGatewayService;
}

export interface ExpressModeResult {
    cluster: EcsClusterRef;
    infrastructureRole: aws.iam.Role;
    services: Map<string, ExpressServiceResources>;
}

export interface ExpressModeDependencies extends EnvironmentSources {
    network: PlatformNetworkResult;
    serviceGroups: Map<string, aws.ec2.SecurityGroup>;
    registry: RegistryResult;
    env: AwsEnvironment;
    /** ARN of the platform's storage bucket, when there is one (for `bucketAccess`). */
    bucketArn?: pulumi.Output<string>;
}

/**
 * The cluster (rampart's or the adopted one), one infrastructure role for the platform (AWS's managed policy for
 * Express Mode; ECS forbids changing a service's infrastructure role, so the role is created once and never renamed),
 * and per service: a log group, an execution role that pulls exactly its image, writes exactly its log group and reads
 * exactly its secrets, the task role (`taskRoleArns`), and the Express Mode service in the private subnets.
 */
export function createExpressMode(scope: ComponentScope, settings: PlatformSettings, deps: ExpressModeDependencies): ExpressModeResult {
    const { cluster, ready } = createCluster(scope, settings);
    const infrastructureRole = new aws.iam.Role(
        scope.child("express-infrastructure-role"),
        {
            name: iamRoleName(scope, "express-infra"),
            description: "ECS Express Mode infrastructure role: ECS manages the services' load balancer, certificates, security groups and scaling",
            assumeRolePolicy: JSON.stringify(expressInfrastructureTrustPolicy()),
            tags: scope.tags,
        },
        scope.opts(),
    );
    const attachment = new aws.iam.RolePolicyAttachment(
        scope.child("express-infrastructure-policy"),
        { role: infrastructureRole.name, policyArn: deps.env.partition.apply(expressInfrastructurePolicyArn) },
        scope.opts(),
    );
    const services = new Map<string, ExpressServiceResources>();
    settings.services.forEach((s, i) =>
        services.set(s.name, createExpressService(scope, settings, s, i, { cluster, ready: [...ready, attachment], infrastructureRole }, deps)),
    );
    return { cluster, infrastructureRole, services };
}

function createExpressService(
    scope: ComponentScope,
    settings: PlatformSettings,
    s: ResolvedService,
    index: number,
    platform: { cluster: EcsClusterRef; ready: pulumi.Resource[]; infrastructureRole: aws.iam.Role },
    deps: ExpressModeDependencies,
): ExpressServiceResources {
    // The same logical and physical names as on Fargate: the log group and roles stay when a platform changes compute.
    const logGroupName = serviceLogGroupName(scope, s.name);
    const logGroup = createLogGroup(scope, scope.child("logs", s.name), { name: logGroupName, retentionInDays: settings.observability.logRetentionDays });
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
    const rolePolicies: pulumi.Resource[] = [];
    if (usesDatabase || bucket || s.policyStatements.length) {
        rolePolicies.push(
            new aws.iam.RolePolicy(
                scope.child("task-policy", s.name),
                {
                    role: taskRole.id,
                    policy: pulumi
                        .all([usesDatabase ? deps.database!.secretArn : undefined, settings.kmsKeyArn, bucket?.arn, pulumi.all(s.policyStatements.map((st) => pulumi.all(st.resources)))])
                        .apply(([secretArn, kmsKeyArn, bucketArn, resources]) =>
                            JSON.stringify(
                                policyDocument(
                                    serviceRoleStatements({
                                        databaseSecretArn: secretArn,
                                        kmsKeyArn,
                                        bucket: bucketArn ? { arn: bucketArn, access: bucket!.access } : undefined,
                                        statements: s.policyStatements.map((st, i) => ({ actions: st.actions, resources: resources[i] })),
                                    }),
                                ),
                            ),
                        ),
                },
                scope.opts(),
            ),
        );
    }

    // The repository is new and empty: an Express Mode service started on `<repository>:latest` could only fail its
    // deployment, so it is created on the `up` that sets imageTag, as on App Runner (registry.ts: awaitingImageWarning).
    if (s.awaitingImage) return { logGroup, executionRole, taskRole };

    const repository = deps.registry.repositories.get(s.name);
    // Without NAT the image must come from this Region's private ECR (checked at preview when known, here otherwise).
    const image = pulumi.all([serviceImage(s.image, repository, s.imageTag), deps.env.region]).apply(([img, region]) => {
        const problem = noNatImageProblem(settings, img, region);
        if (problem) throw refusalAtDeployment(scope.name, [{ path: `services[${index}].image`, given: describeGiven(img), allowed: problem }]);
        return img;
    });
    const environment = serviceEnvironment(settings, s, deps);
    rolePolicies.push(
        new aws.iam.RolePolicy(
            scope.child("exec-policy", s.name),
            {
                role: executionRole.id,
                policy: pulumi.all([logGroup.arn, repository?.arn, image, environment, deps.env.partition]).apply(([logGroupArn, repositoryArn, img, env, partition]) => {
                    const repositoryArns = repositoryArn ? [repositoryArn] : [ecrRepositoryArnOfImage(img, partition)].filter((a): a is string => a !== undefined);
                    return JSON.stringify(executionRolePolicy({ logGroupArn, repositoryArns, ...env.readable }));
                }),
            },
            scope.opts(),
        ),
    );

    const service = new aws.ecs.ExpressGatewayService(
        scope.child("express", s.name),
        {
            serviceName: s.physicalName,
            cluster: platform.cluster.arn,
            infrastructureRoleArn: platform.infrastructureRole.arn,
            executionRoleArn: executionRole.arn,
            taskRoleArn: taskRole.arn,
            cpu: String(s.cpu),
            memory: String(s.memory),
            healthCheckPath: s.healthCheckPath,
            networkConfigurations: [{ subnets: deps.network.privateSubnetIds, securityGroups: [deps.serviceGroups.get(s.name)!.id] }],
            primaryContainer: pulumi.all([image, environment, logGroup.name]).apply(([img, env, name]) =>
                expressPrimaryContainer({ image: img, port: s.port, command: s.command, plain: env.plain, secrets: env.secrets, logGroupName: name, logStreamPrefix: s.name }),
            ),
            scalingTargets: [expressScalingTarget(s)],
            waitForSteadyState: false,
            tags: scope.tags,
        },
        // The roles' policies outlive the service on delete, so it never drains without permissions (the provider's note).
        scope.opts({ dependsOn: [...platform.ready, ...rolePolicies] }),
    );
    return { logGroup, executionRole, taskRole, service };
}
