import type { APIGatewayAuthorizerResult } from "aws-lambda";
import { verifiedPermissionsClient, type AuthorizationClient, type AuthorizationResult } from "./avp";
import { configFromEnv, ENV, type AuthorizerConfig } from "./config";
import { describeRequest, extractToken, toCedarRequest, type AuthorizerEvent, type EntityRef } from "./mapping";
import { allowResponse, denyResponse } from "./response";
import { readSecretString } from "./secrets";
import { createCognitoVerifier, createSecretVerifier, once, TokenRejected, type TokenVerifier, type VerifiedIdentity } from "./tokens";

export interface HandlerDeps {
    config: AuthorizerConfig;
    verifier: TokenVerifier;
    client: AuthorizationClient;
    /** Receives one entry per request; default: a JSON line on stdout (CloudWatch Logs). */
    log?: (entry: LogEntry) => void;
}

export interface LogEntry {
    decision: "Allow" | "Deny";
    /** Why a request was denied; never contains the token. */
    reason?: string;
    principal?: string;
    action?: string;
    resource?: string;
    determiningPolicies?: string[];
}

export type AuthorizerHandler = (event: AuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

const defaultLog = (entry: LogEntry) => console.log(JSON.stringify(entry));

/** `<type>::"<id>"`, the way Cedar writes an entity. */
const show = (e: EntityRef) => `${e.type}::${JSON.stringify(e.id)}`;

function methodArnOf(event: AuthorizerEvent | undefined): string | undefined {
    const arn = event && ("methodArn" in event ? event.methodArn : "routeArn" in event ? event.routeArn : undefined);
    return typeof arn === "string" && arn.startsWith("arn:") ? arn : undefined;
}

function isTokenEvent(event: AuthorizerEvent): boolean {
    return "type" in event && event.type === "TOKEN";
}

/** A reason that is safe to log: the error's kind and message with the token cut out. */
function reasonOf(error: unknown, token: string | undefined): string {
    if (error instanceof TokenRejected) return `token rejected: ${error.reason}`;
    const e = error as { name?: unknown; message?: unknown };
    const text = `${typeof e?.name === "string" ? e.name : "Error"}: ${typeof e?.message === "string" ? e.message : String(error)}`;
    return token ? text.split(token).join("[token]") : text;
}

async function decide(deps: HandlerDeps, identity: VerifiedIdentity, token: string, action: EntityRef, resource: EntityRef): Promise<{ principal: EntityRef; result: AuthorizationResult }> {
    const { config, client } = deps;
    if (identity.kind === "cognito") {
        const principal = { type: config.principalType, id: `${config.userPoolId}|${identity.subject}` };
        const tokenField = identity.tokenUse === "id" ? { identityToken: token } : { accessToken: token };
        return { principal, result: await client.isAuthorizedWithToken({ policyStoreId: config.policyStoreId, ...tokenField, action, resource }) };
    }
    const principal = { type: config.principalType, id: `${config.entityPrefix}|${identity.subject}` };
    const parents = identity.groups.map((g) => ({ type: config.groupType, id: `${config.entityPrefix}|${g}` }));
    return {
        principal,
        result: await client.isAuthorized({ policyStoreId: config.policyStoreId, principal, action, resource, entities: [{ uid: principal, parents }] }),
    };
}

/**
 * The authorizer: token from the request, verified; request mapped to a Cedar action and resource;
 * Verified Permissions decides. It fails closed: anything but an explicit ALLOW is a Deny.
 */
export function createHandler(deps: HandlerDeps | (() => HandlerDeps)): AuthorizerHandler {
    let resolved: HandlerDeps | undefined;
    return async (event) => {
        const methodArn = methodArnOf(event);
        let log = defaultLog;
        let token: string | undefined;
        const entry: Partial<LogEntry> = {};
        const deny = (reason: string) => {
            log({ decision: "Deny", reason, ...entry });
            return denyResponse(entry.principal ?? "anonymous", methodArn);
        };
        try {
            resolved ??= typeof deps === "function" ? deps() : deps;
            log = resolved.log ?? defaultLog;
            token = extractToken(event);
            if (!token) return deny("no bearer token in the request");
            if (!methodArn) return deny("the event has no execute-api methodArn/routeArn");
            if (isTokenEvent(event) && resolved.config.cacheTtlSeconds > 0) {
                return deny(`a TOKEN authorizer caches by token alone, so this decision would be reused for other routes: use a REQUEST authorizer keyed by token, method and path (the exported identity source), or a cache TTL of 0 (${ENV.cacheTtlSeconds} is ${resolved.config.cacheTtlSeconds})`);
            }
            const { action, resource } = toCedarRequest(describeRequest(event), resolved.config.mapping);
            entry.action = show(action);
            entry.resource = show(resource);
            const identity = await resolved.verifier.verify(token);
            const { principal, result } = await decide(resolved, identity, token, action, resource);
            entry.principal = show(principal);
            entry.determiningPolicies = result.determiningPolicies;
            if (result.decision !== "ALLOW") {
                const errors = result.errors.length ? `; errors: ${result.errors.join("; ")}` : "";
                return deny(result.decision === "DENY" ? `denied by policy${errors}` : `unexpected decision ${JSON.stringify(result.decision)}${errors}`);
            }
            log({ decision: "Allow", ...entry });
            return allowResponse(identity.subject, methodArn, {
                principal: entry.principal,
                action: action.id,
                resource: resource.id,
                determiningPolicies: result.determiningPolicies.join(","),
            });
        } catch (error) {
            return deny(reasonOf(error, token));
        }
    };
}

/** Real dependencies from the environment, built on the first request (a bad configuration denies, and is retried next time). */
export function depsFromEnv(env: Record<string, string | undefined> = process.env): HandlerDeps {
    const config = configFromEnv(env);
    const verifier =
        config.tokenSource === "identitySource"
            ? createCognitoVerifier({ region: config.region, userPoolId: config.userPoolId!, clientIds: config.clientIds })
            : createSecretVerifier({ secret: once(() => readSecretString(config.jwtSecretArn!, config.region)), issuer: config.jwtIssuer!, audience: config.jwtAudience! });
    return { config, verifier, client: verifiedPermissionsClient(config.region) };
}

export const handler: AuthorizerHandler = createHandler(() => depsFromEnv());

/** Building blocks, exported from the bundle for benchmarks that run it with local keys and a stand-in client. */
export { createCognitoVerifier, createSecretVerifier, once } from "./tokens";
export { verifiedPermissionsClient } from "./avp";
export { awsJsonClient } from "./awsJson";
