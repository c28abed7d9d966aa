import type { APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2, APIGatewayTokenAuthorizerEvent } from "aws-lambda";
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from "jose";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { AuthorizationClient } from "../../../provider/lambda/authorizer/avp";
import { configFromEnv, ENV, type AuthorizerConfig } from "../../../provider/lambda/authorizer/config";
import { createHandler, depsFromEnv, type HandlerDeps, type LogEntry } from "../../../provider/lambda/authorizer/handler";
import { describeRequest, extractToken, renderTemplate, toCedarRequest } from "../../../provider/lambda/authorizer/mapping";
import { cognitoIssuer, createCognitoVerifier, createSecretVerifier, once } from "../../../provider/lambda/authorizer/tokens";
import { cedarClient, samplePolicyStore } from "./cedarAdapter";

const REGION = "us-east-1";
const POOL = "us-east-1_TestPool1";
const CLIENT = "client-abc";
const OTHER_CLIENT = "client-other";
const SECRET = "an-hs256-test-secret-of-at-least-32-characters";
const ARN_PREFIX = "arn:aws:execute-api:us-east-1:123456789012:api123/prod";
const JWT_ISSUER = "https://auth.example.com";
const JWT_AUDIENCE = "docs-api";

const mapping = { actionType: "DocsApi::Action", actionIdTemplate: "{method} {route}", resourceType: "DocsApi::Resource", resourceIdTemplate: "{path}" };
const cognitoConfig: AuthorizerConfig = {
    policyStoreId: "ps-test",
    tokenSource: "identitySource",
    region: REGION,
    userPoolId: POOL,
    clientIds: [CLIENT],
    principalType: "DocsApi::User",
    groupType: "DocsApi::UserGroup",
    entityPrefix: POOL,
    mapping,
    cacheTtlSeconds: 300,
};
const jwtConfig: AuthorizerConfig = { ...cognitoConfig, tokenSource: "jwtSecret", userPoolId: undefined, clientIds: [], jwtSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:jwt", jwtIssuer: JWT_ISSUER, jwtAudience: JWT_AUDIENCE, entityPrefix: "jwt" };

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
let privateKey: PrivateKey;
let otherKey: PrivateKey;
let jwks: { keys: JWK[] };

beforeAll(async () => {
    const pair = await generateKeyPair("RS256");
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair("RS256")).privateKey;
    jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: "test-key", alg: "RS256", use: "sig" }] };
});

/** A Cognito-shaped token: ID tokens carry `aud`, access tokens `client_id`. */
async function cognitoToken(options: { use?: string; groups?: string[]; client?: string; expiresIn?: string | number; issuer?: string; key?: PrivateKey; sub?: string } = {}): Promise<string> {
    const use = options.use ?? "id";
    const claims: JWTPayload = { token_use: use, "cognito:groups": options.groups ?? [], email: "user@example.com" };
    if (use === "access") claims.client_id = options.client ?? CLIENT;
    const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: "test-key" })
        .setIssuer(options.issuer ?? cognitoIssuer(REGION, POOL))
        .setSubject(options.sub ?? "user-1")
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? "1h");
    if (use !== "access") jwt.setAudience(options.client ?? CLIENT);
    return jwt.sign(options.key ?? privateKey);
}

/** An HS256 token; `issuer` and `audience` null leave the claim out. */
async function secretToken(options: { groups?: string[]; secret?: string; expiresIn?: string | number; sub?: string; issuer?: string | null; audience?: string | string[] | null } = {}): Promise<string> {
    const jwt = new SignJWT({ groups: options.groups ?? [] })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(options.sub ?? "svc-1")
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? "1h");
    if (options.issuer !== null) jwt.setIssuer(options.issuer ?? JWT_ISSUER);
    if (options.audience !== null) jwt.setAudience(options.audience ?? JWT_AUDIENCE);
    return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

/** A REST API REQUEST authorizer event for `<method> <path>` matched by route `<route>`. */
function restEvent(method: string, path: string, route: string, token?: string): APIGatewayRequestAuthorizerEvent {
    return {
        type: "REQUEST",
        methodArn: `${ARN_PREFIX}/${method}${path}`,
        resource: route,
        path,
        httpMethod: method,
        headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
        multiValueHeaders: {},
        pathParameters: {},
        queryStringParameters: {},
        multiValueQueryStringParameters: {},
        stageVariables: {},
        requestContext: { stage: "prod", apiId: "api123" } as APIGatewayRequestAuthorizerEvent["requestContext"],
    };
}

function setup(config: AuthorizerConfig, client?: AuthorizationClient, secret: () => Promise<string> = async () => SECRET) {
    const logs: LogEntry[] = [];
    const store = samplePolicyStore(config.entityPrefix, config.policyStoreId);
    const cedar = cedarClient(store);
    const verifier =
        config.tokenSource === "identitySource"
            ? createCognitoVerifier({ region: config.region, userPoolId: config.userPoolId!, clientIds: config.clientIds, keys: createLocalJWKSet(jwks) })
            : createSecretVerifier({ secret, issuer: config.jwtIssuer!, audience: config.jwtAudience! });
    const deps: HandlerDeps = { config, verifier, client: client ?? cedar, log: (e) => logs.push(e) };
    return { handler: createHandler(deps), logs, calls: cedar.calls };
}

const effectOf = (r: { policyDocument: { Statement: unknown[] } }) => (r.policyDocument.Statement[0] as { Effect: string }).Effect;

describe("authorizer handler, identity source (Cognito tokens, decisions by Cedar)", () => {
    it("allows a reader to read a document, for exactly that method ARN, with context", async () => {
        const { handler, logs, calls } = setup(cognitoConfig);
        const token = await cognitoToken({ groups: ["readers"] });
        const response = await handler(restEvent("GET", "/documents/42", "/documents/{id}", token));
        expect(response.policyDocument.Statement).toEqual([{ Action: "execute-api:Invoke", Effect: "Allow", Resource: `${ARN_PREFIX}/GET/documents/42` }]);
        expect(response.principalId).toBe("user-1");
        expect(response.context).toEqual({
            principal: `DocsApi::User::"${POOL}|user-1"`,
            action: "GET /documents/{id}",
            resource: "/documents/42",
            determiningPolicies: "readers",
        });
        expect(calls).toHaveLength(1);
        expect(calls[0].api).toBe("IsAuthorizedWithToken");
        expect(calls[0].request).toEqual({
            policyStoreId: "ps-test",
            identityToken: token,
            action: { type: "DocsApi::Action", id: "GET /documents/{id}" },
            resource: { type: "DocsApi::Resource", id: "/documents/42" },
        });
        expect(logs).toEqual([{ decision: "Allow", action: 'DocsApi::Action::"GET /documents/{id}"', resource: 'DocsApi::Resource::"/documents/42"', principal: `DocsApi::User::"${POOL}|user-1"`, determiningPolicies: ["readers"] }]);
    });

    it("denies a reader who writes (no policy permits it)", async () => {
        const { handler, logs } = setup(cognitoConfig);
        const response = await handler(restEvent("PUT", "/documents/42", "/documents/{id}", await cognitoToken({ groups: ["readers"] })));
        expect(effectOf(response)).toBe("Deny");
        expect(response.policyDocument.Statement[0]).toMatchObject({ Resource: `${ARN_PREFIX}/PUT/documents/42` });
        expect(response.context).toBeUndefined();
        expect(logs[0]).toMatchObject({ decision: "Deny", reason: "denied by policy", determiningPolicies: [] });
    });

    it("lets the forbid policy win: writers may not delete, admins may", async () => {
        const { handler, logs } = setup(cognitoConfig);
        const writer = await handler(restEvent("DELETE", "/documents/42", "/documents/{id}", await cognitoToken({ groups: ["writers"] })));
        expect(effectOf(writer)).toBe("Deny");
        expect(logs[0].determiningPolicies).toEqual(["only-admins-delete"]);
        const admin = await handler(restEvent("DELETE", "/documents/42", "/documents/{id}", await cognitoToken({ groups: ["admins"] })));
        expect(effectOf(admin)).toBe("Allow");
    });

    it("accepts access tokens (client_id) and passes them as accessToken", async () => {
        const { handler, calls } = setup(cognitoConfig);
        const token = await cognitoToken({ use: "access", groups: ["writers"] });
        expect(effectOf(await handler(restEvent("POST", "/documents", "/documents", token)))).toBe("Allow");
        expect(calls[0].request).toMatchObject({ accessToken: token });
        expect(calls[0].request).not.toHaveProperty("identityToken");
    });

    const rejected: [string, () => Promise<string>, RegExp][] = [
        ["an expired token", () => cognitoToken({ groups: ["admins"], expiresIn: Math.floor(Date.now() / 1000) - 60 }), /ERR_JWT_EXPIRED/],
        ["an ID token for another app client (aud)", () => cognitoToken({ groups: ["admins"], client: OTHER_CLIENT }), /aud is not an app client/],
        ["an access token for another app client (client_id)", () => cognitoToken({ use: "access", groups: ["admins"], client: OTHER_CLIENT }), /client_id is not an app client/],
        ["a token with the wrong token_use", () => cognitoToken({ use: "refresh", groups: ["admins"] }), /token_use is "refresh"/],
        ["a token from another user pool (issuer)", () => cognitoToken({ groups: ["admins"], issuer: cognitoIssuer(REGION, "us-east-1_Other") }), /ERR_JWT_CLAIM_VALIDATION_FAILED \(iss\)/],
        ["a token signed by another key", () => cognitoToken({ groups: ["admins"], key: otherKey }), /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/],
        [
            "a tampered token (groups changed, signature kept)",
            async () => {
                const [header, , signature] = (await cognitoToken({ groups: ["readers"] })).split(".");
                const forged = Buffer.from(JSON.stringify({ token_use: "id", "cognito:groups": ["admins"], sub: "user-1", aud: CLIENT, iss: cognitoIssuer(REGION, POOL), exp: Math.floor(Date.now() / 1000) + 3600 })).toString("base64url");
                return `${header}.${forged}.${signature}`;
            },
            /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/,
        ],
        ["an HS256 token in identity-source mode", () => secretToken({ groups: ["admins"] }), /ERR_JOSE_ALG_NOT_ALLOWED|ERR_JWKS/],
        ["garbage", async () => "not-a-jwt", /ERR_JWS_INVALID/],
    ];
    for (const [what, make, reason] of rejected) {
        it(`denies ${what} without calling Verified Permissions or logging the token`, async () => {
            const { handler, logs, calls } = setup(cognitoConfig);
            const token = await make();
            const response = await handler(restEvent("GET", "/documents", "/documents", token));
            expect(effectOf(response)).toBe("Deny");
            expect(calls).toEqual([]);
            expect(logs).toHaveLength(1);
            expect(logs[0].decision).toBe("Deny");
            expect(logs[0].reason).toMatch(reason);
            expect(JSON.stringify(logs)).not.toContain(token);
        });
    }

    it("denies a request without a token", async () => {
        const { handler, logs, calls } = setup(cognitoConfig);
        const response = await handler(restEvent("GET", "/documents", "/documents"));
        expect(response).toEqual({ principalId: "anonymous", policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Deny", Resource: `${ARN_PREFIX}/GET/documents` }] } });
        expect(calls).toEqual([]);
        expect(logs).toEqual([{ decision: "Deny", reason: "no bearer token in the request" }]);
    });

    it("denies when Verified Permissions fails, and does not log the token", async () => {
        const token = await cognitoToken({ groups: ["admins"] });
        const failing: AuthorizationClient = {
            isAuthorizedWithToken: async () => {
                throw Object.assign(new Error(`Rate exceeded for token ${token}`), { name: "ThrottlingException" });
            },
            isAuthorized: async () => {
                throw new Error("unused");
            },
        };
        const { handler, logs } = setup(cognitoConfig, failing);
        expect(effectOf(await handler(restEvent("GET", "/documents", "/documents", token)))).toBe("Deny");
        expect(logs[0].reason).toBe("ThrottlingException: Rate exceeded for token [token]");
        expect(JSON.stringify(logs)).not.toContain(token);
    });

    it("denies on any decision other than ALLOW", async () => {
        for (const decision of ["MAYBE", undefined, "allow"]) {
            const odd: AuthorizationClient = {
                isAuthorizedWithToken: async () => ({ decision, determiningPolicies: ["admins"], errors: [] }),
                isAuthorized: async () => ({ decision, determiningPolicies: [], errors: [] }),
            };
            const { handler, logs } = setup(cognitoConfig, odd);
            expect(effectOf(await handler(restEvent("GET", "/documents", "/documents", await cognitoToken())))).toBe("Deny");
            expect(logs[0].reason).toBe(`unexpected decision ${JSON.stringify(decision)}`);
        }
    });

    it("denies a route the schema does not know (Verified Permissions rejects the request)", async () => {
        const { handler, logs } = setup(cognitoConfig);
        expect(effectOf(await handler(restEvent("PATCH", "/documents/42", "/documents/{id}", await cognitoToken({ groups: ["admins"] }))))).toBe("Deny");
        expect(logs[0].reason).toMatch(/^ValidationException: .*PATCH \/documents\/\{id\}/);
    });

    it("denies a malformed event (no method ARN) with a Deny on everything", async () => {
        const { handler } = setup(cognitoConfig);
        const event = { ...restEvent("GET", "/documents", "/documents", await cognitoToken({ groups: ["admins"] })), methodArn: "" };
        const response = await handler(event);
        expect(response.policyDocument.Statement).toEqual([{ Action: "execute-api:Invoke", Effect: "Deny", Resource: "*" }]);
    });

    it("denies when its configuration is broken, and retries building it on the next request", async () => {
        let attempts = 0;
        const handler = createHandler(() => {
            attempts += 1;
            return depsFromEnv({});
        });
        const token = await cognitoToken({ groups: ["admins"] });
        const event = restEvent("GET", "/documents", "/documents", token);
        const stdout = vi.spyOn(console, "log").mockImplementation(() => undefined);
        let lines: string[];
        try {
            expect(effectOf(await handler(event))).toBe("Deny");
            expect(effectOf(await handler(event))).toBe("Deny");
            lines = stdout.mock.calls.map((c) => c[0] as string);
        } finally {
            stdout.mockRestore();
        }
        expect(attempts).toBe(2);
        expect(lines).toHaveLength(2);
        expect(lines.join()).not.toContain(token);
        expect(JSON.parse(lines[0])).toEqual({ decision: "Deny", reason: expect.stringMatching(/^ConfigError: missing environment variables: TOKEN_SOURCE, POLICY_STORE_ID, AWS_REGION/) });
    });

    it("handles TOKEN authorizer events (path from the method ARN) when API Gateway does not cache", async () => {
        const { handler, calls } = setup({ ...cognitoConfig, cacheTtlSeconds: 0 });
        const event: APIGatewayTokenAuthorizerEvent = { type: "TOKEN", methodArn: `${ARN_PREFIX}/GET/documents`, authorizationToken: `Bearer ${await cognitoToken({ groups: ["readers"] })}` };
        expect(effectOf(await handler(event))).toBe("Allow");
        expect(calls[0].request).toMatchObject({ action: { id: "GET /documents" }, resource: { id: "/documents" } });
    });

    it("denies TOKEN events when decisions are cached (the key would be the token alone), without asking Verified Permissions", async () => {
        const { handler, calls, logs } = setup(cognitoConfig);
        const event: APIGatewayTokenAuthorizerEvent = { type: "TOKEN", methodArn: `${ARN_PREFIX}/GET/documents`, authorizationToken: `Bearer ${await cognitoToken({ groups: ["admins"] })}` };
        expect(effectOf(await handler(event))).toBe("Deny");
        expect(calls).toEqual([]);
        expect(logs[0].reason).toMatch(/^a TOKEN authorizer caches by token alone.*CACHE_TTL_SECONDS is 300/);
    });

    it("handles HTTP API (payload 2.0) events with their route key", async () => {
        const { handler } = setup(cognitoConfig);
        const event = {
            version: "2.0",
            type: "REQUEST",
            routeArn: `${ARN_PREFIX}/GET/documents/7`,
            routeKey: "GET /documents/{id}",
            rawPath: "/documents/7",
            identitySource: [],
            headers: { authorization: `Bearer ${await cognitoToken({ groups: ["readers"] })}` },
            requestContext: { http: { method: "GET" }, stage: "prod", apiId: "api123" },
        } as unknown as APIGatewayRequestAuthorizerEventV2;
        const response = await handler(event);
        expect(response.policyDocument.Statement[0]).toEqual({ Action: "execute-api:Invoke", Effect: "Allow", Resource: `${ARN_PREFIX}/GET/documents/7` });
        expect(response.context).toMatchObject({ action: "GET /documents/{id}", resource: "/documents/7" });
    });
});

describe("authorizer handler, jwtSecret mode (HS256, IsAuthorized)", () => {
    it("allows and denies by policy, with the principal and groups built from the claims", async () => {
        const { handler, calls } = setup(jwtConfig);
        const reader = await secretToken({ groups: ["readers"] });
        expect(effectOf(await handler(restEvent("GET", "/documents/1", "/documents/{id}", reader)))).toBe("Allow");
        expect(calls[0]).toEqual({
            api: "IsAuthorized",
            request: {
                policyStoreId: "ps-test",
                principal: { type: "DocsApi::User", id: "jwt|svc-1" },
                action: { type: "DocsApi::Action", id: "GET /documents/{id}" },
                resource: { type: "DocsApi::Resource", id: "/documents/1" },
                entities: [{ uid: { type: "DocsApi::User", id: "jwt|svc-1" }, parents: [{ type: "DocsApi::UserGroup", id: "jwt|readers" }] }],
            },
        });
        expect(effectOf(await handler(restEvent("DELETE", "/documents/1", "/documents/{id}", reader)))).toBe("Deny");
        expect(effectOf(await handler(restEvent("DELETE", "/documents/1", "/documents/{id}", await secretToken({ groups: ["admins"] }))))).toBe("Allow");
    });

    it("denies tokens signed with another secret, expired tokens, RS256 tokens, and tokens of another issuer or audience", async () => {
        const { handler, logs, calls } = setup(jwtConfig);
        const tokens = [
            await secretToken({ groups: ["admins"], secret: "another-secret-that-is-long-enough-to-use" }),
            await secretToken({ groups: ["admins"], expiresIn: Math.floor(Date.now() / 1000) - 5 }),
            await cognitoToken({ groups: ["admins"] }),
            await secretToken({ groups: ["admins"], issuer: "https://other-issuer.example.com" }),
            await secretToken({ groups: ["admins"], audience: "billing-api" }),
            await secretToken({ groups: ["admins"], issuer: null }),
            await secretToken({ groups: ["admins"], audience: null }),
        ];
        for (const token of tokens) expect(effectOf(await handler(restEvent("GET", "/documents", "/documents", token)))).toBe("Deny");
        expect(logs.map((l) => l.reason)).toEqual([
            "token rejected: ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
            "token rejected: ERR_JWT_EXPIRED (exp)",
            "token rejected: ERR_JOSE_ALG_NOT_ALLOWED",
            "token rejected: ERR_JWT_CLAIM_VALIDATION_FAILED (iss)",
            "token rejected: ERR_JWT_CLAIM_VALIDATION_FAILED (aud)",
            "token rejected: ERR_JWT_CLAIM_VALIDATION_FAILED (iss)",
            "token rejected: ERR_JWT_CLAIM_VALIDATION_FAILED (aud)",
        ]);
        expect(calls).toEqual([]);
    });

    it("accepts a token whose aud list names this API among others", async () => {
        const { handler } = setup(jwtConfig);
        expect(effectOf(await handler(restEvent("GET", "/documents", "/documents", await secretToken({ groups: ["readers"], audience: ["billing-api", JWT_AUDIENCE] }))))).toBe("Allow");
    });

    it("refuses to build an HS256 verifier without an expected issuer and audience", () => {
        expect(() => createSecretVerifier({ secret: async () => SECRET, issuer: "", audience: JWT_AUDIENCE })).toThrow(/needs the expected issuer and audience/);
    });

    it("fetches the secret once per container, and again after a failed fetch", async () => {
        let fetches = 0;
        let fail = true;
        const secret = once(async () => {
            fetches += 1;
            if (fail) throw Object.assign(new Error("AccessDenied"), { name: "AccessDeniedException" });
            return SECRET;
        });
        const { handler, logs } = setup(jwtConfig, undefined, secret);
        const event = restEvent("GET", "/documents", "/documents", await secretToken({ groups: ["readers"] }));
        expect(effectOf(await handler(event))).toBe("Deny");
        expect(logs[0].reason).toBe("AccessDeniedException: AccessDenied");
        fail = false;
        for (let i = 0; i < 3; i++) expect(effectOf(await handler(event))).toBe("Allow");
        expect(fetches).toBe(2);
    });
});

describe("request mapping", () => {
    const request = { method: "GET", path: "/a/{route}", route: "/a/{id}", stage: "prod", apiId: "api" };
    it("fills placeholders in one pass", () => {
        expect(renderTemplate("{method} {route} {path} {stage}/{apiId} {other}", { ...request, arn: "" })).toBe("GET /a/{id} /a/{route} prod/api {other}");
    });

    it("maps a request to a Cedar action and resource", () => {
        expect(toCedarRequest({ ...request, arn: "" }, mapping)).toEqual({ action: { type: "DocsApi::Action", id: "GET /a/{id}" }, resource: { type: "DocsApi::Resource", id: "/a/{route}" } });
    });

    it("describes REST, TOKEN and HTTP API events", () => {
        expect(describeRequest(restEvent("get", "/x/1", "/x/{id}"))).toEqual({ method: "GET", path: "/x/1", route: "/x/{id}", stage: "prod", apiId: "api123", arn: `${ARN_PREFIX}/get/x/1` });
        expect(describeRequest({ type: "TOKEN", methodArn: `${ARN_PREFIX}/POST/`, authorizationToken: "t" })).toMatchObject({ method: "POST", path: "/", route: "/" });
        expect(() => describeRequest({ type: "TOKEN", methodArn: "arn:aws:lambda:x", authorizationToken: "t" })).toThrow(/not an execute-api ARN/);
    });

    it("takes the bearer token from the Authorization header in any case", () => {
        expect(extractToken(restEvent("GET", "/", "/", "abc"))).toBe("abc");
        expect(extractToken({ ...restEvent("GET", "/", "/"), headers: { authorization: "bearer  xyz " } })).toBe("xyz");
        expect(extractToken({ ...restEvent("GET", "/", "/"), headers: { Authorization: "Bearer " } })).toBeUndefined();
        expect(extractToken({ type: "TOKEN", methodArn: "", authorizationToken: "raw" })).toBe("raw");
    });
});

describe("configuration from the environment", () => {
    const env = {
        AWS_REGION: REGION,
        [ENV.policyStoreId]: "ps",
        [ENV.tokenSource]: "identitySource",
        [ENV.userPoolId]: POOL,
        [ENV.clientIds]: `${CLIENT}, ${OTHER_CLIENT}`,
        [ENV.principalType]: "DocsApi::User",
        [ENV.groupType]: "DocsApi::UserGroup",
        [ENV.entityPrefix]: POOL,
        [ENV.actionType]: mapping.actionType,
        [ENV.actionIdTemplate]: mapping.actionIdTemplate,
        [ENV.resourceType]: mapping.resourceType,
        [ENV.resourceIdTemplate]: mapping.resourceIdTemplate,
        [ENV.cacheTtlSeconds]: "300",
    };
    it("reads every variable", () => {
        expect(configFromEnv(env)).toEqual({ ...cognitoConfig, policyStoreId: "ps", clientIds: [CLIENT, OTHER_CLIENT] });
        const jwtEnv = { ...env, [ENV.tokenSource]: "jwtSecret", [ENV.jwtSecretArn]: jwtConfig.jwtSecretArn, [ENV.jwtIssuer]: JWT_ISSUER, [ENV.jwtAudience]: JWT_AUDIENCE, [ENV.entityPrefix]: "jwt" };
        expect(configFromEnv(jwtEnv)).toMatchObject({ tokenSource: "jwtSecret", jwtIssuer: JWT_ISSUER, jwtAudience: JWT_AUDIENCE, cacheTtlSeconds: 300 });
    });
    it("names what is missing", () => {
        expect(() => configFromEnv({ ...env, [ENV.clientIds]: "", [ENV.policyStoreId]: undefined })).toThrow("missing environment variables: POLICY_STORE_ID, CLIENT_IDS");
        expect(() => configFromEnv({ ...env, [ENV.tokenSource]: "jwtSecret" })).toThrow("missing environment variables: JWT_SECRET_ARN, JWT_ISSUER, JWT_AUDIENCE");
        expect(() => configFromEnv({ ...env, [ENV.cacheTtlSeconds]: undefined })).toThrow("missing environment variables: CACHE_TTL_SECONDS");
        expect(() => configFromEnv({ ...env, [ENV.cacheTtlSeconds]: "5m" })).toThrow('CACHE_TTL_SECONDS is "5m"');
        expect(() => configFromEnv({ ...env, [ENV.tokenSource]: "none" })).toThrow('TOKEN_SOURCE is "none"');
    });
});
