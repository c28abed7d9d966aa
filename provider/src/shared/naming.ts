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
}

export const NAMING_RULES = {
    albName: { maxLength: 32, allowed: "-", alphanumericStart: true, noDoubleOrTrailingHyphen: true },
    targetGroupName: { maxLength: 32, allowed: "-", alphanumericStart: true, noDoubleOrTrailingHyphen: true },
    iamRoleName: { maxLength: 64, allowed: "+=,.@_-" },
    iamPolicyName: { maxLength: 128, allowed: "+=,.@_-" },
    s3Bucket: { maxLength: 63, lowercase: true, allowed: "-", alphanumericStart: true, noDoubleOrTrailingHyphen: true },
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
} satisfies Record<string, NamingRule>;

export type NamingRuleName = keyof typeof NAMING_RULES;

const HASH_LENGTH = 6;

/** A short, stable hash used to keep truncated names unique. */
export function shortHash(text: string, length = HASH_LENGTH): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/**
 * A stage-aware physical name: `<prefix>-<stage>[-<suffix>]`, cleaned for the service's rules.
 * Names that would exceed the limit are cut and end in a hash of the full name, so two long names
 * that differ only at the end stay distinct and the same inputs always give the same name.
 */
export function physicalName(rule: NamingRuleName | NamingRule, parts: { prefix: string; stage: string; suffix?: string }): string {
    const r: NamingRule = typeof rule === "string" ? NAMING_RULES[rule] : rule;
    const full = [parts.prefix, parts.stage, parts.suffix].filter((p) => p !== undefined && p !== "").join("-");
    let name = clean(full, r);
    if (name.length > r.maxLength) {
        const hash = shortHash(full);
        name = clean(`${name.slice(0, r.maxLength - HASH_LENGTH - 1)}-${hash}`, r);
    }
    if (r.alphanumericStart && !/^[a-zA-Z]/.test(name)) {
        name = clean(`r${name}`.slice(0, r.maxLength), r);
    }
    return name;
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
