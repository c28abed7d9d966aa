import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// One version everywhere: in a temporary clone of HEAD, a sample changeset plus
// `npm run version-packages` (changeset version, package-lock, schema.json, every SDK regenerated)
// must leave the same new version in every place a user or the engine reads it.
const REPO_ROOT = resolve(__dirname, "../..");
const ready = existsSync(join(REPO_ROOT, ".tools", "pulumi", "bin", "pulumi")) && existsSync(join(REPO_ROOT, "node_modules", ".bin", "changeset"));

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
    const r = spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 600_000, env: { ...process.env, ...env } });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}\n${r.stdout?.slice(-4000)}\n${r.stderr?.slice(-4000)}`);
    return r.stdout;
}

describe.skipIf(!ready)("npm run version-packages", () => {
    let clone: string;
    let before: string;
    let expected: string;
    const summary = "Sample release note written by tests/release/version.test.ts.";

    beforeAll(() => {
        const tmp = mkdtempSync(join(tmpdir(), "rampart-version-"));
        clone = join(tmp, "repo");
        run("git", ["clone", "-q", "--no-hardlinks", REPO_ROOT, clone], tmp);
        // Reuse the installed packages and the built toolchain (both git-ignored) instead of reinstalling.
        symlinkSync(join(REPO_ROOT, "node_modules"), join(clone, "node_modules"));
        symlinkSync(join(REPO_ROOT, ".tools"), join(clone, ".tools"));
        before = JSON.parse(readFileSync(join(clone, "package.json"), "utf8")).version;
        // A major bump is the highest: whatever other changesets are pending, the result is known.
        const [major] = before.split(".").map(Number);
        expected = `${major + 1}.0.0`;
        writeFileSync(join(clone, ".changeset", "sample-version-test.md"), `---\n"@rampart-iac/pulumi-rampart": major\n---\n\n${summary}\n`);
        const started = performance.now();
        run("npm", ["run", "-s", "version-packages"], clone, {
            PATH: `${join(REPO_ROOT, "node_modules", ".bin")}:${process.env.PATH}:/usr/local/go/bin`,
            npm_config_prefer_offline: "true",
            npm_config_audit: "false",
            npm_config_fund: "false",
        });
        console.log(`version-packages ${before} -> ${expected} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }, 900_000);

    afterAll(() => {
        if (clone) rmSync(resolve(clone, ".."), { recursive: true, force: true });
    });

    const read = (p: string) => readFileSync(join(clone, p), "utf8");
    const json = (p: string) => JSON.parse(read(p));

    it("bumps package.json, package-lock.json and CHANGELOG.md and consumes the changeset", () => {
        expect(expected).not.toBe(before);
        expect(json("package.json").version).toBe(expected);
        const lock = json("package-lock.json");
        expect(lock.version).toBe(expected);
        expect(lock.packages[""].version).toBe(expected);
        const changelog = read("CHANGELOG.md");
        expect(changelog).toMatch(new RegExp(`^## ${expected.replace(/\./g, "\\.")}$`, "m"));
        expect(changelog).toContain(summary);
        expect(existsSync(join(clone, ".changeset", "sample-version-test.md"))).toBe(false);
    });

    it("regenerates schema.json and every SDK with the new version", () => {
        const places: Record<string, string | undefined> = {
            "schema.json": json("schema.json").version,
            "sdk/nodejs/package.json": json("sdk/nodejs/package.json").version,
            "sdk/nodejs/package.json pulumi.version": json("sdk/nodejs/package.json").pulumi?.version,
            "sdk/python/pyproject.toml": /^\s*version = "([^"]+)"/m.exec(read("sdk/python/pyproject.toml"))?.[1],
            "sdk/python/pulumi_rampart/pulumi-plugin.json": json("sdk/python/pulumi_rampart/pulumi-plugin.json").version,
            "sdk/go/rampart/pulumi-plugin.json": json("sdk/go/rampart/pulumi-plugin.json").version,
        };
        expect(places).toEqual(Object.fromEntries(Object.keys(places).map((k) => [k, expected])));
    });

    it("changes nothing else in the SDKs than what the version touches", () => {
        // Every changed line in the generated files mentions the version (or is the schema's pluginDownloadURL).
        const diff = run("git", ["diff", "-U0", "--", "schema.json", "sdk"], clone);
        const changed = diff.split("\n").filter((l) => /^[+-](?![+-])/.test(l));
        expect(changed.length).toBeGreaterThan(0);
        const unrelated = changed.filter((l) => !l.includes(before) && !l.includes(expected));
        expect(unrelated).toEqual([]);
    });
});
