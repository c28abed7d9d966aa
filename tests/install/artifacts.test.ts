import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { artifacts, DIST, ensureDist, REPO_ROOT, VERSION } from "./user";

// What `npm run dist` put in each artifact: only what users need, every version the same.
function list(archive: string): string[] {
    const r = archive.endsWith(".whl")
        ? spawnSync("python3", ["-c", "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", archive], { encoding: "utf8" })
        : spawnSync("tar", ["-tzf", archive], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`cannot list ${archive}: ${r.stderr}`);
    return r.stdout.split("\n").filter(Boolean).map((p) => p.replace(/^\.\//, "")).filter((p) => p && !p.endsWith("/"));
}
function extract(archive: string, member: string): string {
    const r = spawnSync("tar", ["-xzOf", archive, member], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`cannot read ${member} from ${archive}: ${r.stderr}`);
    return r.stdout;
}

describe("dist/ artifacts", () => {
    beforeAll(() => ensureDist(), 600_000);

    it("lists sizes", () => {
        const sizes = readdirSync(DIST).filter((f) => statSync(join(DIST, f)).isFile()).map((f) => `${f}: ${(statSync(join(DIST, f)).size / 1024).toFixed(0)} KiB`);
        console.log(`dist/ artifacts:\n  ${sizes.join("\n  ")}`);
        expect(sizes.length).toBeGreaterThanOrEqual(9);
    });

    it("npm package: compiled JS, types, schema, plugin files and the Lambda bundle only", () => {
        const files = list(artifacts.npm).map((p) => p.replace(/^package\//, ""));
        const allowed = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^schema\.json$/, /^PulumiPlugin\.yaml$/, /^bin\/.+\.(js|d\.ts)$/];
        expect(files.filter((f) => !allowed.some((re) => re.test(f)))).toEqual([]);
        expect(files.filter((f) => /(^|\/)(tests?|standin|__tests__)\/|\.test\.|\.map$|\.ts$(?<!\.d\.ts)/.test(f))).toEqual([]);
        for (const needed of ["bin/index.js", "bin/index.d.ts", "bin/host/main.js", "bin/lambda/authorizer/index.js", "schema.json", "PulumiPlugin.yaml"]) {
            expect(files).toContain(needed);
        }
        // The plugin bundle is for the plugin tarball; the npm package's plugin runs the compiled modules.
        expect(files).not.toContain("bin/host/plugin.bundle.js");
        // Every compiled module comes from a current source file (no stale output of deleted sources).
        for (const f of files.filter((f) => f.startsWith("bin/") && f.endsWith(".js") && !f.startsWith("bin/lambda/"))) {
            expect(existsSync(join(REPO_ROOT, "provider", "src", f.slice(4).replace(/\.js$/, ".ts"))), f).toBe(true);
        }
        const pkg = JSON.parse(extract(artifacts.npm, "package/package.json"));
        expect(pkg.version).toBe(VERSION);
        expect(JSON.parse(extract(artifacts.npm, "package/schema.json")).version).toBe(VERSION);
    });

    it("Python wheel and sdist carry the package, its plugin metadata and the version", () => {
        const wheel = list(artifacts.wheel);
        expect(wheel).toEqual(expect.arrayContaining(["pulumi_rampart/__init__.py", "pulumi_rampart/pulumi-plugin.json", "pulumi_rampart/py.typed", `pulumi_rampart-${VERSION}.dist-info/METADATA`]));
        const plugin = spawnSync("python3", ["-c", "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('pulumi_rampart/pulumi-plugin.json').decode())", artifacts.wheel], { encoding: "utf8" });
        expect(JSON.parse(plugin.stdout)).toEqual({ resource: true, name: "rampart", version: VERSION, server: "github://api.github.com/rampart-iac/pulumi-rampart" });
        const sdist = list(artifacts.sdist);
        expect(sdist).toEqual(expect.arrayContaining([`pulumi_rampart-${VERSION}/pyproject.toml`, `pulumi_rampart-${VERSION}/README.md`, `pulumi_rampart-${VERSION}/pulumi_rampart/__init__.py`]));
    });

    it("Go module: go.mod at the module root, the rampart package, the version in pulumi-plugin.json", () => {
        expect(readFileSync(join(artifacts.goModule, "go.mod"), "utf8")).toMatch(/^module github\.com\/rampart-iac\/pulumi-rampart\/sdk$/m);
        expect(JSON.parse(readFileSync(join(artifacts.goModule, "go", "rampart", "pulumi-plugin.json"), "utf8")).version).toBe(VERSION);
        expect(list(artifacts.goArchive)).toEqual(expect.arrayContaining(["sdk/go.mod", "sdk/go.sum", "sdk/go/rampart/authorizerWithPolicyStore.go"]));
    });

    it("plugin tarballs: an executable launcher, the bundle, schema and cedar-wasm; nothing from the tests", () => {
        for (const platform of ["linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64"]) {
            const files = list(artifacts.plugin(platform));
            expect(files).toEqual(expect.arrayContaining(["pulumi-resource-rampart", "bin/host/main.js", "bin/host/plugin.bundle.js", "schema.json", "package.json",
                "bin/lambda/authorizer/index.js", "node_modules/@cedar-policy/cedar-wasm/nodejs/cedar_wasm_bg.wasm"]));
            expect(files.filter((f) => /standin|tests?\/|\.map$/.test(f))).toEqual([]);
        }
        const verbose = spawnSync("tar", ["-tvzf", artifacts.plugin()], { encoding: "utf8" }).stdout;
        expect(verbose).toMatch(/^-rwxr-xr-x .* \.\/pulumi-resource-rampart$/m);
        expect(JSON.parse(extract(artifacts.plugin(), "./schema.json")).version).toBe(VERSION);
        expect(JSON.parse(extract(artifacts.plugin(), "./package.json")).version).toBe(VERSION);
        // The bundle carries no code of the stand-in.
        expect(extract(artifacts.plugin(), "./bin/host/plugin.bundle.js")).not.toMatch(/tests\/standin/);
    });

    it("SHA256SUMS covers every artifact", () => {
        const sums = readFileSync(join(DIST, "SHA256SUMS"), "utf8");
        for (const f of readdirSync(DIST).filter((f) => /\.(tgz|whl|tar\.gz)$/.test(f))) expect(sums).toMatch(new RegExp(`^[0-9a-f]{64}  ${f.replace(/\./g, "\\.")}$`, "m"));
    });
});
