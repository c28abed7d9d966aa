/**
 * Adopting an existing Verified Permissions policy store and Cognito user pool (issue 17): validation of the ids and
 * of what cannot go with them, the resources built (no store, pool or identity source of rampart's own; policies in
 * the adopted store; the authorizer pointed at it), the preview refusal of a switch that would delete the pool this
 * component created, and the Lambda memory and timeout arguments.
 */
import { execFileSync } from "child_process";
import { existsSync } from "fs";
import { join, resolve } from "path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { AuthorizerWithPolicyStore, AuthorizerWithPolicyStoreArgs, TokenSource } from "../../../provider/src/authorizerWithPolicyStore";
import { ENV } from "../../../provider/lambda/authorizer/config";
import { leftBehindPoolProblems } from "../../../provider/src/authorizerWithPolicyStore/cognito";
import { validateAuthorizerArgs } from "../../../provider/src/authorizerWithPolicyStore/validate";
import { Profile } from "../../../provider/src/shared/profile";
import { ComponentValidationError } from "../../../provider/src/shared/validation";
import { ACCOUNT_ID, record, REGION, resolve as resolveOutput, setAccountAdoptables, withRejectionsCollected } from "../../utils/harness";
import { APP_SCHEMA, SAMPLE_POLICY_DIR, SAMPLE_SCHEMA_FILE } from "./fixtures";

const ROOT = resolve(__dirname, "../../..");
const T = {
    store: "aws:verifiedpermissions/policyStore:PolicyStore",
    schema: "aws:verifiedpermissions/schema:Schema",
    policy: "aws:verifiedpermissions/policy:Policy",
    template: "aws:verifiedpermissions/policyTemplate:PolicyTemplate",
    identitySource: "aws:verifiedpermissions/identitySource:IdentitySource",
    pool: "aws:cognito/userPool:UserPool",
    client: "aws:cognito/userPoolClient:UserPoolClient",
    domain: "aws:cognito/userPoolDomain:UserPoolDomain",
    group: "aws:cognito/userGroup:UserGroup",
    fn: "aws:lambda/function:Function",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
};

const STORE_ID = "PSEXAMPLEabcdefghijklmn";
const POOL_ID = `${REGION}_AbC123xyZ`;
const POOL_ARN = `arn:aws:cognito-idp:${REGION}:${ACCOUNT_ID}:userpool/${POOL_ID}`;
const CLIENT_ID = "1example23456789abcdefghij";

const base: AuthorizerWithPolicyStoreArgs = { stage: "pr-7", accountAlias: "sandpit", policyStore: { schema: APP_SCHEMA } };
/** A per-PR stage sharing the store and pool a long-lived stack made. */
const sharing: AuthorizerWithPolicyStoreArgs = {
    stage: "pr-7",
    accountAlias: "sandpit",
    policyStore: { existingPolicyStoreId: STORE_ID, schemaFile: SAMPLE_SCHEMA_FILE, policyDir: SAMPLE_POLICY_DIR },
    cognito: { existingUserPoolId: POOL_ID, existingClientIds: [CLIENT_ID] },
};

function problems(args: AuthorizerWithPolicyStoreArgs, region = REGION): string[] {
    try {
        validateAuthorizerArgs("auth", args, { region });
        return [];
    } catch (e) {
        if (!(e instanceof ComponentValidationError)) throw e;
        return e.problems.map((p) => `${p.path}: ${p.given.replace(/^got /, "")}; ${p.allowed}`);
    }
}

beforeAll(() => {
    if (!existsSync(join(ROOT, "bin", "lambda", "authorizer", "index.js"))) {
        execFileSync(process.execPath, [join(ROOT, "scripts", "bundle-lambdas.mts")], { cwd: ROOT, stdio: "inherit" });
    }
});

describe("adoption: validation", () => {
    it("accepts a shared store and pool, by pool id or ARN", () => {
        expect(problems(sharing)).toEqual([]);
        expect(problems({ ...sharing, cognito: { existingUserPoolId: POOL_ARN, existingClientIds: [CLIENT_ID] } })).toEqual([]);
    });

    it("rejects a malformed policy store id, naming the pattern", () => {
        const found = problems({ ...base, policyStore: { ...base.policyStore, existingPolicyStoreId: "ps_1 2" }, authorizer: { tokenSource: TokenSource.JwtSecret, jwtIssuer: "i", jwtAudience: "a" } });
        expect(found).toEqual(['policyStore.existingPolicyStoreId: "ps_1 2"; a Verified Permissions policy store id: 1-200 letters, digits and hyphens (^[a-zA-Z0-9-]{1,200}$)']);
        expect(problems({ ...sharing, policyStore: { ...sharing.policyStore, existingPolicyStoreId: "x".repeat(201) } })[0]).toMatch(/^policyStore\.existingPolicyStoreId: /);
    });

    it("rejects malformed pool ids and ARNs, and a pool in another region", () => {
        const pool = (existingUserPoolId: string) => problems({ ...sharing, cognito: { existingUserPoolId, existingClientIds: [CLIENT_ID] } });
        for (const bad of ["AbC123xyZ", "us-east-1-AbC123xyZ", "us-east-1_Ab-12", `arn:aws:cognito-idp:${REGION}:${ACCOUNT_ID}:identitypool/${POOL_ID}`, `arn:aws:cognito-idp:eu-west-1:${ACCOUNT_ID}:userpool/${POOL_ID}`]) {
            expect(pool(bad), bad).toEqual([expect.stringMatching(/^cognito\.existingUserPoolId: .*; a Cognito user pool id such as us-east-1_AbC123xyZ/)]);
        }
        expect(pool(`eu-west-1_AbC123xyZ`)).toEqual(['cognito.existingUserPoolId: "eu-west-1_AbC123xyZ"; a user pool in the stack\'s region us-east-1 (Verified Permissions identity sources and the authorizer verify tokens of a pool in their own region)']);
        expect(pool(`arn:aws:cognito-idp:eu-west-1:${ACCOUNT_ID}:userpool/eu-west-1_AbC123xyZ`)[0]).toMatch(/in the stack's region us-east-1/);
    });

    it("requires client ids of the adopted pool and checks them", () => {
        expect(problems({ ...sharing, cognito: { existingUserPoolId: POOL_ID } })).toEqual([
            "cognito.existingClientIds: nothing was given; 1-20 app client ids of the adopted pool: the authorizer accepts tokens from these clients only",
        ]);
        expect(problems({ ...sharing, cognito: { existingUserPoolId: POOL_ID, existingClientIds: [CLIENT_ID, CLIENT_ID, "bad id"] } })).toEqual([
            `cognito.existingClientIds[1]: "${CLIENT_ID}"; each app client id must be unique; cognito.existingClientIds[0] already uses it`,
            'cognito.existingClientIds[2]: "bad id"; a Cognito app client id: 1-128 letters, digits, underscores and + (^[\\w+]{1,128}$)',
        ]);
        expect(problems({ ...base, cognito: { allowUserPoolDeletion: true } })).toEqual([
            "cognito.allowUserPoolDeletion: true; only with cognito.existingUserPoolId (it lets a switch to an adopted pool drop the pool rampart created); remove it",
        ]);
        expect(problems({ ...base, cognito: { existingClientIds: [CLIENT_ID] } })).toEqual([
            `cognito.existingClientIds: ["${CLIENT_ID}"]; only with cognito.existingUserPoolId (a pool rampart creates trusts its own clients and cognito.appClients); remove it`,
        ]);
    });

    it("refuses the pool's own settings with an adopted pool, all in one error", () => {
        const found = problems({
            ...sharing,
            cognito: { ...sharing.cognito, groups: ["readers"], appClients: ["web"], domainPrefix: "docs", signInAliases: ["email"], enabled: false },
        });
        // enabled false also leaves the default tokenSource identitySource without Cognito.
        expect(found.map((p) => p.split(":")[0]).sort()).toEqual(["authorizer.tokenSource", "cognito.appClients", "cognito.domainPrefix", "cognito.enabled", "cognito.groups", "cognito.signInAliases"]);
        expect(found.find((p) => p.startsWith("cognito.groups"))).toContain("the adopted pool's settings, groups and clients are its owner's and rampart never changes them");
    });

    it("refuses a stage that shares a store but brings its own pool: the store holds one identity source", () => {
        const found = problems({ ...base, policyStore: { ...base.policyStore, existingPolicyStoreId: STORE_ID } });
        expect(found).toEqual([expect.stringMatching(/^cognito\.existingUserPoolId: nothing was given; the user pool that the adopted policy store's identity source trusts: a policy store holds one identity source/)]);
        // Allowed: the one stack that makes the store's identity source, and jwtSecret mode.
        expect(problems({ ...base, policyStore: { ...base.policyStore, existingPolicyStoreId: STORE_ID, createIdentitySource: true } })).toEqual([]);
        expect(problems({ ...base, policyStore: { ...base.policyStore, existingPolicyStoreId: STORE_ID }, cognito: { enabled: false }, authorizer: { tokenSource: TokenSource.JwtSecret, jwtIssuer: "https://i", jwtAudience: "a" } })).toEqual([]);
    });

    it("takes applySchema and createIdentitySource only with an adopted store, and no description for it", () => {
        expect(problems({ ...base, policyStore: { ...base.policyStore, applySchema: true, createIdentitySource: true } }).map((p) => p.split(":")[0])).toEqual(["policyStore.applySchema", "policyStore.createIdentitySource"]);
        expect(problems({ ...sharing, policyStore: { ...sharing.policyStore, description: "shared" } })[0]).toMatch(/^policyStore\.description: "shared"; no description with policyStore\.existingPolicyStoreId/);
        expect(problems({ ...sharing, policyStore: { existingPolicyStoreId: STORE_ID, applySchema: true, validationMode: "off" as never } })).toEqual([
            "policyStore.applySchema: true; a schema to apply: give policyStore.schema or policyStore.schemaFile",
        ]);
    });

    it("checks the authorizer's memory (128-10240 MB) and timeout (1-30 s)", () => {
        expect(problems({ ...base, authorizer: { memorySize: 10240, timeoutSeconds: 30 } })).toEqual([]);
        expect(problems({ ...base, authorizer: { memorySize: 127, timeoutSeconds: 31 } })).toEqual([
            "authorizer.memorySize: 127; an integer from 128 to 10240",
            "authorizer.timeoutSeconds: 31; an integer from 1 to 30",
        ]);
        expect(problems({ ...base, authorizer: { memorySize: 10241, timeoutSeconds: 0 } }).map((p) => p.split(":")[0])).toEqual(["authorizer.memorySize", "authorizer.timeoutSeconds"]);
    });
});

describe("adoption: resources", () => {
    let restore: () => void = () => undefined;
    afterEach(() => restore());

    it("shares the store and pool: no store, pool, client, domain, group or identity source of its own; policies go into the adopted store", async () => {
        restore = setAccountAdoptables({ policyStores: [STORE_ID], userPools: [{ id: POOL_ID, name: "shared" }] });
        const { recorder, result } = await record(() => new AuthorizerWithPolicyStore("auth", { ...sharing, authorizer: { memorySize: 512, timeoutSeconds: 10 } }));
        for (const type of [T.store, T.schema, T.identitySource, T.pool, T.client, T.domain, T.group]) expect(recorder.byType(type), type).toEqual([]);
        const policies = [...recorder.byType(T.policy), ...recorder.byType(T.template)];
        expect(policies.length).toBeGreaterThan(1);
        for (const p of policies) expect(p.inputs.policyStoreId).toBe(STORE_ID);
        // {userPoolId} is the adopted pool's id.
        const statements = recorder.byType(T.policy).map((p) => p.inputs.definition.static.statement).join("\n");
        expect(statements).toContain(`${POOL_ID}|`);
        const fn = recorder.one(T.fn);
        expect(fn.inputs).toMatchObject({ memorySize: 512, timeout: 10 });
        expect(fn.inputs.environment.variables).toMatchObject({ [ENV.policyStoreId]: STORE_ID, [ENV.userPoolId]: POOL_ID, [ENV.clientIds]: CLIENT_ID, [ENV.entityPrefix]: POOL_ID });
        const authorize = JSON.parse(recorder.one(T.rolePolicy).inputs.policy).Statement.find((s: { Sid: string }) => s.Sid === "Authorize");
        expect(authorize).toMatchObject({ Action: ["verifiedpermissions:IsAuthorizedWithToken"], Resource: `arn:aws:verifiedpermissions::${ACCOUNT_ID}:policy-store/${STORE_ID}` });
        expect(await resolveOutput(result.policyStoreId)).toBe(STORE_ID);
        expect(await resolveOutput(result.userPoolId)).toBe(POOL_ID);
        expect(await resolveOutput(result.userPoolArn)).toBe(POOL_ARN);
        expect(await resolveOutput(result.userPoolClientIds)).toEqual([CLIENT_ID]);
        expect(result.userPoolDomain).toBeUndefined();
        expect(result.identitySourceId).toBeUndefined();
    });

    it("puts the schema and the identity source into an adopted store only when asked, trusting its own pool's clients", async () => {
        restore = setAccountAdoptables({ policyStores: [STORE_ID] });
        const { recorder } = await record(() => new AuthorizerWithPolicyStore("auth", { ...base, policyStore: { ...base.policyStore, existingPolicyStoreId: STORE_ID, applySchema: true, createIdentitySource: true } }));
        expect(recorder.byType(T.store)).toEqual([]);
        expect(recorder.one(T.schema).inputs.policyStoreId).toBe(STORE_ID);
        const source = recorder.one(T.identitySource);
        expect(source.inputs.policyStoreId).toBe(STORE_ID);
        expect(source.inputs.configuration.cognitoUserPoolConfiguration.clientIds).toEqual(["auth-client-id"]);
        expect(recorder.byType(T.pool)).toHaveLength(1);
    });

    it("adopts a pool into a store of its own: the created store trusts the adopted pool's clients", async () => {
        restore = setAccountAdoptables({ userPools: [{ id: POOL_ID, name: "shared" }] });
        const { recorder } = await record(() => new AuthorizerWithPolicyStore("auth", { ...base, profile: Profile.Production, cognito: { existingUserPoolId: POOL_ARN, existingClientIds: [CLIENT_ID] } }));
        expect(recorder.byType(T.store)).toHaveLength(1);
        expect(recorder.byType(T.pool)).toEqual([]);
        expect(recorder.one(T.identitySource).inputs.configuration.cognitoUserPoolConfiguration).toMatchObject({ userPoolArn: POOL_ARN, clientIds: [CLIENT_ID] });
    });

    it("fails the preview when the adopted store or pool does not exist", async () => {
        restore = setAccountAdoptables({});
        const errors = await withRejectionsCollected(async (collected: unknown[]) => {
            await record(() => new AuthorizerWithPolicyStore("auth", sharing)).catch((e) => collected.push(e));
            await new Promise((done) => setTimeout(done, 50));
            return collected;
        });
        expect(errors.length).toBeGreaterThan(0);
        // One error naming each argument, not the invoke's own error (the mock runtime hides the look-up's answer; the
        // stand-in's e2e run shows it).
        const messages = errors.map((e) => String((e as Error)?.message ?? e)).join("\n");
        expect(messages).toContain(`policyStore.existingPolicyStoreId: got "${STORE_ID}"; the id of a Verified Permissions policy store in this stack's account and Region`);
        expect(messages).toContain(`cognito.existingUserPoolId: got "${POOL_ID}"; the id of a Cognito user pool in this stack's account and Region`);
    });
});

describe("adoption: switching from a created pool", () => {
    it("names the pool that would be deleted and how to keep it (pure)", () => {
        expect(leftBehindPoolProblems("auth-pr-7", POOL_ID, { ids: [] })).toEqual([]);
        expect(leftBehindPoolProblems("auth-pr-7", POOL_ID, { ids: [POOL_ID] })).toEqual([]);
        const [problem] = leftBehindPoolProblems("auth-pr-7", POOL_ID, { ids: [`${REGION}_Own000001`] });
        expect(problem.path).toBe("cognito.existingUserPoolId");
        expect(problem.allowed).toContain(`this stack's own user pool "auth-pr-7" (${REGION}_Own000001) still exists, and adopting another pool would delete it with every user in it`);
        expect(problem.allowed).toContain("first run `pulumi up` with retainOnDelete true and no other change, then switch with cognito.allowUserPoolDeletion true");
    });

    it("refuses at preview, registering nothing, when this component's own pool still exists, retainOnDelete or not; allowUserPoolDeletion lets it through", async () => {
        let restore = setAccountAdoptables({ policyStores: [STORE_ID], userPools: [{ id: POOL_ID, name: "shared" }, { id: `${REGION}_Own000001`, name: "auth-pr-7" }] });
        try {
            let recorded;
            const errors = await withRejectionsCollected(async (collected: Error[]) => {
                // retainOnDelete given with the switch cannot keep the pool (it is deleted as the last `up` left it): still refused.
                ({ recorder: recorded } = await record(() => new AuthorizerWithPolicyStore("auth", { ...sharing, retainOnDelete: true })));
                await new Promise((done) => setTimeout(done, 50));
                return collected;
            });
            // The refusal reaches the engine as the failed registration's cause.
            const refusal = errors.find((e) => /has an invalid argument/.test(String(e?.message)));
            expect(refusal?.message).toContain('AuthorizerWithPolicyStore "auth": cognito.existingUserPoolId: got "us-east-1_AbC123xyZ"; this stack\'s own user pool "auth-pr-7"');
            expect(recorded!.byType(T.policy)).toEqual([]);
            expect(recorded!.byType(T.fn)).toEqual([]);

            const allowed = await record(() => new AuthorizerWithPolicyStore("auth", { ...sharing, cognito: { ...sharing.cognito, allowUserPoolDeletion: true } }));
            expect(allowed.recorder.byType(T.fn)).toHaveLength(1);
        } finally {
            restore();
            restore = () => undefined;
        }
    });
});
