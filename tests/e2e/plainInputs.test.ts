/**
 * Plain arguments given as Outputs (issue 16 item 2), through the real Pulumi engine, the rampart plugin and the
 * OFFLINE STAND-IN, from Pulumi YAML:
 *
 * - a stack reference's outputs (known at preview) feed `stage`, `network.cidrBlock` and `services[0].cpu`, which
 *   rampart reads while it plans, from YAML and from Python (tests/e2e/programs/plain-inputs-py): the platform is
 *   planned with their values (names, CIDR, task size), and a second preview shows no change;
 * - an Output known only at deployment (another platform's `vpcId`, created in the same program) in `stage`, and a secret in `tags`, are
 *   refused at preview in the component's one error, each with why, and nothing is created.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportState, prepare, PREPARE_TIMEOUT_MS, prepareExamples, writeYamlProgram } from "./projects";
import { PulumiWorkspace, toolchainReady } from "./workspace";

const ready = toolchainReady();
if (!ready && process.env.CI === "true") {
    throw new Error("end-to-end tests need the toolchain and stand-in: run scripts/toolchain.sh and tests/standin/build.sh (npm test does)");
}
const TIMEOUT_MS = 15 * 60_000;
const PLATFORM = "rampart:index:ServicePlatform";

describe.skipIf(!ready)("YAML and Python: plain arguments from a stack reference; Outputs known only at deployment refused", () => {
    const ws = ready ? new PulumiWorkspace("plain-inputs") : undefined!;
    const cleanup: string[] = [];
    let sharedStack = "";

    beforeAll(prepareExamples, PREPARE_TIMEOUT_MS);

    afterAll(() => {
        for (const dir of cleanup.reverse()) ws.run(["destroy", "--yes", "--skip-preview"], dir, { allowFailure: true });
        ws.dispose();
    }, TIMEOUT_MS);

    it("a stack reference's outputs plan the platform: its stage names the resources, its CIDR is the VPC's, its cpu sizes the task", () => {
        const shared = writeYamlProgram(join(ws.root, "shared"), {
            name: "shared-settings",
            resources: {},
            // Written unquoted into Pulumi.yaml: apiCpu is the number 512.
            outputs: { stage: "pr-7", cidrBlock: "10.42.0.0/16", apiCpu: "512" },
        });
        ws.run(["stack", "init", ws.stack], shared);
        ws.run(["up", "--yes", "--skip-preview"], shared);
        cleanup.push(shared);
        sharedStack = `organization/shared-settings/${ws.stack}`;

        const app = writeYamlProgram(join(ws.root, "app"), {
            name: "plain-app",
            resources: {
                settings: { type: "pulumi:pulumi:StackReference", properties: { name: `organization/shared-settings/${ws.stack}` } },
                web: {
                    type: PLATFORM,
                    properties: {
                        stage: '${settings.outputs["stage"]}',
                        network: { cidrBlock: '${settings.outputs["cidrBlock"]}' },
                        services: [{ name: "api", port: 8080, cpu: '${settings.outputs["apiCpu"]}', memory: 1024 }],
                    },
                },
            },
            outputs: { vpcId: "${web.vpcId}" },
        });
        ws.run(["stack", "init", ws.stack], app);
        cleanup.push(app);
        ws.run(["up", "--yes"], app);
        const resources = exportState(ws, app);
        const of = (type: string) => resources.filter((r) => r.type === type);
        expect(of("aws:ec2/vpc:Vpc").map((r) => r.inputs!.cidrBlock)).toEqual(["10.42.0.0/16"]);
        expect(of("aws:ecr/repository:Repository").map((r) => r.inputs!.name)).toEqual(["web-pr-7-api"]);
        expect(of("aws:ecs/taskDefinition:TaskDefinition").map((r) => r.inputs!.cpu)).toEqual(["512"]);
        const platform = of(PLATFORM)[0] as { dependencies?: string[] };
        expect(platform.dependencies ?? [], "the platform depends on the stack reference its plain arguments came from").toContain(of("pulumi:pulumi:StackReference")[0].urn);
        expect(resources.map((r) => r.urn).filter((urn) => /Output|toString/.test(urn)), "no resource named after an Output object").toEqual([]);
        ws.run(["preview", "--expect-no-changes"], app);
    }, TIMEOUT_MS);

    it("the same from Python: the stack reference's Outputs go straight into the plain arguments", () => {
        expect(sharedStack, "the YAML case deployed the shared stack").not.toBe("");
        const dir = prepare({ dir: join("tests", "e2e", "programs", "plain-inputs-py"), language: "python" });
        const py = new PulumiWorkspace("plain-inputs-py", { PULUMI_BACKEND_URL: ws.env.PULUMI_BACKEND_URL });
        try {
            py.run(["stack", "init", py.stack], dir);
            py.run(["config", "set", "settingsStack", sharedStack], dir);
            py.run(["up", "--yes"], dir);
            const resources = exportState(py, dir);
            const of = (type: string) => resources.filter((r) => r.type === type);
            expect(of("aws:ec2/vpc:Vpc").map((r) => r.inputs!.cidrBlock)).toEqual(["10.42.0.0/16"]);
            expect(of("aws:ecr/repository:Repository").map((r) => r.inputs!.name)).toEqual(["shop-pr-7-api"]);
            expect(of("aws:ecs/taskDefinition:TaskDefinition").map((r) => r.inputs!.cpu)).toEqual(["512"]);
            py.run(["preview", "--expect-no-changes"], dir);
        } finally {
            py.run(["destroy", "--yes", "--skip-preview"], dir, { allowFailure: true });
            py.dispose();
        }
    }, TIMEOUT_MS);

    it("an Output known only at deployment and a secret in plain arguments: one error at preview with the reasons, nothing created", () => {
        const dir = writeYamlProgram(join(ws.root, "unknown"), {
            name: "plain-unknown",
            secretConfig: ["team"],
            resources: {
                network: { type: PLATFORM, properties: { stage: "pr-8", services: [{ name: "api", port: 8080 }] } },
                web: {
                    type: PLATFORM,
                    properties: { stage: "${network.vpcId}", tags: { team: "${team}" }, services: [{ name: "api", port: 8080 }] },
                },
            },
        });
        ws.run(["stack", "init", ws.stack], dir);
        ws.run(["config", "set", "--secret", "team", "payments"], dir);
        cleanup.push(dir);
        const preview = ws.run(["preview"], dir, { allowFailure: true });
        const text = preview.stdout + preview.stderr;
        expect(preview.status, text).not.toBe(0);
        expect(text).toContain('ServicePlatform "web" has 2 invalid arguments:');
        expect(text).toContain(
            'ServicePlatform "web": stage: got an Output whose value is known only at deployment; expected a value known when the program runs (written in the program, from config or a stack reference): it is part of the names of the resources rampart creates',
        );
        expect(text).toContain('ServicePlatform "web": tags.team: got a secret; expected a value that is not secret');
        expect(text).not.toContain("payments");
        expect(text, "no JavaScript stack trace").not.toMatch(/\n\s+at .*\.(js|ts|mjs|cjs):\d+:\d+/);
        expect(text.split('ServicePlatform "web": stage:').length - 1, "the problem once").toBe(1);
        expect(exportState(ws, dir).filter((r) => r.type.startsWith("aws:")), "nothing is created").toEqual([]);
        const up = ws.run(["up", "--yes", "--skip-preview"], dir, { allowFailure: true });
        expect(up.status).not.toBe(0);
        expect(exportState(ws, dir).filter((r) => r.type === PLATFORM).map((r) => r.urn), "the refused platform is not in the state").toEqual([expect.stringContaining("::network")]);
    }, TIMEOUT_MS);
});
