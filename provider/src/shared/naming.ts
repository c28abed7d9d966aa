import { createHash } from "crypto";

/**
 * Physical-name rules of the AWS resources rampart creates. `maxLength` is the service's limit;
 * `lowercase` services reject capitals; `alphanumericStart` names must begin with a letter.
 */
export interface NamingRule {
    maxLength: number;
    lowercase?: boolean;
    /** Characters allowed besides letters and digits. */
    allowed: string;
    alphanumericStart?: boolean;
    /** The name must not end with a hyphen nor contain two in a row (RDS, ElastiCache, S3). */
    noDoubleOrTrailingHyphen?: boolean;
    /** Beginnings the service reserves (a load balancer named `internal-...`, a bucket named `xn--...`). */
    reservedPrefixes?: readonly string[];
    /** Endings the service reserves (S3 access point aliases `-s3alias`, directory buckets `--x-s3`). */
    reservedSuffixes?: readonly string[];
}

export const NAMING_RULES = {
    /**
     * Application and Network Load Balancers: up to 32 letters, digits and hyphens, not beginning or ending with a
     * hyphen, not beginning with `internal-`.
     * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
     */
    loadBalancerName: { maxLength: 32, allowed: "-", alphanumericStart: true, noDoubleOrTrailingHyphen: true, reservedPrefixes: ["internal-"] },
    targetGroupName: { maxLength: 32, allowed: "-", alphanumericStart: true, noDoubleOrTrailingHyphen: true },
    iamRoleName: { maxLength: 64, allowed: "+=,.@_-" },
    iamPolicyName: { maxLength: 128, allowed: "+=,.@_-" },
    /** https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html */
    s3Bucket: {
        maxLength: 63,
        lowercase: true,
        allowed: "-",
        alphanumericStart: true,
        noDoubleOrTrailingHyphen: true,
        reservedPrefixes: ["xn--", "sthree-", "amzn-s3-demo-"],
        reservedSuffixes: ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"],
    },
    ecrRepository: { maxLength: 256, lowercase: true, allowed: "-_./" },
    ecsCluster: { maxLength: 255, allowed: "-_" },
    ecsService: { maxLength: 255, allowed: "-_" },
    rdsIdentifier: { maxLength: 63, lowercase: true, allowed: "-", alphanumericStart: true, noDoubleOrTrailingHyphen: true },
    elastiCacheServerless: { maxLength: 40, lowercase: true, allowed: "-", alphanumericStart: true, noDoubleOrTrailingHyphen: true },
    lambdaFunction: { maxLength: 64, allowed: "-_" },
    dynamoTable: { maxLength: 255, allowed: "-_." },
    secretsManagerSecret: { maxLength: 512, allowed: "/_+=.@-" },
    logGroup: { maxLength: 512, allowed: "/_.#-" },
    cognitoUserPool: { maxLength: 128, allowed: "-_" },
    cognitoDomainPrefix: { maxLength: 63, lowercase: true, allowed: "-", alphanumericStart: true, noDoubleOrTrailingHyphen: true },
    appRunnerService: { maxLength: 40, allowed: "-_", alphanumericStart: true },
    securityGroup: { maxLength: 255, allowed: " ._-:/()#,@[]+=&;{}!$*" },
    /** App Runner auto scaling configuration names: 4-32 characters, letter or digit first. https://docs.aws.amazon.com/apprunner/latest/api/API_CreateAutoScalingConfiguration.html */
    appRunnerAutoScalingConfiguration: { maxLength: 32, allowed: "-_", alphanumericStart: true },
    /** App Runner VPC connector names: 4-40 characters. https://docs.aws.amazon.com/apprunner/latest/api/API_CreateVpcConnector.html */
    appRunnerVpcConnector: { maxLength: 40, allowed: "-_", alphanumericStart: true },
    /** App Runner VPC ingress connection names: 4-40 letters, digits, `-` and `_`, letter or digit first; unique per account and Region. https://docs.aws.amazon.com/apprunner/latest/api/API_CreateVpcIngressConnection.html */
    appRunnerVpcIngressConnection: { maxLength: 40, allowed: "-_", alphanumericStart: true },
    /** CloudFront origin access control names: up to 64 characters. https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControlConfig.html */
    cloudFrontOriginAccessControl: { maxLength: 64, allowed: "-_.", alphanumericStart: true },
    /** `Name` tag values shown in the console: tag values allow up to 256 characters; kept to 128. */
    label: { maxLength: 128, allowed: "-_./" },
    /** Step Functions state machine names: 1-80 letters, digits, `-` and `_` (https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html#StepFunctions-CreateStateMachine-request-name). */
    stepFunctionsStateMachine: { maxLength: 80, allowed: "-_" },
    /** EventBridge rule names: 1-64 characters of `[.\-_A-Za-z0-9]` (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html#eventbridge-PutRule-request-Name). */
    eventBridgeRule: { maxLength: 64, allowed: ".-_" },
    /** One segment of a hierarchical name (SSM parameter, log group): no `/`, so a name cannot add segments. */
    pathSegment: { maxLength: 128, allowed: "_.-" },
} satisfies Record<string, NamingRule>;

export type NamingRuleName = keyof typeof NAMING_RULES;

const HASH_LENGTH = 6;

/** A short, stable hash used to keep truncated names unique. */
export function shortHash(text: string, length = HASH_LENGTH): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/**
 * A stage-aware physical name: `<prefix>-<stage>[-<suffix>]`, within the service's rules. Two different inputs never
 * give one name (up to a 24-bit hash collision):
 * - a name that is already valid for the service and fits is used as it is (so existing stacks keep their names);
 * - when cleaning changes the text (capitals lowered, a character the service rejects replaced, hyphens collapsed or
 *   trimmed, an `r` put in front of a name that must start with a letter), the cleaning could map two texts to one
 *   name, so the name ends in a hash of the raw text: `My_App` and `my-app` give `my-app-dev-<hash>` and `my-app-dev`;
 * - a name over the limit is cut and ends in a hash of the raw text, so long names that differ only at the end stay
 *   distinct.
 * The same inputs always give the same name. What remains ambiguous is where the parts meet: prefix `a-b` with stage
 * `c` and prefix `a` with stage `b-c` both read `a-b-c` (every part is clean, so the name is kept as it is today).
 */
export function physicalName(rule: NamingRuleName | NamingRule, parts: { prefix: string; stage: string; suffix?: string }): string {
    const r: NamingRule = typeof rule === "string" ? NAMING_RULES[rule] : rule;
    const full = [parts.prefix, parts.stage, parts.suffix].filter((p) => p !== undefined && p !== "").join("-");
    return fitName(full, r);
}

/**
 * One piece of a longer AWS name (a path segment of an SSM parameter or log group name): kept as it is when the
 * service accepts it, else cleaned and ended with a hash of the raw text, as `physicalName` does.
 */
export function physicalPart(rule: NamingRuleName | NamingRule, text: string): string {
    return fitName(text, typeof rule === "string" ? NAMING_RULES[rule] : rule);
}

/** Whether the text is a valid name for the rule as it is (nothing to clean, within the limit). */
export function isCleanName(text: string, rule: NamingRuleName | NamingRule): boolean {
    const r: NamingRule = typeof rule === "string" ? NAMING_RULES[rule] : rule;
    return text.length > 0 && text.length <= r.maxLength && withLetterStart(clean(text, r), r) === text;
}

function fitName(full: string, r: NamingRule): string {
    const name = withLetterStart(clean(full, r), r);
    if (name === full && name.length <= r.maxLength && !hasReservedSuffix(name, r)) return name;
    return withLetterStart(clean(`${name.slice(0, r.maxLength - HASH_LENGTH - 1)}-${shortHash(full)}`, r), r);
}

/** Puts an `r` in front of a name that must start with a letter, or that starts the way the service reserves. */
function withLetterStart(name: string, r: NamingRule): string {
    const reserved = (r.reservedPrefixes ?? []).some((p) => name.toLowerCase().startsWith(p));
    return (r.alphanumericStart && !/^[a-zA-Z]/.test(name)) || reserved ? clean(`r${name}`, r) : name;
}

function hasReservedSuffix(name: string, r: NamingRule): boolean {
    return (r.reservedSuffixes ?? []).some((s) => name.toLowerCase().endsWith(s));
}

function clean(name: string, rule: NamingRule): string {
    let out = rule.lowercase ? name.toLowerCase() : name;
    const allowed = new Set(rule.allowed.split(""));
    out = Array.from(out)
        .map((ch) => (/[a-zA-Z0-9]/.test(ch) || allowed.has(ch) ? ch : "-"))
        .join("");
    if (rule.noDoubleOrTrailingHyphen) {
        out = out.replace(/-{2,}/g, "-").replace(/-+$/g, "").replace(/^-+/g, "");
    }
    return out;
}
