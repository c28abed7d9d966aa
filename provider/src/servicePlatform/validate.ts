import { distinctScalings, MAX_AUTO_SCALING_REVISIONS_PER_NAME } from "./appRunner";
import { LOG_RETENTION_DAYS } from "../shared/logs";
import { parameterProblems, windowProblems } from "../shared/postgresSettings";
import { isRdsPostgresVersion, postgresVersionAllowed } from "../shared/postgresVersions";
import { Profile } from "../shared/profile";
import { GITHUB_REPOSITORY_PATTERN, githubBranchProblem, githubSubjectProblem } from "../shared/github";
import { IAM_ACTION_PATTERN, SECRET_REFERENCE_PATTERN } from "../shared/iam";
import { ComponentValidationError, describeGiven, isKnown, parseArn, ValidationProblem, Validator } from "../shared/validation";
import { deploymentRefusal } from "../shared/replacementGuard";
import { BucketAccess, CACHE_ENGINES, Compute, CpuArchitecture, DATABASE_ENGINES, NatGateways, PlatformService, ServicePlatformArgs } from "./args";
import { isPrivateBlock, parseCidr, planSubnets } from "./cidr";
import { ecrRepositoryArnOfImage } from "./policies";
import { INJECTED_VARIABLES } from "./containers";
import { describeFargateMemory, FARGATE_TASK_SIZES, isValidFargateSize } from "../shared/fargate";
import { EXPRESS_CPU_UNITS, EXPRESS_MEMORY_MIB, EXPRESS_RESOURCES_DOC, EXPRESS_SERVICE_DOC } from "./expressModeInputs";
import { runsOnEcs } from "./settings";

export const COMPONENT = "ServicePlatform";
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const HOST_NAME = /^(?=.{1,253}$)(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const IMAGE_TAG = /^(sha256:[a-f0-9]{64}|[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$/;
/** Conditions values one load balancer rule may evaluate. */
export const MAX_ROUTES_PER_SERVICE = 5;
const APP_RUNNER_MAX_INSTANCES = 25;

/**
 * Whether tasks pull their images through interface endpoints only: Fargate in a VPC rampart creates with
 * `natGateways: none`. Then only this Region's private ECR (including ECR pull-through cache repositories, which are
 * private repositories) is reachable: https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html,
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html.
 */
export function pullsThroughEndpointsOnly(args: { compute?: Compute; network?: { natGateways?: NatGateways; existingVpc?: unknown } }): boolean {
    return runsOnEcs(args.compute) && args.network?.natGateways === NatGateways.None && !args.network.existingVpc;
}

/** Why an image cannot be pulled in a VPC without NAT, or undefined when it can (or the network has NAT). `region`: checked when known. */
export function noNatImageProblem(args: { compute?: Compute; network?: { natGateways?: NatGateways; existingVpc?: unknown } }, image: string, region?: string): string | undefined {
    if (!pullsThroughEndpointsOnly(args)) return undefined;
    const arn = ecrRepositoryArnOfImage(image);
    const imageRegion = arn?.split(":")[3];
    if (arn && (region === undefined || imageRegion === region)) return undefined;
    return (
        `with network.natGateways "none" tasks reach only this Region's private Amazon ECR through interface endpoints: give an image in ` +
        `<account>.dkr.ecr.${region ?? "<region>"}.amazonaws.com/<repository> (an ECR pull-through cache rule can mirror Docker Hub, ECR Public, Quay or GitHub images there, ` +
        `https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html), leave \`image\` out to use the repository rampart creates, or choose natGateways "instance", "single" or "onePerAz"`
    );
}

/**
 * The error of a check that can only run at deployment (on an Output): one ComponentValidationError, its message kept
 * as is (keepMessage) and without a stack, which the engine would print when it also reports the rejection as
 * unhandled (the message names the argument; the stack only names rampart's internals).
 */
export function refusalAtDeployment(resourceName: string, problems: ValidationProblem[]): ComponentValidationError {
    return deploymentRefusal(COMPONENT, resourceName, problems);
}

/** The secret reference kinds a service's `secrets` entry may hold. */
export function classifySecret(value: string): "secretsManagerArn" | "ssmParameterArn" | "value" | "invalidArn" | "empty" {
    if (value.length === 0) return "empty";
    if (!value.startsWith("arn:")) return "value";
    const arn = parseArn(value);
    if (arn?.service === "secretsmanager" && arn.resource.startsWith("secret:")) return "secretsManagerArn";
    if (arn?.service === "ssm" && arn.resource.startsWith("parameter/")) return "ssmParameterArn";
    return "invalidArn";
}

/**
 * The adopted ARNs that must be in the platform's own Region, each with why: an ECS service runs in a cluster of its
 * Region (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html), a load balancer's HTTPS
 * listener takes an ACM certificate of its Region (https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html),
 * and a regional WAF web ACL protects resources of its Region only
 * (https://docs.aws.amazon.com/waf/latest/APIReference/API_AssociateWebACL.html). Secrets (`database.existing.adminSecretArn`)
 * may live in another Region: ECS reads them by full ARN
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html).
 * The CDN's certificate must be in us-east-1 whatever the Region (checked in validateDataStores).
 */
export function regionBoundArns(args: ServicePlatformArgs): { path: string; arn: string; what: string }[] {
    const known = (value: unknown): value is string => value !== undefined && isKnown(value) && typeof value === "string" && parseArn(value) !== undefined;
    const out: { path: string; arn: string; what: string }[] = [];
    const add = (path: string, value: unknown, what: string) => {
        if (known(value)) out.push({ path, arn: value, what });
    };
    add("cluster.existingClusterArn", args?.cluster?.existingClusterArn, "an ECS cluster (a service runs in a cluster of its own Region)");
    add("domain.certificateArn", args?.domain?.certificateArn, "an ACM certificate (a load balancer uses certificates of its own Region)");
    add("loadBalancer.webAclArn", args?.loadBalancer?.webAclArn, "a regional WAF web ACL (it protects resources of its own Region only)");
    return out;
}

/** The adopted ARNs of another Region than `region`, the one the platform's AWS provider deploys to (pure). */
export function regionProblems(args: ServicePlatformArgs, region: string): ValidationProblem[] {
    return regionBoundArns(args).flatMap(({ path, arn, what }) => {
        const arnRegion = parseArn(arn)!.region;
        if (arnRegion === region) return [];
        return [{ path, given: `got "${arn}" (Region ${arnRegion || "none"})`, allowed: `${what} in the platform's Region ${region}, the Region of its AWS provider` }];
    });
}

/** Checks every ServicePlatform argument and throws one error listing all problems. */
export function validateServicePlatformArgs(name: string, args: ServicePlatformArgs): void {
    const v = new Validator(COMPONENT, name);
    if (args === undefined || args === null) {
        v.problem("args", args, "an object with at least `stage` and `services`");
        v.throwIfInvalid();
    }
    v.stage("stage", args.stage);
    v.oneOf("profile", args.profile, Object.values(Profile));
    v.oneOf("compute", args.compute, Object.values(Compute));
    v.tags("tags", args.tags);
    validateNetwork(v, args);
    validateServices(v, args);
    validateDomain(v, args);
    validateLoadBalancer(v, args);
    validateCluster(v, args);
    validateDataStores(v, args);
    validateCi(v, args);
    validateObservability(v, args);
    validateProfileNeeds(v, args);
    validateAppRunnerLimits(v, args);
    validateExpressModeLimits(v, args);
    v.arn("kmsKeyArn", args.kmsKeyArn, { service: "kms", resourcePrefix: "key/" });
    validateSecretsKmsKeys(v, args);
    v.throwIfInvalid();
}

function validateNetwork(v: Validator, args: ServicePlatformArgs): void {
    const network = args.network ?? {};
    v.oneOf("network.natGateways", network.natGateways, Object.values(NatGateways));
    if (network.existingVpc) {
        v.required("network.existingVpc.vpcId", network.existingVpc.vpcId, "the id of an existing VPC");
        for (const key of ["publicSubnetIds", "privateSubnetIds"] as const) {
            const ids = network.existingVpc[key];
            // An Output (another stack's or resource's subnet list) is checked when it resolves (network.ts).
            if (ids !== undefined && !isKnown(ids)) continue;
            const twoZones = needsTwoZones(args, key) ? twoZonesReason(args) : undefined;
            existingSubnetIdsProblems(key, ids, twoZones).forEach((p) => v.problem(p.path, undefined, p.allowed, p.given));
        }
        return;
    }
    const zones = network.availabilityZoneCount ?? 2;
    v.integerInRange("network.availabilityZoneCount", network.availabilityZoneCount, 1, 6);
    if (zones === 1 && (needsTwoZones(args, "publicSubnetIds") || needsTwoZones(args, "privateSubnetIds"))) {
        v.problem("network.availabilityZoneCount", 1, twoZonesReason(args));
    }
    const cidr = network.cidrBlock ?? "10.0.0.0/16";
    const block = parseCidr(cidr);
    if (!block) {
        v.problem("network.cidrBlock", cidr, "an IPv4 CIDR block such as 10.0.0.0/16 whose address is the block's first address");
    } else if (!isPrivateBlock(block)) {
        v.problem("network.cidrBlock", cidr, "a private block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16");
    } else if (block.prefix < 16 || block.prefix > 24) {
        v.problem("network.cidrBlock", cidr, "a prefix from /16 to /24 (AWS allows VPCs from /16 to /28; rampart needs room for two subnets per zone)");
    } else if (Number.isInteger(zones) && zones >= 1 && zones <= 6 && !planSubnets(cidr, zones)) {
        v.problem("network.cidrBlock", cidr, `a block large enough for ${zones * 2} subnets`);
    } else if (Number.isInteger(zones) && zones >= 1 && zones <= 6 && needsLoadBalancer(args)) {
        const plan = planSubnets(cidr, zones)!;
        const publicPrefix = parseCidr(plan.publicSubnets[0])!.prefix;
        if (publicPrefix > ALB_MAX_SUBNET_PREFIX) {
            v.problem(
                "network.cidrBlock",
                cidr,
                `a block of /${ALB_MAX_SUBNET_PREFIX - 4} or larger: it is cut into 16 parts, so its public subnets are /${publicPrefix}, and an Application Load Balancer needs subnets of at least /${ALB_MAX_SUBNET_PREFIX} with 8 free addresses ` +
                    "(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer)",
                `got ${cidr} (public subnets ${plan.publicSubnets.join(", ")})`,
            );
        }
    } else if (Number.isInteger(zones) && zones >= 1 && zones <= 6 && args.compute === Compute.ExpressMode) {
        // Express Mode puts its load balancer in the subnets the service runs in: rampart's private subnets.
        const plan = planSubnets(cidr, zones)!;
        const privatePrefix = parseCidr(plan.privateSubnets[0])!.prefix;
        if (privatePrefix > ALB_MAX_SUBNET_PREFIX) {
            v.problem(
                "network.cidrBlock",
                cidr,
                `a block of /${ALB_MAX_SUBNET_PREFIX - 4} or larger: Express Mode places its Application Load Balancer in the services' private subnets (${EXPRESS_RESOURCES_DOC}), here /${privatePrefix}, and a load balancer needs subnets of at least /${ALB_MAX_SUBNET_PREFIX} with 8 free addresses ` +
                    "(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer)",
                `got ${cidr} (private subnets ${plan.privateSubnets.join(", ")})`,
            );
        }
    }
}

function validateServices(v: Validator, args: ServicePlatformArgs): void {
    const services = args.services;
    if (!Array.isArray(services) || services.length === 0) {
        v.problem("services", services, "a list of at least one service");
        return;
    }
    v.unique("services", services.map((s) => s?.name), "service name");
    services.forEach((s, i) => validateService(v, args, s, `services[${i}]`));

    const publicServices = services.map((s, i) => ({ s, i })).filter(({ s }) => s?.public);
    if (publicServices.length > 1) {
        // App Runner gives every service its own URL, so only a load balancer needs distinct routes.
        const unrouted = publicServices.filter(({ s }) => !(s.pathPatterns?.length || s.hostnames?.length));
        if (unrouted.length > 1 && args.compute !== Compute.AppRunner) {
            for (const { s, i } of unrouted.slice(1)) {
                v.problem(
                    `services[${i}]`,
                    s.name,
                    `several public services need distinct routing: give pathPatterns or hostnames (services[${unrouted[0].i}] "${unrouted[0].s.name}" already takes the default route)`,
                    `public service "${s.name}" has no pathPatterns or hostnames`,
                );
            }
        }
        const seenRoutes = new Map<string, number>();
        for (const { s, i } of publicServices) {
            const routes = [...(s.pathPatterns ?? []).map((p) => `path ${p}`), ...(s.hostnames ?? []).map((h) => `host ${h}`)];
            for (const route of routes) {
                const first = seenRoutes.get(route);
                if (first !== undefined && first !== i) {
                    v.problem(`services[${i}]`, route, `routes must be distinct; services[${first}] already has it`, `route "${route}"`);
                } else {
                    seenRoutes.set(route, i);
                }
            }
        }
    }
}

function validateService(v: Validator, args: ServicePlatformArgs, s: PlatformService, path: string): void {
    if (!s || typeof s !== "object") {
        v.problem(path, s, "a service object with at least a name");
        return;
    }
    if (v.required(`${path}.name`, s.name, "a service name: lowercase letters, digits and hyphens, starting with a letter, 1-32 characters")) {
        v.pattern(`${path}.name`, s.name, SERVICE_NAME, "lowercase letters, digits and hyphens, starting with a letter, 1-32 characters");
    }
    const cpu = s.cpu ?? 256;
    const memory = s.memory ?? 512;
    if (runsOnEcs(args.compute)) {
        // A cpu Fargate does not offer is cpu's problem; memory is judged only against a valid cpu.
        if (typeof cpu !== "number" || !FARGATE_TASK_SIZES.has(cpu)) {
            v.problem(`${path}.cpu`, s.cpu, `a number of CPU units Fargate offers: one of ${[...FARGATE_TASK_SIZES.keys()].join(", ")}`);
        } else if (typeof memory !== "number" || !isValidFargateSize(cpu, memory)) {
            v.problem(`${path}.memory`, s.memory, describeFargateMemory(cpu), typeof memory === "number" ? `got memory ${memory} with cpu ${cpu}` : undefined);
        }
    }
    v.integerInRange(`${path}.port`, s.port, 1, 65535);
    (s.egressPorts ?? []).forEach((port, i) => v.integerInRange(`${path}.egressPorts[${i}]`, port, 1, 65535));
    if (s.imageTag !== undefined) {
        if (s.image !== undefined) {
            v.problem(`${path}.imageTag`, s.imageTag, "imageTag picks the tag in the repository rampart creates; with `image`, put the tag in the image");
        } else {
            v.pattern(`${path}.imageTag`, s.imageTag, IMAGE_TAG, "an image tag (letters, digits, _ . -, up to 128) or a sha256: digest");
        }
    }
    v.integerInRange(`${path}.desiredCount`, s.desiredCount, 0, 1000);
    if (s.healthCheckPath !== undefined && !/^\/[\x21-\x7e]*$/.test(s.healthCheckPath)) {
        v.problem(`${path}.healthCheckPath`, s.healthCheckPath, "a path starting with / and without spaces");
    }
    if (s.autoscaling) {
        const a = s.autoscaling;
        v.integerInRange(`${path}.autoscaling.min`, a.min, 0, 1000);
        v.integerInRange(`${path}.autoscaling.max`, a.max, 1, 1000);
        if (Number.isInteger(a.min) && Number.isInteger(a.max) && a.min > a.max) {
            v.problem(`${path}.autoscaling`, `min ${a.min} / max ${a.max}`, "min must not exceed max", `got min ${a.min} and max ${a.max}`);
        }
        v.integerInRange(`${path}.autoscaling.cpuTarget`, a.cpuTarget, 1, 100);
        v.integerInRange(`${path}.autoscaling.memoryTarget`, a.memoryTarget, 1, 100);
        if (a.requestsPerTarget !== undefined) {
            v.integerInRange(`${path}.autoscaling.requestsPerTarget`, a.requestsPerTarget, 1, 1_000_000);
            // Express Mode runs a load balancer of its own for every service.
            if (!s.public && args.compute !== Compute.ExpressMode) {
                v.problem(`${path}.autoscaling.requestsPerTarget`, a.requestsPerTarget, "request-count scaling needs a public service (behind the load balancer)");
            }
        }
    }
    for (const [key, value] of Object.entries(s.environment ?? {})) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
            v.problem(`${path}.environment.${key}`, key, "environment variable names are letters, digits and underscores, not starting with a digit");
        }
        if (isKnown(value) && typeof value === "string" && /(PASSWORD|SECRET|TOKEN|PRIVATE_KEY)$/i.test(key)) {
            v.problem(`${path}.environment.${key}`, key, "this looks like a secret: move it to `secrets` so it never appears in the task definition", `a plain value for "${key}"`);
        }
    }
    for (const [key, value] of Object.entries(s.secretArns ?? {})) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
            v.problem(`${path}.secretArns.${key}`, key, "environment variable names are letters, digits and underscores, not starting with a digit");
        }
        if (!isKnown(value)) continue;
        const kind = typeof value === "string" ? classifySecret(value) : "empty";
        const shape = typeof value === "string" ? secretArnShapeProblem(value) : undefined;
        if (shape) v.problem(`${path}.secretArns.${key}`, value, shape);
        if (kind !== "secretsManagerArn" && kind !== "ssmParameterArn") {
            v.problem(`${path}.secretArns.${key}`, kind === "value" ? "a value that is not an ARN" : value, "a Secrets Manager secret ARN or an SSM parameter ARN (secret values go in `secrets`)", kind === "value" ? "got a value that is not an ARN" : undefined);
        }
    }
    validateVariableNames(v, args, s, path);
    for (const [key, value] of Object.entries(s.secrets ?? {})) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
            v.problem(`${path}.secrets.${key}`, key, "environment variable names are letters, digits and underscores, not starting with a digit");
        }
        if (!isKnown(value)) continue;
        const kind = typeof value === "string" ? classifySecret(value) : "empty";
        const shape = typeof value === "string" ? secretArnShapeProblem(value) : undefined;
        if (shape) v.problem(`${path}.secrets.${key}`, value, shape);
        if (kind === "empty" || kind === "invalidArn") {
            v.problem(
                `${path}.secrets.${key}`,
                value,
                "a Secrets Manager secret ARN (arn:aws:secretsmanager:...:secret:...), an SSM parameter ARN (arn:aws:ssm:...:parameter/...), or a non-empty secret value",
                kind === "empty" ? "got an empty value" : undefined,
            );
        }
    }
    if (s.useDatabase && !args.database) {
        v.problem(`${path}.useDatabase`, true, "needs a `database` argument on the platform");
    }
    if (s.image !== undefined && isKnown(s.image) && typeof s.image === "string") {
        const problem = noNatImageProblem(args, s.image);
        if (problem) v.problem(`${path}.image`, s.image, problem);
    }
    validateServiceOptions(v, args, s, path);
    validatePermissions(v, args, s, path);
    if (s.useCache && !args.cache) {
        v.problem(`${path}.useCache`, true, "needs a `cache` argument on the platform");
    }
    for (const [i, host] of (s.hostnames ?? []).entries()) {
        const domain = args.domain?.name;
        if (!domain) {
            v.problem(`${path}.hostnames[${i}]`, host, "hostnames need a `domain` argument on the platform");
        } else if (host !== domain && !host.endsWith(`.${domain}`)) {
            v.problem(`${path}.hostnames[${i}]`, host, `a host name equal to or under the domain "${domain}"`);
        }
    }
    for (const [i, host] of (s.hostnames ?? []).entries()) {
        if (typeof host !== "string" || !HOST_NAME.test(host)) v.problem(`${path}.hostnames[${i}]`, host, "a lowercase host name, optionally starting with *.");
    }
    const routes = (s.pathPatterns?.length ?? 0) + (s.hostnames?.length ?? 0);
    if (routes > MAX_ROUTES_PER_SERVICE) {
        v.problem(`${path}`, `${routes} path patterns and host names`, `at most ${MAX_ROUTES_PER_SERVICE} in total (one load balancer rule evaluates at most ${MAX_ROUTES_PER_SERVICE} values)`, `got ${routes} path patterns and host names`);
    }
    for (const [i, pattern] of (s.pathPatterns ?? []).entries()) {
        if (!/^\/[A-Za-z0-9_\-.$/~"'@:+*?&]*$/.test(pattern) || pattern.length > 128) {
            v.problem(`${path}.pathPatterns[${i}]`, pattern, "a load balancer path pattern starting with / (up to 128 characters, * and ? as wildcards)");
        }
    }
}

/** Per-service container options: read-only root filesystem, architecture, ECS Exec, health-check grace period. */
function validateServiceOptions(v: Validator, args: ServicePlatformArgs, s: PlatformService, path: string): void {
    const fargate = (args.compute ?? Compute.Fargate) === Compute.Fargate;
    for (const key of ["readonlyRootFilesystem", "enableExecuteCommand"] as const) {
        if (s[key] !== undefined && typeof s[key] !== "boolean") v.problem(`${path}.${key}`, s[key], "true or false");
    }
    v.oneOf(`${path}.architecture`, s.architecture, Object.values(CpuArchitecture));
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html (healthCheckGracePeriodSeconds)
    v.integerInRange(`${path}.healthCheckGracePeriodSeconds`, s.healthCheckGracePeriodSeconds, 0, 2_147_483_647);
    if (args.compute === Compute.ExpressMode) return; // validateExpressModeLimits
    if (!fargate) {
        const notOnAppRunner: [keyof PlatformService, unknown][] = [
            ["readonlyRootFilesystem", false],
            ["architecture", CpuArchitecture.ARM64],
            ["enableExecuteCommand", true],
        ];
        for (const [key, value] of notOnAppRunner) {
            if (s[key] === value) v.problem(`${path}.${key}`, value, "an ECS Fargate option: App Runner sets its own container runtime; use compute fargate or leave it out");
        }
        if (s.healthCheckGracePeriodSeconds !== undefined) v.problem(`${path}.healthCheckGracePeriodSeconds`, s.healthCheckGracePeriodSeconds, "a load balancer option of public Fargate services; App Runner has none");
        return;
    }
    if (s.healthCheckGracePeriodSeconds !== undefined && !s.public) {
        v.problem(`${path}.healthCheckGracePeriodSeconds`, s.healthCheckGracePeriodSeconds, "applies to services behind the load balancer: set `public: true` or leave it out");
    }
    if (s.architecture === CpuArchitecture.ARM64 && s.spot === true) {
        v.problem(
            `${path}.spot`,
            true,
            "Fargate Spot runs X86_64 tasks only (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html): set spot false or architecture X86_64",
            "got spot true with architecture ARM64",
        );
    }
    if (s.enableExecuteCommand === true && s.readonlyRootFilesystem !== false) {
        v.problem(
            `${path}.enableExecuteCommand`,
            true,
            "ECS Exec needs a writable root filesystem for its agent (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html): also set readonlyRootFilesystem false",
            `got enableExecuteCommand true with readonlyRootFilesystem ${s.readonlyRootFilesystem === undefined ? "true (the default)" : String(s.readonlyRootFilesystem)}`,
        );
    }
}

/**
 * `policyStatements` and `bucketAccess`. Actions are `service:Action` without wildcards
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html); resources are ARNs, never
 * `*` (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
 */
function validatePermissions(v: Validator, args: ServicePlatformArgs, s: PlatformService, path: string): void {
    if (s.bucketAccess !== undefined) {
        v.oneOf(`${path}.bucketAccess`, s.bucketAccess, Object.values(BucketAccess));
        if (!args.storage || args.storage.bucket === false) v.problem(`${path}.bucketAccess`, s.bucketAccess, "grants access to the platform's bucket: add `storage` (with its bucket)");
    }
    const statements = s.policyStatements;
    if (statements === undefined || !isKnown(statements)) return;
    if (!Array.isArray(statements)) {
        v.problem(`${path}.policyStatements`, statements, "a list of statements, each { actions, resources }");
        return;
    }
    statements.forEach((st, j) => {
        const at = `${path}.policyStatements[${j}]`;
        if (!st || typeof st !== "object") {
            v.problem(at, st, "a statement { actions, resources }");
            return;
        }
        if (!Array.isArray(st.actions) || st.actions.length === 0) v.problem(`${at}.actions`, st.actions, "a non-empty list of IAM actions as service:Action");
        else
            st.actions.forEach((action, k) => {
                if (typeof action !== "string" || !IAM_ACTION_PATTERN.test(action)) {
                    v.problem(`${at}.actions[${k}]`, action, "an IAM action as service:Action, for example sqs:SendMessage, without wildcards (name each action)");
                }
            });
        if (isKnown(st.resources)) report(v, policyResourcesProblems(`${at}.resources`, st.resources));
    });
}

/**
 * Problems of one statement's `resources` (pure): a non-empty list of ARNs, never `*`. Elements not known yet are
 * skipped; the list is checked again, whole, when it resolves (settings.ts, shared/resolvedValidation.ts).
 */
export function policyResourcesProblems(path: string, resources: unknown): ValidationProblem[] {
    if (!Array.isArray(resources) || resources.length === 0) return [{ path, given: describeGiven(resources), allowed: "a non-empty list of resource ARNs" }];
    return resources.flatMap((resource, k): ValidationProblem[] => {
        if (!isKnown(resource)) return [];
        if (resource === "*") return [{ path: `${path}[${k}]`, given: describeGiven(resource), allowed: 'a resource ARN: "*" grants the actions on every resource in the account; name the resources' }];
        if (typeof resource !== "string" || !parseArn(resource)) return [{ path: `${path}[${k}]`, given: describeGiven(resource), allowed: "a resource ARN, arn:<partition>:<service>:<region>:<account>:<resource>" }];
        return [];
    });
}

/** Records problems a pure problem function found, with the `given` text it rendered. */
function report(v: Validator, problems: ValidationProblem[]): void {
    for (const p of problems) v.problem(p.path, undefined, p.allowed, p.given);
}

function validateDomain(v: Validator, args: ServicePlatformArgs): void {
    if (!args.domain) return;
    if (v.required("domain.name", args.domain.name, "a fully qualified domain name such as api.example.com")) {
        v.pattern("domain.name", args.domain.name, DOMAIN_NAME, "a lowercase fully qualified domain name such as api.example.com");
    }
    v.required("domain.hostedZoneId", args.domain.hostedZoneId, "the Route 53 hosted zone id that holds domain.name");
    v.arn("domain.certificateArn", args.domain.certificateArn, { service: "acm", resourcePrefix: "certificate/" });
}

function validateCluster(v: Validator, args: ServicePlatformArgs): void {
    if (args.cluster?.existingClusterArn === undefined) return;
    if (!runsOnEcs(args.compute)) v.problem("cluster.existingClusterArn", args.cluster.existingClusterArn, "only with compute fargate or expressMode: App Runner runs no ECS cluster");
    v.arn("cluster.existingClusterArn", args.cluster.existingClusterArn, { service: "ecs", resourcePrefix: "cluster/" });
}

function validateLoadBalancer(v: Validator, args: ServicePlatformArgs): void {
    const lb = args.loadBalancer;
    if (!lb) return;
    const hasLoadBalancer = (args.compute ?? Compute.Fargate) === Compute.Fargate && (args.services ?? []).some((s) => s?.public);
    if (!hasLoadBalancer) v.problem("loadBalancer", lb, "only with compute fargate and at least one `public` service: there is no load balancer otherwise");
    v.integerInRange("loadBalancer.idleTimeoutSeconds", lb.idleTimeoutSeconds, 1, 4000);
    // A load balancer takes only a regional web ACL (https://docs.aws.amazon.com/waf/latest/APIReference/API_AssociateWebACL.html).
    v.arn("loadBalancer.webAclArn", lb.webAclArn, { service: "wafv2", resourcePrefix: "regional/webacl/" });
}

/** `database` arguments that describe an instance rampart creates: refused with `database.existing`. */
export const DATABASE_CREATE_ARGUMENTS = [
    "engine",
    "engineVersion",
    "instanceClass",
    "allocatedStorageGb",
    "multiAz",
    "backupRetentionDays",
    "deletionProtection",
    "databaseName",
    "performanceInsights",
    "backupWindow",
    "maintenanceWindow",
    "parameters",
] as const;
/** `cache` arguments that describe a cache rampart creates: refused with `cache.existing`. */
export const CACHE_CREATE_ARGUMENTS = ["engine", "maxDataStorageGb", "maxEcpuPerSecond"] as const;
/** A host name (an RDS or ElastiCache endpoint address): DNS labels, no port, no scheme. */
const ENDPOINT_HOST = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;
const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** `database.existing` and `cache.existing`: shapes, and no create-argument next to them. */
function validateExistingDataStores(v: Validator, args: ServicePlatformArgs): void {
    const db = args.database?.existing;
    if (db !== undefined) {
        if (!db || typeof db !== "object") {
            v.problem("database.existing", db, "an object with host, adminSecretArn and optionally port, securityGroupId, initImage");
        } else {
            for (const key of DATABASE_CREATE_ARGUMENTS) {
                if (args.database![key] !== undefined) {
                    v.problem(`database.${key}`, args.database![key], "not with database.existing: it describes an instance rampart creates; the shared instance keeps its own settings");
                }
            }
            if ((args.compute ?? Compute.Fargate) !== Compute.Fargate) {
                v.problem(
                    "database.existing",
                    `compute ${args.compute}`,
                    "compute fargate: the stage's database and role are created by an ECS init container in each service's task, and App Runner and Express Mode run one container per service",
                );
            }
            existingHost(v, "database.existing.host", db.host, "the host name of the instance's endpoint, for example shared.abc123xyz.eu-west-1.rds.amazonaws.com, without port");
            // RDS for PostgreSQL listens on 1150-65535 (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html, Port).
            report(v, existingPortProblems("database.existing.port", db.port));
            if (v.required("database.existing.adminSecretArn", db.adminSecretArn, "the ARN of a Secrets Manager secret with the admin's username and password")) {
                const arn = db.adminSecretArn;
                if (isKnown(arn) && (typeof arn !== "string" || classifySecret(arn) !== "secretsManagerArn" || secretArnShapeProblem(arn) || /:secret:[^:]+:/.test(arn))) {
                    v.problem("database.existing.adminSecretArn", arn, `${SECRET_ARN_ALLOWED}, without a JSON key (rampart reads its username and password keys)`);
                }
            }
            securityGroupIdProblem(v, "database.existing.securityGroupId", db.securityGroupId);
            if (db.initImage !== undefined && isKnown(db.initImage)) {
                if (typeof db.initImage !== "string" || db.initImage.length === 0) v.problem("database.existing.initImage", db.initImage, "a container image reference");
                else {
                    const problem = noNatImageProblem(args, db.initImage);
                    if (problem) v.problem("database.existing.initImage", db.initImage, problem);
                }
            } else if (db.initImage === undefined && pullsThroughEndpointsOnly(args)) {
                v.problem(
                    "database.existing.initImage",
                    undefined,
                    "with network.natGateways \"none\" the init container's image must be in this Region's private ECR: mirror public.ecr.aws/docker/library/postgres with an ECR pull-through cache rule (https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html) and give it here",
                    "nothing was given (the default image is on ECR Public)",
                );
            }
        }
    }
    const cache = args.cache?.existing;
    if (cache !== undefined) {
        if (!cache || typeof cache !== "object") {
            v.problem("cache.existing", cache, "an object with host and optionally port, securityGroupId");
        } else {
            for (const key of CACHE_CREATE_ARGUMENTS) {
                if (args.cache![key] !== undefined) {
                    v.problem(`cache.${key}`, args.cache![key], "not with cache.existing: it describes a cache rampart creates; the shared cache keeps its own settings");
                }
            }
            existingHost(v, "cache.existing.host", cache.host, "the host name of the cache's endpoint, for example shared-abc123.serverless.euw1.cache.amazonaws.com, without port");
            report(v, existingPortProblems("cache.existing.port", cache.port));
            securityGroupIdProblem(v, "cache.existing.securityGroupId", cache.securityGroupId);
        }
    }
}

/**
 * Ports of shared stores: RDS for PostgreSQL listens on 1150-65535
 * (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html, Port), an ElastiCache
 * endpoint on a TCP port 1-65535 (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Endpoints.html).
 */
export const EXISTING_PORT_RANGES = { "database.existing.port": [1150, 65535], "cache.existing.port": [1, 65535] } as const;

/** Problems of `database.existing.port` or `cache.existing.port` (pure); a value not known yet is checked when it resolves. */
export function existingPortProblems(path: keyof typeof EXISTING_PORT_RANGES, port: unknown): ValidationProblem[] {
    if (port === undefined || !isKnown(port)) return [];
    const [min, max] = EXISTING_PORT_RANGES[path];
    if (typeof port !== "number" || !Number.isInteger(port) || port < min || port > max) return [{ path, given: describeGiven(port), allowed: `an integer from ${min} to ${max}` }];
    return [];
}

function existingHost(v: Validator, path: string, value: unknown, allowed: string): void {
    if (!v.required(path, value, allowed)) return;
    if (isKnown(value) && (typeof value !== "string" || !ENDPOINT_HOST.test(value))) v.problem(path, value, `${allowed} (lowercase DNS labels)`);
}

function securityGroupIdProblem(v: Validator, path: string, value: unknown): void {
    if (value === undefined || !isKnown(value)) return;
    if (typeof value !== "string" || !SECURITY_GROUP_ID.test(value)) v.problem(path, value, "a security group id, sg- and 8 or 17 hexadecimal digits");
}

function validateDataStores(v: Validator, args: ServicePlatformArgs): void {
    validateExistingDataStores(v, args);
    const db = args.database;
    if (db) {
        v.oneOf("database.engine", db.engine, DATABASE_ENGINES);
        v.integerInRange("database.allocatedStorageGb", db.allocatedStorageGb, 20, 65536);
        v.integerInRange("database.backupRetentionDays", db.backupRetentionDays, 1, 35);
        if (db.instanceClass !== undefined) {
            v.pattern("database.instanceClass", db.instanceClass, /^db\.[a-z0-9]+\.[a-z0-9]+$/, "an RDS instance class such as db.t4g.micro");
        }
        if (typeof db.engineVersion === "number") {
            // YAML and JSON read 17 and 16.10 as numbers (16.10 as 16.1): only a string keeps the version as written.
            v.problem("database.engineVersion", db.engineVersion, `a string, for example "17" or "17.6" (quote it in YAML), ${postgresVersionAllowed()}`);
        } else if (db.engineVersion !== undefined && isKnown(db.engineVersion) && (typeof db.engineVersion !== "string" || !isRdsPostgresVersion(db.engineVersion))) {
            v.problem("database.engineVersion", db.engineVersion, postgresVersionAllowed());
        }
        if (db.databaseName !== undefined) {
            v.pattern("database.databaseName", db.databaseName, /^[a-z][a-z0-9_]{0,62}$/, "a database name: lowercase letter first, then letters, digits, underscores, up to 63");
        }
        for (const p of [...windowProblems("database", db.backupWindow, db.maintenanceWindow), ...parameterProblems("database.parameters", db.parameters, db.engineVersion !== undefined)]) {
            v.problem(p.path, undefined, p.allowed, p.given);
        }
    }
    const cache = args.cache;
    if (cache) {
        v.oneOf("cache.engine", cache.engine, CACHE_ENGINES);
        v.integerInRange("cache.maxDataStorageGb", cache.maxDataStorageGb, 1, 5000);
        v.integerInRange("cache.maxEcpuPerSecond", cache.maxEcpuPerSecond, 1000, 15_000_000);
    }
    if (args.storage?.cdn && args.storage.bucket === false) {
        v.problem("storage.cdn", true, "a CDN needs the bucket: leave storage.bucket unset or true");
    }
    const cdnDomain = args.storage?.cdnDomain;
    if (cdnDomain) {
        if (!args.storage?.cdn) v.problem("storage.cdnDomain", cdnDomain.name, "a domain for the CDN: set storage.cdn to true");
        if (v.required("storage.cdnDomain.name", cdnDomain.name, "a fully qualified domain name such as cdn.example.com")) report(v, cdnDomainNameProblems(cdnDomain.name));
        v.required("storage.cdnDomain.hostedZoneId", cdnDomain.hostedZoneId, "the Route 53 hosted zone id that holds storage.cdnDomain.name");
        if (v.required("storage.cdnDomain.certificateArn", cdnDomain.certificateArn, "the ARN of an ACM certificate in us-east-1")) {
            v.arn("storage.cdnDomain.certificateArn", cdnDomain.certificateArn, { service: "acm", resourcePrefix: "certificate/" });
            const region = isKnown(cdnDomain.certificateArn) && typeof cdnDomain.certificateArn === "string" ? parseArn(cdnDomain.certificateArn)?.region : undefined;
            if (region !== undefined && parseArn(cdnDomain.certificateArn as string)?.service === "acm" && region !== "us-east-1") {
                v.problem(
                    "storage.cdnDomain.certificateArn",
                    cdnDomain.certificateArn,
                    "an ACM certificate in us-east-1: CloudFront uses certificates from that Region only (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html)",
                );
            }
        }
    }
}

/** Problems of `storage.cdnDomain.name` (pure): a lowercase fully qualified domain name; a value not known yet is checked when it resolves. */
export function cdnDomainNameProblems(name: unknown): ValidationProblem[] {
    if (name === undefined || !isKnown(name)) return [];
    if (typeof name !== "string" || !DOMAIN_NAME.test(name)) {
        return [{ path: "storage.cdnDomain.name", given: describeGiven(name), allowed: `a lowercase fully qualified domain name such as cdn.example.com (${DOMAIN_NAME.source})` }];
    }
    return [];
}

/**
 * Problems of `ci.githubRepository` and of `ci.subjects` against it (pure): `owner/repo` without wildcards, and each
 * exact subject of that repository (https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims).
 * A repository not known yet is checked, with the subjects, when it resolves.
 */
export function ciRepositoryProblems(repository: unknown, subjects: readonly unknown[] | undefined): ValidationProblem[] {
    if (!isKnown(repository)) return [];
    const problems: ValidationProblem[] = [];
    if (repository === undefined || repository === null || repository === "") {
        problems.push({ path: "ci.githubRepository", given: describeGiven(repository), allowed: "a GitHub repository as org/repo" });
    } else if (typeof repository !== "string" || !GITHUB_REPOSITORY_PATTERN.test(repository)) {
        problems.push({ path: "ci.githubRepository", given: describeGiven(repository), allowed: `a GitHub repository as org/repo, without wildcards (${GITHUB_REPOSITORY_PATTERN.source})` });
    }
    (subjects ?? []).forEach((subject, i) => {
        const problem = githubSubjectProblem(subject, repository, { allowed: false });
        if (problem) problems.push({ path: `ci.subjects[${i}]`, given: describeGiven(subject), allowed: problem });
    });
    return problems;
}

function validateCi(v: Validator, args: ServicePlatformArgs): void {
    const ci = args.ci;
    if (!ci) return;
    if (isKnown(ci.githubRepository)) report(v, ciRepositoryProblems(ci.githubRepository, ci.subjects));
    else
        // The repository is checked when it resolves, with the subjects against it; until then, their own shape.
        (ci.subjects ?? []).forEach((subject, i) => {
            const problem = githubSubjectProblem(subject, undefined, { allowed: false });
            if (problem) v.problem(`ci.subjects[${i}]`, subject, problem);
        });
    (ci.branches ?? []).forEach((branch, i) => {
        const problem = githubBranchProblem(branch, { allowed: false });
        if (problem) v.problem(`ci.branches[${i}]`, branch, problem);
    });
    v.arn("ci.oidcProviderArn", ci.oidcProviderArn, { service: "iam", resourcePrefix: "oidc-provider/token.actions.githubusercontent.com" });
    if (ci.createOidcProvider !== undefined && typeof ci.createOidcProvider !== "boolean") v.problem("ci.createOidcProvider", ci.createOidcProvider, "true or false");
    if (ci.createOidcProvider === true && ci.oidcProviderArn !== undefined) {
        v.problem("ci.createOidcProvider", true, "either createOidcProvider (this stack creates the account's provider) or oidcProviderArn (an existing one), not both");
    }
    if (Array.isArray(args.services) && args.services.length > 0 && args.services.every((s) => s?.image !== undefined)) {
        v.problem("ci", ci.githubRepository, "the CI role pushes to the ECR repositories rampart creates for services without `image`; leave `image` out of at least one service, or drop `ci`", "every service gives its own image");
    }
}

function validateObservability(v: Validator, args: ServicePlatformArgs): void {
    const o = args.observability;
    if (!o) return;
    if (o.logRetentionDays !== undefined && !LOG_RETENTION_DAYS.includes(o.logRetentionDays)) {
        v.problem("observability.logRetentionDays", o.logRetentionDays, `a CloudWatch Logs retention: one of ${LOG_RETENTION_DAYS.join(", ")}`);
    }
    for (const key of ["otelEndpointSecretArn", "otelHeadersSecretArn"] as const) {
        const value = o[key];
        if (value === undefined || !isKnown(value)) continue;
        const kind = typeof value === "string" ? classifySecret(value) : "empty";
        const shape = typeof value === "string" ? secretArnShapeProblem(value) : undefined;
        if (shape) v.problem(`observability.${key}`, value, shape);
        if (kind !== "secretsManagerArn" && kind !== "ssmParameterArn") {
            v.problem(`observability.${key}`, kind === "value" ? "a value that is not an ARN" : value, "a Secrets Manager secret ARN or an SSM parameter ARN", kind === "value" ? "got a value that is not an ARN" : undefined);
        }
    }
}

/** Production serves HTTPS only: public Fargate services need a domain for the certificate (ELB.1). */
function validateProfileNeeds(v: Validator, args: ServicePlatformArgs): void {
    const production = args.profile === Profile.Production;
    const fargate = (args.compute ?? Compute.Fargate) === Compute.Fargate;
    if (production && fargate && !args.domain && (args.services ?? []).some((s) => s?.public)) {
        v.problem(
            "domain",
            undefined,
            "the production profile serves public services over HTTPS only: give `domain` (a name in a Route 53 hosted zone) for the load balancer's certificate",
            "nothing was given for a production platform with public services",
        );
    }
}

/** Smallest subnet an Application Load Balancer accepts: /27, with at least 8 free IP addresses. */
export const ALB_MAX_SUBNET_PREFIX = 27;

/** A load balancer exists: Fargate with a public service. */
function needsLoadBalancer(args: ServicePlatformArgs): boolean {
    return (args.compute ?? Compute.Fargate) === Compute.Fargate && (args.services ?? []).some((s) => s?.public);
}

/**
 * Problems with `network.existingVpc.publicSubnetIds`/`privateSubnetIds` once the list is known: at least one subnet,
 * and two when `twoZones` says why two zones are needed (an Application Load Balancer needs subnets in at least two
 * AZs: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer;
 * a DB subnet group too: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Subnets).
 */
export function existingSubnetIdsProblems(key: "publicSubnetIds" | "privateSubnetIds", ids: unknown, twoZones: string | undefined): ValidationProblem[] {
    const path = `network.existingVpc.${key}`;
    if (!Array.isArray(ids) || ids.length === 0) return [{ path, given: describeGiven(ids), allowed: "a non-empty list of subnet ids" }];
    if (ids.length < 2 && twoZones) return [{ path, given: `got ${ids.length} subnet`, allowed: twoZones }];
    return [];
}

/** Why `network.existingVpc.<subnets>` needs two zones for these arguments, or undefined when one will do. */
export function existingSubnetsTwoZonesRule(args: ServicePlatformArgs, subnets: "publicSubnetIds" | "privateSubnetIds"): string | undefined {
    return needsTwoZones(args, subnets) ? twoZonesReason(args) : undefined;
}

function needsTwoZones(args: ServicePlatformArgs, subnets: "publicSubnetIds" | "privateSubnetIds"): boolean {
    const fargate = (args.compute ?? Compute.Fargate) === Compute.Fargate;
    if (subnets === "publicSubnetIds") return fargate && (args.services ?? []).some((s) => s?.public);
    return (args.database !== undefined && args.database.existing === undefined) || args.compute === Compute.ExpressMode;
}

function twoZonesReason(args: ServicePlatformArgs): string {
    const needs = [
        ...((args.compute ?? Compute.Fargate) === Compute.Fargate && (args.services ?? []).some((s) => s?.public) ? ["the load balancer"] : []),
        ...(args.database && args.database.existing === undefined ? ["the database subnet group"] : []),
        ...(args.compute === Compute.ExpressMode ? [`Express Mode's network configuration (at least 2 subnets, ${EXPRESS_SERVICE_DOC})`] : []),
    ];
    return `at least 2 availability zones: ${needs.join(" and ")} must span two zones`;
}

/** Names a service sets must be unique across environment, secrets and secretArns, and not ones rampart injects. */
function validateVariableNames(v: Validator, args: ServicePlatformArgs, s: PlatformService, path: string): void {
    const reserved = new Map<string, string>();
    const reserve = (names: readonly string[], by: string) => names.forEach((n) => reserved.set(n, by));
    if (s.useDatabase) reserve(INJECTED_VARIABLES.database, "useDatabase");
    if (s.useCache) reserve(INJECTED_VARIABLES.cache, "useCache");
    if (s.useCache && args.cache?.existing) reserve(INJECTED_VARIABLES.sharedCache, "useCache with cache.existing");
    if (args.observability?.otelEndpointSecretArn !== undefined || args.observability?.otelHeadersSecretArn !== undefined) reserve(INJECTED_VARIABLES.otel, "observability.otel*");
    if (args.compute === Compute.AppRunner) reserve(INJECTED_VARIABLES.appRunner, "App Runner");
    const seen = new Map<string, string>();
    for (const group of ["environment", "secrets", "secretArns"] as const) {
        for (const key of Object.keys(s[group] ?? {})) {
            const by = reserved.get(key);
            if (by) v.problem(`${path}.${group}.${key}`, key, `${key} is set by rampart (${by}); choose another name`);
            const first = seen.get(key);
            if (first) v.problem(`${path}.${group}.${key}`, key, `each variable is set once; ${path}.${first} already sets it`);
            else seen.set(key, `${group}.${key}`);
        }
    }
}

function validateAppRunnerLimits(v: Validator, args: ServicePlatformArgs): void {
    if (args.compute !== Compute.AppRunner) return;
    // One auto-scaling configuration name per platform, a revision per distinct setting: AWS allows 5 revisions a name.
    const scaled = (args.services ?? []).filter((s) => s && (s.image !== undefined || s.imageTag !== undefined));
    const scalings = distinctScalings(
        scaled.map((s) => ({
            desiredCount: typeof s.desiredCount === "number" ? s.desiredCount : 1,
            autoscaling: s.autoscaling && typeof s.autoscaling.min === "number" && typeof s.autoscaling.max === "number" ? { min: s.autoscaling.min, max: s.autoscaling.max, requestsPerTarget: s.autoscaling.requestsPerTarget } : undefined,
        })),
    );
    if (scalings.length > MAX_AUTO_SCALING_REVISIONS_PER_NAME) {
        v.problem(
            "services",
            scalings.length,
            `at most ${MAX_AUTO_SCALING_REVISIONS_PER_NAME}: the platform's services share one auto-scaling configuration name, with one revision per distinct desiredCount/autoscaling setting, and App Runner allows 5 revisions per name (https://docs.aws.amazon.com/general/latest/gr/apprunner.html); give services the same settings`,
            `got ${scalings.length} distinct App Runner scaling settings (min-max-concurrency: ${scalings.map((c) => c.key).join(", ")})`,
        );
    }
    (args.services ?? []).forEach((s, i) => {
        if (!s) return;
        if (s.command?.length) v.problem(`services[${i}].command`, s.command, "App Runner runs the image's own command: build it into the image");
        if (s.spot) v.problem(`services[${i}].spot`, true, "App Runner has no Spot capacity: use compute fargate");
        if (s.pathPatterns?.length) v.problem(`services[${i}].pathPatterns`, s.pathPatterns, "App Runner gives each service its own URL: path routing needs compute fargate");
        if (s.autoscaling?.memoryTarget !== undefined || s.autoscaling?.cpuTarget !== undefined) {
            v.problem(`services[${i}].autoscaling`, s.autoscaling, "App Runner scales on concurrent requests only: use requestsPerTarget, min and max");
        }
        if (s.autoscaling) {
            v.integerInRange(`services[${i}].autoscaling.min`, s.autoscaling.min, 1, APP_RUNNER_MAX_INSTANCES);
            v.integerInRange(`services[${i}].autoscaling.max`, s.autoscaling.max, 1, APP_RUNNER_MAX_INSTANCES);
        }
        v.integerInRange(`services[${i}].desiredCount`, s.desiredCount, 1, APP_RUNNER_MAX_INSTANCES);
        if (s.image !== undefined && isKnown(s.image) && typeof s.image === "string" && !/^(\d{12}\.dkr\.ecr\.|public\.ecr\.aws\/)/.test(s.image)) {
            v.problem(`services[${i}].image`, s.image, "App Runner pulls from Amazon ECR or ECR Public only (<account>.dkr.ecr.<region>.amazonaws.com/... or public.ecr.aws/...)");
        }
        const cpu = s.cpu ?? 256;
        const memory = s.memory ?? 512;
        // https://docs.aws.amazon.com/apprunner/latest/api/API_InstanceConfiguration.html
        const appRunnerSizes = new Map<number, number[]>([[256, [512, 1024]], [512, [1024]], [1024, [2048, 3072, 4096]], [2048, [4096, 6144]], [4096, [8192, 10240, 12288]]]);
        const sizes = "App Runner sizes: 256/512, 256/1024, 512/1024, 1024/2048-4096, 2048/4096-6144, 4096/8192-12288";
        if (typeof cpu !== "number" || !appRunnerSizes.has(cpu)) {
            v.problem(`services[${i}].cpu`, s.cpu, `a number of CPU units App Runner offers: one of ${[...appRunnerSizes.keys()].join(", ")} (${sizes})`);
        } else if (typeof memory !== "number" || !appRunnerSizes.get(cpu)!.includes(memory)) {
            v.problem(`services[${i}].memory`, s.memory, sizes, typeof memory === "number" ? `got memory ${memory} with cpu ${cpu}` : undefined);
        }
    });
}

/** A KMS key ARN; an alias ARN cannot be named in a policy to authorize use of a key (AWS KMS developer guide, "Aliases in policies"). */
const KMS_KEY_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):kms:[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d:\d{12}:key\/(mrk-)?[0-9a-f-]{32,36}$/;
const KMS_KEY_ALLOWED = "a KMS key ARN, arn:<partition>:kms:<region>:<12-digit account>:key/<key id> (an alias ARN does not authorize kms:Decrypt)";

function validateSecretsKmsKeys(v: Validator, args: ServicePlatformArgs): void {
    report(v, secretsKmsKeyArnsProblems(args.secretsKmsKeyArns));
}

/**
 * Problems of `secretsKmsKeyArns` (pure): a list of distinct KMS key ARNs
 * (https://docs.aws.amazon.com/kms/latest/developerguide/find-cmk-id-arn.html). A list or elements not known
 * yet are skipped; the list is checked again, whole, when it resolves (settings.ts).
 */
export function secretsKmsKeyArnsProblems(keys: unknown): ValidationProblem[] {
    if (keys === undefined || !isKnown(keys)) return [];
    if (!Array.isArray(keys)) return [{ path: "secretsKmsKeyArns", given: describeGiven(keys), allowed: `a list of KMS key ARNs: ${KMS_KEY_ALLOWED}` }];
    const problems: ValidationProblem[] = [];
    keys.forEach((key, i) => {
        if (!isKnown(key)) return;
        if (typeof key !== "string" || !KMS_KEY_ARN.test(key)) problems.push({ path: `secretsKmsKeyArns[${i}]`, given: describeGiven(key), allowed: KMS_KEY_ALLOWED });
    });
    const seen = new Map<unknown, number>();
    keys.forEach((key, i) => {
        if (key === undefined || !isKnown(key)) return;
        const first = seen.get(key);
        if (first !== undefined) problems.push({ path: `secretsKmsKeyArns[${i}]`, given: describeGiven(key), allowed: `each key must be unique; secretsKmsKeyArns[${first}] already uses it` });
        else seen.set(key, i);
    });
    return problems;
}

/** What a Secrets Manager reference must look like, for the error when a `secretsmanager` ARN has another shape. */
export const SECRET_ARN_ALLOWED =
    "a Secrets Manager secret ARN, arn:<partition>:secretsmanager:<region>:<12-digit account>:secret:<name>, full (the name ending in the six characters AWS appends) or partial, optionally followed by :<json-key>:<version-stage>:<version-id>; names are letters, digits and /_+=.@-";

/** A problem with the shape of a Secrets Manager ARN, or undefined (other values are classified elsewhere). */
export function secretArnShapeProblem(value: string): string | undefined {
    return classifySecret(value) === "secretsManagerArn" && !SECRET_REFERENCE_PATTERN.test(value) ? SECRET_ARN_ALLOWED : undefined;
}

/**
 * What Amazon ECS Express Mode cannot do, refused with the argument and the document
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_express_gateway_service,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-work.html). Its services run in rampart's
 * private subnets, where the load balancer ECS provisions for them is internal: no internet ingress, and the URL and
 * certificate are the ones ECS provisions, so no custom domain, host or path routing, and no settings of rampart's
 * load balancer. Express Mode takes no capacity provider, CPU architecture, ECS Exec, read-only root filesystem or
 * grace period: its task definitions use Fargate on X86_64 with ECS's defaults. It runs one scaling target per service,
 * on one metric; tasks are 256-4096 CPU units and 512-8192 MiB, in a pair Fargate offers.
 */
function validateExpressModeLimits(v: Validator, args: ServicePlatformArgs): void {
    if (args.compute !== Compute.ExpressMode) return;
    const express = `Amazon ECS Express Mode (${EXPRESS_SERVICE_DOC})`;
    if (args.domain !== undefined) {
        v.problem("domain", args.domain.name ?? args.domain, `no custom domain with compute expressMode: its services run in the private subnets behind the internal load balancer and URL ECS provisions (${EXPRESS_RESOURCES_DOC}); use compute fargate for a custom domain`);
    }
    (args.services ?? []).forEach((s, i) => {
        if (!s || typeof s !== "object") return;
        const path = `services[${i}]`;
        if (s.public === true) {
            v.problem(
                `${path}.public`,
                true,
                `no internet ingress with compute expressMode: rampart runs Express Mode services in the private subnets, where the load balancer ECS provisions is internal (${EXPRESS_RESOURCES_DOC}); use compute fargate for a public service, or leave public out`,
            );
        }
        if (s.hostnames?.length) v.problem(`${path}.hostnames`, s.hostnames, `host routing needs rampart's load balancer; ${express} gives each service its own URL: use compute fargate`);
        if (s.pathPatterns?.length) v.problem(`${path}.pathPatterns`, s.pathPatterns, `path routing needs rampart's load balancer; ${express} gives each service its own URL: use compute fargate`);
        const notOnExpress: [keyof PlatformService, unknown, string][] = [
            ["spot", true, "Express Mode runs its tasks on the FARGATE capacity provider, without Spot"],
            ["architecture", CpuArchitecture.ARM64, "Express Mode's task definitions run on X86_64"],
            ["enableExecuteCommand", true, "Express Mode services have no ECS Exec setting"],
            ["readonlyRootFilesystem", true, "Express Mode's container takes no read-only root filesystem setting (its root filesystem is writable)"],
        ];
        for (const [key, value, why] of notOnExpress) {
            if (s[key] === value) v.problem(`${path}.${key}`, value, `${why} (${EXPRESS_SERVICE_DOC}): use compute fargate or leave it out`);
        }
        if (s.healthCheckGracePeriodSeconds !== undefined) {
            v.problem(`${path}.healthCheckGracePeriodSeconds`, s.healthCheckGracePeriodSeconds, `Express Mode sets its own health-check grace period (${EXPRESS_SERVICE_DOC}): use compute fargate or leave it out`);
        }
        const cpu = s.cpu ?? 256;
        const memory = s.memory ?? 512;
        if (typeof cpu === "number" && FARGATE_TASK_SIZES.has(cpu) && !(EXPRESS_CPU_UNITS as readonly number[]).includes(cpu)) {
            v.problem(`${path}.cpu`, cpu, `one of ${EXPRESS_CPU_UNITS.join(", ")} CPU units: ${express} runs tasks of powers of 2 from 256 to 4096`);
        } else if (typeof memory === "number" && typeof cpu === "number" && isValidFargateSize(cpu, memory) && memory > EXPRESS_MEMORY_MIB.max) {
            v.problem(`${path}.memory`, memory, `${EXPRESS_MEMORY_MIB.min}-${EXPRESS_MEMORY_MIB.max} MiB: ${express} runs tasks of at most ${EXPRESS_MEMORY_MIB.max} MiB`, `got memory ${memory} with cpu ${cpu}`);
        }
        const a = s.autoscaling;
        if (a) {
            const metrics = (["cpuTarget", "memoryTarget", "requestsPerTarget"] as const).filter((k) => a[k] !== undefined);
            if (metrics.length > 1) {
                v.problem(
                    `${path}.autoscaling`,
                    metrics.join(", "),
                    `one of cpuTarget, memoryTarget or requestsPerTarget: ${express} tracks one metric per service (scalingTarget.autoScalingMetric AVERAGE_CPU, AVERAGE_MEMORY or REQUEST_COUNT_PER_TARGET)`,
                    `got ${metrics.join(" and ")}`,
                );
            }
        }
    });
    // `loadBalancer` is refused by validateLoadBalancer: there is no rampart load balancer without Fargate.
}
