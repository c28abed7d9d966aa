/**
 * Every example through the real Pulumi engine, offline: `pulumi up` with a file backend, output
 * shape, child resources equal to the same component instantiated from TypeScript, a second preview
 * with no changes, no plaintext secret in state, `pulumi destroy`, and bad input from Python and Go
 * surfacing the component's validation message.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_TIMEOUT_MS, EXAMPLES, exportState, initStack, prepare, PREPARE_TIMEOUT_MS, prepareExamples, projectName } from "./projects";
import { childDifferences, normalizedChildren, resourcesOf, restaged } from "./state";
import { PulumiWorkspace, REPO_ROOT, toolchainReady, WORK_ROOT } from "./workspace";

const ready = toolchainReady();
if (!ready && process.env.CI === "true") {
    throw new Error("end-to-end tests need the toolchain and stand-in: run scripts/toolchain.sh and tests/standin/build.sh (npm test does)");
}
const timings: string[] = [];
/** The stage `initStack` gives an example unless its config names one. */
const STAGE_DEFAULT = { stage: "dev" };
/** The twin's stage: as long as the example's ("dev"), so names cut to a length limit are cut alike. */
const TWIN_STAGE = "twn";

describe.skipIf(!ready)("examples through the Pulumi engine (offline stand-in for AWS)", () => {
    beforeAll(prepareExamples, PREPARE_TIMEOUT_MS);
    afterAll(() => {
        if (timings.length) console.log(`e2e timings:\n  ${timings.join("\n  ")}`);
    });

    for (const spec of EXAMPLES) {
        it(`${spec.dir}: up, outputs, children, no-op preview, no plaintext secrets, destroy`, () => {
            const ws = new PulumiWorkspace(spec.dir.split("/").pop()!);
            try {
                const dir = prepare(spec);
                initStack(ws, dir, spec);
                const up = ws.run(["up", "--yes", "--skip-preview"], dir);
                timings.push(`${spec.dir}: pulumi up ${up.seconds.toFixed(1)} s`);

                const outputs = JSON.parse(ws.run(["stack", "output", "--json"], dir).stdout);
                for (const key of spec.outputs) {
                    expect(outputs[key], `output ${key}`).toBeDefined();
                    expect(JSON.stringify(outputs[key]), `output ${key}`).not.toMatch(/^(""|null|\{\}|\[\])$/);
                }

                const stateText = ws.run(["stack", "export"], dir).stdout;
                const resources = resourcesOf(JSON.parse(stateText));
                const component = resources.filter((r) => r.type === spec.component.type);
                expect(component.map((r) => r.urn.split("::").pop())).toEqual([spec.component.name]);
                const children = normalizedChildren(resources, component[0].urn, projectName(dir));
                expect(children.size, "child resources").toBeGreaterThan(3);
                for (const secret of Object.values(spec.secrets ?? {})) {
                    expect(stateText.includes(secret), "a secret fed in appears in plaintext in the state").toBe(false);
                }

                const preview = ws.run(["preview", "--expect-no-changes", "--diff"], dir);
                expect(preview.stdout).not.toMatch(/\+\s+\d+ to create|~\s+\d+ to update|-\s+\d+ to delete/);

                if (spec.twin) {
                    // The twin runs side by side in the same simulated account, as the canary runs them: with its
                    // own stage, so none of its physical names may collide with the example's. Its children must
                    // equal the example's modulo the stage.
                    const stage = { ...STAGE_DEFAULT, ...spec.config }.stage;
                    const twinDir = prepare({ dir: spec.twin, language: "nodejs" });
                    initStack(ws, twinDir, { ...spec, config: { ...spec.config, stage: TWIN_STAGE } });
                    const twinUp = ws.run(["up", "--yes", "--skip-preview"], twinDir);
                    timings.push(`${spec.twin} (twin of ${spec.dir}): pulumi up ${twinUp.seconds.toFixed(1)} s`);
                    const twinResources = restaged(exportState(ws, twinDir), TWIN_STAGE, stage);
                    const twinComponent = twinResources.find((r) => r.type === spec.component.type)!;
                    const expected = normalizedChildren(twinResources, twinComponent.urn, projectName(twinDir));
                    expect(childDifferences(children, expected)).toEqual([]);
                    ws.run(["destroy", "--yes", "--skip-preview"], twinDir);
                }

                const destroy = ws.run(["destroy", "--yes", "--skip-preview"], dir);
                timings.push(`${spec.dir}: pulumi destroy ${destroy.seconds.toFixed(1)} s`);
                expect(exportState(ws, dir).filter((r) => r.custom)).toEqual([]);

                if (spec.badStage) {
                    ws.run(["config", "set", "stage", "Bad_Stage"], dir);
                    const bad = ws.run(["preview"], dir, { allowFailure: true });
                    const text = bad.stdout + bad.stderr;
                    expect(bad.status).not.toBe(0);
                    expect(text).toContain(spec.badStage);
                    expect(text).toContain("; lowercase letters, digits and single hyphens, starting and ending with a letter or digit, 1-32 characters");
                    expect(text, "no JavaScript stack trace from the plugin").not.toMatch(/\n\s+at .*\.(js|ts):\d+:\d+/);
                }
            } finally {
                ws.dispose();
            }
        }, EXAMPLE_TIMEOUT_MS);
    }
});

describe.skipIf(!ready)("e2e scratch space", () => {
    it("keeps its work under tests/.work", () => {
        expect(WORK_ROOT.startsWith(join(REPO_ROOT, "tests", ".work"))).toBe(true);
    });
});
