import * as pulumi from "@pulumi/pulumi";
import { Profile } from "../shared/profile";

/** How Verified Permissions validates policies against the schema. */
export enum ValidationMode {
    /** Every policy must validate against the schema (checked locally with Cedar before deploy). */
    Strict = "strict",
    /** No schema validation. */
    Off = "off",
}

/** Multi-factor authentication of the user pool. */
export enum MfaMode {
    Off = "off",
    /** Users may enrol a TOTP app. */
    Optional = "optional",
    /** Every user must use a TOTP app. */
    Required = "required",
}

/** Where the authorizer gets the principal from. */
export enum TokenSource {
    /** Cognito tokens, verified against the pool and passed to IsAuthorizedWithToken. */
    IdentitySource = "identitySource",
    /** HS256 JWTs signed with a shared secret kept in Secrets Manager, then IsAuthorized. */
    JwtSecret = "jwtSecret",
}

/** Instruction set of the authorizer function. */
export enum LambdaArchitecture {
    Arm64 = "arm64",
    X86_64 = "x86_64",
}

/** A Cedar policy. */
export interface CedarPolicy {
    /** Unique id, used in error messages and resource names. */
    id: string;
    /**
     * The Cedar policy text: exactly one policy (or template). `{userPoolId}` is replaced by the
     * prefix of user and group ids: the user pool id (Verified Permissions names Cognito users
     * `<pool id>|<sub>` and groups `<pool id>|<group>`), or `jwt` in jwtSecret mode without Cognito.
     */
    statement: string;
    /** What the policy is for. */
    description?: string;
}

/** The Verified Permissions policy store. */
export interface PolicyStoreConfig {
    /** Schema validation mode. Default: `strict`. */
    validationMode?: ValidationMode;
    /** Cedar schema as a JSON string. Give this or `schemaFile`. */
    schema?: string;
    /** Path of a Cedar JSON schema file, relative to the program's working directory. */
    schemaFile?: string;
    /** Static policies. */
    policies?: CedarPolicy[];
    /**
     * Folder of `.cedar` files relative to the program's working directory, one policy or template
     * per file; the file name (without extension) is the id and a first `// comment` line the description.
     */
    policyDir?: string;
    /** Policy templates (must constrain principal or resource with ?principal / ?resource). */
    templates?: CedarPolicy[];
    /** Description of the policy store. */
    description?: string;
}

/** SES settings for Cognito e-mail. The SES identity is supplied by the consumer, never created. */
export interface SesConfig {
    /** ARN of a verified SES identity in the user pool's region. */
    sourceArn: string;
    /** From address, for example `no-reply@example.com`. */
    fromEmail: string;
    /** Reply-to address. */
    replyToEmail?: string;
    /** SES configuration set name. */
    configurationSet?: string;
}

/** The Cognito user pool used as identity source. */
export interface CognitoConfig {
    /** Create the user pool and identity source. Default: `true` for ephemeral, `false` for production. */
    enabled?: boolean;
    /** Attributes users sign in with: `email`, `phone_number` or `preferred_username`. Default: `["email"]`. */
    signInAliases?: string[];
    /** Multi-factor authentication. Default: `optional` (TOTP). */
    mfa?: MfaMode;
    /** Send e-mail through SES. Default: Cognito's built-in e-mail (low daily limit). */
    sesConfig?: SesConfig;
    /** Hosted UI domain prefix, unique per region across all accounts. Default: `<name>-<stage>-<accountAlias>`. */
    domainPrefix?: string;
    /** User groups, mapped to Cedar groups by the identity source. */
    groups?: string[];
}

/**
 * How an API request becomes a Cedar action and resource. Templates may use `{method}` (upper
 * case), `{path}` (the request path, `/documents/42`), `{route}` (API Gateway's route template,
 * `/documents/{id}`; the path for TOKEN authorizers), `{stage}` and `{apiId}`.
 */
export interface ActionMapping {
    /** Entity type of actions. Default: `<namespace>::Action`. */
    actionType?: string;
    /** Action id built from the request. Default: `{method} {route}`, for example `GET /documents/{id}`. */
    actionIdTemplate?: string;
    /** Entity type of the resource. Default: `<namespace>::Resource`. */
    resourceType?: string;
    /** Resource id built from the request. Default: `{path}`. */
    resourceIdTemplate?: string;
}

/** The Lambda authorizer. */
export interface AuthorizerConfig {
    /** Where the principal comes from. Default: `identitySource`. */
    tokenSource?: TokenSource;
    /** HS256 signing secret (`jwtSecret` mode). Default: generated and kept in Secrets Manager. */
    jwtSecret?: pulumi.Input<string>;
    /** Memory in MB. Default: `128`. */
    memorySize?: number;
    /** Reserved concurrency; `0` reserves none (the account's unreserved pool is used). Default: `1`. */
    reservedConcurrency?: number;
    /** Provisioned concurrency (costs money while idle). Default: `0`. */
    provisionedConcurrency?: number;
    /** Timeout in seconds. Default: `5`. */
    timeoutSeconds?: number;
    /** Log retention in days. Default: `7` for ephemeral, `90` for production. */
    logRetentionDays?: number;
    /** Instruction set. Default: `arm64`. */
    architecture?: LambdaArchitecture;
    /** How requests map to Cedar actions and resources. */
    actionMapping?: ActionMapping;
    /**
     * API Gateway authorizer cache TTL in seconds, 0-3600, exported as `authorizerCacheTtlSeconds`
     * for the API's authorizer. Decisions are per method and path, so a cache key must include them. Default: `300`.
     */
    cacheTtlSeconds?: number;
}

/** The on-demand DynamoDB table (string keys `pk` and `sk`, encrypted). */
export interface TableConfig {
    /** DynamoDB streams (new and old images). Default: `false`. */
    streams?: boolean;
    /** Point-in-time recovery. Default: `false` for ephemeral, `true` for production. */
    pointInTimeRecovery?: boolean;
    /** Attribute holding expiry times. Default: none. */
    ttlAttribute?: string;
}

/** Arguments of AuthorizerWithPolicyStore. */
export interface AuthorizerWithPolicyStoreArgs {
    /** Stage name: lowercase letters, digits and hyphens, 1-32 characters, for example `pr-123`. */
    stage: string;
    /** Account alias carried in tags: lowercase letters, digits and hyphens, 1-20 characters. */
    accountAlias: string;
    /** Ephemeral or production defaults. Default: `ephemeral`. */
    profile?: Profile;
    /** Tags added to every taggable resource; they win over rampart's standard tags. */
    tags?: { [key: string]: string };
    /** Repository tag value (`Repo`). Default: none. */
    repo?: string;
    /** Owner tag value (`Owner`). Default: none. */
    owner?: string;
    /** Time-to-live tag value (`TTL`), for sweepers of abandoned stages, for example `2026-12-01` or `72h`. Default: none. */
    ttl?: string;
    /** The policy store and its Cedar schema and policies. */
    policyStore: PolicyStoreConfig;
    /** The Cognito identity source. */
    cognito?: CognitoConfig;
    /** The Lambda authorizer. */
    authorizer?: AuthorizerConfig;
    /** The DynamoDB table. */
    table?: TableConfig;
    /** Keep the table, user pool and policy store when the stack is destroyed. Default: `false` for ephemeral, `true` for production. */
    retainOnDelete?: boolean;
    /** Deletion protection on the table and user pool. Default: `false` for ephemeral, `true` for production. */
    deletionProtection?: boolean;
}
