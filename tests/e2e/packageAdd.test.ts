/**
 * `pulumi package add <this repository>` in fresh Python, Go and TypeScript projects, through the
 * real CLI and our language hosts (scripts/toolchain/langhost): the CLI runs this repository as a
 * source-based plugin for its schema, the host generates the SDK into sdks/rampart
 * (GeneratePackage) and wires it into the project (Link, then InstallDependencies), and the CLI
 * records the package in Pulumi.yaml `packages:`. Then a small program using the generated SDK goes
 * `up` through the engine (the stand-in in place of AWS), its outputs are checked, and it is
 * destroyed. A failed Python program must show the component's validation message and no Python
 * traceback from the way the host stopped it.
 *
 * The projects are written as `pulumi new <language>` would write them (the templates live on
 * GitHub, which these machines cannot reach). Go dependency downloads and the cold compile of the
 * Pulumi Go SDK happen in beforeAll, so no test's outcome depends on how warm the Go caches are.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onlyMonitorShutdownTracebacks } from "./projects";
import { resourcesOf } from "./state";
import { PulumiWorkspace, REPO_ROOT, toolchainReady } from "./workspace";

const ready = toolchainReady();
if (!ready && process.env.CI === "true") {
    throw new Error("end-to-end tests need the toolchain and stand-in: run scripts/toolchain.sh and tests/standin/build.sh (npm test does)");
}

const MINUTE = 60_000;
/** @pulumi/pulumi on npm and pulumi on PyPI: the version the rest of the repository uses. */
const PULUMI_SDK_VERSION = "3.270.0";
const GO_SDK_VERSION = "v3.276.0";
const VALIDATION_MESSAGE = 'AuthorizerWithPolicyStore "docs": stage: got "Bad_Stage"';
const timings: string[] = [];

interface LanguageCase {
    language: "python" | "go" | "typescript";
    /** The files `pulumi new <language>` would write, with an empty program. */
    scaffold(dir: string): void;
    /** The program using the generated SDK: an AuthorizerWithPolicyStore with its stage from config (default pr-7). */
    program(dir: string): void;
    /** What the host's Link must have changed in the project for this language. */
    expectLinked(dir: string): void;
}

function write(dir: string, files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

function pulumiYaml(name: string, runtime: string): string {
    return `name: ${name}\ndescription: a fresh project for the package add end-to-end test\n${runtime}`;
}

function copyPolicies(dir: string): void {
    const policies = join(REPO_ROOT, "examples", "authorizer-policies");
    cpSync(join(policies, "schema.cedarschema.json"), join(dir, "schema.cedarschema.json"));
    cpSync(join(policies, "policies"), join(dir, "policies"), { recursive: true });
}

function goEnv(ws: PulumiWorkspace): NodeJS.ProcessEnv {
    return { ...ws.env, PATH: `${ws.env.PATH}:/usr/local/go/bin` };
}

function go(ws: PulumiWorkspace, args: string[], dir: string): number {
    const started = performance.now();
    execFileSync("go", args, { cwd: dir, env: goEnv(ws), stdio: ["ignore", "ignore", "pipe"], timeout: 14 * MINUTE });
    return (performance.now() - started) / 1000;
}

const CASES: LanguageCase[] = [
    {
        language: "python",
        scaffold(dir) {
            write(dir, {
                "Pulumi.yaml": pulumiYaml("pkgadd-python", "runtime:\n  name: python\n  options:\n    toolchain: pip\n    virtualenv: venv\n"),
                "requirements.txt": `pulumi==${PULUMI_SDK_VERSION}\n`,
                "__main__.py": '"""A Python Pulumi program"""\n\nimport pulumi\n',
            });
        },
        program(dir) {
            copyPolicies(dir);
            write(dir, {
                "__main__.py": [
                    "import pulumi",
                    "import pulumi_rampart as rampart",
                    "",
                    "config = pulumi.Config()",
                    "authz = rampart.AuthorizerWithPolicyStore('docs',",
                    "    stage=config.get('stage') or 'pr-7',",
                    "    account_alias='sandpit',",
                    "    policy_store=rampart.PolicyStoreConfigArgs(schema_file='schema.cedarschema.json', policy_dir='policies'))",
                    "pulumi.export('policyStoreId', authz.policy_store_id)",
                    "pulumi.export('authorizerFunctionArn', authz.authorizer_function_arn)",
                    "",
                ].join("\n"),
            });
        },
        expectLinked(dir) {
            expect(readFileSync(join(dir, "requirements.txt"), "utf8").split("\n")).toContain("sdks/rampart");
            const origin = execFileSync(join(dir, "venv", "bin", "python"), ["-c",
                "import importlib.metadata as m; print(m.distribution('pulumi_rampart').read_text('direct_url.json'))"], { encoding: "utf8" });
            expect(JSON.parse(origin).url).toBe(`file://${realpathSync(join(dir, "sdks", "rampart"))}`);
        },
    },
    {
        language: "go",
        scaffold(dir) {
            write(dir, {
                "Pulumi.yaml": pulumiYaml("pkgadd-go", "runtime: go\n"),
                "go.mod": `module pkgadd-go\n\ngo 1.25.11\n\nrequire github.com/pulumi/pulumi/sdk/v3 ${GO_SDK_VERSION}\n`,
                "main.go": [
                    "package main",
                    "",
                    'import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"',
                    "",
                    "func main() {",
                    "\tpulumi.Run(func(ctx *pulumi.Context) error { return nil })",
                    "}",
                    "",
                ].join("\n"),
            });
        },
        program(dir) {
            copyPolicies(dir);
            write(dir, {
                "main.go": [
                    "package main",
                    "",
                    "import (",
                    '\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"',
                    '\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"',
                    '\t"github.com/rampart-iac/pulumi-rampart/sdk/go/rampart"',
                    ")",
                    "",
                    "func main() {",
                    "\tpulumi.Run(func(ctx *pulumi.Context) error {",
                    '\t\tstage := config.Get(ctx, "stage")',
                    '\t\tif stage == "" {',
                    '\t\t\tstage = "pr-7"',
                    "\t\t}",
                    '\t\tauthz, err := rampart.NewAuthorizerWithPolicyStore(ctx, "docs", &rampart.AuthorizerWithPolicyStoreArgs{',
                    "\t\t\tStage:        stage,",
                    '\t\t\tAccountAlias: "sandpit",',
                    "\t\t\tPolicyStore: rampart.PolicyStoreConfigArgs{",
                    '\t\t\t\tSchemaFile: pulumi.StringRef("schema.cedarschema.json"),',
                    '\t\t\t\tPolicyDir:  pulumi.StringRef("policies"),',
                    "\t\t\t},",
                    "\t\t})",
                    "\t\tif err != nil {",
                    "\t\t\treturn err",
                    "\t\t}",
                    '\t\tctx.Export("policyStoreId", authz.PolicyStoreId)',
                    '\t\tctx.Export("authorizerFunctionArn", authz.AuthorizerFunctionArn)',
                    "\t\treturn nil",
                    "\t})",
                    "}",
                    "",
                ].join("\n"),
            });
        },
        expectLinked(dir) {
            expect(readFileSync(join(dir, "go.mod"), "utf8")).toMatch(/^replace github\.com\/rampart-iac\/pulumi-rampart\/sdk\/go => \.\/sdks\/rampart$/m);
        },
    },
    {
        language: "typescript",
        scaffold(dir) {
            write(dir, {
                "Pulumi.yaml": pulumiYaml("pkgadd-ts", "runtime:\n  name: nodejs\n  options:\n    typescript: true\n    packagemanager: npm\n"),
                "package.json": JSON.stringify({
                    name: "pkgadd-ts",
                    main: "index.ts",
                    dependencies: { "@pulumi/pulumi": PULUMI_SDK_VERSION },
                }, null, 2) + "\n",
                "tsconfig.json": JSON.stringify({
                    compilerOptions: { strict: true, outDir: "bin", target: "es2020", module: "commonjs", moduleResolution: "node", sourceMap: true, skipLibCheck: true },
                    files: ["index.ts"],
                }, null, 2) + "\n",
                "index.ts": 'import * as pulumi from "@pulumi/pulumi";\n',
            });
        },
        program(dir) {
            copyPolicies(dir);
            write(dir, {
                "index.ts": [
                    'import * as pulumi from "@pulumi/pulumi";',
                    'import * as rampart from "@rampart-iac/pulumi-rampart";',
                    "",
                    "const config = new pulumi.Config();",
                    'const authz = new rampart.AuthorizerWithPolicyStore("docs", {',
                    '    stage: config.get("stage") ?? "pr-7",',
                    '    accountAlias: "sandpit",',
                    '    policyStore: { schemaFile: "schema.cedarschema.json", policyDir: "policies" },',
                    "});",
                    "export const policyStoreId = authz.policyStoreId;",
                    "export const authorizerFunctionArn = authz.authorizerFunctionArn;",
                    "",
                ].join("\n"),
            });
        },
        expectLinked(dir) {
            const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
            expect(manifest.dependencies["@rampart-iac/pulumi-rampart"]).toBe("file:sdks/rampart");
            expect(realpathSync(join(dir, "node_modules", "@rampart-iac", "pulumi-rampart"))).toBe(realpathSync(join(dir, "sdks", "rampart")));
            // The generated SDK ships TypeScript; its postinstall compiled the entry point node loads.
            const resolved = spawnSync(process.execPath, ["-p", 'require.resolve("@rampart-iac/pulumi-rampart")'], { cwd: dir, encoding: "utf8" });
            expect(resolved.status, resolved.stderr).toBe(0);
            expect(realpathSync(resolved.stdout.trim()).startsWith(realpathSync(join(dir, "sdks", "rampart")))).toBe(true);
        },
    },
];

describe.skipIf(!ready)("pulumi package add <this repository>, then up through the engine", () => {
    beforeAll(() => {
        // The plugin the CLI runs for the schema and the engine runs for Construct is this checkout's bin/.
        execFileSync("npm", ["run", "-s", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
    }, 5 * MINUTE);
    afterAll(() => {
        if (timings.length) console.log(`package add timings:\n  ${timings.join("\n  ")}`);
    });

    for (const spec of CASES) {
        describe(spec.language, () => {
            let ws: PulumiWorkspace;
            let dir: string;

            beforeAll(() => {
                ws = new PulumiWorkspace(`pkgadd-${spec.language}`);
                dir = join(ws.root, "app");
                mkdirSync(dir);
                spec.scaffold(dir);
                if (spec.language === "go") {
                    // What `pulumi new go` runs on install, and a build of the empty program with the
                    // flags the host uses: downloads and the cold compile of the Pulumi Go SDK.
                    const tidy = go(ws, ["mod", "tidy"], dir);
                    const build = go(ws, ["build", "-trimpath", "-ldflags", "-w -s", "-o", join(ws.root, "warm-up"), "."], dir);
                    timings.push(`go: scaffold go mod tidy ${tidy.toFixed(1)} s, warm-up build ${build.toFixed(1)} s`);
                }
            }, 15 * MINUTE);
            afterAll(() => ws?.dispose());

            it("generates the SDK into sdks/rampart, links it and records the package in Pulumi.yaml", () => {
                const add = ws.run(["package", "add", REPO_ROOT], dir, { stackless: true, timeoutSeconds: 540 });
                timings.push(`${spec.language}: pulumi package add ${add.seconds.toFixed(1)} s`);
                expect(add.stdout + add.stderr).toContain("Added package rampart");
                const project = readFileSync(join(dir, "Pulumi.yaml"), "utf8");
                expect(project).toMatch(new RegExp(`^packages:\\n\\s+rampart: ${REPO_ROOT.replace(/[/.]/g, "\\$&")}$`, "m"));
                spec.expectLinked(dir);
            }, 10 * MINUTE);

            it("deploys a program using the generated SDK, with the plugin from packages:", () => {
                spec.program(dir);
                if (spec.language === "go") timings.push(`go: go mod tidy after writing the program ${go(ws, ["mod", "tidy"], dir).toFixed(1)} s`);
                ws.run(["stack", "init", ws.stack], dir);
                ws.run(["config", "set", "aws:region", "us-east-1"], dir);
                const up = ws.run(["up", "--yes", "--skip-preview"], dir, { timeoutSeconds: 540 });
                timings.push(`${spec.language}: pulumi up ${up.seconds.toFixed(1)} s`);

                const outputs = JSON.parse(ws.run(["stack", "output", "--json"], dir).stdout);
                expect(outputs.authorizerFunctionArn).toMatch(/^arn:aws:lambda:us-east-1:\d{12}:function:docs-pr-7-authorizer$/);
                expect(outputs.policyStoreId).toMatch(/^\w+$/);
                const types = resourcesOf(JSON.parse(ws.run(["stack", "export"], dir).stdout)).map((r) => r.type);
                expect(types).toContain("rampart:index:AuthorizerWithPolicyStore");
                expect(types).toContain("pulumi:providers:rampart");
                expect(types).toContain("aws:verifiedpermissions/policyStore:PolicyStore");

                const destroy = ws.run(["destroy", "--yes", "--skip-preview"], dir);
                timings.push(`${spec.language}: pulumi destroy ${destroy.seconds.toFixed(1)} s`);
                expect(resourcesOf(JSON.parse(ws.run(["stack", "export"], dir).stdout)).filter((r) => r.custom)).toEqual([]);
            }, 10 * MINUTE);

            it("stops a program whose component rejects its arguments: the message, no trace from the host stopping it", () => {
                ws.run(["config", "set", "stage", "Bad_Stage"], dir);
                const bad = ws.run(["preview"], dir, { allowFailure: true, timeoutSeconds: 540 });
                const text = bad.stdout + bad.stderr;
                expect(bad.status).not.toBe(0);
                expect(text).toContain(VALIDATION_MESSAGE);
                expect(text.split(VALIDATION_MESSAGE).length - 1, "each problem printed once").toBe(1);
                expect(text, "the engine's per-property repeat of each problem").not.toContain("has a problem: got");
                expect(text, "colour codes").not.toContain("\u001b[");
                expect(text, "a Python KeyboardInterrupt (the program was sent SIGINT)").not.toContain("KeyboardInterrupt");
                expect(text, "a Python traceback other than the SDK's report of the monitor shutdown").toSatisfy(onlyMonitorShutdownTracebacks);
                expect(text, "a Go goroutine dump").not.toMatch(/goroutine \d+ \[/);
                expect(text, "a JavaScript stack trace").not.toMatch(/\n\s+at .*\.(js|ts):\d+:\d+/);
            }, 10 * MINUTE);
        });
    }
});
