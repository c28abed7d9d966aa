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
    /** What the policy is for. Default: none. */
    description?: string;
}

/** The Verified Permissions policy store. */
export interface PolicyStoreConfig {
    /** Schema validation mode. Default: `strict`. */
    validationMode?: ValidationMode;
    /** Cedar schema as a JSON string. Give this or `schemaFile`. Default: none. */
    schema?: string;
    /** Path of a Cedar JSON schema file, relative to the program's working directory. Default: none. */
    schemaFile?: string;
    /** Static policies. Default: none. */
    policies?: CedarPolicy[];
    /**
     * Folder of `.cedar` files relative to the program's working directory, one policy or template
     * per file; the file name (without extension) is the id and a first `// comment` line the description.
     * Default: none.
     */
    policyDir?: string;
    /** Policy templates (must constrain principal or resource with ?principal / ?resource). Default: none. */
    templates?: CedarPolicy[];
    /** Description of the policy store (a created one only). Default: none. */
    description?: string;
    /**
     * Adopt an existing Verified Permissions policy store instead of creating one (as CDK's
     * `PolicyStore.fromPolicyStoreId`): its id, 1-200 letters, digits and hyphens
     * (https://docs.aws.amazon.com/verifiedpermissions/latest/apireference/API_GetPolicyStore.html),
     * looked up at preview (the store must exist in the stack's account and region). rampart then
     * creates no policy store, never deletes it, and still validates (with Cedar, before deploy) and
     * manages the policies and templates given here, as resources of this stack in that store; the
     * authorizer is allowed `IsAuthorized*` on that store only. `validationMode` and `description`
     * are the store's own business and are ignored; the schema given is used for local validation
     * and put in the store only with `applySchema`; no identity source is created unless
     * `createIdentitySource`. Verified Permissions evaluates every policy in a store for every
     * request: stages sharing a store share their decisions (see the README, "Sharing a policy
     * store"). May be another stack's or resource's output (a stack reference to the stack that owns the store, or
     * a `PolicyStore`'s `policyStoreId`): a value known at preview is checked then, one known only at deployment when
     * it resolves, before any policy is written to the store. Default: none (create a store per stage).
     */
    existingPolicyStoreId?: pulumi.Input<string>;
    /**
     * With `existingPolicyStoreId`: put `schema`/`schemaFile` into the adopted store (PutSchema), replacing
     * the schema every other user of the store validates against. Only for a store this stack alone
     * writes schemas to. Default: `false` (the schema only validates policies locally). A created
     * store always gets the schema.
     */
    applySchema?: boolean;
    /**
     * With `existingPolicyStoreId`: create the Cognito identity source in the adopted store. A policy
     * store holds at most one identity source (a quota that cannot be raised:
     * https://docs.aws.amazon.com/verifiedpermissions/latest/userguide/quotas.html), so stages sharing
     * a store share its identity source, made once (by this flag in one stack, or outside rampart),
     * and adopt its user pool with `cognito.existingUserPoolId`. Default: `false`. A created store
     * always gets the identity source when Cognito is on.
     */
    createIdentitySource?: boolean;
}

/**
 * SES settings for Cognito e-mail (the user pool's `EmailConfiguration` with `EmailSendingAccount` `DEVELOPER`:
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_EmailConfigurationType.html). The SES
 * identity is supplied by the consumer, never created. Each field may be another resource's output: a value known at
 * preview is checked then, one known only at deployment when it resolves, before the user pool uses it.
 */
export interface SesConfig {
    /**
     * ARN of a verified SES identity in the user pool's region, `arn:aws:ses:<region>:<account>:identity/<domain or
     * address>`, for example an `aws.sesv2.EmailIdentity`'s `arn`.
     */
    sourceArn: pulumi.Input<string>;
    /** From address, for example `no-reply@example.com`. */
    fromEmail: pulumi.Input<string>;
    /** Reply-to address. Default: none (replies go to `fromEmail`). */
    replyToEmail?: pulumi.Input<string>;
    /** SES configuration set name, for example an `aws.sesv2.ConfigurationSet`'s `configurationSetName`. Default: none. */
    configurationSet?: pulumi.Input<string>;
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
    /** User groups, mapped to Cedar groups by the identity source. Default: none. */
    groups?: string[];
    /**
     * Names of further app clients (for example one per front end), each created like the default
     * client (public, SRP and refresh only) and trusted by the identity source and the authorizer.
     * 1-128 characters of letters, digits, spaces and `+=,.@-_`; unique; at most 20 (of Cognito's
     * 1,000 per pool). Adding or removing one never replaces the pool. Default: none (the default
     * client `<name>-<stage>-client` only).
     */
    appClients?: string[];
    /**
     * Let a change of `signInAliases` replace the user pool. Cognito cannot change a pool's sign-in
     * attributes (`usernameAttributes`, `aliasAttributes`, `usernameConfiguration`: ForceNew in
     * the Terraform AWS provider's `aws_cognito_user_pool`, which the Pulumi AWS provider is built from),
     * so such a change creates a new, empty pool and deletes the old one with every user. Without
     * this flag these properties are fixed once the pool exists and a change is refused at preview.
     * Default: `false`.
     */
    allowUserPoolReplacement?: boolean;
    /**
     * Adopt an existing Cognito user pool instead of creating one (as CDK's `UserPool.fromUserPoolId`):
     * its id (`<region>_<9 or more letters and digits>`, for example `us-east-1_AbC123xyZ`) or ARN
     * (`arn:aws:cognito-idp:<region>:<account>:userpool/<id>`), in the stack's region
     * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPool.html).
     * Looked up at preview. rampart then creates no user pool, domain, groups or app clients and
     * never changes or deletes the pool: `signInAliases`, `mfa`, `sesConfig`, `domainPrefix`,
     * `groups`, `appClients` and `allowUserPoolReplacement` belong to the pool and are refused with it.
     * Turns Cognito on (`enabled` may not be `false`). May be another stack's or resource's output (a `UserPool`'s
     * `id` or `arn`): a value known at preview is checked then, one known only at deployment when it resolves. A switch
     * from a pool this component created to a pool whose id is known only at deployment is refused at preview while
     * the created pool exists (see `allowUserPoolDeletion`). Default: none (create a pool per stage).
     */
    existingUserPoolId?: pulumi.Input<string>;
    /**
     * With `existingUserPoolId` (required there): the app client ids of that pool whose tokens the
     * authorizer accepts and the identity source trusts, 1-128 letters, digits and `+`
     * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPoolClient.html),
     * 1-20 of them, unique. A list, or an Output of a list (for example `UserPoolClient` ids or another stack's
     * output): they go into the identity source and the authorizer's configuration, never into resource names or
     * counts, so a list known only at deployment is checked when it resolves. No default: a token from any other
     * client of the pool is refused.
     */
    existingClientIds?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Let a switch to `existingUserPoolId` go through while the user pool this component created still exists.
     * Pulumi deletes what a program stops declaring: the pool goes with every user in it
     * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUserPool.html),
     * unless an earlier `pulumi up` applied `retainOnDelete: true` (then it only leaves the stack; the `up` that
     * switches cannot retain it, since a removed resource is deleted as its last `up` left it). Default: `false`:
     * such a switch is refused at preview, naming the pool.
     */
    allowUserPoolDeletion?: boolean;
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
    /**
     * The `iss` every HS256 token must carry (`jwtSecret` mode, required there): the issuer that signs
     * with the shared secret, for example `https://auth.example.com`. 1-256 characters without spaces.
     * No default: a token from any other issuer sharing the secret is rejected (RFC 8725 section 3.8). May be another
     * stack's or resource's output; it goes into the function's environment (`JWT_ISSUER`) and is checked when it
     * resolves if it is not known at preview.
     */
    jwtIssuer?: pulumi.Input<string>;
    /**
     * The `aud` every HS256 token must name (`jwtSecret` mode, required there): this API, for example
     * `docs-api`. 1-256 characters without spaces. No default (RFC 7519 section 4.1.3, RFC 8725 section 3.9). May be
     * another stack's or resource's output; it goes into the function's environment (`JWT_AUDIENCE`) and is checked
     * when it resolves if it is not known at preview.
     */
    jwtAudience?: pulumi.Input<string>;
    /**
     * Memory in MB, 128-10240 (Lambda's limits; CPU grows with memory:
     * https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html). Default: `128` for every profile.
     */
    memorySize?: number;
    /**
     * Reserved concurrent executions, 0-1000; `0` reserves none (the function shares the account's
     * unreserved pool). Default: `1` for ephemeral (VP-14's cost cap: requests are served one at a
     * time, and Lambda refuses the reservation in accounts whose concurrency quota is under 11,
     * since it keeps a minimum unreserved; a preview warning says so), `0` for production. At least
     * `provisionedConcurrency`. https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
     */
    reservedConcurrency?: number;
    /** Provisioned concurrency (costs money while idle). Default: `0`. */
    provisionedConcurrency?: number;
    /**
     * Timeout in seconds, 1-30. Lambda allows up to 900
     * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html), but API Gateway waits
     * 29 s for a REST API integration by default (raisable only for Regional and private REST APIs) and
     * 30 s for an HTTP API one
     * (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html), so a longer timeout
     * would only let the function run after the caller got its 5xx. Default: `5` for every profile.
     */
    timeoutSeconds?: number;
    /**
     * Log retention in days: one of CloudWatch Logs' values 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180,
     * 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653
     * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
     * Default: `7` for ephemeral, `90` for production.
     */
    logRetentionDays?: number;
    /** Instruction set. Default: `arm64`. */
    architecture?: LambdaArchitecture;
    /** How requests map to Cedar actions and resources. Default: each field's default. */
    actionMapping?: ActionMapping;
    /**
     * API Gateway authorizer cache TTL in seconds, 0-3600, exported as `authorizerCacheTtlSeconds`
     * for the API's authorizer. Each decision covers one method and path, so cache only with a
     * REQUEST authorizer keyed by token, method and path (the exported `authorizerIdentitySource`
     * for REST APIs, `authorizerHttpApiIdentitySources` for HTTP APIs). A TOKEN authorizer is keyed
     * by the token alone: with a TTL above 0 the authorizer denies its requests (fail closed), so
     * give TOKEN authorizers a TTL of 0. Default: `300`.
     * https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
     */
    cacheTtlSeconds?: number;
    /**
     * Execution ARN of the API Gateway API that calls the authorizer,
     * `arn:<partition>:execute-api:<region>:<account>:<apiId>` (a RestApi's or apigatewayv2 Api's
     * `executionArn`; an Output is fine). Creates the Lambda permission letting that API's
     * authorizers invoke the function, with source ARN `<executionArn>/authorizers/*`, exported as
     * `authorizerInvokeSourceArn`. Default: none (grant the permission yourself).
     * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-lambda-authorizer-cross-account-lambda-authorizer.html
     */
    apiExecutionArn?: pulumi.Input<string>;
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
    /** Stage name: lowercase letters, digits and single hyphens, starting and ending with a letter or digit, 1-32 characters, for example `pr-123`. */
    stage: string;
    /** Account alias carried in tags: lowercase letters, digits and hyphens, 1-20 characters. */
    accountAlias: string;
    /** Ephemeral or production defaults. Default: `ephemeral`. */
    profile?: Profile;
    /** Tags added to every taggable resource; they win over rampart's standard tags. Default: none (rampart's standard tags only). */
    tags?: { [key: string]: string };
    /** Repository tag value (`Repo`). Default: none. */
    repo?: string;
    /** Owner tag value (`Owner`). Default: none. */
    owner?: string;
    /** Time-to-live tag value (`TTL`), for sweepers of abandoned stages, for example `2026-12-01` or `72h`. Default: none. */
    ttl?: string;
    /** The policy store and its Cedar schema and policies. */
    policyStore: PolicyStoreConfig;
    /** The Cognito identity source. Default: each field's default: a user pool for ephemeral, none for production. */
    cognito?: CognitoConfig;
    /** The Lambda authorizer. Default: each field's default (the authorizer is always created). */
    authorizer?: AuthorizerConfig;
    /** The DynamoDB table. Default: each field's default (the table is always created). */
    table?: TableConfig;
    /**
     * Keep the table, user pool and policy store when the stack is destroyed. Only adds: `false` leaves a
     * `retainOnDelete` option given to the component in force. Default: `false` for ephemeral, `true` for production.
     */
    retainOnDelete?: boolean;
    /**
     * Set Pulumi's \`protect\` option on the data stores (table, user pool, policy store): \`pulumi destroy\`, and any change that would
     * replace or delete one of them, fails until this is turned off and applied with \`pulumi up\`
     * (https://www.pulumi.com/docs/iac/concepts/options/protect/). Only adds protection: \`false\` leaves a \`protect\`
     * option given to the component in force. Default: \`false\` for ephemeral, \`true\` for production.
     */
    protectDataStores?: boolean;
    /** Deletion protection on the table and user pool. Default: `false` for ephemeral, `true` for production. */
    deletionProtection?: boolean;
}
