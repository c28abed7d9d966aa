/**
 * Adopting what exists (issue 17, item 3): two ServicePlatform stages in one account run in one shared ECS cluster and
 * serve with one shared ACM certificate, through the real engine and the OFFLINE STAND-IN. The first stage (JavaScript,
 * in process) creates the shared resources and passes their Outputs straight into the component; the second (Python,
 * through the plugin) takes their ARNs from config. Neither stage creates a cluster or a certificate of its own.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { exportState, linkPackage, prepare, PREPARE_TIMEOUT_MS, prepareExamples } from "./projects";
import { PulumiWorkspace, toolchainReady } from "./workspace";

const ready = toolchainReady();
const TIMEOUT_MS = 20 * 60_000;
const PROGRAMS = join("tests", "e2e", "programs");

describe.skipIf(!ready)("stages adopt a shared cluster and certificate", () => {
    beforeAll(prepareExamples, PREPARE_TIMEOUT_MS);

    it("JavaScript passes Outputs, Python passes ARNs; the services run in the shared cluster behind the shared certificate", () => {
        const shared = prepare({ dir: join(PROGRAMS, "adopt-js"), language: "nodejs" });
        linkPackage(shared);
        const second = prepare({ dir: join(PROGRAMS, "adopt-py"), language: "python" });
        const ws = new PulumiWorkspace("adopt");
        try {
            ws.run(["stack", "init", ws.stack], shared);
            ws.run(["up", "--yes", "--skip-preview"], shared);
            const outputs = JSON.parse(ws.run(["stack", "output", "--json"], shared).stdout);
            expect(outputs.clusterName).toBe("shared-previews");

            ws.run(["stack", "init", ws.stack], second);
            ws.run(["config", "set", "clusterArn", outputs.clusterArn], second);
            ws.run(["config", "set", "certificateArn", outputs.certificateArn], second);
            ws.run(["up", "--yes", "--skip-preview"], second);
            expect(JSON.parse(ws.run(["stack", "output", "--json"], second).stdout).clusterName).toBe("shared-previews");

            for (const [dir, owned] of [[shared, 1], [second, 0]] as const) {
                const resources = exportState(ws, dir);
                const component = resources.find((r) => r.type === "rampart:index:ServicePlatform")!;
                const children = resources.filter((r) => r.parent === component.urn);
                expect(children.filter((r) => r.type === "aws:ecs/cluster:Cluster" || r.type === "aws:acm/certificate:Certificate"), "the stage creates neither").toEqual([]);
                expect(resources.filter((r) => r.type === "aws:ecs/cluster:Cluster"), "only the shared stack holds the cluster").toHaveLength(owned);
                expect(children.find((r) => r.type === "aws:ecs/service:Service")!.inputs!.cluster).toBe(outputs.clusterArn);
                expect(children.find((r) => r.type === "aws:lb/listener:Listener" && r.inputs!.protocol === "HTTPS")!.inputs!.certificateArn).toBe(outputs.certificateArn);
                ws.run(["preview", "--expect-no-changes"], dir);
            }
        } finally {
            ws.run(["destroy", "--yes", "--skip-preview"], second, { allowFailure: true });
            ws.run(["destroy", "--yes", "--skip-preview"], shared, { allowFailure: true });
            ws.dispose();
        }
    }, TIMEOUT_MS);
});
