/**
 * Inputs that compose (issue 16 item 2), through the real engine and the OFFLINE STAND-IN: a Python program feeds
 * ServicePlatform's `vpcId` and `privateSubnetIds` outputs straight into ZeroTrustIdentity's `spire.vpcId` and
 * `spire.subnetIds` (an Output of a list, which Python could not pass while the list was a plain input). The SPIRE
 * servers and their load balancer land in the platform's private subnets. A resolved list the component refuses (one
 * subnet for an RDS datastore) gives the component's one error when it resolves, and no SPIRE datastore is created.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { exportState, onlyMonitorShutdownTracebacks, prepare, PREPARE_TIMEOUT_MS, prepareExamples } from "./projects";
import { PulumiWorkspace, toolchainReady } from "./workspace";

const ready = toolchainReady();
if (!ready && process.env.CI === "true") {
    throw new Error("end-to-end tests need the toolchain and stand-in: run scripts/toolchain.sh and tests/standin/build.sh (npm test does)");
}
const TIMEOUT_MS = 15 * 60_000;
const PROGRAM = join("tests", "e2e", "programs", "compose-py");

describe.skipIf(!ready)("Python: one component's outputs as another's inputs", () => {
    beforeAll(prepareExamples, PREPARE_TIMEOUT_MS);

    it("ServicePlatform's privateSubnetIds and vpcId carry ZeroTrustIdentity's SPIRE servers", () => {
        const dir = prepare({ dir: PROGRAM, language: "python" });
        const ws = new PulumiWorkspace("compose-py");
        try {
            ws.run(["stack", "init", ws.stack], dir);
            ws.run(["up", "--yes"], dir);
            const outputs = JSON.parse(ws.run(["stack", "output", "--json"], dir).stdout);
            expect(outputs.privateSubnetIds).toHaveLength(2);
            expect(outputs.spireServerAddress).toMatch(/:8081$/);

            const resources = exportState(ws, dir);
            const identity = resources.find((r) => r.type === "rampart:index:ZeroTrustIdentity")!;
            const spire = (type: string) => resources.filter((r) => r.type === type && r.urn.includes("ZeroTrustIdentity"));
            expect(spire("aws:lb/loadBalancer:LoadBalancer").map((r) => r.inputs!.subnets)).toEqual([outputs.privateSubnetIds]);
            expect(spire("aws:ecs/service:Service").map((r) => (r.inputs!.networkConfiguration as { subnets: string[] }).subnets)).toEqual([outputs.privateSubnetIds]);
            expect(spire("aws:ec2/securityGroup:SecurityGroup").map((r) => r.inputs!.vpcId)).toContain(outputs.vpcId);
            expect((identity as { dependencies?: string[] }).dependencies ?? [], "the engine knows ZeroTrustIdentity depends on the platform").toEqual(
                expect.arrayContaining([resources.find((r) => r.type === "rampart:index:ServicePlatform")!.urn]),
            );
            ws.run(["preview", "--expect-no-changes"], dir);
        } finally {
            ws.run(["destroy", "--yes", "--skip-preview"], dir, { allowFailure: true });
            ws.dispose();
        }
    }, TIMEOUT_MS);

    it("a resolved list the component refuses: its one error when the list resolves, no SPIRE datastore", () => {
        const dir = prepare({ dir: PROGRAM, language: "python" });
        const ws = new PulumiWorkspace("compose-py-bad");
        try {
            ws.run(["stack", "init", ws.stack], dir);
            ws.run(["config", "set", "zones", "1"], dir);
            ws.run(["config", "set", "rds", "true"], dir);
            const up = ws.run(["up", "--yes"], dir, { allowFailure: true });
            const text = up.stdout + up.stderr;
            expect(up.status, text).not.toBe(0);
            const line = 'ZeroTrustIdentity "unkey": spire.subnetIds: got ["subnet-';
            expect(text).toContain(`${line}`);
            expect(text).toContain("an RDS datastore needs private subnets in at least two availability zones");
            expect(text, "no JavaScript stack trace").not.toMatch(/\n\s+at .*\.(js|ts|mjs|cjs):\d+:\d+/);
            expect(text, "no colour codes").not.toContain("\u001b[");
            expect(text, "a Python traceback other than the SDK's report of the monitor shutdown").toSatisfy(onlyMonitorShutdownTracebacks);
            const types = exportState(ws, dir).map((r) => r.type);
            expect(types).not.toContain("aws:rds/instance:Instance");
            expect(types).not.toContain("aws:rds/subnetGroup:SubnetGroup");
        } finally {
            ws.run(["destroy", "--yes", "--skip-preview"], dir, { allowFailure: true });
            ws.dispose();
        }
    }, TIMEOUT_MS);
});
