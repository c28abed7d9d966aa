/**
 * Two stages, one account: examples deployed as `pr-1` and `pr-2` into one simulated AWS account
 * and region (two stacks on the same state folder, so the OFFLINE STAND-IN gives them one account),
 * and a ZeroTrustIdentity next to a ServicePlatform with CI. Every `up` must succeed, and destroying
 * one stage must leave the other intact (a refresh of it finds nothing gone or changed).
 *
 * The Python and YAML examples build the same component shapes through the plugin; one of each is
 * deployed twice too, so a collision that only the plugin path would meet shows up here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES, type ExampleSpec, exportState, initStack, prepare, PREPARE_TIMEOUT_MS, prepareExamples } from "./projects";
import { PulumiWorkspace, toolchainReady } from "./workspace";

const ready = toolchainReady();
const TIMEOUT_MS = 15 * 60_000;

/**
 * Examples deployed twice. The account is bootstrapped as the README says (its GitHub OIDC
 * provider exists once), and every stage's CI roles look it up rather than create a second one.
 */
const TWO_STAGE: string[] = [
    "examples/service-platform-ts",
    "examples/service-platform-unkey-ts",
    "examples/service-platform-combine-ts",
    "examples/authorizer-ts",
    "examples/zero-trust-go",
    "examples/service-platform-py",
    "examples/authorizer-yaml",
];

const specOf = (dir: string): ExampleSpec => EXAMPLES.find((e) => e.dir === dir)!;
const customCount = (ws: PulumiWorkspace, dir: string) => exportState(ws, dir).filter((r) => r.custom).length;

/** Workspaces on one state folder: one simulated account. */
function oneAccount(label: string, count: number): PulumiWorkspace[] {
    const first = new PulumiWorkspace(`${label}-1`);
    const rest = Array.from({ length: count - 1 }, (_, i) => new PulumiWorkspace(`${label}-${i + 2}`, { PULUMI_BACKEND_URL: first.env.PULUMI_BACKEND_URL }));
    return [first, ...rest];
}

describe.skipIf(!ready)("two stages in one simulated AWS account", () => {
    const timings: string[] = [];
    beforeAll(prepareExamples, PREPARE_TIMEOUT_MS);
    afterAll(() => {
        if (timings.length) console.log(`two-stage timings:\n  ${timings.join("\n  ")}`);
    });

    for (const exampleDir of TWO_STAGE) {
        it(`${exampleDir}: pr-1 and pr-2 both up, destroying pr-1 leaves pr-2`, () => {
            const spec = specOf(exampleDir);
            const [pr1, pr2] = oneAccount(exampleDir.split("/").pop()!, 2);
            const dir = prepare(spec);
            try {
                initStack(pr1, dir, { ...spec, config: { ...spec.config, stage: "pr-1" } });
                initStack(pr2, dir, { ...spec, config: { ...spec.config, stage: "pr-2" } });
                timings.push(`${exampleDir} pr-1: up ${pr1.run(["up", "--yes", "--skip-preview"], dir).seconds.toFixed(1)} s`);
                timings.push(`${exampleDir} pr-2: up ${pr2.run(["up", "--yes", "--skip-preview"], dir).seconds.toFixed(1)} s`);
                const before = customCount(pr2, dir);
                pr1.run(["destroy", "--yes", "--skip-preview"], dir);
                pr2.run(["refresh", "--yes", "--skip-preview", "--expect-no-changes"], dir);
                expect(customCount(pr2, dir)).toBe(before);
                pr2.run(["destroy", "--yes", "--skip-preview"], dir);
            } finally {
                for (const ws of [pr1, pr2]) {
                    ws.run(["destroy", "--yes", "--skip-preview"], dir, { allowFailure: true });
                    ws.dispose();
                }
            }
        }, TIMEOUT_MS);
    }

    it("ZeroTrustIdentity and a ServicePlatform with CI in one account: both up, destroying one leaves the other", () => {
        const zt = specOf("examples/zero-trust-go");
        const sp = specOf("examples/service-platform-ts");
        const [identity, platform] = oneAccount("zt-and-sp", 2);
        const ztDir = prepare(zt);
        const spDir = prepare(sp);
        try {
            initStack(identity, ztDir, zt);
            initStack(platform, spDir, sp);
            identity.run(["up", "--yes", "--skip-preview"], ztDir);
            platform.run(["up", "--yes", "--skip-preview"], spDir);
            const before = customCount(identity, ztDir);
            platform.run(["destroy", "--yes", "--skip-preview"], spDir);
            identity.run(["refresh", "--yes", "--skip-preview", "--expect-no-changes"], ztDir);
            expect(customCount(identity, ztDir)).toBe(before);
        } finally {
            platform.run(["destroy", "--yes", "--skip-preview"], spDir, { allowFailure: true });
            identity.run(["destroy", "--yes", "--skip-preview"], ztDir, { allowFailure: true });
            identity.dispose();
            platform.dispose();
        }
    }, TIMEOUT_MS);
});
