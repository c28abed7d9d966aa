/**
 * API Gateway's authorizer cache, modelled the way AWS keys it, in front of the real handler (Cedar
 * decisions over the sample policies plus one per-document share): a TOKEN authorizer caches the
 * returned policy by the token alone, a REQUEST authorizer by the values of its identity sources
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html). A
 * cached policy is then evaluated against each later request's method ARN, as API Gateway does. Every
 * answer through the cache must equal a fresh decision for the same request.
 */
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import type { APIGatewayAuthorizerResult } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import type { AuthorizerConfig } from "../../../provider/lambda/authorizer/config";
import { createHandler, type AuthorizerHandler } from "../../../provider/lambda/authorizer/handler";
import type { AuthorizerEvent } from "../../../provider/lambda/authorizer/mapping";
import { cognitoIssuer, createCognitoVerifier } from "../../../provider/lambda/authorizer/tokens";
import { HTTP_API_IDENTITY_SOURCES, REST_API_IDENTITY_SOURCE } from "../../../provider/src/authorizerWithPolicyStore/apiGateway";
import { cedarClient, samplePolicyStore } from "./cedarAdapter";

const REGION = "us-east-1";
const POOL = "us-east-1_CachePool";
const CLIENT = "client-cache";
const API = "arn:aws:execute-api:us-east-1:123456789012:api1234567";
const STAGE = "prod";
const TTL = 300;

const config: AuthorizerConfig = {
    policyStoreId: "ps-cache",
    tokenSource: "identitySource",
    region: REGION,
    userPoolId: POOL,
    clientIds: [CLIENT],
    principalType: "DocsApi::User",
    groupType: "DocsApi::UserGroup",
    entityPrefix: POOL,
    mapping: { actionType: "DocsApi::Action", actionIdTemplate: "{method} {route}", resourceType: "DocsApi::Resource", resourceIdTemplate: "{path}" },
    cacheTtlSeconds: TTL,
};

interface Request {
    token: string;
    method: string;
    path: string;
    route: string;
}

const ROUTES: Omit<Request, "token">[] = [
    { method: "GET", path: "/documents", route: "/documents" },
    { method: "GET", path: "/documents/1", route: "/documents/{id}" },
    { method: "GET", path: "/documents/2", route: "/documents/{id}" },
    { method: "GET", path: "/documents/7", route: "/documents/{id}" },
    { method: "POST", path: "/documents", route: "/documents" },
    { method: "PUT", path: "/documents/1", route: "/documents/{id}" },
    { method: "DELETE", path: "/documents/1", route: "/documents/{id}" },
];

type AuthorizerKind = "TOKEN" | "REST_REQUEST" | "HTTP_REQUEST";

const methodArn = (r: Request) => `${API}/${STAGE}/${r.method}${r.path}`;

/** The event API Gateway sends for a request, by authorizer kind. */
function eventFor(kind: AuthorizerKind, r: Request): AuthorizerEvent {
    if (kind === "TOKEN") return { type: "TOKEN", methodArn: methodArn(r), authorizationToken: `Bearer ${r.token}` };
    if (kind === "REST_REQUEST") {
        return {
            type: "REQUEST",
            methodArn: methodArn(r),
            resource: r.route,
            path: r.path,
            httpMethod: r.method,
            headers: { Authorization: `Bearer ${r.token}` },
            requestContext: { stage: STAGE, apiId: "api1234567" },
        } as unknown as AuthorizerEvent;
    }
    return {
        version: "2.0",
        type: "REQUEST",
        routeArn: methodArn(r),
        routeKey: `${r.method} ${r.route}`,
        rawPath: r.path,
        identitySource: [`Bearer ${r.token}`],
        headers: { authorization: `Bearer ${r.token}` },
        requestContext: { http: { method: r.method, path: r.path }, stage: STAGE, apiId: "api1234567" },
    } as unknown as AuthorizerEvent;
}

/** The value of one identity source for a request; REST's `context.path` includes the stage. */
function identityValue(source: string, r: Request): string | undefined {
    switch (source.trim()) {
        case "method.request.header.Authorization":
        case "$request.header.Authorization":
            return `Bearer ${r.token}`;
        case "context.httpMethod":
        case "$context.httpMethod":
            return r.method;
        case "context.path":
            return `/${STAGE}${r.path}`;
        case "$context.path":
            return r.path;
        default:
            return undefined;
    }
}

/** `*` matches any run of characters and `?` one, as in execute-api policy resources. */
function arnMatches(pattern: string, arn: string): boolean {
    const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
    return regex.test(arn);
}

/** API Gateway's evaluation of an authorizer policy for a method ARN: an explicit Deny wins, then an Allow, else denied. */
function evaluate(policy: APIGatewayAuthorizerResult, arn: string): "Allow" | "Deny" {
    const statements = policy.policyDocument.Statement as { Effect: string; Resource: string | string[] }[];
    const matching = statements.filter((s) => [s.Resource].flat().some((p) => arnMatches(p, arn)));
    if (matching.some((s) => s.Effect === "Deny")) return "Deny";
    return matching.some((s) => s.Effect === "Allow") ? "Allow" : "Deny";
}

/** API Gateway in front of the authorizer: cache keyed as AWS keys it, entries expiring after the TTL. */
class ApiGateway {
    private readonly cache = new Map<string, { policy: APIGatewayAuthorizerResult; expires: number }>();
    invocations = 0;
    constructor(
        private readonly kind: AuthorizerKind,
        private readonly handler: AuthorizerHandler,
        private readonly ttlSeconds: number,
        private readonly identitySources: readonly string[],
    ) {}

    async request(r: Request, now: number): Promise<"Allow" | "Deny"> {
        const values = this.identitySources.map((s) => identityValue(s, r));
        if (values.some((v) => v === undefined || v === "")) throw new Error(`identity source missing for ${JSON.stringify(r)}: API Gateway would answer 401`);
        const key = JSON.stringify(values);
        let entry = this.ttlSeconds > 0 ? this.cache.get(key) : undefined;
        if (!entry || entry.expires <= now) {
            this.invocations += 1;
            entry = { policy: await this.handler(eventFor(this.kind, r)), expires: now + this.ttlSeconds };
            if (this.ttlSeconds > 0) this.cache.set(key, entry);
        }
        return evaluate(entry.policy, methodArn(r));
    }
}

let handler: AuthorizerHandler;
let uncachedHandler: AuthorizerHandler;
let tokens: Record<string, string>;

beforeAll(async () => {
    const pair = await generateKeyPair("RS256");
    const jwks: { keys: JWK[] } = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: "k", alg: "RS256", use: "sig" }] };
    const sign = (sub: string, groups: string[]) =>
        new SignJWT({ token_use: "id", "cognito:groups": groups })
            .setProtectedHeader({ alg: "RS256", kid: "k" })
            .setIssuer(cognitoIssuer(REGION, POOL))
            .setAudience(CLIENT)
            .setSubject(sub)
            .setIssuedAt()
            .setExpirationTime("2h")
            .sign(pair.privateKey);
    tokens = {
        reader: await sign("reader-1", ["readers"]),
        writer: await sign("writer-1", ["writers"]),
        admin: await sign("admin-1", ["admins"]),
        // No group: may read /documents/7 only, through a per-document share (a linked template in a real store).
        guest: await sign("guest-1", []),
    };
    const store = samplePolicyStore(POOL, config.policyStoreId);
    store.policies["share-7-with-guest"] = `permit (principal == DocsApi::User::"${POOL}|guest-1", action in DocsApi::Action::"read", resource == DocsApi::Resource::"/documents/7");`;
    const verifier = createCognitoVerifier({ region: REGION, userPoolId: POOL, clientIds: [CLIENT], keys: createLocalJWKSet(jwks) });
    const client = cedarClient(store);
    const handlerWith = (cacheTtlSeconds: number) => createHandler({ config: { ...config, cacheTtlSeconds }, verifier, client, log: () => {} });
    handler = handlerWith(TTL);
    uncachedHandler = handlerWith(0);
});

/** Every token on every route, twice over in a fixed shuffled order, one second apart. */
function traffic(): Request[] {
    const all = Object.values(tokens).flatMap((token) => ROUTES.map((route) => ({ token, ...route })));
    const order = [...all, ...all].map((r, i) => ({ r, k: (i * 7919) % 101 })).sort((a, b) => a.k - b.k);
    return order.map((o) => o.r);
}

/** What a fresh, uncached decision says for each request (REST REQUEST event straight to the handler). */
async function truth(r: Request): Promise<"Allow" | "Deny"> {
    return evaluate(await uncachedHandler(eventFor("REST_REQUEST", r)), methodArn(r));
}

async function replay(gateway: ApiGateway) {
    const wrong: string[] = [];
    let allows = 0;
    let t = 0;
    for (const r of traffic()) {
        const [through, fresh] = [await gateway.request(r, (t += 1)), await truth(r)];
        if (fresh === "Allow") allows += 1;
        if (through !== fresh) wrong.push(`${Object.keys(tokens).find((k) => tokens[k] === r.token)} ${r.method} ${r.path}: ${through}, should be ${fresh}`);
    }
    return { wrong, allows };
}

describe("API Gateway's authorizer cache in front of the authorizer", () => {
    it("REST REQUEST authorizer with the exported identity source: cached decisions equal fresh ones", async () => {
        const gateway = new ApiGateway("REST_REQUEST", handler, TTL, REST_API_IDENTITY_SOURCE.split(","));
        const { wrong, allows } = await replay(gateway);
        expect(wrong).toEqual([]);
        expect(allows).toBeGreaterThan(10);
        // Each (token, method, path) is decided once, then served from the cache.
        expect(gateway.invocations).toBe(Object.keys(tokens).length * ROUTES.length);
    });

    it("HTTP API REQUEST authorizer with the exported identity sources: cached decisions equal fresh ones", async () => {
        const gateway = new ApiGateway("HTTP_REQUEST", handler, TTL, HTTP_API_IDENTITY_SOURCES);
        const { wrong } = await replay(gateway);
        expect(wrong).toEqual([]);
        expect(gateway.invocations).toBe(Object.keys(tokens).length * ROUTES.length);
    });

    it("TOKEN authorizer without caching (TTL 0): no wrong Allow, and routes without parameters decided as fresh", async () => {
        const { wrong } = await replay(new ApiGateway("TOKEN", uncachedHandler, 0, ["method.request.header.Authorization"]));
        // TOKEN events carry no route template: the path stands in for it, and the schema names only
        // routes, so requests to parameterised paths are denied (fail closed); all others match.
        expect(wrong.length).toBeGreaterThan(0);
        expect(wrong.filter((w) => !/ \/documents\/\d: Deny, should be Allow$/.test(w))).toEqual([]);
    });

    it("TOKEN authorizer with caching: the authorizer denies rather than let one route's decision answer for another", async () => {
        const { wrong } = await replay(new ApiGateway("TOKEN", handler, TTL, ["method.request.header.Authorization"]));
        expect(wrong.filter((w) => /: Allow, should be Deny$/.test(w))).toEqual([]);
    });

    it("catches a cache keyed by the token alone in front of per-route decisions (the bug this guards against)", async () => {
        const { wrong } = await replay(new ApiGateway("REST_REQUEST", handler, TTL, ["method.request.header.Authorization"]));
        expect(wrong).toContain("reader GET /documents/2: Deny, should be Allow");
        expect(wrong.length).toBeGreaterThan(5);
    });

    it("expires cached decisions after the TTL", async () => {
        const gateway = new ApiGateway("REST_REQUEST", handler, TTL, REST_API_IDENTITY_SOURCE.split(","));
        const r = { token: tokens.reader, ...ROUTES[1] };
        await gateway.request(r, 0);
        await gateway.request(r, TTL - 1);
        expect(gateway.invocations).toBe(1);
        await gateway.request(r, TTL);
        expect(gateway.invocations).toBe(2);
    });
});
