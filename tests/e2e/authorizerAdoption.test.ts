/**
 * AuthorizerWithPolicyStore adopting an existing policy store and Cognito user pool (issue 17), through the real
 * Pulumi engine and the OFFLINE STAND-IN, in one simulated account:
 *
 * - a long-lived stack (TypeScript library, `tests/e2e/programs/from-config`) creates the shared store, pool and the
 *   store's one identity source;
 * - a per-PR stage built by the plugin (Pulumi YAML) adopts both: it creates no store, pool or identity source, puts
 *   its own policies into the shared store, sizes its Lambda, and a second preview shows no change;
 * - a TypeScript stage that made its own pool is refused at preview when it switches to the shared pool (the switch
 *   would delete its pool with every user), also when `retainOnDelete` comes with the switch (too late to retain);
 *   after an `up` that only retains, the switch with `allowUserPoolDeletion` keeps the pool in the account; a
 *   malformed store id fails the preview with one clear error;
 * - destroying the stages leaves the shared store, its identity source and the pool untouched.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountStore, accountsFileFromEnv } from "../standin/account";
import { exportState, initFromConfigStack, linkPackage, writeYamlProgram } from "./projects";
import { descendantsOf, StateResource } from "./state";
import { PulumiWorkspace, REPO_ROOT, toolchainReady } from "./workspace";

const ready = toolchainReady();
const TIMEOUT_MS = 20 * 60_000;
const FROM_CONFIG = join(REPO_ROOT, "tests", "e2e", "programs", "from-config");
const COMPONENT = "rampart:index:AuthorizerWithPolicyStore";
const POLICIES = join(REPO_ROOT, "examples", "authorizer-policies");
const T = {
    store: "aws:verifiedpermissions/policyStore:PolicyStore",
    schema: "aws:verifiedpermissions/schema:Schema",
    policy: "aws:verifiedpermissions/policy:Policy",
    identitySource: "aws:verifiedpermissions/identitySource:IdentitySource",
    pool: "aws:cognito/userPool:UserPool",
    client: "aws:cognito/userPoolClient:UserPoolClient",
    fn: "aws:lambda/function:Function",
};
const policyStore = { schemaFile: join(POLICIES, "schema.cedarschema.json"), policyDir: join(POLICIES, "policies") };

function children(resources: StateResource[]): StateResource[] {
    const component = resources.find((r) => r.type === COMPONENT)!;
    expect(component, "the component is in the state").toBeDefined();
    return descendantsOf(resources, component.urn).filter((r) => r.custom);
}
const ofType = (rs: StateResource[], type: string) => rs.filter((r) => r.type === type);

/** A YAML project building the component through the plugin with these properties. */
function yamlProject(ws: PulumiWorkspace, label: string, properties: object): string {
    return writeYamlProgram(join(ws.root, label), {
        name: `adopt-${label}`,
        resources: { docs: { type: COMPONENT, properties } },
        outputs: { policyStoreId: "${docs.policyStoreId}", userPoolId: "${docs.userPoolId}", userPoolClientIds: "${docs.userPoolClientIds}" },
    });
}

describe.skipIf(!ready)("AuthorizerWithPolicyStore adopts a shared policy store and user pool (real engine)", () => {
    const stacks: [PulumiWorkspace, string][] = [];

    beforeAll(() => {
        execFileSync("npm", ["run", "-s", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
        linkPackage(FROM_CONFIG);
    }, TIMEOUT_MS);

    afterAll(() => {
        for (const [ws, dir] of stacks.reverse()) {
            try {
                ws.run(["destroy", "--yes", "--skip-preview"], dir, { allowFailure: true });
            } finally {
                ws.dispose();
            }
        }
    }, TIMEOUT_MS);

    it("shared stack, YAML and TypeScript stages: adoption, the switch guard, the id check, and destroy keeps what is shared", () => {
        const shared = new PulumiWorkspace("adopt-shared");
        const sameAccount = { PULUMI_BACKEND_URL: shared.env.PULUMI_BACKEND_URL };
        stacks.push([shared, FROM_CONFIG]);
        initFromConfigStack(shared, FROM_CONFIG, "AuthorizerWithPolicyStore", "docs", { stage: "shared", accountAlias: "sandpit", policyStore, cognito: { groups: ["readers", "writers", "admins"] } });
        shared.run(["up", "--yes", "--skip-preview"], FROM_CONFIG);
        const sharedChildren = children(exportState(shared, FROM_CONFIG));
        const storeId = String(ofType(sharedChildren, T.store)[0].outputs!.policyStoreId);
        const poolId = String(ofType(sharedChildren, T.pool)[0].id);
        const clientId = String(ofType(sharedChildren, T.client)[0].id);
        expect(ofType(sharedChildren, T.identitySource)).toHaveLength(1);

        // A per-PR stage through the plugin (YAML): adopts the store and the pool, sizes its Lambda.
        const pr7 = new PulumiWorkspace("adopt-pr-7", sameAccount);
        const yamlDir = yamlProject(pr7, "pr-7", {
            stage: "pr-7",
            accountAlias: "sandpit",
            policyStore: { existingPolicyStoreId: storeId, ...policyStore },
            cognito: { existingUserPoolId: poolId, existingClientIds: [clientId] },
            authorizer: { memorySize: 256, timeoutSeconds: 10 },
        });
        stacks.push([pr7, yamlDir]);
        pr7.run(["stack", "init", pr7.stack], yamlDir);
        pr7.run(["up", "--yes", "--skip-preview"], yamlDir);
        const pr7Children = children(exportState(pr7, yamlDir));
        for (const type of [T.store, T.schema, T.identitySource, T.pool, T.client]) expect(ofType(pr7Children, type), type).toEqual([]);
        const pr7Policies = ofType(pr7Children, T.policy);
        expect(pr7Policies.length).toBeGreaterThan(1);
        for (const p of pr7Policies) expect(p.outputs!.policyStoreId).toBe(storeId);
        const fn = ofType(pr7Children, T.fn)[0].outputs as { memorySize: number; timeout: number; environment: { variables: Record<string, string> } };
        expect(fn.memorySize).toBe(256);
        expect(fn.timeout).toBe(10);
        expect(fn.environment.variables).toMatchObject({ POLICY_STORE_ID: storeId, USER_POOL_ID: poolId, CLIENT_IDS: clientId });
        const outputs = JSON.parse(pr7.run(["stack", "output", "--json"], yamlDir).stdout);
        expect(outputs).toMatchObject({ policyStoreId: storeId, userPoolId: poolId, userPoolClientIds: [clientId] });
        pr7.run(["preview", "--expect-no-changes"], yamlDir);

        // A TypeScript stage with a pool of its own, then switched to the shared pool: refused, nothing deleted.
        const pr8 = new PulumiWorkspace("adopt-pr-8", sameAccount);
        stacks.push([pr8, FROM_CONFIG]);
        initFromConfigStack(pr8, FROM_CONFIG, "AuthorizerWithPolicyStore", "docs", { stage: "pr-8", accountAlias: "sandpit", policyStore });
        pr8.run(["up", "--yes", "--skip-preview"], FROM_CONFIG);
        const ownPoolId = String(ofType(children(exportState(pr8, FROM_CONFIG)), T.pool)[0].id);
        const adopting = {
            stage: "pr-8",
            accountAlias: "sandpit",
            policyStore: { existingPolicyStoreId: storeId, ...policyStore },
            cognito: { existingUserPoolId: `arn:aws:cognito-idp:us-east-1:123456789012:userpool/${poolId}`, existingClientIds: [clientId] },
        };
        pr8.run(["config", "set", "args", JSON.stringify(adopting)], FROM_CONFIG);
        const refused = pr8.run(["preview"], FROM_CONFIG, { allowFailure: true });
        const refusal = refused.stdout + refused.stderr;
        expect(refused.status).not.toBe(0);
        expect(refusal).toContain(`cognito.existingUserPoolId: got "arn:aws:cognito-idp:us-east-1:123456789012:userpool/${poolId}"; this stack's own user pool "docs-pr-8" (${ownPoolId}) still exists`);
        expect(refusal, "no JavaScript stack trace").not.toMatch(/\n\s+at .*\.(js|ts):\d+:\d+/);

        // A malformed store id: one clear error at preview.
        pr8.run(["config", "set", "args", JSON.stringify({ ...adopting, policyStore: { ...adopting.policyStore, existingPolicyStoreId: "not a store!" } })], FROM_CONFIG);
        const bad = pr8.run(["preview"], FROM_CONFIG, { allowFailure: true });
        expect(bad.status).not.toBe(0);
        expect(bad.stdout + bad.stderr).toContain('AuthorizerWithPolicyStore "docs": policyStore.existingPolicyStoreId: got "not a store!"; a Verified Permissions policy store id: 1-200 letters, digits and hyphens');

        // A well-formed id of a store that is not there (its owning stack destroyed): one error naming the argument.
        pr8.run(["config", "set", "args", JSON.stringify({ ...adopting, policyStore: { ...adopting.policyStore, existingPolicyStoreId: "PSgoneAbCdEf0123456789" } })], FROM_CONFIG);
        const gone = pr8.run(["preview"], FROM_CONFIG, { allowFailure: true });
        expect(gone.status).not.toBe(0);
        expect(gone.stdout + gone.stderr).toContain(
            'AuthorizerWithPolicyStore "docs": policyStore.existingPolicyStoreId: got "PSgoneAbCdEf0123456789"; the id of a Verified Permissions policy store in this stack\'s account and Region; the look-up answered: ',
        );
        expect(gone.stdout + gone.stderr, "no JavaScript stack trace").not.toMatch(/\n\s+at .*\.(js|ts):\d+:\d+/);

        // retainOnDelete given with the switch cannot keep the pool (a removed resource is deleted as its last up left it): still refused.
        pr8.run(["config", "set", "args", JSON.stringify({ ...adopting, retainOnDelete: true })], FROM_CONFIG);
        expect(pr8.run(["preview"], FROM_CONFIG, { allowFailure: true }).status).not.toBe(0);

        // The documented way: an up that only retains, then the switch with allowUserPoolDeletion. The stage's own
        // store and pool leave the stack, not the account.
        pr8.run(["config", "set", "args", JSON.stringify({ stage: "pr-8", accountAlias: "sandpit", policyStore, retainOnDelete: true })], FROM_CONFIG);
        pr8.run(["up", "--yes", "--skip-preview"], FROM_CONFIG);
        pr8.run(["config", "set", "args", JSON.stringify({ ...adopting, retainOnDelete: true, cognito: { ...adopting.cognito, allowUserPoolDeletion: true } })], FROM_CONFIG);
        pr8.run(["up", "--yes", "--skip-preview"], FROM_CONFIG);
        const pr8Children = children(exportState(pr8, FROM_CONFIG));
        for (const type of [T.store, T.pool, T.identitySource]) expect(ofType(pr8Children, type), type).toEqual([]);
        for (const p of ofType(pr8Children, T.policy)) expect(p.outputs!.policyStoreId).toBe(storeId);
        const account = () => new AccountStore(accountsFileFromEnv(shared.env)).read();
        expect(Object.values(account().resources).some((r) => r.type === T.pool && r.id === ownPoolId), "the stage's own pool is still in the account").toBe(true);

        // Both stages' policies sit in the shared store next to the shared stack's; destroying the stages removes theirs only.
        const policiesIn = () => Object.values(account().resources).filter((r) => r.type === T.policy && r.id.endsWith(`,${storeId}`)).length;
        const sharedPolicies = ofType(sharedChildren, T.policy).length;
        expect(policiesIn()).toBe(sharedPolicies + pr7Policies.length + ofType(pr8Children, T.policy).length);
        pr7.run(["destroy", "--yes", "--skip-preview"], yamlDir);
        pr8.run(["destroy", "--yes", "--skip-preview"], FROM_CONFIG);
        expect(policiesIn()).toBe(sharedPolicies);
        shared.run(["refresh", "--yes", "--skip-preview", "--expect-no-changes"], FROM_CONFIG);
        expect(children(exportState(shared, FROM_CONFIG)).length).toBe(sharedChildren.length);
    }, TIMEOUT_MS);
});
