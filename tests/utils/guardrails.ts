/**
 * Security guardrails over recorded resources (see `harness.ts`): a list of rules, most of them
 * AWS Foundational Security Best Practices controls (rule ids follow Security Hub: ECS.2, ELB.4,
 * ...), the rest rampart's own (ids without a control number: RDS.PASSWORD, S3.ENCRYPTION, ...).
 *
 * Each rule looks at the inputs of the resources of some types and names what is wrong; rules that
 * need a companion resource (a bucket's public access block, a VPC's default security group) look
 * it up among the other recorded resources. Inputs that are unknown (preview) are skipped, never
 * guessed. Everything here is a pure function of the recorded resources and the options.
 */
import type { RecordedResource } from "./harness";

export type GuardrailProfile = "ephemeral" | "production";

export interface GuardrailOptions {
    /** Default "ephemeral"; rules marked production-only apply in "production" alone. */
    profile?: GuardrailProfile;
    /** Plaintext values a test fed in as secrets: none may appear in an input that is not marked secret. */
    knownSecrets?: string[];
    /** Explicit, documented exceptions: each suppresses one rule for one resource name. */
    allow?: { rule: string; name: string; reason: string }[];
}

export interface GuardrailViolation {
    rule: string;
    resourceType: string;
    resourceName: string;
    message: string;
}

// ---------------------------------------------------------------------------------------------
// Resource types
// ---------------------------------------------------------------------------------------------

const T = {
    ecsService: "aws:ecs/service:Service",
    ecsTaskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    ecsCluster: "aws:ecs/cluster:Cluster",
    loadBalancers: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"],
    listeners: ["aws:lb/listener:Listener", "aws:alb/listener:Listener"],
    ecrRepository: "aws:ecr/repository:Repository",
    ecrLifecyclePolicy: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    rdsInstance: "aws:rds/instance:Instance",
    rdsCluster: "aws:rds/cluster:Cluster",
    rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    buckets: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    bucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    bucketEncryption: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    vpc: "aws:ec2/vpc:Vpc",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    flowLog: "aws:ec2/flowLog:FlowLog",
    ec2Instance: "aws:ec2/instance:Instance",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    serverlessCache: "aws:elasticache/serverlessCache:ServerlessCache",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    iamRole: "aws:iam/role:Role",
    iamPolicies: ["aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy"],
} as const;

// ---------------------------------------------------------------------------------------------
// Reading inputs
// ---------------------------------------------------------------------------------------------

/** The value of an input that is not known yet (preview); checks that meet it say nothing. */
const UNKNOWN: unique symbol = Symbol("unknown");
type Unknown = typeof UNKNOWN;

function pathSegments(path: string): string[] {
    return path.replace(/\[(\d+)\]/g, ".$1").split(".").filter((s) => s.length > 0);
}

/** Whether the input at `path`, something inside it, or something containing it is unknown. */
function isUnknown(r: RecordedResource, path: string): boolean {
    const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
    return r.unknownPaths.some((u) => overlaps(path, u) || overlaps(u, path));
}

/** The input at a dotted path (`a.b[0].c`), or UNKNOWN. */
function input(r: RecordedResource, path: string): any {
    if (isUnknown(r, path)) return UNKNOWN;
    let value: any = r.inputs;
    for (const segment of pathSegments(path)) {
        if (value === null || typeof value !== "object") return undefined;
        value = value[segment];
    }
    return value;
}

function asArray<V>(value: V | V[] | undefined | null): V[] {
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? value : [value];
}

function isTrue(value: unknown): boolean {
    return value === true || value === "true";
}

/** A JSON input (policy, container definitions) as a value: UNKNOWN, undefined when absent or not JSON. */
function jsonInput(r: RecordedResource, path: string): any {
    const value = input(r, path);
    if (value === UNKNOWN || value === undefined || value === null) return value ?? undefined;
    if (typeof value !== "string") return value; // already a document object
    try {
        return JSON.parse(value);
    } catch {
        return undefined;
    }
}

/** Identifiers a companion resource may use to reference `r`: recorded id, physical name. */
function identifiers(r: RecordedResource, ...namePaths: string[]): Set<string> {
    const ids = new Set<string>();
    for (const v of [r.state.id, ...namePaths.flatMap((p) => [r.state[p], r.inputs[p]])]) {
        if (typeof v === "string" && v.length > 0) ids.add(v);
    }
    return ids;
}

/**
 * The companion resources of the given types whose `linkPath` input names one of `ids`. `unknown`
 * is true when some candidate's link is unknown, so a missing companion cannot be concluded.
 */
function companions(ctx: Context, types: string | readonly string[], linkPath: string, ids: Set<string>): { found: RecordedResource[]; unknown: boolean } {
    let unknown = false;
    const found: RecordedResource[] = [];
    for (const candidate of ctx.ofType(types)) {
        const link = input(candidate, linkPath);
        if (link === UNKNOWN) unknown = true;
        else if (typeof link === "string" && ids.has(link)) found.push(candidate);
    }
    return { found, unknown };
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

interface Context {
    profile: GuardrailProfile;
    knownSecrets: string[];
    ofType(types: string | readonly string[]): RecordedResource[];
}

/** What a check returns: nothing when the resource complies, else one message per problem. */
type Finding = string | string[] | undefined | null | false;

interface Rule {
    id: string;
    title: string;
    /** Resource types the rule inspects ("*": every resource). */
    types: readonly string[] | "*";
    /** Applies in the production profile only. */
    productionOnly?: boolean;
    check(r: RecordedResource, ctx: Context): Finding;
}

/**
 * A rule on one input property: the finding is `message(value)` unless `ok(value)`;
 * skipped when the property is unknown or `applies` says the resource is out of scope.
 */
function propertyRule(spec: {
    id: string;
    title: string;
    types: readonly string[];
    path: string;
    ok: (value: any) => boolean;
    message: (value: any) => string;
    productionOnly?: boolean;
    applies?: (r: RecordedResource) => boolean;
}): Rule {
    return {
        id: spec.id,
        title: spec.title,
        types: spec.types,
        productionOnly: spec.productionOnly,
        check(r) {
            if (spec.applies && !spec.applies(r)) return undefined;
            const value = input(r, spec.path);
            if (value === UNKNOWN) return undefined;
            return spec.ok(value) ? undefined : spec.message(value);
        },
    };
}

const show = (v: unknown) => (v === undefined ? "not set" : JSON.stringify(v));

// --- ECS --------------------------------------------------------------------------------------

interface ContainerDefinition {
    name?: string;
    privileged?: boolean;
    readonlyRootFilesystem?: boolean;
    environment?: { name?: string; value?: string }[];
    logConfiguration?: { logDriver?: string };
}

/** Container definitions of a task definition (parsed from the JSON string), or UNKNOWN. */
function containers(r: RecordedResource): ContainerDefinition[] | Unknown {
    const defs = jsonInput(r, "containerDefinitions");
    if (defs === UNKNOWN) return UNKNOWN;
    return Array.isArray(defs) ? defs : [];
}

/** A rule applied to each container of each task definition. */
function containerRule(id: string, title: string, check: (c: ContainerDefinition, label: string) => Finding): Rule {
    return {
        id,
        title,
        types: [T.ecsTaskDefinition],
        check(r) {
            const defs = containers(r);
            if (defs === UNKNOWN) return undefined;
            return defs.flatMap((c, i) => asArray(check(c, `container "${c.name ?? `#${i}`}"`) || undefined));
        },
    };
}

/** Names that look like they carry a secret value; names that only point at one are fine. */
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|AUTH_DATA|CREDENTIAL/i;
const REFERENCE_NAME = /_(ARN|URL|URI|ENDPOINT|PATH|FILE|NAME|HEADER)$/i;
const looksSecret = (name: string) => SECRET_NAME.test(name) && !REFERENCE_NAME.test(name);

// --- ELB --------------------------------------------------------------------------------------

/** Security policies that negotiate TLS 1.2 or newer only. */
const TLS12_POLICIES: ReadonlySet<string> = new Set([
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS-1-2-2017-01",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
    "ELBSecurityPolicy-FS-1-2-Res-2019-08",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
]);

const isApplicationLb = (r: RecordedResource) => {
    const type = input(r, "loadBalancerType");
    return type === undefined || type === "application";
};

const protocolOf = (r: RecordedResource) => {
    const p = input(r, "protocol");
    return typeof p === "string" ? p.toUpperCase() : p;
};

/** Whether a listener's terminal default action is a redirect to HTTPS (authenticate-* actions come first). */
function redirectsToHttps(listener: RecordedResource): boolean | Unknown {
    const actions = input(listener, "defaultActions");
    if (actions === UNKNOWN) return UNKNOWN;
    const terminal = asArray<any>(actions).filter((a) => ["forward", "redirect", "fixed-response"].includes(a?.type));
    return terminal.length > 0 && terminal.every((a) => a.type === "redirect" && String(a.redirect?.protocol ?? "").toUpperCase() === "HTTPS");
}

function checkHttpListener(r: RecordedResource, ctx: Context): Finding {
    if (protocolOf(r) !== "HTTP") return undefined;
    const lbArn = input(r, "loadBalancerArn");
    const redirects = redirectsToHttps(r);
    if (lbArn === UNKNOWN || redirects === UNKNOWN || redirects) return undefined;
    const siblings = ctx.ofType(T.listeners).filter((l) => input(l, "loadBalancerArn") === lbArn);
    if (siblings.some((l) => protocolOf(l) === UNKNOWN)) return undefined;
    const lb = ctx.ofType(T.loadBalancers).find((b) => b.state.arn === lbArn);
    const lbLabel = lb ? `load balancer "${lb.name}"` : `load balancer ${lbArn}`;
    if (siblings.some((l) => protocolOf(l) === "HTTPS")) {
        return `HTTP listener on ${lbLabel}, which also listens on HTTPS, must redirect to HTTPS (default action type "redirect", protocol "HTTPS")`;
    }
    if (ctx.profile === "production") {
        return `${lbLabel} serves plain HTTP only (no-domain mode); production needs an HTTPS listener and an HTTP-to-HTTPS redirect`;
    }
    return undefined;
}

// --- IAM --------------------------------------------------------------------------------------

interface Statement {
    Sid?: string;
    Effect?: string;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Principal?: string | Record<string, string | string[]>;
    Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

interface PolicyDocumentAt {
    /** Input path of the document, e.g. `inlinePolicies[0].policy`. */
    path: string;
    trust: boolean;
    statements: Statement[];
}

/** The policy documents of an IAM resource: a role's trust policy and inline policies, a policy's document. */
function policyDocuments(r: RecordedResource): PolicyDocumentAt[] {
    const paths: { path: string; trust: boolean }[] = [];
    if (r.type === T.iamRole) {
        paths.push({ path: "assumeRolePolicy", trust: true });
        const inline = input(r, "inlinePolicies");
        if (inline !== UNKNOWN) asArray(inline).forEach((_, i) => paths.push({ path: `inlinePolicies[${i}].policy`, trust: false }));
    } else {
        paths.push({ path: "policy", trust: false });
    }
    const docs: PolicyDocumentAt[] = [];
    for (const { path, trust } of paths) {
        const doc = jsonInput(r, path);
        if (doc && doc !== UNKNOWN && typeof doc === "object") docs.push({ path, trust, statements: asArray(doc.Statement) });
    }
    return docs;
}

/** A rule applied to each Allow statement of each policy document (`trust` picks trust or permission policies; undefined: both). */
function statementRule(id: string, title: string, trust: boolean | undefined, check: (s: Statement) => Finding): Rule {
    return {
        id,
        title,
        types: [T.iamRole, ...T.iamPolicies],
        check(r) {
            return policyDocuments(r)
                .filter((doc) => trust === undefined || doc.trust === trust)
                .flatMap((doc) =>
                    doc.statements.flatMap((s, i) => {
                        if (s?.Effect !== "Allow") return [];
                        const label = `${doc.path} statement ${i}${s.Sid ? ` (${s.Sid})` : ""}`;
                        return asArray(check(s) || undefined).map((m) => `${label}: ${m}`);
                    }),
                );
        },
    };
}

const isWildcardAction = (a: string) => a === "*" || /^[A-Za-z0-9-]+:\*$/.test(a);

/** Actions AWS only authorizes on `Resource: "*"` (they have no resource type to scope to). */
const ACTIONS_ONLY_ON_ANY_RESOURCE: ReadonlySet<string> = new Set(
    [
        "ecr:GetAuthorizationToken",
        "ec2:DescribeInstances",
        "ec2:DescribeNetworkInterfaces",
        "ec2:CreateNetworkInterface",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "cloudwatch:PutMetricData",
        // CloudWatch Logs log delivery (Step Functions execution logs): no resource-level permissions,
        // https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html#cloudwatch-iam-policy
        "logs:CreateLogDelivery",
        "logs:GetLogDelivery",
        "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
        // ECS Exec's Session Manager channels: no resource types,
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsessionmanagermessagegatewayservice.html
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
        // KMS key creation and listing (SPIRE's aws_kms KeyManager): no resource types,
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
        "kms:CreateKey",
        "kms:ListKeys",
        "kms:ListAliases",
    ].map((a) => a.toLowerCase()),
);

const GITHUB_OIDC = "token.actions.githubusercontent.com";

/** Values of a condition key under the given operators (operator and key names compared case-insensitively). */
function conditionValues(s: Statement, operators: string[], key: string): string[] {
    const ops = operators.map((o) => o.toLowerCase());
    return Object.entries(s.Condition ?? {})
        .filter(([op]) => ops.includes(op.toLowerCase()))
        .flatMap(([, keys]) => Object.entries(keys ?? {}).filter(([k]) => k.toLowerCase() === key.toLowerCase()))
        .flatMap(([, v]) => asArray(v).map(String));
}

/** A GitHub `sub` pattern that admits any repository, or every repository of an owner. */
const isBroadGithubSubject = (sub: string) => sub === "*" || /^repo:[^/]*\*/.test(sub) || /^repo:[^/]+\/\*/.test(sub);

function checkTrustStatement(s: Statement): Finding {
    const problems: string[] = [];
    const principal = s.Principal;
    if (principal === "*" || (principal && typeof principal === "object" && asArray(principal.AWS).includes("*"))) {
        problems.push(`trusts any principal (Principal ${JSON.stringify(principal)})`);
    }
    const federated = principal && typeof principal === "object" ? asArray(principal.Federated) : [];
    if (federated.some((f) => String(f).includes(GITHUB_OIDC))) {
        const aud = conditionValues(s, ["StringEquals"], `${GITHUB_OIDC}:aud`);
        if (aud.length === 0 || aud.some((v) => v !== "sts.amazonaws.com")) {
            problems.push(`GitHub OIDC trust needs StringEquals "${GITHUB_OIDC}:aud" = "sts.amazonaws.com" (found ${aud.length ? JSON.stringify(aud) : "none"})`);
        }
        const sub = conditionValues(s, ["StringEquals", "StringLike"], `${GITHUB_OIDC}:sub`);
        if (sub.length === 0) problems.push(`GitHub OIDC trust has no StringEquals/StringLike condition on "${GITHUB_OIDC}:sub": any repository could assume it`);
        const broad = sub.filter(isBroadGithubSubject);
        if (broad.length) problems.push(`GitHub OIDC trust "sub" condition ${JSON.stringify(broad)} admits any repository of the owner or beyond`);
    }
    return problems;
}

// --- Secrets ----------------------------------------------------------------------------------

/** Whether `path` is a secret input or lies inside one. */
function isSecretPath(r: RecordedResource, path: string): boolean {
    return r.secretPaths.some((s) => s === "" || path === s || path.startsWith(`${s}.`) || path.startsWith(`${s}[`));
}

function parseJsonString(value: string): unknown {
    const t = value.trim();
    if (!(t.startsWith("{") || t.startsWith("["))) return undefined;
    try {
        return JSON.parse(t);
    } catch {
        return undefined;
    }
}

function decodeBase64(value: string): string | undefined {
    if (value.length < 16 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
    return Buffer.from(value, "base64").toString("utf8");
}

/**
 * Paths (outside secret inputs) of strings that contain a known secret. JSON strings are searched
 * inside (paths like `containerDefinitions(json)[0].environment[0].value`), as are base64 strings.
 */
function leakedSecretPaths(r: RecordedResource, secrets: string[]): { path: string; index: number }[] {
    const leaks: { path: string; index: number }[] = [];
    /** `outer`: a path of the recorded inputs (where secretPaths apply), not one inside a JSON string. */
    const visit = (value: unknown, path: string, outer: boolean): void => {
        if (outer && isSecretPath(r, path)) return;
        if (typeof value === "string") {
            const parsed = parseJsonString(value);
            if (parsed !== undefined) return visit(parsed, `${path}(json)`, false);
            const decoded = decodeBase64(value);
            secrets.forEach((secret, index) => {
                if (value.includes(secret) || decoded?.includes(secret)) leaks.push({ path, index });
            });
        } else if (Array.isArray(value)) {
            value.forEach((item, i) => visit(item, `${path}[${i}]`, outer));
        } else if (value && typeof value === "object") {
            for (const [k, item] of Object.entries(value)) visit(item, path ? `${path}.${k}` : k, outer);
        }
    };
    visit(r.inputs, "", true);
    return leaks;
}

// --- The catalogue ----------------------------------------------------------------------------

const RULES: Rule[] = [
    propertyRule({
        id: "ECS.2",
        title: "ECS services should not have public IP addresses assigned automatically",
        types: [T.ecsService],
        path: "networkConfiguration.assignPublicIp",
        ok: (v) => !isTrue(v),
        message: () => "networkConfiguration.assignPublicIp is true: tasks get public IP addresses",
    }),
    containerRule("ECS.4", "ECS containers should run as non-privileged", (c, label) => isTrue(c.privileged) && `${label} is privileged`),
    containerRule(
        "ECS.5",
        "ECS containers should be limited to read-only access to root filesystems",
        (c, label) => !isTrue(c.readonlyRootFilesystem) && `${label} does not set readonlyRootFilesystem: true`,
    ),
    containerRule("ECS.8", "Secrets should not be passed as container environment variables", (c, label) =>
        asArray(c.environment)
            .map((e) => String(e?.name ?? ""))
            .filter(looksSecret)
            .map((name) => `${label} passes "${name}" as a plain environment variable; use secrets (valueFrom)`),
    ),
    containerRule("ECS.9", "ECS task definitions should have a logging configuration", (c, label) => !c.logConfiguration?.logDriver && `${label} has no logConfiguration`),
    propertyRule({
        id: "ECS.12",
        title: "ECS clusters should use Container Insights",
        types: [T.ecsCluster],
        path: "settings",
        ok: (settings) => asArray<any>(settings).some((s) => s?.name === "containerInsights" && ["enabled", "enhanced"].includes(s?.value)),
        message: () => 'settings has no containerInsights = "enabled" or "enhanced"',
    }),
    {
        id: "ELB.1",
        title: "Application Load Balancers should redirect all HTTP requests to HTTPS (HTTP-only no-domain mode allowed in ephemeral)",
        types: T.listeners,
        check: checkHttpListener,
    },
    propertyRule({
        id: "ELB.4",
        title: "Application Load Balancers should drop invalid HTTP headers",
        types: T.loadBalancers,
        applies: isApplicationLb,
        path: "dropInvalidHeaderFields",
        ok: isTrue,
        message: (v) => `dropInvalidHeaderFields is ${show(v)}, expected true`,
    }),
    propertyRule({
        id: "ELB.5",
        title: "Application Load Balancer logging should be enabled (production)",
        types: T.loadBalancers,
        productionOnly: true,
        applies: isApplicationLb,
        path: "accessLogs.enabled",
        ok: isTrue,
        message: () => "accessLogs.enabled is not true",
    }),
    propertyRule({
        id: "ELB.6",
        title: "Load balancers should have deletion protection enabled (production)",
        types: T.loadBalancers,
        productionOnly: true,
        path: "enableDeletionProtection",
        ok: isTrue,
        message: (v) => `enableDeletionProtection is ${show(v)}, expected true`,
    }),
    propertyRule({
        id: "ELB.17",
        title: "HTTPS/TLS listeners should use a TLS 1.2+ security policy",
        types: T.listeners,
        applies: (r) => ["HTTPS", "TLS"].includes(protocolOf(r)),
        path: "sslPolicy",
        ok: (v) => TLS12_POLICIES.has(v),
        message: (v) => `sslPolicy is ${show(v)}; use a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06`,
    }),
    propertyRule({
        id: "ECR.1",
        title: "ECR private repositories should have image scanning configured",
        types: [T.ecrRepository],
        path: "imageScanningConfiguration.scanOnPush",
        ok: isTrue,
        message: () => "imageScanningConfiguration.scanOnPush is not true",
    }),
    propertyRule({
        id: "ECR.2",
        title: "ECR private repositories should have tag immutability configured",
        types: [T.ecrRepository],
        path: "imageTagMutability",
        ok: (v) => v === "IMMUTABLE" || v === "IMMUTABLE_WITH_EXCLUSION",
        message: (v) => `imageTagMutability is ${show(v)}, expected IMMUTABLE`,
    }),
    {
        id: "ECR.3",
        title: "ECR repositories should have at least one lifecycle policy configured",
        types: [T.ecrRepository],
        check(r, ctx) {
            const { found, unknown } = companions(ctx, T.ecrLifecyclePolicy, "repository", identifiers(r, "name"));
            return found.length === 0 && !unknown && "no aws.ecr.LifecyclePolicy references this repository";
        },
    },
    propertyRule({
        id: "RDS.2",
        title: "RDS DB instances should prohibit public access",
        types: [T.rdsInstance, T.rdsClusterInstance],
        path: "publiclyAccessible",
        ok: (v) => !isTrue(v),
        message: () => "publiclyAccessible is true",
    }),
    propertyRule({
        id: "RDS.3",
        title: "RDS DB instances and clusters should have encryption at rest enabled",
        types: [T.rdsInstance, T.rdsCluster],
        // A read replica inherits encryption from its source.
        applies: (r) => !input(r, "replicateSourceDb"),
        path: "storageEncrypted",
        ok: isTrue,
        message: (v) => `storageEncrypted is ${show(v)}, expected true`,
    }),
    propertyRule({
        id: "RDS.8",
        title: "RDS DB instances and clusters should have deletion protection enabled (production)",
        types: [T.rdsInstance, T.rdsCluster],
        productionOnly: true,
        path: "deletionProtection",
        ok: isTrue,
        message: (v) => `deletionProtection is ${show(v)}, expected true`,
    }),
    propertyRule({
        id: "RDS.11",
        title: "RDS DB instances and clusters should have automatic backups enabled",
        types: [T.rdsInstance, T.rdsCluster],
        path: "backupRetentionPeriod",
        ok: (v) => typeof v === "number" && v >= 1,
        message: (v) => `backupRetentionPeriod is ${show(v)}, expected at least 1 day`,
    }),
    {
        id: "RDS.PASSWORD",
        title: "RDS master passwords are managed by RDS in Secrets Manager, never passed as inputs",
        types: [T.rdsInstance, T.rdsCluster],
        check(r) {
            const problems: string[] = [];
            for (const path of ["password", "passwordWo", "masterPassword", "masterPasswordWo"]) {
                const v = input(r, path);
                if (v !== UNKNOWN && v !== undefined && v !== null && v !== "") problems.push(`sets a ${path} input; use manageMasterUserPassword: true`);
            }
            const replica = input(r, "replicateSourceDb") || input(r, "replicationSourceIdentifier");
            const managed = input(r, "manageMasterUserPassword");
            if (!replica && managed !== UNKNOWN && !isTrue(managed)) problems.push("manageMasterUserPassword is not true");
            return problems;
        },
    },
    {
        id: "S3.8",
        title: "S3 buckets should block public access (all four bucket-level settings)",
        types: T.buckets,
        check(r, ctx) {
            const { found, unknown } = companions(ctx, T.bucketPublicAccessBlock, "bucket", identifiers(r, "bucket"));
            if (found.length === 0) return !unknown && "no aws.s3.BucketPublicAccessBlock references this bucket";
            const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
            const complete = found.some((pab) => flags.every((f) => input(pab, f) === UNKNOWN || isTrue(input(pab, f))));
            if (complete) return undefined;
            const missing = flags.filter((f) => !found.some((pab) => isTrue(input(pab, f))));
            return `BucketPublicAccessBlock "${found[0].name}" does not set ${missing.join(", ")} to true`;
        },
    },
    {
        id: "S3.5",
        title: "S3 bucket policies should require requests to use SSL (Deny on aws:SecureTransport = false)",
        types: T.buckets,
        check(r, ctx) {
            const { found, unknown } = companions(ctx, T.bucketPolicy, "bucket", identifiers(r, "bucket"));
            const documents = [...found.map((p) => jsonInput(p, "policy")), jsonInput(r, "policy")];
            if (documents.includes(UNKNOWN) || unknown) return undefined;
            const deniesPlainHttp = documents.some((doc) =>
                asArray<Statement>(doc?.Statement).some(
                    (s) => s?.Effect === "Deny" && conditionValues(s, ["Bool"], "aws:SecureTransport").some((v) => v === "false"),
                ),
            );
            if (deniesPlainHttp) return undefined;
            return found.length === 0
                ? "no aws.s3.BucketPolicy references this bucket (needs a Deny on aws:SecureTransport = false)"
                : `BucketPolicy "${found[0].name}" has no Deny statement with Condition Bool aws:SecureTransport = "false"`;
        },
    },
    {
        id: "S3.ENCRYPTION",
        title: "S3 buckets have a server-side encryption configuration",
        types: T.buckets,
        check(r, ctx) {
            const inline = input(r, r.type === T.buckets[0] ? "serverSideEncryptionConfiguration" : "serverSideEncryptionConfigurations");
            if (inline === UNKNOWN || asArray(inline).length > 0) return undefined;
            const { found, unknown } = companions(ctx, T.bucketEncryption, "bucket", identifiers(r, "bucket"));
            return found.length === 0 && !unknown && "no aws.s3.BucketServerSideEncryptionConfiguration references this bucket";
        },
    },
    {
        id: "EC2.2",
        title: "VPC default security groups should not allow inbound or outbound traffic",
        types: [T.vpc],
        check(r, ctx) {
            const { found, unknown } = companions(ctx, T.defaultSecurityGroup, "vpcId", identifiers(r));
            if (found.length === 0) return !unknown && "no aws.ec2.DefaultSecurityGroup takes over this VPC's default security group (its default rules stay open)";
            return found.flatMap((sg) =>
                ["ingress", "egress"]
                    .filter((dir) => {
                        const rules = input(sg, dir);
                        return rules !== UNKNOWN && asArray(rules).length > 0;
                    })
                    .map((dir) => `DefaultSecurityGroup "${sg.name}" has ${dir} rules; it must have none`),
            );
        },
    },
    {
        id: "EC2.6",
        title: "VPC flow logging should be enabled in all VPCs (production)",
        types: [T.vpc],
        productionOnly: true,
        check(r, ctx) {
            const { found, unknown } = companions(ctx, T.flowLog, "vpcId", identifiers(r));
            return found.length === 0 && !unknown && "no aws.ec2.FlowLog for this VPC";
        },
    },
    propertyRule({
        id: "EC2.IMDSV2",
        title: "EC2 instances and launch templates require IMDSv2 (metadataOptions.httpTokens = required)",
        types: [T.ec2Instance, T.launchTemplate],
        // An instance launched from a template without its own metadataOptions takes the template's (checked there).
        applies: (r) => !(r.type === T.ec2Instance && input(r, "launchTemplate") && input(r, "metadataOptions") === undefined),
        path: "metadataOptions",
        ok: (m) => m?.httpTokens === "required" || m?.httpEndpoint === "disabled",
        message: (m) => `metadataOptions.httpTokens is ${show(m?.httpTokens)}, expected "required"`,
    }),
    {
        id: "ELASTICACHE",
        title: "ElastiCache replication groups encrypt at rest and in transit; serverless caches have security groups",
        types: [T.replicationGroup, T.serverlessCache],
        check(r) {
            if (r.type === T.serverlessCache) {
                const groups = input(r, "securityGroupIds");
                return groups !== UNKNOWN && asArray(groups).length === 0 && "securityGroupIds is empty: the cache gets the VPC's default security group";
            }
            return ["atRestEncryptionEnabled", "transitEncryptionEnabled"]
                .filter((p) => input(r, p) !== UNKNOWN && !isTrue(input(r, p)))
                .map((p) => `${p} is ${show(input(r, p))}, expected true`);
        },
    },
    propertyRule({
        id: "LOGS.RETENTION",
        title: "CloudWatch log groups set a retention period",
        types: [T.logGroup],
        path: "retentionInDays",
        ok: (v) => typeof v === "number" && v > 0,
        message: (v) => `retentionInDays is ${show(v)}; logs would be kept forever`,
    }),
    statementRule("IAM.WILDCARD_ACTION", 'IAM policies do not allow Action "*" or "service:*"', undefined, (s) => {
        if (s.NotAction !== undefined) return `allows every action except ${JSON.stringify(s.NotAction)} (NotAction)`;
        const wild = asArray(s.Action).filter((a) => isWildcardAction(String(a)));
        return wild.length > 0 && `allows wildcard action ${wild.map((a) => JSON.stringify(a)).join(", ")}`;
    }),
    statementRule("IAM.WILDCARD_RESOURCE", 'IAM Allow statements do not use Resource "*" except for actions AWS only grants on "*"', false, (s) => {
        if (s.NotResource !== undefined) return `allows on every resource except ${JSON.stringify(s.NotResource)} (NotResource)`;
        if (!asArray(s.Resource).includes("*")) return undefined;
        const actions = asArray(s.Action).map(String);
        const scopable = s.NotAction !== undefined ? ["(NotAction)"] : actions.filter((a) => !ACTIONS_ONLY_ON_ANY_RESOURCE.has(a.toLowerCase()));
        if (scopable.length === 0 && actions.length > 0) return undefined;
        const named = scopable.length ? scopable.map((a) => JSON.stringify(a)).join(", ") : "no named action";
        return `Resource "*" for ${named}, which can be scoped to resources; name them`;
    }),
    statementRule(
        "IAM.TRUST_WILDCARD",
        'Trust policies do not trust Principal "*", and GitHub OIDC trust pins aud and a specific sub',
        true,
        checkTrustStatement,
    ),
    {
        id: "SECRETS.PLAINTEXT",
        title: "Known secret values appear only in inputs marked secret",
        types: "*",
        check(r, ctx) {
            return leakedSecretPaths(r, ctx.knownSecrets).map(
                ({ path, index }) => `input "${path}" contains known secret #${index + 1} in plaintext (the input is not marked secret)`,
            );
        },
    },
];

/** The rule catalogue (ids and titles), for documentation. */
export const GUARDRAIL_RULES: { id: string; title: string }[] = RULES.map(({ id, title }) => ({ id, title }));

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/** Every guardrail violation among the resources, in catalogue order. */
export function checkGuardrails(resources: RecordedResource[], options: GuardrailOptions = {}): GuardrailViolation[] {
    const profile = options.profile ?? "ephemeral";
    const allow = options.allow ?? [];
    for (const a of allow) {
        if (!RULES.some((rule) => rule.id === a.rule)) throw new Error(`guardrail allow entry names an unknown rule "${a.rule}"`);
        if (!a.reason?.trim()) throw new Error(`guardrail allow entry for ${a.rule} "${a.name}" needs a reason`);
    }
    const ctx: Context = {
        profile,
        knownSecrets: (options.knownSecrets ?? []).filter((s) => typeof s === "string" && s.length > 0),
        ofType: (types) => {
            const wanted = asArray<string>(types as string | string[]);
            return resources.filter((r) => wanted.includes(r.type));
        },
    };
    const violations: GuardrailViolation[] = [];
    for (const rule of RULES) {
        if (rule.productionOnly && profile !== "production") continue;
        const targets = rule.types === "*" ? resources : ctx.ofType(rule.types);
        for (const r of targets) {
            if (allow.some((a) => a.rule === rule.id && a.name === r.name)) continue;
            for (const message of asArray(rule.check(r, ctx) || undefined)) {
                violations.push({ rule: rule.id, resourceType: r.type, resourceName: r.name, message });
            }
        }
    }
    return violations;
}

export function formatViolation(v: GuardrailViolation): string {
    return `${v.rule} ${v.resourceType} "${v.resourceName}": ${v.message}`;
}

/** Throws one Error whose message lists every violation, one per line (`<rule> <type> "<name>": <message>`). */
export function assertGuardrails(resources: RecordedResource[], options?: GuardrailOptions): void {
    const violations = checkGuardrails(resources, options);
    if (violations.length > 0) {
        throw new Error(violations.map(formatViolation).join("\n"));
    }
}
