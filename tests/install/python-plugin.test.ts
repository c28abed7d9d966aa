import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifacts, ensureDist, REPO_ROOT, toolsReady, UserMachine, VERSION } from "./user";

// A Python user: `pulumi plugin install resource rampart <version> --file <tarball>`, `pip install`
// of the wheel into a new virtualenv, `pulumi up` through the engine (the stand-in in place of AWS),
// outputs, a validation error, `pulumi destroy`. The plugin comes only from PULUMI_HOME: there is no
// `plugins: providers: path` in the project and automatic plugin acquisition is off.
describe.skipIf(!toolsReady())("Python SDK wheel + provider plugin tarball, through the engine", () => {
    let user: UserMachine;
    let project: string;
    const timings: Record<string, number> = {};

    // The virtualenv and the download of pulumi from PyPI happen here, outside the timed tests: with an
    // empty pip cache they are the slow part, and what is under test is their result.
    beforeAll(() => {
        ensureDist();
        user = new UserMachine("python");
        project = user.dir("app");
        const venv = user.run("python3", ["-m", "venv", "venv"], project);
        const pip = user.run(join(project, "venv", "bin", "python"), ["-m", "pip", "install", "-q", "pulumi==3.270.0", artifacts.wheel], project, { timeoutSeconds: 1200 });
        timings.pipInstall = venv.seconds + pip.seconds;
    }, 25 * 60_000);
    afterAll(() => {
        console.log(`install test (python + plugin) timings, s: ${JSON.stringify(timings)}`);
        user?.dispose();
    });

    it("installs the plugin tarball into PULUMI_HOME", () => {
        const r = user.run("pulumi", ["plugin", "install", "resource", "rampart", VERSION, "--file", artifacts.plugin()], user.root);
        timings.pluginInstall = r.seconds;
        const ls = user.run("pulumi", ["plugin", "ls", "--json"], user.root);
        const plugins = JSON.parse(ls.stdout) as { name: string; kind: string; version: string }[];
        expect(plugins).toContainEqual(expect.objectContaining({ name: "rampart", kind: "resource", version: VERSION }));
    });

    it("pip installs the wheel into a new virtualenv", () => {
        const show = user.run(join(project, "venv", "bin", "python"), ["-c", "import importlib.metadata as m, pulumi_rampart; print(m.version('pulumi_rampart'), pulumi_rampart.__file__)"], project);
        const [version, file] = show.stdout.trim().split(" ");
        expect(version).toBe(VERSION);
        expect(file.startsWith(join(project, "venv"))).toBe(true);
    }, 300_000);

    it("pulumi up deploys an AuthorizerWithPolicyStore from the installed plugin", () => {
        writeFileSync(join(project, "Pulumi.yaml"), [
            "name: install-python",
            "runtime:",
            "  name: python",
            "  options:",
            "    toolchain: pip",
            "    virtualenv: venv",
            "",
        ].join("\n"));
        writeFileSync(join(project, "__main__.py"), [
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
            "pulumi.export('tableName', authz.table_name)",
            "",
        ].join("\n"));
        cpSync(join(REPO_ROOT, "examples", "authorizer-policies", "schema.cedarschema.json"), join(project, "schema.cedarschema.json"));
        cpSync(join(REPO_ROOT, "examples", "authorizer-policies", "policies"), join(project, "policies"), { recursive: true });
        expect(readFileSync(join(project, "Pulumi.yaml"), "utf8")).not.toMatch(/plugins:/);

        user.run("pulumi", ["stack", "init", "dev", "--non-interactive"], project);
        const up = user.run("pulumi", ["up", "--yes", "--non-interactive", "--skip-preview"], project);
        timings.up = up.seconds;
        const outputs = JSON.parse(user.run("pulumi", ["stack", "output", "--json"], project).stdout);
        expect(outputs.authorizerFunctionArn).toMatch(/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:docs-pr-7-authorizer$/);
        expect(outputs.policyStoreId).toMatch(/^\w+$/);
        expect(typeof outputs.tableName).toBe("string");

        // The rampart plugin that served the components is the installed one.
        const state = JSON.parse(user.run("pulumi", ["stack", "export"], project).stdout);
        const types: string[] = state.deployment.resources.map((r: { type: string }) => r.type);
        expect(types).toContain("rampart:index:AuthorizerWithPolicyStore");
        expect(types).toContain("aws:verifiedpermissions/policyStore:PolicyStore");
        expect(types).toContain("aws:lambda/function:Function");
        expect(types).toContain("pulumi:providers:rampart");
    }, 300_000);

    it("reports invalid arguments from the installed plugin", () => {
        user.run("pulumi", ["config", "set", "stage", "Not_Valid"], project);
        const bad = user.run("pulumi", ["preview", "--non-interactive"], project, { allowFailure: true });
        expect(bad.status).not.toBe(0);
        expect(bad.stdout + bad.stderr).toMatch(/AuthorizerWithPolicyStore "docs": stage: got "Not_Valid"/);
        user.run("pulumi", ["config", "rm", "stage"], project);
    }, 300_000);

    it("pulumi destroy removes everything", () => {
        const destroy = user.run("pulumi", ["destroy", "--yes", "--non-interactive", "--skip-preview"], project);
        timings.destroy = destroy.seconds;
        const state = JSON.parse(user.run("pulumi", ["stack", "export"], project).stdout);
        expect(state.deployment.resources ?? []).toEqual([]);
    }, 300_000);
});
