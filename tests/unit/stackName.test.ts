import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ACCOUNT_ALIAS_PATTERN, AWS_REGION_PATTERN, STAGE_PATTERN } from "../../provider/src/shared/validation";

// scripts/stack-name.sh names per-PR ephemeral stacks for .github/workflows/ephemeral-stack.yml.
const REPO_ROOT = resolve(__dirname, "../..");
const SCRIPT = join(REPO_ROOT, "scripts", "stack-name.sh");

function script(args: string[], input = "") {
    const r = spawnSync("bash", [SCRIPT, ...args], { encoding: "utf8", input });
    return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

describe("scripts/stack-name.sh", () => {
    it("uses the same naming rules as the components", () => {
        const text = readFileSync(SCRIPT, "utf8");
        const shellPattern = (name: string) => new RegExp(`^${name}='([^']+)'$`, "m").exec(text)?.[1];
        expect(shellPattern("ALIAS_RE")).toBe(ACCOUNT_ALIAS_PATTERN.source);
        expect(shellPattern("STAGE_RE")).toBe(STAGE_PATTERN.source);
        expect(shellPattern("REGION_RE")).toBe(AWS_REGION_PATTERN.source.replace("\\d", "[0-9]"));
    });

    it.each([
        ["sandpit", "us-east-1", "123", "sandpit-us-east-1-pr-123"],
        ["a", "eu-west-2", "1", "a-eu-west-2-pr-1"],
        ["unkey-prod-12345678", "us-gov-west-1", "99999", "unkey-prod-12345678-us-gov-west-1-pr-99999"],
    ])("names %s / %s / PR %s", (alias, region, pr, expected) => {
        const r = script(["name", alias, region, pr]);
        expect(r).toEqual({ status: 0, stdout: expected, stderr: "" });
        expect(expected).toMatch(/^[A-Za-z0-9_.-]{1,100}$/); // Pulumi's own stack-name rule
    });

    it.each([
        [["Sandpit", "us-east-1", "1"], [/account alias: got "Sandpit"/]],
        [["sandpit-with-a-much-too-long-alias", "us-east-1", "1"], [/account alias: got "sandpit-with-a-much-too-long-alias"/]],
        [["sandpit", "us-east", "1"], [/region: got "us-east"/]],
        [["sandpit", "US-EAST-1", "1"], [/region: got "US-EAST-1"/]],
        [["sandpit", "us-east-1", "0"], [/pull request number: got "0"/]],
        [["sandpit", "us-east-1", "12a"], [/pull request number: got "12a"/]],
        [["a_b", "mars-1", ""], [/3 invalid part/, /account alias/, /region/, /pull request number/]],
    ])("rejects %j", (args, messages) => {
        const r = script(["name", ...args]);
        expect(r.status).toBe(2);
        expect(r.stdout).toBe("");
        for (const m of messages) expect(r.stderr).toMatch(m);
    });

    it("counts and lists an account's PR stacks from `pulumi stack ls --json`", () => {
        const stacks = JSON.stringify([
            { name: "sandpit-us-east-1-pr-1", current: false },
            { name: "org/service/sandpit-eu-west-2-pr-22" },
            { name: "other-us-east-1-pr-3" },
            { name: "sandpit-us-east-1-main" },
            { name: "sandpit-us-east-1-pr-4x" },
            { name: "xsandpit-us-east-1-pr-5" },
        ], null, 2);
        expect(script(["count", "sandpit"], stacks)).toMatchObject({ status: 0, stdout: "2" });
        expect(script(["list", "sandpit"], stacks).stdout.split("\n")).toEqual(["sandpit-us-east-1-pr-1", "sandpit-eu-west-2-pr-22"]);
        expect(script(["count", "other"], stacks)).toMatchObject({ status: 0, stdout: "1" });
        expect(script(["count", "sandpit"], "[]")).toMatchObject({ status: 0, stdout: "0" });
        expect(script(["count", "Bad_Alias"], "[]").status).toBe(2);
    });

    it("computes and checks the TTL tag", () => {
        expect(script(["expires-at", "72", "0"]).stdout).toBe("1970-01-04T00:00:00Z");
        expect(script(["expires-at", "0"]).status).toBe(2);
        expect(script(["expired", "1970-01-04T00:00:00Z", String(72 * 3600 - 1)]).status).toBe(1);
        expect(script(["expired", "1970-01-04T00:00:00Z", String(72 * 3600)]).status).toBe(0);
        expect(script(["expired", "not a time", "0"]).status).toBe(2);
    });
});
