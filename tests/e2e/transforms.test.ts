/**
 * Pulumi's `transforms` resource option given to a rampart component reaches its children (issue 17, item 1;
 * docs/customising.md): a program in TypeScript/JavaScript (the component in its own process), Python and Go (the
 * component in the rampart plugin, the transform called back by the engine) changes one property of one child, the
 * load balancer's idle timeout, which rampart never sets; `up` through the real engine and the OFFLINE STAND-IN
 * records it on that child and on nothing else.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { exportState, linkPackage, prepare, PREPARE_TIMEOUT_MS, prepareExamples } from "./projects";
import { PulumiWorkspace, toolchainReady } from "./workspace";

const ready = toolchainReady();
const TIMEOUT_MS = 15 * 60_000;
const PROGRAMS = join("tests", "e2e", "programs");
const LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";

const LANGUAGES = [
    { label: "TypeScript (in process)", dir: join(PROGRAMS, "transforms-js"), language: "nodejs" },
    { label: "Python (through the plugin)", dir: join(PROGRAMS, "transforms-py"), language: "python" },
    { label: "Go (through the plugin)", dir: join(PROGRAMS, "transforms-go"), language: "go" },
];

describe.skipIf(!ready)("transforms given to a component reach its children", () => {
    beforeAll(prepareExamples, PREPARE_TIMEOUT_MS);

    for (const program of LANGUAGES) {
        it(`${program.label}: the load balancer gets the transformed idle timeout`, () => {
            const dir = prepare(program);
            if (program.language === "nodejs") linkPackage(dir);
            const ws = new PulumiWorkspace(`transforms-${program.language}`);
            try {
                ws.run(["stack", "init", ws.stack], dir);
                ws.run(["up", "--yes", "--skip-preview"], dir);
                const resources = exportState(ws, dir);
                const component = resources.find((r) => r.type === "rampart:index:ServicePlatform");
                expect(component, "the component is in the state").toBeDefined();
                const loadBalancers = resources.filter((r) => r.type === LOAD_BALANCER);
                expect(loadBalancers.map((r) => [r.urn.split("::").pop(), r.parent, r.inputs?.idleTimeout])).toEqual([["web-alb", component!.urn, 120]]);
                // Only the matched child changed: no other child carries the property.
                expect(resources.filter((r) => r.type !== LOAD_BALANCER && r.inputs?.idleTimeout !== undefined).map((r) => r.urn)).toEqual([]);
                ws.run(["preview", "--expect-no-changes"], dir);
            } finally {
                ws.run(["destroy", "--yes", "--skip-preview"], dir, { allowFailure: true });
                ws.dispose();
            }
        }, TIMEOUT_MS);
    }
});
