/**
 * Resource options given to a component reach its children through the real engine (issue 12,
 * item 5): with `retainOnDelete: true` on an ephemeral ServicePlatform, `pulumi destroy` empties
 * the stack and every AWS child is still in the OFFLINE STAND-IN's simulated account (nothing was
 * deleted: before the fix the database, the bucket and the ECR repository were); with
 * `protect: true`, `pulumi destroy` is refused and nothing is deleted.
 *
 * Both ways a component is built: in the program's own process (TypeScript/JavaScript library,
 * `tests/e2e/programs/from-config`), and through the rampart plugin (a Pulumi YAML program: the
 * engine sends the options in the Construct request).
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountStore, accountsFileFromEnv } from "../standin/account";
import { exportState, linkPackage, writeYamlProgram } from "./projects";
import { descendantsOf, StateResource } from "./state";
import { PulumiWorkspace, REPO_ROOT, toolchainReady } from "./workspace";

const ready = toolchainReady();
const TIMEOUT_MS = 15 * 60_000;
const FROM_CONFIG = join(REPO_ROOT, "tests", "e2e", "programs", "from-config");
const PLATFORM = "rampart:index:ServicePlatform";

/** An ephemeral platform with every kind of data store the issue saw deleted: database, bucket, ECR repository. */
const ARGS = {
    stage: "opts",
    services: [{ name: "api", public: true, useDatabase: true }],
    database: {},
    storage: {},
};

/** A YAML project building the platform through the plugin, with these resource options. */
function yamlProject(ws: PulumiWorkspace, label: string, options: string): string {
    return writeYamlProgram(join(ws.root, label), { name: `options-${label}`, resources: { platform: { type: PLATFORM, properties: ARGS, options } } });
}

function awsChildren(resources: StateResource[]): StateResource[] {
    const component = resources.find((r) => r.type === PLATFORM)!;
    expect(component, "the component is in the state").toBeDefined();
    return descendantsOf(resources, component.urn).filter((r) => r.custom);
}

/** `up`, then `destroy`: the stack ends empty and the simulated account still has every child. */
function destroyKeepsEveryChild(ws: PulumiWorkspace, dir: string): void {
    ws.run(["up", "--yes", "--skip-preview"], dir);
    const children = awsChildren(exportState(ws, dir));
    // Every custom child is an AWS resource, so the simulated account can account for each one.
    expect(children.filter((r) => !r.type.startsWith("aws:")).map((r) => r.type)).toEqual([]);
    const kinds = new Set(children.map((r) => r.type));
    for (const kind of ["aws:rds/instance:Instance", "aws:s3/bucket:Bucket", "aws:ecr/repository:Repository"]) expect(kinds, kind).toContain(kind);
    expect(children.length).toBeGreaterThan(30);

    ws.run(["destroy", "--yes", "--skip-preview"], dir);
    expect(exportState(ws, dir).filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")), "destroy emptied the stack").toEqual([]);

    const account = new AccountStore(accountsFileFromEnv(ws.env)).read();
    const live = new Set(Object.values(account.resources).map((r) => r.urn));
    const gone = children.filter((r) => !live.has(r.urn)).map((r) => `${r.type} ${r.urn.split("::").pop()}`);
    expect(gone, "children deleted from the simulated account").toEqual([]);
    expect(account.deleted, "the provider deleted nothing").toEqual([]);
}

describe.skipIf(!ready)("resource options on a component reach its children (real engine)", () => {
    const workspaces: [PulumiWorkspace, string][] = [];
    const workspace = (label: string) => new PulumiWorkspace(`options-${label}`);

    beforeAll(() => {
        execFileSync("npm", ["run", "-s", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
        linkPackage(FROM_CONFIG);
    }, TIMEOUT_MS);

    afterAll(() => {
        for (const [ws, dir] of workspaces) {
            try {
                ws.run(["state", "unprotect", "--all", "--yes"], dir, { allowFailure: true });
                ws.run(["destroy", "--yes", "--skip-preview"], dir, { allowFailure: true });
            } finally {
                ws.dispose();
            }
        }
    }, TIMEOUT_MS);

    it("in-process component, retainOnDelete: true: destroy deletes no child", () => {
        const ws = workspace("node-retain");
        workspaces.push([ws, FROM_CONFIG]);
        ws.run(["stack", "init", ws.stack], FROM_CONFIG);
        ws.run(["config", "set", "component", "ServicePlatform"], FROM_CONFIG);
        ws.run(["config", "set", "name", "keep"], FROM_CONFIG);
        ws.run(["config", "set", "args", JSON.stringify(ARGS)], FROM_CONFIG);
        ws.run(["config", "set", "opts", JSON.stringify({ retainOnDelete: true })], FROM_CONFIG);
        destroyKeepsEveryChild(ws, FROM_CONFIG);
    }, TIMEOUT_MS);

    it("component built by the plugin (YAML), retainOnDelete: true: destroy deletes no child", () => {
        const ws = workspace("yaml-retain");
        const dir = yamlProject(ws, "retain", "retainOnDelete: true");
        workspaces.push([ws, dir]);
        ws.run(["stack", "init", ws.stack], dir);
        destroyKeepsEveryChild(ws, dir);
    }, TIMEOUT_MS);

    it("component built by the plugin (YAML), protect: true: destroy is refused and deletes nothing", () => {
        const ws = workspace("yaml-protect");
        const dir = yamlProject(ws, "protect", "protect: true");
        workspaces.push([ws, dir]);
        ws.run(["stack", "init", ws.stack], dir);
        ws.run(["up", "--yes", "--skip-preview"], dir);
        const before = exportState(ws, dir);
        const children = awsChildren(before);
        const unprotected = children.filter((r) => !(r as StateResource & { protect?: boolean }).protect).map((r) => r.urn.split("::").pop());
        expect(unprotected, "children without protect in the state").toEqual([]);

        const refused = ws.run(["destroy", "--yes", "--skip-preview"], dir, { allowFailure: true });
        expect(refused.status, "destroy of a protected component fails").not.toBe(0);
        expect(refused.stdout + refused.stderr).toMatch(/protected/i);
        const after = new Set(exportState(ws, dir).map((r) => r.urn));
        expect(children.filter((r) => !after.has(r.urn)).map((r) => r.urn.split("::").pop()), "children that left the state").toEqual([]);
        const account = new AccountStore(accountsFileFromEnv(ws.env)).read();
        expect(account.deleted, "the provider deleted nothing").toEqual([]);
    }, TIMEOUT_MS);
});
