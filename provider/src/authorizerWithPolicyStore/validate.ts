import * as pulumi from "@pulumi/pulumi";
import { LOG_RETENTION_DAYS, logRetentionAllowed } from "../shared/logs";
import { Profile } from "../shared/profile";
import { checkedWhenResolved } from "../shared/resolvedValidation";
import { AWS_REGION_PATTERN, isKnown, isKnownWithItems, parseArn, problemsOf as sharedProblemsOf, ValidationProblem, Validator } from "../shared/validation";
import { AuthorizerWithPolicyStoreArgs, CognitoConfig, LambdaArchitecture, MfaMode, PolicyStoreConfig, TokenSource, ValidationMode } from "./args";
import { CedarProblem, CedarReport, entityTypes, groupEntityType, validateCedar } from "./cedar";
import { AuthorizerSettings, EPHEMERAL_RESERVED_CONCURRENCY, resolveSettings } from "./settings";
import { loadPolicySources, POLICY_ID } from "./sources";

export const COMPONENT = "AuthorizerWithPolicyStore";
export const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const SIGN_IN_ALIASES = ["email", "phone_number", "preferred_username"];
const DESCRIPTION = /^[\s\S]{0,150}$/;
const ENTITY_TYPE = /^([_a-zA-Z][_a-zA-Z0-9]*::)*[_a-zA-Z][_a-zA-Z0-9]*$/;

/** Cognito app client names (CreateUserPoolClient ClientName). */
export const APP_CLIENT_NAME = /^[\w\s+=,.@-]{1,128}$/;
/** More would be a sign of a misuse; Cognito's own quota is 1,000 app clients per pool. */
export const MAX_APP_CLIENTS = 20;
/** `iss` and `aud` values the HS256 verifier compares exactly. */
export const JWT_CLAIM_VALUE = /^\S{1,256}$/;
/** `arn:<partition>:execute-api:<region>:<account>:<apiId>`: one API, no wildcard. */
export const EXECUTE_API_EXECUTION_ARN = /^arn:(aws|aws-cn|aws-us-gov):execute-api:[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d:\d{12}:[a-z0-9]{10}$/;

/** Verified Permissions policy store ids (PolicyStoreId: https://docs.aws.amazon.com/verifiedpermissions/latest/apireference/API_GetPolicyStore.html). */
export const POLICY_STORE_ID = /^[a-zA-Z0-9-]{1,200}$/;
/**
 * Cognito user pool ids, `<region>_<letters and digits>`, at most 55 characters
 * (UserPoolId: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPool.html).
 */
export const USER_POOL_ID = /^([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)_[0-9a-zA-Z]{1,40}$/;
/** Cognito app client ids (ClientId: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPoolClient.html). */
export const APP_CLIENT_ID = /^[\w+]{1,128}$/;
/** The user pool's own settings, refused with an adopted pool (rampart neither creates nor changes it). */
const POOL_SETTINGS = ["signInAliases", "mfa", "sesConfig", "domainPrefix", "groups", "appClients", "allowUserPoolReplacement"] as const;

/** HS256 keys shorter than the hash output (32 bytes) weaken the signature (RFC 7518 section 3.2). */
export const MIN_JWT_SECRET_LENGTH = 32;

export interface AuthorizerValidationContext {
    /** Region the stack deploys to, when known (SES identities must be in the same region). */
    region?: string;
    /** Directory `schemaFile` and `policyDir` are relative to. Default: `process.cwd()` (the Pulumi program's directory). */
    cwd?: string;
}

/** What validation found out, for the code that creates the resources. */
export interface ValidatedAuthorizer {
    settings: AuthorizerSettings;
    /** Cedar's view of the schema and policies (schema JSON, namespace, policies and templates by kind, warnings). */
    cedar: CedarReport;
    /** Entity type Cognito groups map to. */
    groupType: string;
}

/**
 * Checks every AuthorizerWithPolicyStore argument, including the Cedar schema, policies and
 * templates, and throws one error listing all problems.
 */
export function validateAuthorizerArgs(name: string, args: AuthorizerWithPolicyStoreArgs, context: AuthorizerValidationContext = {}): ValidatedAuthorizer {
    const v = new Validator(COMPONENT, name);
    if (args === undefined || args === null) {
        v.problem("args", args, "an object with at least `stage`, `accountAlias` and `policyStore`");
        v.throwIfInvalid();
    }
    v.stage("stage", args.stage);
    v.accountAlias("accountAlias", args.accountAlias);
    v.oneOf("profile", args.profile, Object.values(Profile));
    v.tags("tags", args.tags);
    if (context.region !== undefined && !AWS_REGION_PATTERN.test(context.region)) {
        v.problem("aws:region", context.region, "an AWS region id such as us-east-1");
    }
    checkPolicyStore(v, args.policyStore);
    if (args.cognito) checkCognito(v, args.cognito, context.region);
    checkSharedIdentitySource(v, args);
    checkAuthorizer(v, args);
    v.pattern("table.ttlAttribute", args.table?.ttlAttribute, /^[A-Za-z0-9_.-]{1,255}$/, "a DynamoDB attribute name");

    const store = args.policyStore;
    const cedar: CedarReport = { problems: [], warnings: [], policies: [], templates: [] };
    if (store) {
        const sources = loadPolicySources(store, context.cwd ?? process.cwd());
        Object.assign(cedar, validateCedar({ schema: sources.schema, sources: sources.sources, mode: store.validationMode === ValidationMode.Off ? "off" : "strict" }));
        cedar.problems.unshift(...sources.problems);
    }
    const settings = resolveSettings(name, { ...args, policyStore: store ?? {} }, cedar.namespace);
    const groupType = groupEntityType(cedar.schema, cedar.namespace, settings.principalType);
    if (cedar.schema && cedar.namespace && settings.policyStore.validationMode === ValidationMode.Strict) {
        cedar.problems.push(...missingEntityTypes(cedar, settings, groupType, store?.schemaFile !== undefined ? "policyStore.schemaFile" : "policyStore.schema"));
    }
    for (const p of cedar.problems) v.problem(p.path, undefined, p.allowed, p.message);

    if (settings.cognito.enabled && settings.cognito.existingUserPoolId === undefined && args.cognito?.domainPrefix === undefined) {
        const prefix = settings.cognito.domainPrefix;
        if (!DOMAIN_PREFIX.test(prefix) || /aws|amazon|cognito/.test(prefix)) {
            v.problem("cognito.domainPrefix", prefix, "the prefix derived from the name, stage and account alias is not accepted by Cognito (no aws, amazon or cognito); give cognito.domainPrefix", `derived ${JSON.stringify(prefix)}`);
        }
    }
    v.throwIfInvalid();
    return { settings, cedar, groupType };
}

/** The policy store's own arguments; the Cedar content is checked by validateCedar. */
function checkPolicyStore(v: Validator, store: PolicyStoreConfig | undefined): void {
    if (!store) {
        v.problem("policyStore", store, "a policy store with a Cedar schema and policies");
        return;
    }
    v.oneOf("policyStore.validationMode", store.validationMode, Object.values(ValidationMode));
    v.pattern("policyStore.description", store.description, DESCRIPTION, "at most 150 characters (Verified Permissions' limit)");
    checkAdoptedStore(v, store);
    if (store.schema !== undefined && store.schemaFile !== undefined) {
        v.problem("policyStore.schema", "schema and schemaFile", "give schema or schemaFile, not both", "got both schema and schemaFile");
    }
    if ((store.validationMode ?? ValidationMode.Strict) === ValidationMode.Strict && store.schema === undefined && store.schemaFile === undefined) {
        v.problem("policyStore.schema", undefined, "strict validation needs a Cedar schema: give schema or schemaFile, or set validationMode off");
    }
    for (const list of ["policies", "templates"] as const) {
        const entries = store[list] ?? [];
        const what = list === "policies" ? "policy" : "template";
        v.unique(`policyStore.${list}`, entries.map((p) => p?.id), `${what} id`);
        entries.forEach((p, i) => {
            const at = `policyStore.${list}[${i}]`;
            if (v.required(`${at}.id`, p?.id, `a ${what} id`)) v.pattern(`${at}.id`, p.id, POLICY_ID, "letters, digits, hyphens and underscores, 1-64 characters");
            v.required(`${at}.statement`, p?.statement, what === "policy" ? "a Cedar policy statement" : "a Cedar policy template");
            v.pattern(`${at}.description`, p?.description, DESCRIPTION, "at most 150 characters (Verified Permissions' limit)");
        });
    }
}

/** `existingPolicyStoreId` and the flags that only mean something with it. */
function checkAdoptedStore(v: Validator, store: PolicyStoreConfig): void {
    const id = store.existingPolicyStoreId;
    if (id !== undefined) {
        checkPolicyStoreId(v, id);
        if (store.description !== undefined) {
            v.problem("policyStore.description", store.description, "no description with policyStore.existingPolicyStoreId: the adopted store's description is its owner's; remove it");
        }
    }
    for (const flag of ["applySchema", "createIdentitySource"] as const) {
        const value = store[flag];
        if (value === undefined) continue;
        if (typeof value !== "boolean") v.problem(`policyStore.${flag}`, value, "true or false");
        else if (id === undefined && value) v.problem(`policyStore.${flag}`, value, "only with policyStore.existingPolicyStoreId (a store rampart creates always gets its schema and identity source); remove it");
    }
    if (id !== undefined && store.applySchema === true && store.schema === undefined && store.schemaFile === undefined) {
        v.problem("policyStore.applySchema", true, "a schema to apply: give policyStore.schema or policyStore.schemaFile");
    }
}

/** `policyStore.existingPolicyStoreId`: known at preview, or as it resolved (withResolvedChecks). */
export function checkPolicyStoreId(v: Validator, id: unknown): void {
    v.pattern("policyStore.existingPolicyStoreId", id, POLICY_STORE_ID, "a Verified Permissions policy store id: 1-200 letters, digits and hyphens");
}

/**
 * A policy store holds one identity source (https://docs.aws.amazon.com/verifiedpermissions/latest/userguide/quotas.html):
 * a stage that adopts a store and makes its own user pool could not have that pool trusted, so it must adopt the pool
 * the store's identity source trusts, or create the store's identity source (then nobody else may).
 */
function checkSharedIdentitySource(v: Validator, args: AuthorizerWithPolicyStoreArgs): void {
    const store = args.policyStore;
    if (store?.existingPolicyStoreId === undefined || store.createIdentitySource === true) return;
    const tokenSource = args.authorizer?.tokenSource ?? TokenSource.IdentitySource;
    if (tokenSource !== TokenSource.IdentitySource || args.cognito?.existingUserPoolId !== undefined) return;
    v.problem(
        "cognito.existingUserPoolId",
        undefined,
        "the user pool that the adopted policy store's identity source trusts: a policy store holds one identity source, so a stage sharing a store cannot have a pool of its own trusted (https://docs.aws.amazon.com/verifiedpermissions/latest/userguide/quotas.html). Give cognito.existingUserPoolId and cognito.existingClientIds, or set policyStore.createIdentitySource (only if no other stack uses the store's identity source), or use authorizer.tokenSource jwtSecret",
    );
}

/** `existingUserPoolId`, its client ids, and the pool settings that cannot go with it. */
function checkAdoptedPool(v: Validator, cognito: CognitoConfig, region: string | undefined): void {
    const given = cognito.existingUserPoolId;
    const clients = cognito.existingClientIds;
    if (given === undefined) {
        if (clients !== undefined) v.problem("cognito.existingClientIds", clients, "only with cognito.existingUserPoolId (a pool rampart creates trusts its own clients and cognito.appClients); remove it");
        return;
    }
    if (isKnown(given)) checkUserPoolId(v, given, region);
    if (cognito.enabled === false) v.problem("cognito.enabled", false, "true or unset with cognito.existingUserPoolId (adopting a pool turns Cognito on)");
    for (const setting of POOL_SETTINGS) {
        if (cognito[setting] !== undefined) {
            v.problem(`cognito.${setting}`, cognito[setting], "nothing with cognito.existingUserPoolId: the adopted pool's settings, groups and clients are its owner's and rampart never changes them; remove it");
        }
    }
    // A list known only at deployment is checked when it resolves (withResolvedChecks); its known entries now.
    if (clients === undefined || isKnown(clients)) checkClientIds(v, clients);
}

/** `cognito.existingUserPoolId`, an id or ARN: known at preview, or as it resolved (withResolvedChecks). */
export function checkUserPoolId(v: Validator, given: unknown, region: string | undefined): void {
    const path = "cognito.existingUserPoolId";
    const arn = typeof given === "string" && given.startsWith("arn:") ? parseArn(given) : undefined;
    const id = arn ? (arn.resource.startsWith("userpool/") ? arn.resource.slice("userpool/".length) : "") : given;
    const m = typeof id === "string" ? USER_POOL_ID.exec(id) : null;
    if (!m || (arn && (arn.service !== "cognito-idp" || arn.region !== m[1] || arn.account === "aws"))) {
        v.problem(path, given, `a Cognito user pool id such as us-east-1_AbC123xyZ (${USER_POOL_ID.source}) or its ARN, arn:aws:cognito-idp:<region>:<account>:userpool/<id>`);
    } else if (region && m[1] !== region) {
        v.problem(path, given, `a user pool in the stack's region ${region} (Verified Permissions identity sources and the authorizer verify tokens of a pool in their own region)`);
    }
}

/** `cognito.existingClientIds`: a known list (entries known only at deployment are skipped), or the list as it resolved. */
export function checkClientIds(v: Validator, clients: unknown): void {
    if (!Array.isArray(clients) || clients.length === 0) {
        v.problem("cognito.existingClientIds", clients, "1-20 app client ids of the adopted pool: the authorizer accepts tokens from these clients only");
        return;
    }
    v.unique("cognito.existingClientIds", clients, "app client id");
    clients.forEach((c, i) => v.pattern(`cognito.existingClientIds[${i}]`, c, APP_CLIENT_ID, "a Cognito app client id: 1-128 letters, digits, underscores and +"));
    if (clients.length > MAX_APP_CLIENTS) v.problem("cognito.existingClientIds", undefined, `at most ${MAX_APP_CLIENTS} app client ids`, `got ${clients.length}`);
}

/** `cognito.sesConfig.sourceArn`: an SES identity ARN in the stack's region (Cognito sends only through SES in its own region). */
export function checkSesSourceArn(v: Validator, value: unknown, region: string | undefined): void {
    const arn = typeof value === "string" ? parseArn(value) : undefined;
    if (!arn || arn.service !== "ses" || !arn.resource.startsWith("identity/")) {
        v.problem("cognito.sesConfig.sourceArn", value, "an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<domain or address>)");
    } else if (region && arn.region !== region) {
        v.problem("cognito.sesConfig.sourceArn", value, `an SES identity in the stack's region ${region} (Cognito sends only through SES in its own region)`);
    }
}

/** `cognito.sesConfig.fromEmail` (required) and `replyToEmail`: an e-mail address. */
export function checkEmail(v: Validator, field: "fromEmail" | "replyToEmail", value: unknown): void {
    const path = `cognito.sesConfig.${field}`;
    if (field === "fromEmail" && !v.required(path, value, "the From address, for example no-reply@example.com")) return;
    v.pattern(path, value, EMAIL, "an e-mail address");
}

function checkCognito(v: Validator, cognito: CognitoConfig, region: string | undefined): void {
    checkAdoptedPool(v, cognito, region);
    v.oneOf("cognito.mfa", cognito.mfa, Object.values(MfaMode));
    (cognito.signInAliases ?? []).forEach((alias, i) => v.oneOf(`cognito.signInAliases[${i}]`, alias, SIGN_IN_ALIASES));
    if (cognito.signInAliases !== undefined && cognito.signInAliases.length === 0) {
        v.problem("cognito.signInAliases", cognito.signInAliases, `at least one of ${SIGN_IN_ALIASES.join(", ")}`);
    }
    v.unique("cognito.signInAliases", cognito.signInAliases ?? [], "alias");
    if (cognito.domainPrefix !== undefined) {
        v.pattern("cognito.domainPrefix", cognito.domainPrefix, DOMAIN_PREFIX, "lowercase letters, digits and hyphens, 1-63 characters, not starting or ending with a hyphen");
        if (/aws|amazon|cognito/.test(cognito.domainPrefix)) {
            v.problem("cognito.domainPrefix", cognito.domainPrefix, "Cognito refuses prefixes containing aws, amazon or cognito");
        }
    }
    const ses = cognito.sesConfig;
    if (ses) {
        // Values known only at deployment are checked when they resolve (withResolvedChecks).
        if (isKnown(ses.sourceArn)) checkSesSourceArn(v, ses.sourceArn, region);
        checkEmail(v, "fromEmail", ses.fromEmail);
        checkEmail(v, "replyToEmail", ses.replyToEmail);
    }
    v.unique("cognito.appClients", cognito.appClients ?? [], "app client name");
    (cognito.appClients ?? []).forEach((client, i) => v.pattern(`cognito.appClients[${i}]`, client, APP_CLIENT_NAME, "an app client name: 1-128 letters, digits, spaces and +=,.@-_"));
    if ((cognito.appClients ?? []).length > MAX_APP_CLIENTS) {
        v.problem("cognito.appClients", undefined, `at most ${MAX_APP_CLIENTS} app clients`, `got ${cognito.appClients!.length}`);
    }
    if (cognito.allowUserPoolDeletion !== undefined && typeof cognito.allowUserPoolDeletion !== "boolean") {
        v.problem("cognito.allowUserPoolDeletion", cognito.allowUserPoolDeletion, "true or false");
    } else if (cognito.allowUserPoolDeletion === true && cognito.existingUserPoolId === undefined) {
        v.problem("cognito.allowUserPoolDeletion", true, "only with cognito.existingUserPoolId (it lets a switch to an adopted pool drop the pool rampart created); remove it");
    }
    if (cognito.allowUserPoolReplacement !== undefined && typeof cognito.allowUserPoolReplacement !== "boolean") {
        v.problem("cognito.allowUserPoolReplacement", cognito.allowUserPoolReplacement, "true or false");
    }
    v.unique("cognito.groups", cognito.groups ?? [], "group name");
    (cognito.groups ?? []).forEach((group, i) =>
        v.pattern(`cognito.groups[${i}]`, group, /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u, "a Cognito group name: 1-128 characters without spaces"),
    );
}

function checkAuthorizer(v: Validator, args: AuthorizerWithPolicyStoreArgs): void {
    const auth = args.authorizer ?? {};
    v.oneOf("authorizer.tokenSource", auth.tokenSource, Object.values(TokenSource));
    v.oneOf("authorizer.architecture", auth.architecture, Object.values(LambdaArchitecture));
    v.integerInRange("authorizer.memorySize", auth.memorySize, 128, 10240);
    v.integerInRange("authorizer.timeoutSeconds", auth.timeoutSeconds, 1, 30);
    v.integerInRange("authorizer.reservedConcurrency", auth.reservedConcurrency, 0, 1000);
    v.integerInRange("authorizer.provisionedConcurrency", auth.provisionedConcurrency, 0, 1000);
    v.integerInRange("authorizer.cacheTtlSeconds", auth.cacheTtlSeconds, 0, 3600);
    if (auth.logRetentionDays !== undefined && isKnown(auth.logRetentionDays) && !LOG_RETENTION_DAYS.includes(auth.logRetentionDays)) {
        v.problem("authorizer.logRetentionDays", auth.logRetentionDays, logRetentionAllowed());
    }
    const profile = args.profile ?? Profile.Ephemeral;
    const reserved = auth.reservedConcurrency ?? (profile === Profile.Ephemeral ? EPHEMERAL_RESERVED_CONCURRENCY : 0);
    const provisioned = auth.provisionedConcurrency ?? 0;
    if (typeof reserved === "number" && typeof provisioned === "number" && provisioned > 0 && reserved > 0 && reserved < provisioned) {
        v.problem("authorizer.reservedConcurrency", reserved, `0 (no reservation) or at least authorizer.provisionedConcurrency (${provisioned})`);
    }
    const tokenSource = auth.tokenSource ?? TokenSource.IdentitySource;
    checkJwtClaims(v, auth.jwtIssuer, auth.jwtAudience, tokenSource);
    if (auth.apiExecutionArn !== undefined) checkApiExecutionArn(v, "authorizer.apiExecutionArn", auth.apiExecutionArn);
    const cognitoEnabled = args.cognito?.enabled ?? (args.cognito?.existingUserPoolId !== undefined || (args.profile ?? Profile.Ephemeral) === Profile.Ephemeral);
    if (tokenSource === TokenSource.IdentitySource && !cognitoEnabled) {
        v.problem("authorizer.tokenSource", tokenSource, "identitySource needs the Cognito identity source: enable cognito, or use tokenSource jwtSecret");
    }
    checkJwtSecret(v, auth.jwtSecret, tokenSource);
    const mapping = auth.actionMapping;
    if (mapping) {
        v.pattern("authorizer.actionMapping.actionType", mapping.actionType, /^([_a-zA-Z][_a-zA-Z0-9]*::)*Action$/, "a Cedar action type: <Namespace>::Action");
        v.pattern("authorizer.actionMapping.resourceType", mapping.resourceType, ENTITY_TYPE, "a Cedar entity type, for example MyApi::Resource");
        for (const key of ["actionIdTemplate", "resourceIdTemplate"] as const) {
            const template = mapping[key];
            if (template !== undefined && (typeof template !== "string" || !/\{(method|path|route|stage|apiId)\}/.test(template))) {
                v.problem(`authorizer.actionMapping.${key}`, template, "a template using at least one of {method}, {path}, {route}, {stage}, {apiId}");
            }
        }
    }
}

/**
 * Said at preview whenever the authorizer's concurrency is reserved: what the cap does to requests,
 * and that Lambda refuses it in low-quota accounts (it keeps a minimum of the account's concurrency
 * unreserved: 10 in new accounts with a quota of 10, up to 100,
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).
 */
export function reservedConcurrencyWarning(reserved: number): string | undefined {
    if (reserved <= 0) return undefined;
    const cap = reserved === 1 ? "serialises requests: one authorization runs at a time" : `lets at most ${reserved} authorizations run at once`;
    return (
        `authorizer.reservedConcurrency is ${reserved}: it ${cap} and further concurrent requests are throttled (API Gateway answers 500). ` +
        `Accounts whose Lambda concurrency quota is under ${reserved + 10} refuse the reservation at deployment, since Lambda keeps a minimum unreserved (10 in new accounts, 100 in most). ` +
        `Set authorizer.reservedConcurrency to 0 to reserve none.`
    );
}

function checkJwtClaims(v: Validator, issuer: unknown, audience: unknown, tokenSource: string): void {
    const claims = [
        ["authorizer.jwtIssuer", issuer, "the issuer (`iss`) HS256 tokens must carry, for example https://auth.example.com"],
        ["authorizer.jwtAudience", audience, "the audience (`aud`) HS256 tokens must name, for example docs-api"],
    ] as const;
    for (const [path, value, what] of claims) {
        if (tokenSource !== TokenSource.JwtSecret) {
            if (value !== undefined) v.problem(path, value, `only used with tokenSource jwtSecret (Cognito tokens are checked against the user pool and its app clients); remove it`);
            continue;
        }
        if (v.required(path, value, `${what}: required with tokenSource jwtSecret, so tokens from another issuer or for another API sharing the secret are rejected`)) {
            checkJwtClaim(v, path, value);
        }
    }
}

/** `authorizer.jwtIssuer` / `jwtAudience`: compared exactly with the token's claim, so a value without spaces. */
export function checkJwtClaim(v: Validator, path: string, value: unknown): void {
    v.pattern(path, value, JWT_CLAIM_VALUE, "1-256 characters without spaces");
}

/** The problems one check finds in a value, for checks run when an Output resolves. Pure. */
export function problemsOf(check: (v: Validator) => void): ValidationProblem[] {
    return sharedProblemsOf(COMPONENT, check);
}

/**
 * The arguments with every value that may come from another resource (policy store id, user pool id, app client ids,
 * SES settings, JWT issuer and audience) and is not known now replaced by an Output that fails with the component's
 * one error when it resolves to a value the same check refuses (shared/resolvedValidation). Known values are left as
 * they are: validateAuthorizerArgs checks them at preview, and the resources get exactly the values they got before.
 * Creates no resources.
 */
export function withResolvedChecks(name: string, args: AuthorizerWithPolicyStoreArgs, region: string | undefined): AuthorizerWithPolicyStoreArgs {
    if (!args) return args;
    const checked = <T>(value: T, check: (v: Validator, resolved: unknown) => void): T =>
        value === undefined || isKnownWithItems(value) ? value : (checkedWhenResolved(COMPONENT, name, pulumi.output(value), (resolved) => problemsOf((v) => check(v, resolved))) as unknown as T);
    const out: AuthorizerWithPolicyStoreArgs = { ...args };
    const store = args.policyStore;
    if (store && typeof store === "object") {
        out.policyStore = { ...store, existingPolicyStoreId: checked(store.existingPolicyStoreId, checkPolicyStoreId) };
    }
    const cognito = args.cognito;
    if (cognito && typeof cognito === "object") {
        out.cognito = {
            ...cognito,
            existingUserPoolId: checked(cognito.existingUserPoolId, (v, id) => checkUserPoolId(v, id, region)),
            existingClientIds: checked(cognito.existingClientIds, checkClientIds),
        };
        const ses = cognito.sesConfig;
        if (ses && typeof ses === "object") {
            out.cognito.sesConfig = {
                ...ses,
                sourceArn: checked(ses.sourceArn, (v, arn) => checkSesSourceArn(v, arn, region)),
                fromEmail: checked(ses.fromEmail, (v, email) => checkEmail(v, "fromEmail", email)),
                replyToEmail: checked(ses.replyToEmail, (v, email) => checkEmail(v, "replyToEmail", email)),
            };
        }
    }
    const auth = args.authorizer;
    if (auth && typeof auth === "object") {
        out.authorizer = {
            ...auth,
            jwtIssuer: checked(auth.jwtIssuer, (v, value) => checkJwtClaim(v, "authorizer.jwtIssuer", value)),
            jwtAudience: checked(auth.jwtAudience, (v, value) => checkJwtClaim(v, "authorizer.jwtAudience", value)),
        };
    }
    return out;
}

/** Checks an API's execution ARN now when it is known, else when it resolves (still before the permission is created). */
export function checkApiExecutionArn(v: Validator, path: string, value: unknown): void {
    if (!isKnown(value)) return;
    if (typeof value !== "string" || !EXECUTE_API_EXECUTION_ARN.test(value)) {
        v.problem(path, value, "the execution ARN of one API Gateway API, arn:<partition>:execute-api:<region>:<12-digit account>:<10-character api id>, without wildcards or a stage/method suffix (the RestApi's or Api's executionArn)");
    }
}

function checkJwtSecret(v: Validator, secret: unknown, tokenSource: string): void {
    if (secret === undefined) return;
    if (tokenSource !== TokenSource.JwtSecret) {
        v.problem("authorizer.jwtSecret", undefined, "a JWT secret is only used with tokenSource jwtSecret; remove it or set authorizer.tokenSource to jwtSecret", "a secret was given (value not shown)");
        return;
    }
    if (!isKnown(secret)) return;
    if (typeof secret !== "string" || secret.length < MIN_JWT_SECRET_LENGTH) {
        v.problem(
            "authorizer.jwtSecret",
            undefined,
            `an HS256 secret of at least ${MIN_JWT_SECRET_LENGTH} characters, or leave it out to have one generated and kept in Secrets Manager`,
            typeof secret === "string" ? `a secret of ${secret.length === 0 ? "no" : "too few"} characters (value not shown)` : `got a ${typeof secret}`,
        );
    }
}

/** The entity types the authorizer sends must exist in the schema, or strict Verified Permissions rejects every request. */
function missingEntityTypes(cedar: CedarReport, settings: AuthorizerSettings, groupType: string, schemaPath: string): CedarProblem[] {
    const declared = new Set(entityTypes(cedar.schema!, cedar.namespace!));
    const needed: [string, string][] = [
        [settings.principalType, "principals (users)"],
        [settings.authorizer.mapping.resourceType, "resources (authorizer.actionMapping.resourceType)"],
    ];
    if (settings.cognito.groups.length > 0 || settings.cognito.enabled) needed.push([groupType, "user groups"]);
    return needed
        .filter(([type]) => ENTITY_TYPE.test(type) && !declared.has(type))
        .map(([type, role]) => ({
            path: schemaPath,
            message: `the schema declares no entity type ${JSON.stringify(type)}`,
            allowed: `the authorizer sends ${role} as ${type}: declare it in namespace ${JSON.stringify(cedar.namespace)}`,
        }));
}
