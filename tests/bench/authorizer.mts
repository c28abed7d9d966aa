// Benchmark of the Lambda authorizer (bin/lambda/authorizer/index.js, the bundle `npm run build`
// writes): cold-start work (module load of the bundle, then the first authorization, then the first
// signed Verified Permissions call with the network replaced) in fresh processes, and warm
// per-request time. Verified Permissions is replaced by a stand-in that decides
// with cedar-wasm over the sample schema and policies (examples/authorizer-policies), as in the unit tests;
// tokens are Cognito-shaped RS256 ID tokens checked against a local JWKS.
//
//   node tests/bench/authorizer.mts [--requests 1000] [--cold-runs 7]
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const bundlePath = join(root, "bin", "lambda", "authorizer", "index.js");
const exampleDir = join(root, "examples", "authorizer-policies");
const REGION = "us-east-1";
const POOL = "us-east-1_Bench";
const CLIENT = "bench-client";
const ARN = "arn:aws:execute-api:us-east-1:123456789012:api123/prod";

const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

/** The stand-in for Verified Permissions: cedar-wasm isAuthorized over the deployed (rendered) sample policies. */
function cedarClient() {
    const cedar = require("@cedar-policy/cedar-wasm/nodejs");
    const schema = JSON.parse(readFileSync(join(exampleDir, "schema.cedarschema.json"), "utf8"));
    const dir = join(exampleDir, "policies");
    const staticPolicies: Record<string, string> = {};
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".cedar")).sort()) {
        const text = readFileSync(join(dir, file), "utf8").split("{userPoolId}").join(POOL);
        if (!/\?(principal|resource)/.test(text)) staticPolicies[file.replace(/\.cedar$/, "")] = text;
    }
    const decide = (claims: { sub: string; groups: string[] }, action: { type: string; id: string }, resource: { type: string; id: string }) => {
        const principal = { type: "DocsApi::User", id: `${POOL}|${claims.sub}` };
        const answer = cedar.isAuthorized({
            principal,
            action,
            resource,
            context: {},
            schema,
            validateRequest: true,
            policies: { staticPolicies },
            entities: [{ uid: principal, attrs: {}, parents: claims.groups.map((g) => ({ type: "DocsApi::UserGroup", id: `${POOL}|${g}` })) }],
        });
        if (answer.type === "failure") throw new Error(answer.errors.map((e: { message: string }) => e.message).join("; "));
        return { decision: answer.response.decision === "allow" ? "ALLOW" : "DENY", determiningPolicies: answer.response.diagnostics.reason, errors: [] };
    };
    return {
        async isAuthorizedWithToken(request: { identityToken?: string; accessToken?: string; action: { type: string; id: string }; resource: { type: string; id: string } }) {
            const payload = JSON.parse(Buffer.from((request.identityToken ?? request.accessToken)!.split(".")[1], "base64url").toString());
            return decide({ sub: payload.sub, groups: payload["cognito:groups"] ?? [] }, request.action, request.resource);
        },
        async isAuthorized() {
            throw new Error("not used");
        },
    };
}

async function signedToken(groups: string[]) {
    const jose = await import("jose");
    const { publicKey, privateKey } = await jose.generateKeyPair("RS256");
    const jwks = { keys: [{ ...(await jose.exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" }] };
    const token = await new jose.SignJWT({ token_use: "id", "cognito:groups": groups })
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setIssuer(`https://cognito-idp.${REGION}.amazonaws.com/${POOL}`)
        .setAudience(CLIENT)
        .setSubject("bench-user")
        .setIssuedAt()
        .setExpirationTime("1h")
        .sign(privateKey);
    return { token, keys: jose.createLocalJWKSet(jwks) };
}

function event(token: string, method = "GET", path = "/documents/42", route = "/documents/{id}") {
    return {
        type: "REQUEST",
        methodArn: `${ARN}/${method}${path}`,
        resource: route,
        path,
        httpMethod: method,
        headers: { Authorization: `Bearer ${token}` },
        requestContext: { stage: "prod", apiId: "api123" },
    };
}

const config = {
    policyStoreId: "ps-bench",
    tokenSource: "identitySource",
    region: REGION,
    userPoolId: POOL,
    clientIds: [CLIENT],
    principalType: "DocsApi::User",
    groupType: "DocsApi::UserGroup",
    entityPrefix: POOL,
    mapping: { actionType: "DocsApi::Action", actionIdTemplate: "{method} {route}", resourceType: "DocsApi::Resource", resourceIdTemplate: "{path}" },
};

/** One cold start, in this (fresh) process: prints JSON timings in milliseconds. */
async function coldChild() {
    const { token, keys } = await signedToken(["readers"]);
    const t0 = performance.now();
    const bundle = require(bundlePath);
    const loaded = performance.now();
    const cedar = cedarClient();
    const adapterReady = performance.now();
    let inCedar = 0;
    const client = {
        ...cedar,
        async isAuthorizedWithToken(request: Parameters<typeof cedar.isAuthorizedWithToken>[0]) {
            const t = performance.now();
            try {
                return await cedar.isAuthorizedWithToken(request);
            } finally {
                inCedar += performance.now() - t;
            }
        },
    };
    const handler = bundle.createHandler({ config, verifier: bundle.createCognitoVerifier({ region: REGION, userPoolId: POOL, clientIds: [CLIENT], keys }), client, log: () => {} });
    const result = await handler(event(token));
    const done = performance.now();
    if (result.policyDocument.Statement[0].Effect !== "Allow") throw new Error("expected the first request to be allowed");
    // The Lambda's own Verified Permissions client on its first call: request built, signed (SigV4) and
    // answer parsed, with an in-process answer in place of the network.
    const answered = async () => ({ status: 200, text: async () => JSON.stringify({ decision: "ALLOW", determiningPolicies: [{ policyId: "readers" }], errors: [] }) });
    const credentials = () => ({ accessKeyId: "AKIDBENCH", secretAccessKey: "bench-secret", sessionToken: "bench-token" });
    const t1 = performance.now();
    const avp = bundle.verifiedPermissionsClient(REGION, bundle.awsJsonClient({ fetch: answered, credentials }));
    await avp.isAuthorizedWithToken({ policyStoreId: "ps-bench", identityToken: token, action: { type: "DocsApi::Action", id: "GET /documents/{id}" }, resource: { type: "DocsApi::Resource", id: "/documents/42" } });
    const firstSignedCall = performance.now() - t1;
    console.log(JSON.stringify({ moduleLoad: loaded - t0, adapterInit: adapterReady - loaded, firstAuthorization: done - adapterReady, firstCedarDecision: inCedar, firstSignedCall }));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function main() {
    if (!existsSync(bundlePath)) throw new Error(`${bundlePath} is missing: run npm run build`);
    const runs = arg("--cold-runs", 7);
    const requests = arg("--requests", 1000);
    const cold = Array.from({ length: runs }, () => JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--cold-child"], { encoding: "utf8" }).trim().split("\n").pop()!));
    console.log(`authorizer bundle: ${(statSync(bundlePath).size / 1024).toFixed(1)} KiB (${bundlePath.slice(root.length + 1)})`);
    console.log(`cold start, median of ${runs} fresh processes:`);
    console.log(`  module load of the bundle        ${ms(median(cold.map((c) => c.moduleLoad)))}`);
    console.log(`  first authorization              ${ms(median(cold.map((c) => c.firstAuthorization)))}  (verify RS256 ID token + Cedar decision)`);
    console.log(`    of which the Cedar decision    ${ms(median(cold.map((c) => c.firstCedarDecision)))}  (the stand-in's first isAuthorized: schema and policies parsed)`);
    console.log(`  cedar-wasm stand-in init         ${ms(median(cold.map((c) => c.adapterInit)))}  (test stand-in for Verified Permissions, not in the Lambda)`);
    console.log(`  first signed Verified Permissions call, network excluded  ${ms(median(cold.map((c) => c.firstSignedCall)))}  (the Lambda's client: body, SigV4, answer parsed)`);
    const local = cold.map((c) => c.moduleLoad + (c.firstAuthorization - c.firstCedarDecision) + c.firstSignedCall);
    const TARGET_MS = 100;
    console.log(
        `  module init + first local decision (token verified, request mapped, call signed; no network): ${ms(median(local))} median, ${ms(Math.max(...local))} worst` +
            `  [target < ${TARGET_MS} ms: ${median(local) < TARGET_MS ? "met" : "MISSED"}]`,
    );

    const bundle = require(bundlePath);
    const { token, keys } = await signedToken(["readers"]);
    const handler = bundle.createHandler({ config, verifier: bundle.createCognitoVerifier({ region: REGION, userPoolId: POOL, clientIds: [CLIENT], keys }), client: cedarClient(), log: () => {} });
    const allowed = event(token);
    const denied = event(token, "PUT");
    for (let i = 0; i < 50; i++) await handler(allowed);
    const times: number[] = [];
    let allows = 0;
    for (let i = 0; i < requests; i++) {
        const e = i % 2 === 0 ? allowed : denied;
        const t = performance.now();
        const r = await handler(e);
        times.push(performance.now() - t);
        if (r.policyDocument.Statement[0].Effect === "Allow") allows += 1;
    }
    if (allows !== Math.ceil(requests / 2)) throw new Error(`expected ${Math.ceil(requests / 2)} allows, got ${allows}`);
    console.log(`warm, ${requests} requests (half allowed, half denied by Cedar):`);
    console.log(`  median ${ms(median(times))}, p95 ${ms(percentile(times, 95))}, p99 ${ms(percentile(times, 99))}`);

    // The handler's own share: the same requests against a stand-in that answers at once.
    const instant = { isAuthorizedWithToken: async () => ({ decision: "ALLOW", determiningPolicies: ["p"], errors: [] }), isAuthorized: async () => ({ decision: "DENY", determiningPolicies: [], errors: [] }) };
    const bare = bundle.createHandler({ config, verifier: bundle.createCognitoVerifier({ region: REGION, userPoolId: POOL, clientIds: [CLIENT], keys }), client: instant, log: () => {} });
    for (let i = 0; i < 50; i++) await bare(allowed);
    const own: number[] = [];
    for (let i = 0; i < requests; i++) {
        const t = performance.now();
        await bare(allowed);
        own.push(performance.now() - t);
    }
    console.log(`  handler alone (token verification, mapping, response; no Cedar): median ${ms(median(own))}, p95 ${ms(percentile(own, 95))}`);
}

if (process.argv.includes("--cold-child")) await coldChild();
else await main();
