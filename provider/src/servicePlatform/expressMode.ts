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
import { ComponentScope } from "../shared/scope";
import { createCluster, createExecutionPolicy, createServiceRoles, EcsClusterRef, EcsServiceDependencies } from "./ecs";
import { iamRoleName } from "./naming";
import { PlatformSettings, ResolvedService } from "./settings";
import { expressInfrastructurePolicyArn, expressInfrastructureTrustPolicy, expressPrimaryContainer, expressScalingTarget } from "./expressModeInputs";

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

/** The Fargate services' dependencies without the load balancer: ECS runs Express Mode's own. */
export type ExpressModeDependencies = EcsServiceDependencies;

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
    const roles = createServiceRoles(scope, settings, s, deps);
    const { logGroup, executionRole, taskRole } = roles;

    // The repository is new and empty: an Express Mode service started on `<repository>:latest` could only fail its
    // deployment, so it is created on the `up` that sets imageTag, as on App Runner (registry.ts: awaitingImageWarning).
    if (s.awaitingImage) return { logGroup, executionRole, taskRole };

    const { image, environment, executionPolicy } = createExecutionPolicy(scope, settings, s, index, roles, deps);
    const rolePolicies: pulumi.Resource[] = [...(roles.taskPolicy ? [roles.taskPolicy] : []), executionPolicy];

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
