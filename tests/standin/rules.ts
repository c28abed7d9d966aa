/**
 * AWS's documented rules for the properties rampart sets, as the OFFLINE STAND-IN (tests only)
 * enforces them. Each rule names the document it comes from and where the real world enforces it:
 *  - "check": the Terraform AWS provider (bridged into @pulumi/aws) validates the value at plan
 *    time, so the stand-in reports a Check failure with the provider's message shape;
 *  - "apply": only the AWS API refuses it, so Create/Update fail with AWS's error code and text.
 * Rules that need other resources (subnets of a load balancer, the VPC of a subnet) read them from
 * the simulated account (account.ts) through `lookup`.
 */
import type { Props } from "./values";

export type Enforcement = "check" | "apply";

export interface Violation {
    property: string;
    /** For "check": the provider's validation text; for "apply": `<AWS error code>: <AWS message>`. */
    message: string;
}

/** What a rule may know about other resources in the same simulated account. */
export interface RuleLookup {
    /** Stored outputs of a resource of `type` with `id` in the account, if it exists. */
    resource(type: string, id: string): Props | undefined;
}

export interface PropertyRule {
    /** Stable name of the rule, `<service>.<what>`. */
    id: string;
    /** Type tokens it applies to; "*" for every aws type. */
    types: readonly string[] | "*";
    enforcement: Enforcement;
    /** The AWS or Terraform AWS provider document the rule is taken from. */
    source: string;
    verify(inputs: Props, lookup: RuleLookup): Violation[];
}

const TF = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources";

// --- helpers ---------------------------------------------------------------------------------

const isString = (v: unknown): v is string => typeof v === "string";

function lengthBetween(property: string, value: unknown, min: number, max: number): Violation[] {
    if (!isString(value) || (value.length >= min && value.length <= max)) return [];
    return [{ property, message: `expected length of ${property} to be in the range (${min} - ${max}), got ${value}` }];
}

function matches(property: string, value: unknown, pattern: RegExp, allowed: string): Violation[] {
    if (!isString(value) || pattern.test(value)) return [];
    return [{ property, message: `invalid value for ${property} (${allowed}), got ${value}` }];
}

function oneOf(property: string, value: unknown, allowed: readonly (string | number)[]): Violation[] {
    if (value === undefined || value === null || allowed.includes(value as never)) return [];
    return [{ property, message: `expected ${property} to be one of [${allowed.join(" ")}], got ${value}` }];
}

function intBetween(property: string, value: unknown, min: number, max: number): Violation[] {
    if (typeof value !== "number" || (Number.isInteger(value) && value >= min && value <= max)) return [];
    return [{ property, message: `expected ${property} to be in the range (${min} - ${max}), got ${value}` }];
}

/** A name rule the Terraform provider validates at plan time. */
function nameRule(id: string, types: string[], property: string, min: number, max: number, pattern: RegExp, allowed: string, source: string, extra?: (name: string) => Violation[]): PropertyRule {
    return {
        id,
        types,
        enforcement: "check",
        source,
        verify: (p) => {
            const name = p[property];
            if (!isString(name)) return [];
            return [...lengthBetween(property, name, min, max), ...matches(property, name, pattern, allowed), ...(extra?.(name) ?? [])];
        },
    };
}

/** `a.b.c.d/n` -> [network as uint32, prefix length]; undefined when not an IPv4 CIDR. */
export function parseCidr(cidr: unknown): { base: number; prefix: number } | undefined {
    if (!isString(cidr)) return undefined;
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    return { base: octets.reduce((a, o) => a * 256 + o, 0), prefix };
}

function cidrContains(outer: string, inner: string): boolean {
    const o = parseCidr(outer);
    const i = parseCidr(inner);
    if (!o || !i || i.prefix < o.prefix) return false;
    const size = 2 ** (32 - o.prefix);
    return Math.floor(i.base / size) === Math.floor(o.base / size);
}

// --- enumerations ----------------------------------------------------------------------------

export const LOG_RETENTION_DAYS = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Fargate task sizes: cpu units -> allowed memory (MiB). */
export function fargateMemoryFor(cpu: number): number[] {
    const range = (from: number, to: number, step: number) => Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
    switch (cpu) {
        case 256:
            return [512, 1024, 2048];
        case 512:
            return range(1024, 4096, 1024);
        case 1024:
            return range(2048, 8192, 1024);
        case 2048:
            return range(4096, 16384, 1024);
        case 4096:
            return range(8192, 30720, 1024);
        case 8192:
            return range(16384, 61440, 4096);
        case 16384:
            return range(32768, 122880, 8192);
        default:
            return [];
    }
}

/** App Runner instance sizes: vCPU -> memory (GB). */
const APP_RUNNER_SIZES: Record<string, string[]> = {
    "0.25": ["0.5", "1"],
    "0.5": ["1"],
    "1": ["2", "3", "4"],
    "2": ["4", "6"],
    "4": ["8", "10", "12"],
};

function appRunnerVcpu(cpu: unknown): string | undefined {
    const s = String(cpu).trim();
    const units: Record<string, string> = { "256": "0.25", "512": "0.5", "1024": "1", "2048": "2", "4096": "4" };
    if (units[s]) return units[s];
    const m = /^(0\.25|0\.5|1|2|4) vCPU$/.exec(s);
    return m?.[1];
}

function appRunnerGb(memory: unknown): string | undefined {
    const s = String(memory).trim();
    const mib: Record<string, string> = { "512": "0.5", "1024": "1", "2048": "2", "3072": "3", "4096": "4", "6144": "6", "8192": "8", "10240": "10", "12288": "12" };
    if (mib[s]) return mib[s];
    const m = /^(0\.5|1|2|3|4|6|8|10|12) GB$/.exec(s);
    return m?.[1];
}

const SG_TEXT = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]*$/;
const SG_TEXT_ALLOWED = "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*";

/** The subnets a resource names, for rules about its network. */
function subnetIdsOf(p: Props): string[] {
    const direct = p.subnets ?? p.subnetIds ?? p.networkConfiguration?.subnets ?? [];
    const mapped = (p.subnetMappings ?? []).map((m: Props) => m.subnetId);
    return [...(Array.isArray(direct) ? direct : []), ...mapped].filter(isString);
}

const SUBNET = "aws:ec2/subnet:Subnet";
const VPC = "aws:ec2/vpc:Vpc";

// --- the table ---------------------------------------------------------------------------------

export const PROPERTY_RULES: readonly PropertyRule[] = [
    // tags: every taggable resource
    {
        id: "tagging.limits",
        types: "*",
        enforcement: "apply",
        source: "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions",
        verify: (p) => {
            const tags = p.tagsAll ?? p.tags;
            if (!tags || typeof tags !== "object") return [];
            const entries = Object.entries(tags as Props);
            const out: Violation[] = [];
            if (entries.length > 50) out.push({ property: "tags", message: `TooManyTagsException: the resource would have ${entries.length} tags; the maximum is 50 user tags per resource` });
            for (const [key, value] of entries) {
                if (key.length < 1 || key.length > 128) out.push({ property: "tags", message: `ValidationException: tag key "${key}" must be 1-128 characters (got ${key.length})` });
                if (/^aws:/i.test(key)) out.push({ property: "tags", message: `ValidationException: tag key "${key}": the aws: prefix is reserved for AWS use` });
                if (typeof value === "string" && value.length > 256) out.push({ property: "tags", message: `ValidationException: tag "${key}" has a value of ${value.length} characters; values are 0-256 characters` });
            }
            return out;
        },
    },

    // CloudWatch Logs
    {
        id: "logs.retention",
        types: ["aws:cloudwatch/logGroup:LogGroup"],
        enforcement: "check",
        source: `${TF}/cloudwatch_log_group#retention_in_days`,
        verify: (p) => oneOf("retentionInDays", p.retentionInDays, LOG_RETENTION_DAYS),
    },
    nameRule(
        "logs.groupName",
        ["aws:cloudwatch/logGroup:LogGroup"],
        "name",
        1,
        512,
        /^[.\-_/#A-Za-z0-9]+$/,
        "letters, digits, and . - _ / #",
        "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
    ),

    // ECS
    {
        id: "ecs.fargateSize",
        types: ["aws:ecs/taskDefinition:TaskDefinition"],
        enforcement: "apply",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size",
        verify: (p) => {
            if (!(p.requiresCompatibilities ?? []).includes("FARGATE")) return [];
            const cpu = Number(p.cpu);
            const memory = Number(p.memory);
            if (fargateMemoryFor(cpu).includes(memory)) return [];
            return [{ property: "cpu", message: `ClientException: No Fargate configuration exists for given values: ${p.cpu} CPU, ${p.memory} memory. See the Amazon ECS documentation for the valid values.` }];
        },
    },
    // ECS Express Mode (aws_ecs_express_gateway_service): required arguments and value ranges the Terraform provider
    // validates at plan time; the task size pair only ECS refuses.
    nameRule("ecs.expressServiceName", ["aws:ecs/expressGatewayService:ExpressGatewayService"], "serviceName", 1, 255, /^[A-Za-z0-9_-]+$/, "letters, numbers, underscores and hyphens", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateExpressGatewayService.html"),
    {
        id: "ecs.expressService",
        types: ["aws:ecs/expressGatewayService:ExpressGatewayService"],
        enforcement: "check",
        source: `${TF}/ecs_express_gateway_service`,
        verify: (p) => {
            const out: Violation[] = [];
            const missing = (property: string, tf: string) => out.push({ property, message: `Missing required argument: The argument "${tf}" is required, but no definition was found.` });
            if (!isString(p.executionRoleArn)) missing("executionRoleArn", "execution_role_arn");
            if (!isString(p.infrastructureRoleArn)) missing("infrastructureRoleArn", "infrastructure_role_arn");
            const container = (Array.isArray(p.primaryContainer) ? p.primaryContainer[0] : p.primaryContainer) as Props | undefined;
            if (!container || !isString(container.image)) missing("primaryContainer.image", "primary_container.image");
            if (p.cpu !== undefined) out.push(...oneOf("cpu", String(p.cpu), ["256", "512", "1024", "2048", "4096"]));
            if (p.memory !== undefined) out.push(...intBetween("memory", Number(p.memory), 512, 8192));
            for (const [i, nc] of (Array.isArray(p.networkConfigurations) ? p.networkConfigurations : []).entries()) {
                if (Array.isArray(nc?.subnets) && nc.subnets.length < 2) {
                    out.push({ property: `networkConfigurations[${i}].subnets`, message: `networkConfigurations[${i}].subnets: at least 2 subnets must be specified, got ${nc.subnets.length}` });
                }
            }
            const targets = Array.isArray(p.scalingTargets) ? p.scalingTargets : [];
            if (targets.length > 1) out.push({ property: "scalingTargets", message: `Too many scaling_target blocks: No more than 1 "scaling_target" blocks are allowed` });
            for (const [i, t] of targets.entries()) {
                out.push(...oneOf(`scalingTargets[${i}].autoScalingMetric`, t?.autoScalingMetric, ["AVERAGE_CPU", "AVERAGE_MEMORY", "REQUEST_COUNT_PER_TARGET"]));
                if (typeof t?.minTaskCount === "number" && typeof t?.maxTaskCount === "number" && t.minTaskCount > t.maxTaskCount) {
                    out.push({ property: `scalingTargets[${i}]`, message: `scalingTargets[${i}]: minTaskCount (${t.minTaskCount}) must not exceed maxTaskCount (${t.maxTaskCount})` });
                }
            }
            return out;
        },
    },
    {
        id: "ecs.expressFargateSize",
        types: ["aws:ecs/expressGatewayService:ExpressGatewayService"],
        enforcement: "apply",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size",
        verify: (p) => {
            const cpu = Number(p.cpu ?? "1024");
            const memory = Number(p.memory ?? "2048");
            if (fargateMemoryFor(cpu).includes(memory)) return [];
            return [{ property: "cpu", message: `ClientException: No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.` }];
        },
    },
    {
        // A container may wait for another of the same task; SUCCESS and COMPLETE only on a non-essential one
        // (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html).
        id: "ecs.containerDependencies",
        types: ["aws:ecs/taskDefinition:TaskDefinition"],
        enforcement: "apply",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html",
        verify: (p) => {
            let containers: Props[];
            try {
                containers = typeof p.containerDefinitions === "string" ? JSON.parse(p.containerDefinitions) : [];
            } catch {
                return [];
            }
            if (!Array.isArray(containers)) return [];
            const byName = new Map(containers.map((c) => [c?.name, c]));
            const out: Violation[] = [];
            for (const c of containers) {
                for (const d of Array.isArray(c?.dependsOn) ? c.dependsOn : []) {
                    const target = byName.get(d?.containerName);
                    if (!target || d.containerName === c.name) {
                        out.push({ property: "containerDefinitions", message: `ClientException: Container ${c.name} depends on ${d?.containerName}, which is not another container of this task definition.` });
                    } else if (!["START", "COMPLETE", "SUCCESS", "HEALTHY"].includes(d.condition)) {
                        out.push({ property: "containerDefinitions", message: `ClientException: Invalid dependency condition ${d.condition} for container ${c.name}.` });
                    } else if ((d.condition === "SUCCESS" || d.condition === "COMPLETE") && target.essential !== false) {
                        out.push({ property: "containerDefinitions", message: `ClientException: Dependency condition ${d.condition} cannot be set on essential container ${d.containerName}.` });
                    }
                }
            }
            return out;
        },
    },
    {
        id: "cloudfront.viewerCertificate",
        types: ["aws:cloudfront/distribution:Distribution"],
        enforcement: "apply",
        source: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html",
        verify: (p) => {
            const vc = (Array.isArray(p.viewerCertificate) ? p.viewerCertificate[0] : p.viewerCertificate) as Props | undefined;
            if (!vc) return [];
            const out: Violation[] = [];
            const arn = vc.acmCertificateArn;
            if (isString(arn) && arn.length > 0) {
                if (arn.split(":")[3] !== "us-east-1") {
                    out.push({ property: "viewerCertificate", message: "InvalidViewerCertificate: The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain." });
                }
                if (!isString(vc.sslSupportMethod) || vc.sslSupportMethod === "") {
                    out.push({ property: "viewerCertificate", message: "InvalidViewerCertificate: sslSupportMethod is required with a custom certificate (sni-only, vip or static-ip)." });
                }
            } else if (vc.cloudfrontDefaultCertificate === true && isString(vc.minimumProtocolVersion) && vc.minimumProtocolVersion !== "" && vc.minimumProtocolVersion !== "TLSv1") {
                // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html
                out.push({ property: "viewerCertificate", message: "InvalidViewerCertificate: with the default CloudFront certificate the minimum protocol version is TLSv1; a higher one needs a custom certificate." });
            }
            const aliases = Array.isArray(p.aliases) ? p.aliases : [];
            if (aliases.length > 0 && !(isString(arn) && arn.length > 0)) {
                out.push({ property: "aliases", message: "InvalidViewerCertificate: To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted certificate that validates your authorization to use the domain name." });
            }
            return out;
        },
    },
    nameRule("ecs.family", ["aws:ecs/taskDefinition:TaskDefinition"], "family", 1, 255, /^[A-Za-z0-9_-]+$/, "letters, numbers, underscores and hyphens", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#family"),
    nameRule("ecs.clusterName", ["aws:ecs/cluster:Cluster"], "name", 1, 255, /^[A-Za-z0-9_-]+$/, "letters, numbers, underscores and hyphens", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html"),
    nameRule("ecs.serviceName", ["aws:ecs/service:Service"], "name", 1, 255, /^[A-Za-z0-9_-]+$/, "letters, numbers, underscores and hyphens", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html"),

    // ECR
    nameRule(
        "ecr.repositoryName",
        ["aws:ecr/repository:Repository"],
        "name",
        2,
        256,
        /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
        "lowercase letters, digits and . _ - / separators",
        `${TF}/ecr_repository#name`,
    ),

    // Elastic Load Balancing
    nameRule(
        "elb.loadBalancerName",
        ["aws:lb/loadBalancer:LoadBalancer"],
        "name",
        1,
        32,
        /^[0-9A-Za-z](?:[0-9A-Za-z-]*[0-9A-Za-z])?$/,
        "only alphanumeric characters and hyphens, not beginning or ending with a hyphen",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
        (name) => (/^internal-/.test(name) ? [{ property: "name", message: `name "${name}" cannot begin with "internal-"` }] : []),
    ),
    nameRule(
        "elb.targetGroupName",
        ["aws:lb/targetGroup:TargetGroup"],
        "name",
        1,
        32,
        /^[0-9A-Za-z](?:[0-9A-Za-z-]*[0-9A-Za-z])?$/,
        "only alphanumeric characters and hyphens, not beginning or ending with a hyphen",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    ),
    {
        id: "elb.targetGroupHealthCheck",
        types: ["aws:lb/targetGroup:TargetGroup"],
        enforcement: "check",
        source: `${TF}/lb_target_group#health_check`,
        verify: (p) => {
            const h = p.healthCheck ?? {};
            return [
                ...intBetween("healthCheck.interval", h.interval, 5, 300),
                ...intBetween("healthCheck.timeout", h.timeout, 2, 120),
                ...intBetween("healthCheck.healthyThreshold", h.healthyThreshold, 2, 10),
                ...intBetween("healthCheck.unhealthyThreshold", h.unhealthyThreshold, 2, 10),
                ...intBetween("port", p.port, 1, 65535),
            ];
        },
    },
    {
        id: "elb.albSubnets",
        types: ["aws:lb/loadBalancer:LoadBalancer"],
        enforcement: "apply",
        source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer",
        verify: (p, lookup) => {
            if ((p.loadBalancerType ?? "application") !== "application") return [];
            const subnets = subnetIdsOf(p).map((id) => ({ id, state: lookup.resource(SUBNET, id) }));
            const out: Violation[] = [];
            const zones = new Set(subnets.map((s) => s.state?.availabilityZone).filter(isString));
            if (subnets.length && subnets.every((s) => s.state) && zones.size < 2) {
                out.push({ property: "subnets", message: "ValidationError: At least two subnets in two different Availability Zones must be specified" });
            }
            for (const s of subnets) {
                const cidr = parseCidr(s.state?.cidrBlock);
                if (cidr && cidr.prefix > 27) {
                    out.push({ property: "subnets", message: `InvalidSubnet: subnet ${s.id} (${s.state!.cidrBlock}) is too small: an Application Load Balancer needs subnets of at least /27 with at least 8 free IP addresses` });
                }
            }
            return out;
        },
    },

    // EC2 / VPC
    {
        id: "vpc.cidrSize",
        types: [VPC],
        enforcement: "apply",
        source: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html",
        verify: (p) => {
            const cidr = parseCidr(p.cidrBlock);
            if (!isString(p.cidrBlock)) return [];
            if (!cidr || cidr.prefix < 16 || cidr.prefix > 28) return [{ property: "cidrBlock", message: `InvalidVpc.Range: The CIDR '${p.cidrBlock}' is invalid.` }];
            return [];
        },
    },
    {
        id: "vpc.subnetCidr",
        types: [SUBNET],
        enforcement: "apply",
        source: "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html",
        verify: (p, lookup) => {
            if (!isString(p.cidrBlock)) return [];
            const cidr = parseCidr(p.cidrBlock);
            if (!cidr || cidr.prefix < 16 || cidr.prefix > 28) return [{ property: "cidrBlock", message: `InvalidSubnet.Range: The CIDR '${p.cidrBlock}' is invalid.` }];
            const vpc = isString(p.vpcId) ? lookup.resource(VPC, p.vpcId) : undefined;
            if (vpc && isString(vpc.cidrBlock) && !cidrContains(vpc.cidrBlock, p.cidrBlock)) {
                return [{ property: "cidrBlock", message: `InvalidSubnet.Range: The CIDR '${p.cidrBlock}' is invalid.` }];
            }
            return [];
        },
    },
    {
        id: "ec2.securityGroupText",
        types: ["aws:ec2/securityGroup:SecurityGroup"],
        enforcement: "check",
        source: `${TF}/security_group#description`,
        verify: (p) => [
            ...lengthBetween("name", p.name, 1, 255),
            ...(isString(p.name) && /^sg-/.test(p.name) ? [{ property: "name", message: `name "${p.name}" cannot begin with sg-` }] : []),
            ...lengthBetween("description", p.description, 0, 255),
            ...matches("description", p.description, SG_TEXT, SG_TEXT_ALLOWED),
        ],
    },
    {
        id: "vpc.securityGroupRuleText",
        types: ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"],
        enforcement: "apply",
        source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html",
        verify: (p) => {
            if (!isString(p.description)) return [];
            if (p.description.length <= 255 && SG_TEXT.test(p.description)) return [];
            return [{ property: "description", message: `InvalidParameterValue: Invalid rule description. Valid descriptions are strings less than 256 characters from the following set:  ${SG_TEXT_ALLOWED}` }];
        },
    },

    // RDS
    nameRule(
        "rds.identifier",
        ["aws:rds/instance:Instance"],
        "identifier",
        1,
        63,
        /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/,
        "lowercase letters, digits and hyphens; first a letter; no two consecutive hyphens; not ending in a hyphen",
        `${TF}/db_instance#identifier`,
    ),
    nameRule(
        "rds.subnetGroupName",
        ["aws:rds/subnetGroup:SubnetGroup"],
        "name",
        1,
        255,
        /^[ .0-9a-z_-]+$/,
        "lowercase letters, digits, spaces, periods, underscores and hyphens",
        `${TF}/db_subnet_group#name`,
        (name) => (name === "default" ? [{ property: "name", message: `"default" is not allowed as "name"` }] : []),
    ),
    {
        id: "rds.instanceSettings",
        types: ["aws:rds/instance:Instance"],
        enforcement: "apply",
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
        verify: (p) => {
            const out: Violation[] = [];
            if (typeof p.backupRetentionPeriod === "number" && (p.backupRetentionPeriod < 0 || p.backupRetentionPeriod > 35)) {
                out.push({ property: "backupRetentionPeriod", message: `InvalidParameterValue: The backup retention period must be between 0 and 35 days (got ${p.backupRetentionPeriod})` });
            }
            const postgresStorage = /postgres|mysql|mariadb/.test(String(p.engine ?? ""));
            if (postgresStorage && typeof p.allocatedStorage === "number" && (p.allocatedStorage < 20 || p.allocatedStorage > 65536)) {
                out.push({ property: "allocatedStorage", message: `InvalidParameterCombination: Invalid storage size for engine name ${p.engine} and storage type ${p.storageType ?? "gp2"}: ${p.allocatedStorage}` });
            }
            if (typeof p.maxAllocatedStorage === "number" && p.maxAllocatedStorage > 0 && typeof p.allocatedStorage === "number" && p.maxAllocatedStorage <= p.allocatedStorage) {
                out.push({ property: "maxAllocatedStorage", message: "InvalidParameterCombination: Max storage size must be greater than storage size" });
            }
            if (isString(p.instanceClass) && !/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(p.instanceClass)) {
                out.push({ property: "instanceClass", message: `InvalidParameterValue: Invalid DB Instance class: ${p.instanceClass}` });
            }
            return out;
        },
    },

    // ElastiCache
    nameRule(
        "elasticache.serverlessCacheName",
        ["aws:elasticache/serverlessCache:ServerlessCache"],
        "name",
        1,
        40,
        /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/,
        "lowercase letters, digits and hyphens; first a letter; no two consecutive hyphens; not ending in a hyphen",
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateServerlessCache.html",
    ),

    // S3
    nameRule(
        "s3.bucketName",
        ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
        "bucket",
        3,
        63,
        /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
        "lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
        (name) => {
            const out: Violation[] = [];
            if (name.includes("..")) out.push({ property: "bucket", message: `bucket name "${name}" must not contain two adjacent periods` });
            if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) out.push({ property: "bucket", message: `bucket name "${name}" must not be formatted as an IP address` });
            if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name) || /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)) {
                out.push({ property: "bucket", message: `bucket name "${name}" uses a prefix or suffix reserved by Amazon S3` });
            }
            return out;
        },
    ),

    // IAM
    nameRule("iam.roleName", ["aws:iam/role:Role"], "name", 1, 64, /^[\w+=,.@-]+$/, "alphanumeric characters and +=,.@-_", `${TF}/iam_role#name`),
    nameRule("iam.rolePolicyName", ["aws:iam/rolePolicy:RolePolicy"], "name", 1, 128, /^[\w+=,.@-]+$/, "alphanumeric characters and +=,.@-_", `${TF}/iam_role_policy#name`),
    {
        id: "iam.roleSettings",
        types: ["aws:iam/role:Role"],
        enforcement: "check",
        source: `${TF}/iam_role#argument-reference`,
        verify: (p) => [
            ...lengthBetween("description", p.description, 0, 1000),
            ...matches("description", p.description, /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/, "printable Latin-1 characters"),
            ...intBetween("maxSessionDuration", p.maxSessionDuration, 3600, 43200),
            ...matches("path", p.path, /^\/(?:[\u0021-\u007E]{0,510}\/)?$/, "a path beginning and ending with /"),
        ],
    },
    {
        id: "iam.oidcProvider",
        types: ["aws:iam/openIdConnectProvider:OpenIdConnectProvider"],
        enforcement: "check",
        source: `${TF}/iam_openid_connect_provider`,
        verify: (p) => {
            const out: Violation[] = [...matches("url", p.url, /^https:\/\/[^\s?#]+$/, "an https URL without query or fragment")];
            for (const t of p.thumbprintLists ?? []) if (isString(t) && !/^[0-9a-fA-F]{40}$/.test(t)) out.push({ property: "thumbprintLists", message: `expected length of thumbprint_list to be 40 hex characters, got ${t}` });
            const clients = p.clientIdLists ?? [];
            if (Array.isArray(clients) && clients.length > 100) out.push({ property: "clientIdLists", message: `at most 100 client IDs, got ${clients.length}` });
            return out;
        },
    },

    // Secrets Manager / SSM / KMS
    nameRule("secretsmanager.name", ["aws:secretsmanager/secret:Secret"], "name", 1, 512, /^[A-Za-z0-9/_+=.@-]+$/, "alphanumeric characters and /_+=.@-", "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html"),
    {
        id: "secretsmanager.recoveryWindow",
        types: ["aws:secretsmanager/secret:Secret"],
        enforcement: "check",
        source: `${TF}/secretsmanager_secret#recovery_window_in_days`,
        verify: (p) => {
            const d = p.recoveryWindowInDays;
            if (typeof d !== "number" || d === 0 || (d >= 7 && d <= 30)) return [];
            return [{ property: "recoveryWindowInDays", message: `expected recovery_window_in_days to be 0 or in the range (7 - 30), got ${d}` }];
        },
    },
    nameRule(
        "ssm.parameterName",
        ["aws:ssm/parameter:Parameter"],
        "name",
        1,
        2048,
        /^[a-zA-Z0-9_.\-/]+$/,
        "letters, digits and _ . - /",
        "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html",
        (name) => {
            const out: Violation[] = [];
            if (/^\/?(aws|ssm)/i.test(name)) out.push({ property: "name", message: `ValidationException: Parameter name "${name}" must not begin with aws or ssm` });
            if (name.split("/").filter(Boolean).length > 15) out.push({ property: "name", message: `HierarchyLevelLimitExceededException: Parameter name "${name}" has more than 15 levels` });
            return out;
        },
    ),
    {
        id: "kms.settings",
        types: ["aws:kms/key:Key"],
        enforcement: "check",
        source: `${TF}/kms_key#deletion_window_in_days`,
        verify: (p) => [...intBetween("deletionWindowInDays", p.deletionWindowInDays, 7, 30), ...lengthBetween("description", p.description, 0, 8192)],
    },
    nameRule(
        "kms.aliasName",
        ["aws:kms/alias:Alias"],
        "name",
        7,
        256,
        /^alias\/[a-zA-Z0-9/_-]+$/,
        "alias/ followed by letters, digits and / _ -",
        `${TF}/kms_alias#name`,
        (name) => (/^alias\/aws\//.test(name) ? [{ property: "name", message: `"${name}": alias/aws/ is reserved for AWS managed keys` }] : []),
    ),

    // Lambda
    nameRule("lambda.functionName", ["aws:lambda/function:Function"], "name", 1, 64, /^[a-zA-Z0-9_-]+$/, "letters, digits, hyphens and underscores", "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-FunctionName"),
    {
        id: "lambda.limits",
        types: ["aws:lambda/function:Function"],
        enforcement: "apply",
        source: "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",
        verify: (p) => {
            const out: Violation[] = [];
            if (typeof p.memorySize === "number" && (p.memorySize < 128 || p.memorySize > 10240)) out.push({ property: "memorySize", message: `ValidationException: 1 validation error detected: Value '${p.memorySize}' at 'memorySize' failed to satisfy constraint: Member must have value between 128 and 10240` });
            if (typeof p.timeout === "number" && (p.timeout < 1 || p.timeout > 900)) out.push({ property: "timeout", message: `ValidationException: 1 validation error detected: Value '${p.timeout}' at 'timeout' failed to satisfy constraint: Member must have value between 1 and 900` });
            return out;
        },
    },

    // DynamoDB
    nameRule("dynamodb.tableName", ["aws:dynamodb/table:Table"], "name", 3, 255, /^[a-zA-Z0-9_.-]+$/, "letters, digits, underscores, hyphens and periods", "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html"),

    // Cognito
    nameRule("cognito.userPoolName", ["aws:cognito/userPool:UserPool"], "name", 1, 128, /^[\w\s+=,.@-]+$/, "word characters, spaces and +=,.@-", "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html"),
    nameRule("cognito.userGroupName", ["aws:cognito/userGroup:UserGroup"], "name", 1, 128, /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u, "letters, marks, symbols, digits and punctuation", "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateGroup.html"),
    nameRule(
        "cognito.domainPrefix",
        ["aws:cognito/userPoolDomain:UserPoolDomain"],
        "domain",
        1,
        63,
        /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
        "lowercase letters, digits and hyphens, not beginning or ending with a hyphen",
        "https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain-prefix.html",
        (domain) => {
            if (domain.includes(".")) return [];
            const reserved = ["aws", "amazon", "cognito"].find((w) => domain.includes(w));
            return reserved ? [{ property: "domain", message: `InvalidParameterException: Domain cannot contain reserved word: ${reserved}` }] : [];
        },
    ),

    // App Runner
    nameRule("apprunner.serviceName", ["aws:apprunner/service:Service"], "serviceName", 4, 40, /^[A-Za-z0-9][A-Za-z0-9_-]{3,39}$/, "letters, digits, hyphens and underscores, beginning with a letter or digit", `${TF}/apprunner_service#service_name`),
    nameRule("apprunner.vpcConnectorName", ["aws:apprunner/vpcConnector:VpcConnector"], "vpcConnectorName", 4, 40, /^[A-Za-z0-9][A-Za-z0-9_-]{3,39}$/, "letters, digits, hyphens and underscores, beginning with a letter or digit", `${TF}/apprunner_vpc_connector#vpc_connector_name`),
    nameRule("apprunner.vpcIngressConnectionName", ["aws:apprunner/vpcIngressConnection:VpcIngressConnection"], "name", 4, 40, /^[A-Za-z0-9][A-Za-z0-9_-]{3,39}$/, "letters, digits, hyphens and underscores, beginning with a letter or digit", "https://docs.aws.amazon.com/apprunner/latest/api/API_CreateVpcIngressConnection.html"),
    nameRule(
        "apprunner.autoScalingConfigurationName",
        ["aws:apprunner/autoScalingConfigurationVersion:AutoScalingConfigurationVersion"],
        "autoScalingConfigurationName",
        4,
        32,
        /^[A-Za-z0-9][A-Za-z0-9_-]{3,31}$/,
        "letters, digits, hyphens and underscores, beginning with a letter or digit",
        `${TF}/apprunner_auto_scaling_configuration_version#auto_scaling_configuration_name`,
    ),
    {
        id: "apprunner.instanceSize",
        types: ["aws:apprunner/service:Service"],
        enforcement: "apply",
        source: "https://docs.aws.amazon.com/apprunner/latest/api/API_InstanceConfiguration.html",
        verify: (p) => {
            const ic = p.instanceConfiguration;
            if (!ic || (ic.cpu === undefined && ic.memory === undefined)) return [];
            const vcpu = appRunnerVcpu(ic.cpu ?? "1024");
            const gb = appRunnerGb(ic.memory ?? "2048");
            if (vcpu && gb && APP_RUNNER_SIZES[vcpu].includes(gb)) return [];
            return [{ property: "instanceConfiguration", message: `InvalidRequestException: The combination of CPU ${ic.cpu} and memory ${ic.memory} is not supported. Supported: ${Object.entries(APP_RUNNER_SIZES).map(([c, m]) => `${c} vCPU with ${m.join("/")} GB`).join("; ")}` }];
        },
    },
    {
        id: "apprunner.autoScaling",
        types: ["aws:apprunner/autoScalingConfigurationVersion:AutoScalingConfigurationVersion"],
        enforcement: "check",
        source: `${TF}/apprunner_auto_scaling_configuration_version`,
        verify: (p) => [...intBetween("maxConcurrency", p.maxConcurrency, 1, 200), ...intBetween("maxSize", p.maxSize, 1, 25), ...intBetween("minSize", p.minSize, 1, 25)],
    },

    // EventBridge and Step Functions
    nameRule("events.ruleName", ["aws:cloudwatch/eventRule:EventRule"], "name", 1, 64, /^[.\-_A-Za-z0-9]+$/, "letters, digits, periods, hyphens and underscores", "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html#eventbridge-PutRule-request-Name"),
    nameRule("events.targetId", ["aws:cloudwatch/eventTarget:EventTarget"], "targetId", 1, 64, /^[.\-_A-Za-z0-9]+$/, "letters, digits, periods, hyphens and underscores", "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html#eventbridge-Type-Target-Id"),
    {
        id: "events.eventPattern",
        types: ["aws:cloudwatch/eventRule:EventRule"],
        enforcement: "apply",
        source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html",
        verify: (p) => {
            if (!isString(p.eventPattern)) return [];
            const problem = eventPatternProblem(p.eventPattern);
            return problem ? [{ property: "eventPattern", message: `InvalidEventPatternException: Event pattern is not valid. Reason: ${problem}` }] : [];
        },
    },
    nameRule("sfn.stateMachineName", ["aws:sfn/stateMachine:StateMachine"], "name", 1, 80, /^[-_A-Za-z0-9]+$/, "letters, digits, hyphens and underscores", "https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html#StepFunctions-CreateStateMachine-request-name"),
    {
        id: "sfn.definition",
        types: ["aws:sfn/stateMachine:StateMachine"],
        enforcement: "apply",
        source: "https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html",
        verify: (p) => {
            if (!isString(p.definition)) return [];
            const problem = definitionProblem(p.definition);
            return problem ? [{ property: "definition", message: `InvalidDefinition: Invalid State Machine Definition: '${problem}'` }] : [];
        },
    },
    {
        id: "sfn.logging",
        types: ["aws:sfn/stateMachine:StateMachine"],
        enforcement: "apply",
        source: "https://docs.aws.amazon.com/step-functions/latest/apireference/API_LoggingConfiguration.html",
        verify: (p) => {
            const logging = p.loggingConfiguration as Props | undefined;
            if (!logging || logging.level === undefined || logging.level === "OFF") return [];
            const destination = logging.logDestination;
            if (isString(destination) && /^arn:[^:]+:logs:[^:]+:\d{12}:log-group:[^:]+:\*$/.test(destination)) return [];
            return [{ property: "loggingConfiguration", message: `InvalidLoggingConfiguration: level ${logging.level} needs a CloudWatch Logs log group ARN ending in ":*" as its destination, got ${destination}` }];
        },
    },

    // CloudFront
    nameRule("cloudfront.originAccessControlName", ["aws:cloudfront/originAccessControl:OriginAccessControl"], "name", 1, 64, /^.+$/, "1-64 characters", `${TF}/cloudfront_origin_access_control#name`),
];

/** Why an EventBridge event pattern is refused (a JSON object whose leaves are arrays or objects), or undefined. */
function eventPatternProblem(text: string): string | undefined {
    let pattern: unknown;
    try {
        pattern = JSON.parse(text);
    } catch {
        return "Filter is not valid JSON";
    }
    const check = (node: unknown, path: string): string | undefined => {
        if (node === null || typeof node !== "object" || Array.isArray(node)) return `${path || "pattern"} must be an object`;
        for (const [key, value] of Object.entries(node as Props)) {
            if (Array.isArray(value)) {
                if (value.length === 0) return `Empty arrays are not allowed at ${path}${key}`;
                continue;
            }
            const problem = check(value, `${path}${key}.`);
            if (problem) return problem;
        }
        return undefined;
    };
    return check(pattern, "");
}

/** Why a States Language definition is refused (not JSON, no StartAt/States, a Next or StartAt that names no state), or undefined. */
function definitionProblem(text: string): string | undefined {
    let definition: any;
    try {
        definition = JSON.parse(text);
    } catch {
        return "SCHEMA_VALIDATION_FAILED: definition is not valid JSON";
    }
    const check = (machine: any, path: string): string | undefined => {
        if (!machine || typeof machine.StartAt !== "string" || !machine.States || typeof machine.States !== "object") return `MISSING_TRANSITION_TARGET: ${path} needs StartAt and States`;
        if (!(machine.StartAt in machine.States)) return `MISSING_TRANSITION_TARGET: Missing 'Next' target: ${machine.StartAt} at ${path}/StartAt`;
        for (const [name, state] of Object.entries<any>(machine.States)) {
            if (name.length > 80) return `SCHEMA_VALIDATION_FAILED: state name ${name} is longer than 80 characters`;
            if (state.Next !== undefined && !(state.Next in machine.States)) return `MISSING_TRANSITION_TARGET: Missing 'Next' target: ${state.Next} at ${path}/States/${name}/Next`;
            if (state.Type === "Parallel") {
                for (const [i, branch] of (state.Branches ?? []).entries()) {
                    const problem = check(branch, `${path}/States/${name}/Branches[${i}]`);
                    if (problem) return problem;
                }
            }
        }
        return undefined;
    };
    return check(definition, "");
}

export function rulesFor(type: string): PropertyRule[] {
    return PROPERTY_RULES.filter((r) => r.types === "*" || r.types.includes(type));
}

/** Violations of the rules enforced at `enforcement` for a resource of `type` with `inputs`. */
export function violations(type: string, inputs: Props, enforcement: Enforcement, lookup: RuleLookup): Violation[] {
    return rulesFor(type)
        .filter((r) => r.enforcement === enforcement)
        .flatMap((r) => r.verify(inputs, lookup));
}
