/**
 * Inputs that compose (issue 16 item 2) for AuthorizerWithPolicyStore: the adopted policy store id, the adopted user
 * pool id and its app client ids, the SES settings and the JWT issuer and audience take Outputs. A plain value gives
 * exactly the resources it gave before; the same values as Outputs give the same resources; a value known only at
 * deployment that the component refuses fails, when it resolves, with the component's one error naming the argument.
 */
import { execFileSync } from "child_process";
import { existsSync } from "fs";
import { join, resolve } from "path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AuthorizerWithPolicyStore, AuthorizerWithPolicyStoreArgs, TokenSource } from "../../../provider/src/authorizerWithPolicyStore";
import { ENV } from "../../../provider/lambda/authorizer/config";
import { leftBehindPoolProblems } from "../../../provider/src/authorizerWithPolicyStore/cognito";
import { validateAuthorizerArgs, withResolvedChecks } from "../../../provider/src/authorizerWithPolicyStore/validate";
import { ComponentValidationError } from "../../../provider/src/shared/validation";
import { ACCOUNT_ID, HarnessOptions, record, RecordedResource, REGION, resolve as resolveOutput, setAccountAdoptables, withRejectionsCollected } from "../../utils/harness";
import { APP_SCHEMA, SAMPLE_POLICY_DIR, SAMPLE_SCHEMA_FILE } from "./fixtures";

const ROOT = resolve(__dirname, "../../..");
const T = {
    store: "aws:verifiedpermissions/policyStore:PolicyStore",
    policy: "aws:verifiedpermissions/policy:Policy",
    identitySource: "aws:verifiedpermissions/identitySource:IdentitySource",
    pool: "aws:cognito/userPool:UserPool",
    fn: "aws:lambda/function:Function",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
};

const STORE_ID = "PSEXAMPLEabcdefghijklmn";
const POOL_ID = `${REGION}_AbC123xyZ`;
const POOL_ARN = `arn:aws:cognito-idp:${REGION}:${ACCOUNT_ID}:userpool/${POOL_ID}`;
const CLIENTS = ["1example23456789abcdefghij", "2example23456789abcdefghij"];
const SES_ARN = `arn:aws:ses:${REGION}:${ACCOUNT_ID}:identity/example.com`;

/** A per-PR stage sharing the store and pool a long-lived stack made, with the store's identity source. */
const sharing: AuthorizerWithPolicyStoreArgs = {
    stage: "pr-7",
    accountAlias: "sandpit",
    policyStore: { existingPolicyStoreId: STORE_ID, schemaFile: SAMPLE_SCHEMA_FILE, policyDir: SAMPLE_POLICY_DIR, createIdentitySource: true },
    cognito: { existingUserPoolId: POOL_ID, existingClientIds: CLIENTS },
};
/** A stage with its own pool sending e-mail through SES, authorizing HS256 tokens. */
const ownPool: AuthorizerWithPolicyStoreArgs = {
    stage: "pr-7",
    accountAlias: "sandpit",
    policyStore: { schema: APP_SCHEMA },
    cognito: { sesConfig: { sourceArn: SES_ARN, fromEmail: "no-reply@example.com", replyToEmail: "help@example.com", configurationSet: "auth-emails" } },
    authorizer: { tokenSource: TokenSource.JwtSecret, jwtIssuer: "https://auth.example.com", jwtAudience: "docs-api" },
};

/** The same arguments with the composable values given as Outputs. */
function asOutputs(args: AuthorizerWithPolicyStoreArgs): AuthorizerWithPolicyStoreArgs {
    const o = <T>(v: T) => (v === undefined ? undefined : pulumi.output(v)) as never;
    const ses = args.cognito?.sesConfig;
    return {
        ...args,
        policyStore: { ...args.policyStore, existingPolicyStoreId: o(args.policyStore.existingPolicyStoreId) },
        cognito: {
            ...args.cognito,
            existingUserPoolId: o(args.cognito?.existingUserPoolId),
            // A list of Outputs, as TypeScript programs pass client ids.
            existingClientIds: args.cognito?.existingClientIds === undefined ? undefined : (args.cognito.existingClientIds as string[]).map((id) => pulumi.output(id)),
            sesConfig: ses && { sourceArn: o(ses.sourceArn), fromEmail: o(ses.fromEmail), replyToEmail: o(ses.replyToEmail), configurationSet: o(ses.configurationSet) },
        },
        authorizer: args.authorizer && { ...args.authorizer, jwtIssuer: o(args.authorizer.jwtIssuer), jwtAudience: o(args.authorizer.jwtAudience) },
    };
}

/** What each child was given, by type and logical name: the comparison of a plain and an Output run. */
function rendered(resources: readonly RecordedResource[]): Record<string, unknown> {
    return Object.fromEntries(resources.map((r) => [`${r.type}::${r.name}`, r.inputs]));
}

/** Runs a program whose inputs fail once an Output resolves: the ComponentValidationErrors and what was registered. */
async function recordFailing(fn: () => unknown, options: HarnessOptions = {}) {
    return withRejectionsCollected(async (errors: unknown[]) => {
        const { recorder } = await record(() => {
            try {
                return fn();
            } catch (error) {
                errors.push(error);
                return undefined;
            }
        }, options);
        await new Promise((done) => setTimeout(done, 50));
        return { errors: errors.filter((e): e is ComponentValidationError => e instanceof ComponentValidationError), recorder };
    });
}

beforeAll(() => {
    if (!existsSync(join(ROOT, "bin", "lambda", "authorizer", "index.js"))) {
        execFileSync(process.execPath, [join(ROOT, "scripts", "bundle-lambdas.mts")], { cwd: ROOT, stdio: "inherit" });
    }
});

describe("AuthorizerWithPolicyStore: composable inputs, plain values unchanged", () => {
    let restore: () => void = () => undefined;
    afterEach(() => restore());

    it("a plain adopted store, pool and client ids render the ARNs, environment and identity source they always did", async () => {
        restore = setAccountAdoptables({ policyStores: [STORE_ID], userPools: [{ id: POOL_ID, name: "shared" }] });
        const { recorder } = await record(() => new AuthorizerWithPolicyStore("auth", sharing));
        const authorize = JSON.parse(recorder.one(T.rolePolicy).inputs.policy).Statement.find((s: { Sid: string }) => s.Sid === "Authorize");
        expect(authorize.Resource).toBe(`arn:aws:verifiedpermissions::${ACCOUNT_ID}:policy-store/${STORE_ID}`);
        expect(recorder.one(T.fn).inputs.environment.variables).toMatchObject({ [ENV.policyStoreId]: STORE_ID, [ENV.userPoolId]: POOL_ID, [ENV.clientIds]: CLIENTS.join(","), [ENV.entityPrefix]: POOL_ID });
        expect(recorder.one(T.identitySource).inputs).toMatchObject({
            policyStoreId: STORE_ID,
            configuration: { cognitoUserPoolConfiguration: { userPoolArn: POOL_ARN, clientIds: CLIENTS } },
        });
        for (const p of recorder.byType(T.policy)) expect(p.inputs.policyStoreId).toBe(STORE_ID);
    });

    it("a plain SES configuration and JWT issuer and audience render the user pool's e-mail and the function's environment they always did", async () => {
        const { recorder } = await record(() => new AuthorizerWithPolicyStore("auth", ownPool));
        expect(recorder.one(T.pool).inputs.emailConfiguration).toEqual({
            emailSendingAccount: "DEVELOPER",
            sourceArn: SES_ARN,
            fromEmailAddress: "no-reply@example.com",
            replyToEmailAddress: "help@example.com",
            configurationSet: "auth-emails",
        });
        expect(recorder.one(T.fn).inputs.environment.variables).toMatchObject({ [ENV.jwtIssuer]: "https://auth.example.com", [ENV.jwtAudience]: "docs-api" });
    });

    it("leaves known values as they are: withResolvedChecks wraps only Outputs", () => {
        const checked = withResolvedChecks("auth", ownPool, REGION);
        expect(checked).toEqual(ownPool);
        const outputs = withResolvedChecks("auth", asOutputs(sharing), REGION);
        expect(pulumi.Output.isInstance(outputs.policyStore.existingPolicyStoreId)).toBe(true);
        expect(pulumi.Output.isInstance(outputs.cognito!.existingClientIds), "a known list of Outputs is checked as one list").toBe(true);
    });

    it("the same values as Outputs give the same children with the same inputs", async () => {
        for (const args of [sharing, ownPool]) {
            restore = setAccountAdoptables({ policyStores: [STORE_ID], userPools: [{ id: POOL_ID, name: "shared" }] });
            const plain = await record(() => new AuthorizerWithPolicyStore("auth", args));
            const composed = await record(() => new AuthorizerWithPolicyStore("auth", asOutputs(args)));
            expect(rendered(composed.recorder.resources)).toEqual(rendered(plain.recorder.resources));
            restore();
        }
    });

    it("validation at construction skips Outputs and still reports every known problem in one error", () => {
        expect(() => validateAuthorizerArgs("auth", asOutputs(sharing), { region: REGION })).not.toThrow();
        expect(() => validateAuthorizerArgs("auth", asOutputs(ownPool), { region: REGION })).not.toThrow();
        // A known bad value beside Outputs: reported at preview as before.
        const mixed = asOutputs(sharing);
        mixed.cognito!.existingClientIds = [pulumi.output(CLIENTS[0]), "bad id"];
        expect(() => validateAuthorizerArgs("auth", mixed, { region: REGION })).toThrow(/cognito\.existingClientIds\[1\]: got "bad id"; a Cognito app client id/);
    });
});

describe("AuthorizerWithPolicyStore: Outputs checked when they resolve", () => {
    let restore: () => void = () => undefined;
    afterEach(() => restore());

    // The stack's region (aws:region, or AWS_REGION as here), against which pool and SES identity regions are checked.
    let savedRegion: string | undefined;
    beforeAll(() => {
        savedRegion = process.env.AWS_REGION;
        process.env.AWS_REGION = REGION;
    });
    afterAll(() => {
        if (savedRegion === undefined) delete process.env.AWS_REGION;
        else process.env.AWS_REGION = savedRegion;
    });

    const cases: { label: string; args: AuthorizerWithPolicyStoreArgs; line: RegExp }[] = [
        {
            label: "policy store id",
            args: { ...sharing, policyStore: { ...sharing.policyStore, existingPolicyStoreId: pulumi.output("ps_1 2") } },
            line: /AuthorizerWithPolicyStore "auth": policyStore\.existingPolicyStoreId: got "ps_1 2"; a Verified Permissions policy store id: 1-200 letters, digits and hyphens/,
        },
        {
            label: "user pool id",
            args: { ...sharing, cognito: { ...sharing.cognito, existingUserPoolId: pulumi.output("AbC123xyZ") } },
            line: /AuthorizerWithPolicyStore "auth": cognito\.existingUserPoolId: got "AbC123xyZ"; a Cognito user pool id such as us-east-1_AbC123xyZ/,
        },
        {
            label: "user pool ARN in another region",
            args: { ...sharing, cognito: { ...sharing.cognito, existingUserPoolId: pulumi.output(`arn:aws:cognito-idp:eu-west-1:${ACCOUNT_ID}:userpool/eu-west-1_AbC123xyZ`) } },
            line: /cognito\.existingUserPoolId: got "arn:aws:cognito-idp:eu-west-1:.*"; a user pool in the stack's region us-east-1/,
        },
        {
            label: "client id list (an Output of a list)",
            args: { ...sharing, cognito: { ...sharing.cognito, existingClientIds: pulumi.output([CLIENTS[0], CLIENTS[0]]) } },
            line: /cognito\.existingClientIds\[1\]: got "1example23456789abcdefghij"; each app client id must be unique/,
        },
        {
            label: "client id list resolving empty",
            args: { ...sharing, cognito: { ...sharing.cognito, existingClientIds: pulumi.output([] as string[]) } },
            line: /cognito\.existingClientIds: got \[\]; 1-20 app client ids of the adopted pool/,
        },
        {
            label: "client id (an Output in a list)",
            args: { ...sharing, cognito: { ...sharing.cognito, existingClientIds: [CLIENTS[0], pulumi.output("bad id")] } },
            line: /cognito\.existingClientIds\[1\]: got "bad id"; a Cognito app client id/,
        },
        {
            label: "SES source ARN",
            args: { ...ownPool, cognito: { sesConfig: { ...ownPool.cognito!.sesConfig!, sourceArn: pulumi.output(`arn:aws:sns:${REGION}:${ACCOUNT_ID}:topic`) } } },
            line: /cognito\.sesConfig\.sourceArn: got "arn:aws:sns:.*"; an SES identity ARN/,
        },
        {
            label: "SES source ARN in another region",
            args: { ...ownPool, cognito: { sesConfig: { ...ownPool.cognito!.sesConfig!, sourceArn: pulumi.output(`arn:aws:ses:eu-west-1:${ACCOUNT_ID}:identity/example.com`) } } },
            line: /cognito\.sesConfig\.sourceArn: got .*; an SES identity in the stack's region us-east-1/,
        },
        {
            label: "From address",
            args: { ...ownPool, cognito: { sesConfig: { ...ownPool.cognito!.sesConfig!, fromEmail: pulumi.output("") } } },
            line: /cognito\.sesConfig\.fromEmail: got ""; the From address/,
        },
        {
            label: "reply-to address",
            args: { ...ownPool, cognito: { sesConfig: { ...ownPool.cognito!.sesConfig!, replyToEmail: pulumi.output("help") } } },
            line: /cognito\.sesConfig\.replyToEmail: got "help"; an e-mail address/,
        },
        {
            label: "JWT issuer",
            args: { ...ownPool, authorizer: { ...ownPool.authorizer, jwtIssuer: pulumi.output("https://auth example.com") } },
            line: /authorizer\.jwtIssuer: got "https:\/\/auth example\.com"; 1-256 characters without spaces/,
        },
        {
            label: "JWT audience",
            args: { ...ownPool, authorizer: { ...ownPool.authorizer, jwtAudience: pulumi.output("x".repeat(257)) } },
            line: /authorizer\.jwtAudience: got "x+\.\.\.; 1-256 characters without spaces/,
        },
    ];

    for (const c of cases) {
        it(`a bad ${c.label} fails with the component's one error when it resolves`, async () => {
            restore = setAccountAdoptables({ policyStores: [STORE_ID, "ps_1 2"], userPools: [{ id: POOL_ID, name: "shared" }, { id: "AbC123xyZ", name: "x" }, { id: "eu-west-1_AbC123xyZ", name: "y" }] });
            // Validation at construction passes: the value is not known then.
            expect(() => validateAuthorizerArgs("auth", c.args, { region: REGION })).not.toThrow();
            const { errors } = await recordFailing(() => new AuthorizerWithPolicyStore("auth", c.args));
            expect(errors.length, "the resolve-time check fails the registration").toBeGreaterThan(0);
            const messages = [...new Set(errors.map((e) => e.message))];
            expect(messages).toHaveLength(1);
            expect(messages[0]).toMatch(/^AuthorizerWithPolicyStore "auth" has an invalid argument:\n {2}/);
            expect(messages[0]).toMatch(c.line);
        });
    }

    it("good values as Outputs pass: no error, and the children get the resolved values", async () => {
        restore = setAccountAdoptables({ policyStores: [STORE_ID], userPools: [{ id: POOL_ID, name: "shared" }] });
        const arnArgs: AuthorizerWithPolicyStoreArgs = { ...sharing, cognito: { existingUserPoolId: pulumi.output(POOL_ARN), existingClientIds: pulumi.output(CLIENTS) } };
        for (const args of [asOutputs(sharing), arnArgs, asOutputs(ownPool)]) {
            const { errors, recorder } = await recordFailing(() => new AuthorizerWithPolicyStore("auth", args));
            expect(errors).toEqual([]);
            expect(recorder.byType(T.fn)).toHaveLength(1);
        }
        const { recorder, result } = await record(() => new AuthorizerWithPolicyStore("auth", arnArgs));
        expect(recorder.one(T.fn).inputs.environment.variables).toMatchObject({ [ENV.userPoolId]: POOL_ID, [ENV.clientIds]: CLIENTS.join(",") });
        expect(await resolveOutput(result.userPoolId)).toBe(POOL_ID);
        expect(await resolveOutput(result.policyStoreId)).toBe(STORE_ID);
    });
});

describe("AuthorizerWithPolicyStore: switching to a pool whose id is an Output", () => {
    it("an id unknown at preview cannot be this component's existing pool: the pool is named as left behind (pure)", () => {
        const [problem] = leftBehindPoolProblems("auth-pr-7", undefined, { ids: [`${REGION}_Own000001`] }, pulumi.output(POOL_ID));
        expect(problem).toMatchObject({ path: "cognito.existingUserPoolId", given: "got a value known only at deployment" });
        expect(problem.allowed).toContain(`this stack's own user pool "auth-pr-7" (${REGION}_Own000001) still exists`);
        expect(leftBehindPoolProblems("auth-pr-7", undefined, { ids: [] })).toEqual([]);
    });

    it("at preview, with ids unknown (a pool, client and store created in the same program), the component plans; with its own pool still there it refuses", async () => {
        // What the engine sends at preview for outputs of resources not created yet (as host.test.ts builds them).
        const unknown = () => new (pulumi.Output as any)(new Set(), Promise.resolve(undefined), Promise.resolve(false), Promise.resolve(false), Promise.resolve(new Set())) as pulumi.Output<string>;
        const upstream = () => {
            const args: AuthorizerWithPolicyStoreArgs = {
                ...sharing,
                policyStore: { ...sharing.policyStore, existingPolicyStoreId: unknown() },
                cognito: { existingUserPoolId: unknown(), existingClientIds: [unknown()] },
            };
            return new AuthorizerWithPolicyStore("auth", args);
        };
        let restore = setAccountAdoptables({});
        try {
            const fresh = await recordFailing(upstream, { preview: true });
            expect(fresh.errors).toEqual([]);
            const fn = fresh.recorder.one(T.fn);
            expect(fn.unknownPaths, "the store id, pool id and client ids are unknown in the function's environment").toEqual(
                expect.arrayContaining([`environment.variables.${ENV.policyStoreId}`, `environment.variables.${ENV.userPoolId}`, `environment.variables.${ENV.clientIds}`]),
            );
            expect(fresh.recorder.byType(T.identitySource)).toHaveLength(1);
            restore();

            restore = setAccountAdoptables({ userPools: [{ id: `${REGION}_Own000001`, name: "auth-pr-7" }] });
            const switching = await recordFailing(upstream, { preview: true });
            expect(switching.errors.map((e) => e.message)).toContainEqual(
                expect.stringContaining(`cognito.existingUserPoolId: got a value known only at deployment; this stack's own user pool "auth-pr-7" (${REGION}_Own000001) still exists`),
            );
            expect(switching.recorder.byType(T.fn)).toEqual([]);
        } finally {
            restore();
        }
    });

    it("a resolved id is compared as a plain one: its own pool is refused, naming the resolved id", async () => {
        const restore = setAccountAdoptables({ policyStores: [STORE_ID], userPools: [{ id: POOL_ID, name: "shared" }, { id: `${REGION}_Own000001`, name: "auth-pr-7" }] });
        try {
            const args = { ...sharing, cognito: { existingUserPoolId: pulumi.output(POOL_ARN), existingClientIds: CLIENTS } };
            const { errors, recorder } = await recordFailing(() => new AuthorizerWithPolicyStore("auth", args));
            expect(errors.map((e) => e.message)).toContainEqual(expect.stringContaining(`cognito.existingUserPoolId: got "${POOL_ID}"; this stack's own user pool "auth-pr-7"`));
            expect(recorder.byType(T.fn)).toEqual([]);
        } finally {
            restore();
        }
    });
});
