/**
 * Rotation without outage (issue 12, item 7), through the real engine against the OFFLINE STAND-IN: a ServicePlatform
 * with a database and two services, one of which uses it, is deployed; then AWS's `RotationSucceeded` event for the
 * secret the deployed RDS instance reports (`masterUserSecrets[0].secretArn`, as the stand-in computes it) is run
 * through what was deployed: the rule's event pattern (tests/utils/eventbridge.ts), the target and its role, the state
 * machine's definition (tests/utils/stepFunctions.ts) and its role. The calls that result are UpdateService with
 * forceNewDeployment on exactly the deployed service that uses the database, each allowed by the role for that
 * service's ARN. The stand-in accepted every new resource under its rules (names, event pattern, definition, logging
 * destination), and a second preview plans nothing.
 *
 * What stays simulated: the stand-in does not run EventBridge or Step Functions, and RDS-managed secrets have no
 * versions in it (its `rotateSecret` hook drifts secrets rampart writes), so the rotation itself is AWS's event,
 * not an action in the simulated account.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchesEventPattern, rotationSucceededEvent } from "../utils/eventbridge";
import { sdkCalls } from "../utils/stepFunctions";
import { exportState, linkPackage, initFromConfigStack } from "./projects";
import { StateResource } from "./state";
import { PulumiWorkspace, REPO_ROOT, toolchainReady } from "./workspace";

const PROGRAM = join(REPO_ROOT, "tests", "e2e", "programs", "from-config");
const TIMEOUT_MS = 10 * 60_000;

const ARGS = {
    stage: "dev",
    services: [
        { name: "worker", cpu: 256, memory: 512, useDatabase: true },
        { name: "cron", cpu: 256, memory: 512 },
    ],
    database: {},
};

const json = (r: StateResource, key: string) => JSON.parse(String(r.inputs?.[key]));

describe.skipIf(!toolchainReady())("a deployed ServicePlatform when its database password rotates", () => {
    let ws: PulumiWorkspace;
    let state: StateResource[] = [];
    const one = (type: string, match: (r: StateResource) => boolean = () => true) => {
        const found = state.filter((r) => r.type === type && match(r));
        expect(found, type).toHaveLength(1);
        return found[0];
    };

    beforeAll(() => {
        execFileSync("bash", [join(REPO_ROOT, "tests", "standin", "build.sh")], { cwd: REPO_ROOT, stdio: "ignore" });
        execFileSync("npm", ["run", "-s", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
        linkPackage(PROGRAM);
        ws = new PulumiWorkspace("rotation");
        initFromConfigStack(ws, PROGRAM, "ServicePlatform", "skreg", ARGS);
        ws.run(["up", "--yes", "--skip-preview"], PROGRAM);
        state = exportState(ws, PROGRAM);
    }, TIMEOUT_MS);

    afterAll(() => {
        if (!ws) return;
        try {
            ws.run(["destroy", "--yes", "--skip-preview"], PROGRAM, { allowFailure: true });
        } finally {
            ws.dispose();
        }
    }, TIMEOUT_MS);

    it("redeploys exactly the service that uses the database, with the permissions to do it", () => {
        const secretArn = String((one("aws:rds/instance:Instance").outputs?.masterUserSecrets as any[])[0].secretArn);
        expect(secretArn).toMatch(/^arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:rds!db-/);
        const rule = one("aws:cloudwatch/eventRule:EventRule");
        const target = one("aws:cloudwatch/eventTarget:EventTarget");
        const machine = one("aws:sfn/stateMachine:StateMachine");
        const roleByArn = (arn: unknown) => one("aws:iam/role:Role", (r) => r.outputs?.arn === arn);
        const policyOf = (role: StateResource) => JSON.parse(String(one("aws:iam/rolePolicy:RolePolicy", (p) => p.inputs?.role === role.id).inputs?.policy));
        const allows = (policy: any, action: string, resource: string) =>
            policy.Statement.some((s: any) => s.Effect === "Allow" && [s.Action].flat().includes(action) && [s.Resource].flat().includes(resource));

        // EventBridge: the rule matches the event for this secret only, and its target may start the state machine.
        const pattern = json(rule, "eventPattern");
        expect(matchesEventPattern(pattern, rotationSucceededEvent({ secretArn }))).toBe(true);
        expect(matchesEventPattern(pattern, rotationSucceededEvent({ secretArn: secretArn.replace(/-\w{6}$/, "-Other1") }))).toBe(false);
        expect(matchesEventPattern(pattern, rotationSucceededEvent({ secretArn, eventName: "RotationFailed" }))).toBe(false);
        expect([target.inputs?.rule, target.inputs?.arn]).toEqual([rule.outputs?.name, machine.outputs?.arn]);
        expect(allows(policyOf(roleByArn(target.inputs?.roleArn)), "states:StartExecution", String(machine.outputs?.arn))).toBe(true);

        // Step Functions: the calls, and the role that makes them.
        const worker = one("aws:ecs/service:Service", (s) => s.inputs?.name === "worker-dev");
        const calls = sdkCalls(json(machine, "definition"));
        expect(calls.map((c) => [c.iamAction, c.parameters])).toEqual([
            ["ecs:UpdateService", { Cluster: worker.inputs?.cluster, Service: "worker-dev", ForceNewDeployment: true }],
        ]);
        expect(String(worker.outputs?.arn)).toMatch(/^arn:aws:ecs:[a-z0-9-]+:\d{12}:service\/skreg-dev\/worker-dev$/);
        expect(allows(policyOf(roleByArn(machine.inputs?.roleArn)), "ecs:UpdateService", String(worker.outputs?.arn))).toBe(true);
    });

    it("plans nothing on a second preview", () => {
        ws.run(["preview", "--expect-no-changes"], PROGRAM);
    }, TIMEOUT_MS);
});
