/**
 * The pure parts of `compute: expressMode` (Amazon ECS Express Mode, `aws.ecs.ExpressGatewayService`): its documented
 * limits, the infrastructure role's trust and managed policy, and the mapping of a resolved service to the resource's
 * scaling target and primary container. No resources are created here (expressMode.ts creates them).
 */
import { PolicyDocument, serviceTrustPolicy } from "../shared/iam";
import { DEFAULT_CPU_TARGET, ResolvedService } from "./settings";

/** The resource's Terraform AWS provider page: its arguments, limits and which arguments force a new resource. */
export const EXPRESS_SERVICE_DOC = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_express_gateway_service";
/** What Express Mode creates itself, and its defaults. */
export const EXPRESS_RESOURCES_DOC = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-work.html";

/**
 * The AWS managed policy for the infrastructure role of Express Mode services: lets ECS create and manage the load
 * balancer, target groups, listener rules, security groups, certificates and auto scaling of Express Mode services
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonECSInfrastructureRoleforExpressGatewayServices.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/infrastructure_IAM_role.html).
 */
export const EXPRESS_INFRASTRUCTURE_POLICY_NAME = "AmazonECSInfrastructureRoleforExpressGatewayServices";

/** The managed policy's ARN in a partition (`aws`, `aws-cn`, `aws-us-gov`). */
export function expressInfrastructurePolicyArn(partition: string): string {
    return `arn:${partition}:iam::aws:policy/service-role/${EXPRESS_INFRASTRUCTURE_POLICY_NAME}`;
}

/** The infrastructure role's trust policy: ECS (`ecs.amazonaws.com`) assumes it, as the Express Mode guide's role does. */
export function expressInfrastructureTrustPolicy(): PolicyDocument {
    return serviceTrustPolicy("ecs.amazonaws.com");
}

/** Express Mode's CPU units: powers of 2 from 256 to 4096 (`cpu`, EXPRESS_SERVICE_DOC). */
export const EXPRESS_CPU_UNITS = [256, 512, 1024, 2048, 4096] as const;
/** Express Mode's memory range in MiB (`memory`, EXPRESS_SERVICE_DOC); the pair must also be a Fargate task size. */
export const EXPRESS_MEMORY_MIB = { min: 512, max: 8192 } as const;

/** The metrics an Express Mode scaling target tracks (`scalingTarget.autoScalingMetric`, EXPRESS_SERVICE_DOC). */
export type ExpressScalingMetric = "AVERAGE_CPU" | "AVERAGE_MEMORY" | "REQUEST_COUNT_PER_TARGET";

export interface ExpressScalingTarget {
    autoScalingMetric: ExpressScalingMetric;
    autoScalingTargetValue: number;
    minTaskCount: number;
    maxTaskCount: number;
}

/**
 * The service's one scaling target (Express Mode tracks one metric): from `autoscaling` (CPU, memory or requests per
 * target, whichever the service gives; CPU at 70% by default), or, without autoscaling, `desiredCount` tasks as both
 * minimum and maximum.
 */
export function expressScalingTarget(s: Pick<ResolvedService, "autoscaling" | "desiredCount">): ExpressScalingTarget {
    const a = s.autoscaling;
    if (!a) return { autoScalingMetric: "AVERAGE_CPU", autoScalingTargetValue: DEFAULT_CPU_TARGET, minTaskCount: s.desiredCount, maxTaskCount: s.desiredCount };
    const [autoScalingMetric, autoScalingTargetValue]: [ExpressScalingMetric, number] =
        a.memoryTarget !== undefined
            ? ["AVERAGE_MEMORY", a.memoryTarget]
            : a.requestsPerTarget !== undefined
              ? ["REQUEST_COUNT_PER_TARGET", a.requestsPerTarget]
              : ["AVERAGE_CPU", a.cpuTarget ?? DEFAULT_CPU_TARGET];
    return { autoScalingMetric, autoScalingTargetValue, minTaskCount: a.min, maxTaskCount: a.max };
}

export interface ExpressContainerInputs {
    image: string;
    port: number;
    command?: string[];
    /** Plain variables: values rampart may show (never secrets; validate.ts refuses Pulumi secrets in `environment`). */
    plain: Record<string, string>;
    /** Secret variables: Secrets Manager or SSM ARNs (`valueFrom`), read by the execution role when a task starts. */
    secrets: Record<string, string>;
    logGroupName: string;
    /** Log stream prefix: the service name. */
    logStreamPrefix: string;
}

/** The primary container of an Express Mode service: variables sorted by name, secrets as `valueFrom` references only. */
export function expressPrimaryContainer(c: ExpressContainerInputs) {
    const sorted = (o: Record<string, string>) => Object.keys(o).sort();
    return {
        image: c.image,
        containerPort: c.port,
        ...(c.command?.length ? { commands: [...c.command] } : {}),
        environments: sorted(c.plain).map((name) => ({ name, value: c.plain[name] })),
        secrets: sorted(c.secrets).map((name) => ({ name, valueFrom: c.secrets[name] })),
        awsLogsConfigurations: [{ logGroup: c.logGroupName, logStreamPrefix: c.logStreamPrefix }],
    };
}
