/**
 * The Pulumi CLI the tests and `npm run example` use is never older than the @pulumi/pulumi SDK the
 * package depends on, and its language hosts answer for every runtime the examples use.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PULUMI_BIN, REPO_ROOT, toolchainReady } from "./workspace";

function semver(text: string): number[] {
    const match = /(\d+)\.(\d+)\.(\d+)/.exec(text);
    if (!match) throw new Error(`no version in ${JSON.stringify(text)}`);
    return match.slice(1).map(Number);
}

function compare(a: number[], b: number[]): number {
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return 0;
}

describe.skipIf(!toolchainReady())("Pulumi toolchain", () => {
    it("the CLI is at or above the @pulumi/pulumi version in package.json", () => {
        const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
        const sdk = semver(pkg.dependencies["@pulumi/pulumi"]);
        const cli = spawnSync(join(PULUMI_BIN, "pulumi"), ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
        expect(cli.status, cli.stderr).toBe(0);
        expect(compare(semver(cli.stdout), sdk), `pulumi ${cli.stdout.trim()} vs @pulumi/pulumi ${pkg.dependencies["@pulumi/pulumi"]}`).toBeGreaterThanOrEqual(0);
    });

    it.each(["nodejs", "python", "go", "yaml"])("has the %s language host", (runtime) => {
        expect(() => accessSync(join(PULUMI_BIN, `pulumi-language-${runtime}`), constants.X_OK)).not.toThrow();
    });

    it("builds its own nodejs, python and go language hosts at the CLI's version", () => {
        const cli = spawnSync(join(PULUMI_BIN, "pulumi"), ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
        for (const runtime of ["nodejs", "python", "go"]) {
            const host = spawnSync(join(PULUMI_BIN, `pulumi-language-${runtime}`), ["-version"], { encoding: "utf8" });
            expect(host.stdout.trim(), runtime).toBe(cli.stdout.trim());
        }
    });
});
