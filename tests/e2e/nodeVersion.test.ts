/**
 * The plugin on a Node.js older than 22 (issue 16 item 6): the user sees one clean line saying
 * Node.js 22 or newer is required and which node was found, not the engine's "Detected that ...
 * exited prematurely. This is *always* a bug in the provider" block with the plugin's output dumped.
 * Both ways the plugin runs: from source (`plugins: path:` at this checkout, the nodejs language
 * host runs package.json "main" with the node on PATH, as `packages:` does) and from the release
 * tarball's launcher (scripts/plugin.sh). Uses the system's Node.js 20 (skipped where none is
 * installed); the stand-in providers run on the repository's Node 22 by absolute path.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeYamlProgram } from "./projects";
import { NODE_BIN, PULUMI_BIN, PulumiWorkspace, REPO_ROOT, STANDIN_BIN, toolchainReady } from "./workspace";

const MINUTE = 60_000;

/** The first node on the system PATH (not the repository's) whose major version is below 22. */
function olderNode(): { path: string; version: string } | undefined {
    for (const dir of (process.env.PATH ?? "").split(":").concat(["/usr/bin", "/usr/local/bin"])) {
        const path = join(dir, "node");
        if (!dir || dir.startsWith(REPO_ROOT) || !existsSync(path)) continue;
        const version = spawnSync(path, ["--version"], { encoding: "utf8" }).stdout?.trim() ?? "";
        const major = Number(version.replace(/^v/, "").split(".")[0]);
        if (major >= 20 && major < 22) return { path, version };
    }
    return undefined;
}

const node = olderNode();

function program(dir: string, name: string, pluginPath: string): void {
    writeYamlProgram(dir, { name, rampart: { path: pluginPath }, resources: { unkey: { type: "rampart:index:ZeroTrustIdentity", properties: { stage: "dev" } } } });
}

describe.skipIf(!toolchainReady() || !node)(`the plugin on Node.js ${node?.version ?? "(none older than 22 installed)"}`, () => {
    let ws: PulumiWorkspace;
    const expected = () => `ZeroTrustIdentity "unkey": Node.js 22 or newer is required where the rampart plugin runs; found ${node!.version} at ${node!.path}`;

    beforeAll(() => {
        execFileSync("npm", ["run", "-s", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
        // The older node comes before the repository's Node 22 on PATH.
        ws = new PulumiWorkspace("old-node", { PATH: [STANDIN_BIN, PULUMI_BIN, dirname(node!.path), NODE_BIN, process.env.PATH].join(":") });
        execFileSync("bash", [join(REPO_ROOT, "scripts", "plugin.sh"), join(ws.root, "plugin")], { stdio: "ignore" });
    }, 5 * MINUTE);
    afterAll(() => ws?.dispose());

    for (const route of ["source checkout", "release tarball launcher"] as const) {
        it(`${route}: one clean line naming the node it found, nothing created`, () => {
            const dir = join(ws.root, route === "source checkout" ? "from-source" : "from-tarball");
            program(dir, route === "source checkout" ? "old-node-source" : "old-node-tarball", route === "source checkout" ? REPO_ROOT : join(ws.root, "plugin"));
            ws.run(["stack", "init", ws.stack], dir);
            const up = ws.run(["up", "--yes"], dir, { allowFailure: true });
            const text = up.stdout + up.stderr;
            expect(up.status, text).not.toBe(0);
            // The engine shows a failed resource's error on its progress line and once more under
            // Diagnostics; the summary holds it once.
            const diagnostics = text.slice(text.indexOf("Diagnostics:"));
            expect(diagnostics.split(expected()).length - 1, `the line, once, in:\n${text}`).toBe(1);
            expect(text).not.toContain("exited prematurely");
            expect(text).not.toContain("always* a bug");
            expect(text, "no JavaScript stack trace").not.toMatch(/\n\s+at .*\.(js|ts|mjs|cjs):\d+:\d+/);
            expect(text, "no colour codes").not.toContain("\u001b[");
            const resources = JSON.parse(ws.run(["stack", "export"], dir).stdout).deployment.resources ?? [];
            expect(resources.filter((r: { custom?: boolean }) => r.custom && !String((r as { type: string }).type).startsWith("pulumi:providers:"))).toEqual([]);
        }, 5 * MINUTE);
    }
});
