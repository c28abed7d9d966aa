/** What the authorizer reads from its environment; the component sets these variables (never a secret's value). */
export const ENV = {
    policyStoreId: "POLICY_STORE_ID",
    tokenSource: "TOKEN_SOURCE",
    userPoolId: "USER_POOL_ID",
    clientIds: "CLIENT_IDS",
    jwtSecretArn: "JWT_SECRET_ARN",
    jwtIssuer: "JWT_ISSUER",
    jwtAudience: "JWT_AUDIENCE",
    cacheTtlSeconds: "CACHE_TTL_SECONDS",
    principalType: "PRINCIPAL_TYPE",
    groupType: "GROUP_TYPE",
    entityPrefix: "ENTITY_PREFIX",
    actionType: "ACTION_TYPE",
    actionIdTemplate: "ACTION_ID_TEMPLATE",
    resourceType: "RESOURCE_TYPE",
    resourceIdTemplate: "RESOURCE_ID_TEMPLATE",
} as const;

export type TokenSource = "identitySource" | "jwtSecret";

export interface MappingConfig {
    actionType: string;
    actionIdTemplate: string;
    resourceType: string;
    resourceIdTemplate: string;
}

export interface AuthorizerConfig {
    policyStoreId: string;
    tokenSource: TokenSource;
    region: string;
    /** Cognito user pool (identitySource mode). */
    userPoolId?: string;
    /** App clients whose tokens are accepted (`aud` of ID tokens, `client_id` of access tokens). */
    clientIds: string[];
    /** Secrets Manager secret holding the HS256 key (jwtSecret mode). */
    jwtSecretArn?: string;
    /** The `iss` and `aud` HS256 tokens must carry (jwtSecret mode). */
    jwtIssuer?: string;
    jwtAudience?: string;
    /**
     * The API Gateway authorizer cache TTL the component exported. Above 0, TOKEN events (cached by
     * token alone) are denied: a decision for one route would be reused for others.
     */
    cacheTtlSeconds: number;
    /** Entity type of principals, for example `Docs::User`. */
    principalType: string;
    /** Entity type of groups, for example `Docs::UserGroup`. */
    groupType: string;
    /** Prefix of principal and group ids in jwtSecret mode (`<prefix>|<sub>`), matching the policies' `{userPoolId}`. */
    entityPrefix: string;
    mapping: MappingConfig;
}

export class ConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ConfigError";
    }
}

/** Reads and checks the configuration; throws ConfigError naming the missing variables. */
export function configFromEnv(env: Record<string, string | undefined>): AuthorizerConfig {
    const missing: string[] = [];
    const need = (name: string): string => {
        const value = env[name];
        if (value === undefined || value === "") missing.push(name);
        return value ?? "";
    };
    const tokenSource = need(ENV.tokenSource);
    if (tokenSource !== "" && tokenSource !== "identitySource" && tokenSource !== "jwtSecret") {
        throw new ConfigError(`${ENV.tokenSource} is "${tokenSource}"; expected identitySource or jwtSecret`);
    }
    const config: AuthorizerConfig = {
        policyStoreId: need(ENV.policyStoreId),
        tokenSource: tokenSource as TokenSource,
        region: need("AWS_REGION"),
        clientIds: (env[ENV.clientIds] ?? "").split(",").map((s) => s.trim()).filter(Boolean),
        cacheTtlSeconds: 0,
        principalType: need(ENV.principalType),
        groupType: need(ENV.groupType),
        entityPrefix: env[ENV.entityPrefix] ?? "",
        mapping: {
            actionType: need(ENV.actionType),
            actionIdTemplate: need(ENV.actionIdTemplate),
            resourceType: need(ENV.resourceType),
            resourceIdTemplate: need(ENV.resourceIdTemplate),
        },
    };
    const ttlText = need(ENV.cacheTtlSeconds);
    config.cacheTtlSeconds = Number(ttlText);
    if (ttlText !== "" && !(/^\d+$/.test(ttlText) && config.cacheTtlSeconds <= 3600)) {
        throw new ConfigError(`${ENV.cacheTtlSeconds} is "${ttlText}"; expected whole seconds from 0 to 3600`);
    }
    if (tokenSource === "identitySource") {
        config.userPoolId = need(ENV.userPoolId);
        if (config.clientIds.length === 0) missing.push(ENV.clientIds);
    } else if (tokenSource === "jwtSecret") {
        config.jwtSecretArn = need(ENV.jwtSecretArn);
        config.jwtIssuer = need(ENV.jwtIssuer);
        config.jwtAudience = need(ENV.jwtAudience);
        if (config.entityPrefix === "") missing.push(ENV.entityPrefix);
    }
    if (missing.length > 0) throw new ConfigError(`missing environment variables: ${missing.join(", ")}`);
    return config;
}
