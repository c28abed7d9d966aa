/**
 * Inputs that compose (issue 16 item 2) for ServicePlatform, through the real Pulumi engine, the rampart plugin and the
 * OFFLINE STAND-IN, from Python (tests/e2e/programs/compose-sp-py). Plain resources created in the same program (so their outputs are unknown at the
 * first preview) feed the platform:
 *
 * - a KMS key's `arn` into `secretsKmsKeyArns` (the key also encrypts the shared database's admin secret, a Secrets
 *   Manager secret whose `arn` goes into `database.existing.adminSecretArn`): the task execution role may decrypt with
 *   exactly that key;
 * - an SQS queue's `arn` into `services[0].policyStatements[0].resources`: the task role may send to exactly that queue;
 * - a random pet name into `storage.cdnDomain.name` (`<pet>.pr-16.example.com`) and `ci.githubRepository` (`acme/<pet>`): the
 *   CloudFront alias, the A and AAAA records (logical names `…-cdn-alias-a`/`-aaaa`, whatever the name), `cdnBaseUrl`,
 *   and the CI role's trust-policy subject;
 * - random integers into `database.existing.port` and `cache.existing.port`: the services' egress rules, `DB_PORT`,
 *   `CACHE_ENDPOINT`, the init container's `PGPORT` and the stage's database secret.
 *
 * A repository that resolves to something other than `owner/repo` passes preview (it is unknown then) and fails the
 * deployment with the component's one error naming `ci.githubRepository`, and no CI role is created.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportState, onlyMonitorShutdownTracebacks, prepare, PREPARE_TIMEOUT_MS, prepareExamples } from "./projects";
import { descendantsOf, resourcesOf, StateResource } from "./state";
import { PulumiWorkspace, toolchainReady } from "./workspace";

const ready = toolchainReady();
if (!ready && process.env.CI === "true") {
    throw new Error("end-to-end tests need the toolchain and stand-in: run scripts/toolchain.sh and tests/standin/build.sh (npm test does)");
}
const TIMEOUT_MS = 15 * 60_000;
const COMPONENT = "rampart:index:ServicePlatform";
const DB_HOST = "shared.c0ffee12ab34.us-east-1.rds.amazonaws.com";
const CACHE_HOST = "shared-x1y2z3.serverless.use1.cache.amazonaws.com";
const T = {
    key: "aws:kms/key:Key",
    queue: "aws:sqs/queue:Queue",
    pet: "random:index/randomPet:RandomPet",
    distribution: "aws:cloudfront/distribution:Distribution",
    record: "aws:route53/record:Record",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
};

const PROGRAM = join("tests", "e2e", "programs", "compose-sp-py");

function childrenOf(resources: StateResource[], name: string): StateResource[] {
    const component = resources.find((r) => r.type === COMPONENT && r.urn.endsWith(`::${name}`));
    expect(component, `component ${name} in the state`).toBeDefined();
    return descendantsOf(resources, component!.urn).filter((r) => r.custom);
}
const ofType = (rs: StateResource[], type: string) => rs.filter((r) => r.type === type);
const named = (rs: StateResource[], type: string, suffix: string) => {
    const found = rs.filter((r) => r.type === type && r.urn.endsWith(`::${suffix}`));
    expect(found.map((r) => r.urn), `${type} ${suffix}`).toHaveLength(1);
    return found[0];
};
const top = (rs: StateResource[], type: string) => rs.find((r) => r.type === type && !r.urn.includes(COMPONENT))!;

describe.skipIf(!ready)("Python: other resources' outputs as ServicePlatform's inputs", () => {
    const ws = ready ? new PulumiWorkspace("compose-sp") : undefined!;
    let dir = "";

    beforeAll(() => {
        prepareExamples();
        dir = prepare({ dir: PROGRAM, language: "python" });
    }, PREPARE_TIMEOUT_MS);
    afterAll(() => {
        if (dir) ws.run(["destroy", "--yes", "--skip-preview"], dir, { allowFailure: true });
        ws.dispose();
    }, TIMEOUT_MS);

    it("a KMS key, a queue, a name and ports created in the program land in the policies, CDN, records, rules and environment", () => {
        ws.run(["stack", "init", ws.stack], dir);
        // The first preview: every composed value is unknown, and the platform plans without them.
        const preview = ws.run(["preview"], dir);
        expect(preview.stdout).toMatch(/\+\s+rampart:index:ServicePlatform\s+shop\s+create/);
        ws.run(["up", "--yes", "--skip-preview"], dir);

        const resources = exportState(ws, dir);
        const keyArn = String(top(resources, T.key).outputs!.arn);
        const queueArn = String(top(resources, T.queue).outputs!.arn);
        const pet = String(top(resources, T.pet).id);
        expect(keyArn).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\//);
        expect(pet).toMatch(/^[a-z]+-[a-z]+$/);
        const children = childrenOf(resources, "shop");

        // secretsKmsKeyArns: the execution role decrypts the admin secret with exactly the composed key.
        const execution = JSON.parse(String(named(children, T.rolePolicy, "shop-exec-policy-api").outputs!.policy));
        const decrypt = execution.Statement.find((s: { Sid: string }) => s.Sid === "DecryptSecrets");
        expect([decrypt.Resource].flat()).toEqual([keyArn]);
        // policyStatements[].resources: the task role sends to exactly the composed queue.
        const task = JSON.parse(String(named(children, T.rolePolicy, "shop-task-policy-api").outputs!.policy));
        const send = task.Statement.find((s: { Action: string | string[] }) => [s.Action].flat().includes("sqs:SendMessage"));
        expect([send.Resource].flat()).toEqual([queueArn]);

        // storage.cdnDomain.name: alias, records (logical names independent of the name) and cdnBaseUrl.
        const domain = `${pet}.pr-16.example.com`;
        expect(ofType(children, T.distribution)[0].outputs!.aliases).toEqual([domain]);
        expect(ofType(children, T.record).map((r) => [r.urn.split("::").pop(), r.outputs!.name, r.outputs!.type]).sort()).toEqual([
            ["shop-cdn-alias-a", domain, "A"],
            ["shop-cdn-alias-aaaa", domain, "AAAA"],
        ]);
        const outputs = JSON.parse(ws.run(["stack", "output", "--json"], dir).stdout);
        expect(outputs).toEqual({ cdnBaseUrl: `https://${domain}`, cacheEndpoint: `${CACHE_HOST}:6380`, databaseEndpoint: `${DB_HOST}:6432` });

        // ci.githubRepository: the trust policy's subject and the role's description.
        const ciRole = named(children, T.role, "shop-ci-role").outputs!;
        expect(JSON.stringify(ciRole.assumeRolePolicy)).toContain(`repo:acme/${pet}:ref:refs/heads/main`);
        expect(ciRole.description).toContain(`(acme/${pet})`);

        // database.existing.port and cache.existing.port: rules, environment, init container and the stage's secret.
        const ports = (suffix: string) => [named(children, T.egress, suffix).outputs!.fromPort, named(children, T.egress, suffix).outputs!.toPort];
        expect(ports("shop-svc-api-to-shared-db")).toEqual([6432, 6432]);
        expect(ports("shop-svc-api-to-shared-cache")).toEqual([6380, 6380]);
        const containers = JSON.parse(String(named(children, T.taskDefinition, "shop-task-api").outputs!.containerDefinitions)) as { name: string; environment: { name: string; value: string }[] }[];
        const env = (container: string) => Object.fromEntries(containers.find((c) => c.name === container)!.environment.map((e) => [e.name, e.value]));
        expect(env("api")).toMatchObject({ DB_PORT: "6432", CACHE_ENDPOINT: `${CACHE_HOST}:6380` });
        expect(env("db-init")).toMatchObject({ PGPORT: "6432" });
        // The stage's database secret (a Pulumi secret in the state: read with --show-secrets).
        const withSecrets = resourcesOf(JSON.parse(ws.run(["stack", "export", "--show-secrets"], dir).stdout));
        const secretString = named(withSecrets, T.secretVersion, "shop-db-secret-value").outputs!.secretString;
        // A secret in an export is `{ <sig>: ..., plaintext: <the value as JSON> }`.
        const value = typeof secretString === "object" && secretString !== null && "plaintext" in secretString ? JSON.parse(String((secretString as { plaintext: string }).plaintext)) : secretString;
        expect(JSON.parse(String(value))).toMatchObject({ port: 6432, host: DB_HOST });

        // The platform depends on the resources whose outputs it took; a second preview changes nothing.
        const platform = resources.find((r) => r.type === COMPONENT) as StateResource & { dependencies?: string[] };
        expect(platform.dependencies ?? []).toEqual(expect.arrayContaining([top(resources, T.key).urn, top(resources, T.queue).urn, top(resources, T.pet).urn]));
        ws.run(["preview", "--expect-no-changes"], dir);
    }, TIMEOUT_MS);

    it("a repository that resolves to something other than owner/repo passes preview and fails the deployment with the one error, and no CI role", () => {
        const bad = new PulumiWorkspace("compose-sp-bad", { PULUMI_BACKEND_URL: ws.env.PULUMI_BACKEND_URL });
        try {
            bad.run(["stack", "init", bad.stack], dir);
            bad.run(["config", "set", "badRepository", "true"], dir);
            bad.run(["config", "set", "stage", "pr-17"], dir);
            bad.run(["preview"], dir);
            const up = bad.run(["up", "--yes", "--skip-preview"], dir, { allowFailure: true });
            const text = up.stdout + up.stderr;
            expect(up.status, text).not.toBe(0);
            expect(text).toMatch(/ServicePlatform "shop": ci\.githubRepository: got "[a-z]+-[a-z]+"; a GitHub repository as org\/repo, without wildcards/);
            // When the refusal stops the update, the engine may also cancel an invoke the plugin still had in flight
            // (`CANCELLED ... context canceled`, with its gRPC stack): not rampart's, as in servicePlatformSafety.test.ts.
            expect(text, "no JavaScript stack trace under the refusal").not.toMatch(/ComponentValidationError: .*\n(\s+ServicePlatform .*\n)*\s+at .*\.(js|ts):\d+:\d+/);
            expect(text, "a Python traceback other than the SDK's report of the monitor shutdown").toSatisfy(onlyMonitorShutdownTracebacks);
            expect(text, "no colour codes").not.toContain("\u001b[");
            const names = exportState(bad, dir).map((r) => r.urn.split("::").pop());
            expect(names).not.toContain("shop-ci-role");
        } finally {
            bad.run(["destroy", "--yes", "--skip-preview"], dir, { allowFailure: true });
            bad.dispose();
        }
    }, TIMEOUT_MS);
});
