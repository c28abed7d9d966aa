/**
 * Inputs that compose (issue 16 item 2) for AuthorizerWithPolicyStore, through the real Pulumi engine, the rampart
 * plugin and the OFFLINE STAND-IN, from Python (`tests/e2e/programs/compose-avp-py`: the stand-in serves no schema, so
 * a YAML program cannot declare plain AWS resources). Plain AWS resources created in the same program (so their outputs
 * are unknown at the first preview) feed the component:
 *
 * - a Verified Permissions policy store's `policyStoreId` into `policyStore.existingPolicyStoreId`, a user pool's
 *   `arn` into `cognito.existingUserPoolId` and an app client's `id` into `cognito.existingClientIds` (a list holding an
 *   Output): the component creates no store or pool, writes its policies, schema and identity source into that store,
 *   and its Lambda's IAM policy and environment name them;
 * - an SES e-mail identity's `arn` and address and a configuration set's name into `cognito.sesConfig`, and the pool's
 *   endpoint and the client's id into `authorizer.jwtIssuer` / `authorizer.jwtAudience`;
 * - a per-PR stage in Pulumi YAML takes that stack's exported store id, pool id and client ids (an Output of a list)
 *   through a stack reference: its policies go into the shared store; a stack-reference output that is no store id
 *   fails its preview with the component's one error;
 * - a wrong output wired in (a user pool id as the policy store id) passes preview, as it is unknown then, and fails
 *   the deployment with the component's one error naming the argument, before any policy is written.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportState, onlyMonitorShutdownTracebacks, prepare, PREPARE_TIMEOUT_MS, prepareExamples, writeYamlProgram } from "./projects";
import { descendantsOf, StateResource } from "./state";
import { PulumiWorkspace, REPO_ROOT, toolchainReady } from "./workspace";

const ready = toolchainReady();
if (!ready && process.env.CI === "true") {
    throw new Error("end-to-end tests need the toolchain and stand-in: run scripts/toolchain.sh and tests/standin/build.sh (npm test does)");
}
const TIMEOUT_MS = 15 * 60_000;
const COMPONENT = "rampart:index:AuthorizerWithPolicyStore";
const PROGRAM = join("tests", "e2e", "programs", "compose-avp-py");
const POLICIES = join(REPO_ROOT, "examples", "authorizer-policies");
const POLICY_FILES = { schemaFile: join(POLICIES, "schema.cedarschema.json"), policyDir: join(POLICIES, "policies") };
const T = {
    store: "aws:verifiedpermissions/policyStore:PolicyStore",
    schema: "aws:verifiedpermissions/schema:Schema",
    policy: "aws:verifiedpermissions/policy:Policy",
    identitySource: "aws:verifiedpermissions/identitySource:IdentitySource",
    pool: "aws:cognito/userPool:UserPool",
    client: "aws:cognito/userPoolClient:UserPoolClient",
    fn: "aws:lambda/function:Function",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    identity: "aws:sesv2/emailIdentity:EmailIdentity",
    configSet: "aws:sesv2/configurationSet:ConfigurationSet",
};

function childrenOf(resources: StateResource[], name: string): StateResource[] {
    const component = resources.find((r) => r.type === COMPONENT && r.urn.endsWith(`::${name}`));
    expect(component, `component ${name} in the state`).toBeDefined();
    return descendantsOf(resources, component!.urn).filter((r) => r.custom);
}
const ofType = (rs: StateResource[], type: string) => rs.filter((r) => r.type === type);
const top = (rs: StateResource[], type: string) => rs.find((r) => r.type === type && !r.urn.includes(COMPONENT))!;

describe.skipIf(!ready)("Python: other resources' outputs as AuthorizerWithPolicyStore's inputs", () => {
    const stacks: PulumiWorkspace[] = [];
    /** Stacks of other programs in the workspaces above, destroyed first. */
    const stages: [PulumiWorkspace, string][] = [];
    let dir = "";

    beforeAll(() => {
        prepareExamples();
        dir = prepare({ dir: PROGRAM, language: "python" });
    }, PREPARE_TIMEOUT_MS);

    afterAll(() => {
        for (const [ws, stageDir] of stages.reverse()) ws.run(["destroy", "--yes", "--skip-preview"], stageDir, { allowFailure: true });
        for (const ws of stacks.reverse()) {
            try {
                ws.run(["destroy", "--yes", "--skip-preview"], dir, { allowFailure: true });
            } finally {
                ws.dispose();
            }
        }
    }, TIMEOUT_MS);

    it("a store, pool, client and SES identity created in the program are adopted and configured by their outputs", () => {
        const ws = new PulumiWorkspace("compose-avp");
        stacks.push(ws);
        ws.run(["stack", "init", ws.stack], dir);
        // The first preview: every composed value is unknown, and the components plan without them.
        const preview = ws.run(["preview"], dir);
        expect(preview.stdout).toMatch(/\+\s+rampart:index:AuthorizerWithPolicyStore\s+shared\s+create/);
        ws.run(["up", "--yes", "--skip-preview"], dir);

        const resources = exportState(ws, dir);
        const storeId = String(top(resources, T.store).outputs!.policyStoreId);
        const pool = top(resources, T.pool);
        const poolId = String(pool.id);
        const poolArn = String(pool.outputs!.arn);
        const clientId = String(top(resources, T.client).id);
        const sender = top(resources, T.identity);

        // shared: adopts the store and the pool by their outputs.
        const shared = childrenOf(resources, "shared");
        for (const type of [T.store, T.pool, T.client]) expect(ofType(shared, type), type).toEqual([]);
        expect(ofType(shared, T.schema).map((s) => s.outputs!.policyStoreId)).toEqual([storeId]);
        const policies = ofType(shared, T.policy);
        expect(policies.length).toBeGreaterThan(1);
        for (const p of policies) expect(p.outputs!.policyStoreId).toBe(storeId);
        expect(policies.map((p) => String((p.outputs!.definition as { static: { statement: string } }).static.statement)).join("\n"), "{userPoolId} is the adopted pool's id").toContain(`${poolId}|`);
        const [source] = ofType(shared, T.identitySource);
        expect(source.outputs).toMatchObject({ policyStoreId: storeId, configuration: { cognitoUserPoolConfiguration: { userPoolArn: poolArn, clientIds: [clientId] } } });
        const sharedFn = ofType(shared, T.fn)[0].outputs as { environment: { variables: Record<string, string> } };
        expect(sharedFn.environment.variables).toMatchObject({ POLICY_STORE_ID: storeId, USER_POOL_ID: poolId, CLIENT_IDS: clientId, ENTITY_PREFIX: poolId });
        const authorize = JSON.parse(String(ofType(shared, T.rolePolicy)[0].outputs!.policy)).Statement.find((s: { Sid: string }) => s.Sid === "Authorize");
        expect(authorize.Resource).toBe(`arn:aws:verifiedpermissions::123456789012:policy-store/${storeId}`);
        const outputs = JSON.parse(ws.run(["stack", "output", "--json"], dir).stdout);
        expect(outputs).toEqual({ sharedStoreId: storeId, sharedPoolId: poolId, sharedClientIds: [clientId], senderArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com" });

        // mailer: its own pool sends through the SES identity; its authorizer expects the composed issuer and audience.
        const mailer = childrenOf(resources, "mailer");
        expect(ofType(mailer, T.pool)[0].outputs!.emailConfiguration).toMatchObject({
            emailSendingAccount: "DEVELOPER",
            sourceArn: sender.outputs!.arn,
            fromEmailAddress: "no-reply@example.com",
            replyToEmailAddress: "help@example.com",
            configurationSet: "auth-emails",
        });
        expect(sender.outputs!.arn).toBe("arn:aws:ses:us-east-1:123456789012:identity/example.com");
        const mailerFn = ofType(mailer, T.fn)[0].outputs as { environment: { variables: Record<string, string> } };
        expect(mailerFn.environment.variables).toMatchObject({ TOKEN_SOURCE: "jwtSecret", JWT_ISSUER: `https://${pool.outputs!.endpoint}`, JWT_AUDIENCE: clientId });

        // The components depend on the resources whose outputs they took; a second preview changes nothing.
        const sharedComponent = resources.find((r) => r.type === COMPONENT && r.urn.endsWith("::shared")) as StateResource & { dependencies?: string[] };
        expect(sharedComponent.dependencies ?? []).toEqual(expect.arrayContaining([top(resources, T.store).urn, pool.urn, top(resources, T.client).urn]));
        ws.run(["preview", "--expect-no-changes"], dir);

        // A per-PR stage (YAML) sharing that store and pool through a stack reference: THE use case of adoption.
        const stage = (label: string, storeOutput: string) =>
            writeYamlProgram(join(ws.root, label), {
                name: `compose-avp-${label}`,
                resources: {
                    shared: { type: "pulumi:pulumi:StackReference", properties: { name: `organization/compose-avp-py/${ws.stack}` } },
                    docs: {
                        type: COMPONENT,
                        properties: {
                            stage: label,
                            accountAlias: "sandpit",
                            policyStore: { existingPolicyStoreId: `\${shared.outputs["${storeOutput}"]}`, ...POLICY_FILES },
                            cognito: { existingUserPoolId: '${shared.outputs["sharedPoolId"]}', existingClientIds: '${shared.outputs["sharedClientIds"]}' },
                        },
                    },
                },
            });
        const pr9 = stage("pr-9", "sharedStoreId");
        ws.run(["stack", "init", ws.stack], pr9);
        stages.push([ws, pr9]);
        ws.run(["up", "--yes"], pr9);
        const stageChildren = childrenOf(exportState(ws, pr9), "docs");
        for (const type of [T.store, T.pool, T.identitySource]) expect(ofType(stageChildren, type), type).toEqual([]);
        expect(ofType(stageChildren, T.policy).length).toBeGreaterThan(1);
        for (const p of ofType(stageChildren, T.policy)) expect(p.outputs!.policyStoreId).toBe(storeId);
        expect((ofType(stageChildren, T.fn)[0].outputs as { environment: { variables: Record<string, string> } }).environment.variables).toMatchObject({
            POLICY_STORE_ID: storeId,
            USER_POOL_ID: poolId,
            CLIENT_IDS: clientId,
        });
        ws.run(["preview", "--expect-no-changes"], pr9);

        // A stack-reference output that is no policy store id (known at preview): the preview fails with the one error.
        const pr10 = stage("pr-10", "sharedPoolId");
        ws.run(["stack", "init", ws.stack], pr10);
        stages.push([ws, pr10]);
        const refused = ws.run(["preview"], pr10, { allowFailure: true });
        const refusal = refused.stdout + refused.stderr;
        expect(refused.status, refusal).not.toBe(0);
        expect(refusal).toContain(`AuthorizerWithPolicyStore "docs": policyStore.existingPolicyStoreId: got "${poolId}"; a Verified Permissions policy store id: 1-200 letters, digits and hyphens`);
        expect(refusal, "no JavaScript stack trace").not.toMatch(/\n\s+at .*\.(js|ts|mjs|cjs):\d+:\d+/);
    }, TIMEOUT_MS);

    it("a wrong output wired in passes preview and fails the deployment with the component's one error, writing no policy", () => {
        const bad = new PulumiWorkspace("compose-avp-bad");
        try {
            bad.run(["stack", "init", bad.stack], dir);
            bad.run(["config", "set", "wrongStoreId", "true"], dir);
            bad.run(["preview"], dir);
            const up = bad.run(["up", "--yes", "--skip-preview"], dir, { allowFailure: true });
            const text = up.stdout + up.stderr;
            expect(up.status, text).not.toBe(0);
            expect(text).toMatch(/AuthorizerWithPolicyStore "shared": policyStore\.existingPolicyStoreId: got "us-east-1_[0-9A-Za-z]+"; a Verified Permissions policy store id: 1-200 letters, digits and hyphens/);
            expect(text, "reported as the component's problem, not inside a look-up's arguments").toContain(`rampart:index:AuthorizerWithPolicyStore resource 'shared' has a problem: AuthorizerWithPolicyStore "shared" has an invalid argument:`);
            expect(text).not.toContain("Error serializing arguments");
            expect(text, "no JavaScript stack trace").not.toMatch(/\n\s+at .*\.(js|ts|mjs|cjs):\d+:\d+/);
            expect(text, "no colour codes").not.toContain("\u001b[");
            expect(text, "a Python traceback other than the SDK's report of the monitor shutdown").toSatisfy(onlyMonitorShutdownTracebacks);
            const types = exportState(bad, dir).map((r) => r.type);
            expect(types).not.toContain(T.policy);
            expect(types).not.toContain(T.fn);
        } finally {
            bad.run(["destroy", "--yes", "--skip-preview"], dir, { allowFailure: true });
            bad.dispose();
        }
    }, TIMEOUT_MS);
});
