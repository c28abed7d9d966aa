/**
 * The documented `packages:` route from a source checkout that nothing has built (issue 16 item 6): bin/ is
 * git-ignored, so a clone has only sources. The engine runs the checkout as a source-based plugin
 * (PulumiPlugin.yaml, runtime nodejs); the nodejs language host installs its dependencies with `npm install`, whose
 * `prepare` script builds bin/ (package.json), and the component then deploys through the OFFLINE STAND-IN. Before
 * `prepare` existed this died with `Cannot find module …/bin/host/main.js`.
 *
 * The checkout is what `git clone` of this working tree gives: the files git tracks plus new ones it does not
 * ignore, copied (so uncommitted changes are tested too), without bin/, node_modules/ or anything else ignored, into
 * a temporary directory outside the repository.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeYamlProgram } from "./projects";
import { resourcesOf } from "./state";
import { PulumiWorkspace, REPO_ROOT, toolchainReady } from "./workspace";

const MINUTE = 60_000;

function unbuiltCheckout(into: string): void {
    const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" })
        .split("\0")
        .filter((f) => f && existsSync(join(REPO_ROOT, f)));
    for (const file of files) {
        mkdirSync(dirname(join(into, file)), { recursive: true });
        copyFileSync(join(REPO_ROOT, file), join(into, file));
    }
}

describe.skipIf(!toolchainReady())("packages: pointing at an unbuilt source checkout", () => {
    let ws: PulumiWorkspace;
    let checkout: string;
    let checkoutRoot: string | undefined;
    let app: string;

    beforeAll(() => {
        ws = new PulumiWorkspace("source-checkout");
        // Outside this repository, so that Node does not find the repository's node_modules by walking up.
        checkoutRoot = mkdtempSync(join(tmpdir(), "rampart-checkout-"));
        checkout = join(checkoutRoot, "pulumi-rampart");
        unbuiltCheckout(checkout);
        app = join(ws.root, "app");
        writeYamlProgram(app, {
            name: "source-checkout",
            rampart: { package: checkout },
            resources: {
                unkey: {
                    type: "rampart:index:ZeroTrustIdentity",
                    properties: { stage: "dev", trustDomain: "unkey.cloud", githubOidc: { roles: [{ name: "deploy", repository: "unkeyed/unkey", branches: ["main"] }] } },
                },
            },
            outputs: { trustDomain: "${unkey.trustDomain}", roleArns: "${unkey.roleArns}" },
        });
    }, 5 * MINUTE);
    afterAll(() => {
        ws?.dispose();
        if (checkoutRoot) rmSync(checkoutRoot, { recursive: true, force: true });
    });

    it("builds itself on first use and deploys", () => {
        expect(existsSync(join(checkout, "bin")), "the checkout starts without bin/").toBe(false);
        expect(existsSync(join(checkout, "node_modules")), "and without node_modules/").toBe(false);
        // What a user runs after adding `packages:` (pulumi package add runs the same install): the engine installs a
        // package's dependencies here, not on `up`.
        const install = ws.run(["install"], app, { stackless: true, timeoutSeconds: 1500 });
        console.log(`pulumi install of the unbuilt checkout: ${install.seconds.toFixed(0)} s`);
        ws.run(["stack", "init", ws.stack], app);
        const up = ws.run(["up", "--yes", "--skip-preview"], app, { timeoutSeconds: 1500 });
        expect(up.stdout + up.stderr).not.toContain("Cannot find module");
        expect(existsSync(join(checkout, "bin", "host", "main.js")), "prepare built the plugin").toBe(true);
        const outputs = JSON.parse(ws.run(["stack", "output", "--json"], app).stdout);
        expect(outputs.trustDomain).toBe("unkey.cloud");
        const types = resourcesOf(JSON.parse(ws.run(["stack", "export"], app).stdout)).map((r) => r.type);
        expect(types).toContain("rampart:index:ZeroTrustIdentity");
        expect(types).toContain("pulumi:providers:rampart");
        expect(types, "the component's children, created through the stand-in").toContain("aws:iam/role:Role");
        expect(Object.keys(outputs.roleArns)).toEqual(["deploy"]);
        ws.run(["destroy", "--yes", "--skip-preview"], app);
    }, 30 * MINUTE);
});
