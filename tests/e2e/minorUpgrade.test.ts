/**
 * Versions AWS moves (issue 12): RDS applies an automatic minor upgrade to a ServicePlatform's database in its
 * maintenance window; after `pulumi refresh` the next preview must not plan an update or a replacement of the
 * instance, and `up` must succeed. Through the real engine against the OFFLINE STAND-IN, whose drift hook
 * (tests/standin/account.ts: autoMinorUpgrade) plays RDS, and whose Read records `engineVersion` as the Terraform
 * provider does (tests/standin/rdsVersions.ts). The last step is the control: a program that names the version the
 * instance ran before the upgrade plans the downgrade RDS refuses, and `up` fails with RDS's error.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountStore, autoMinorUpgrade } from "../standin/account";
import { planOf } from "./plan";
import { exportState, linkPackage, initFromConfigStack } from "./projects";
import { PulumiWorkspace, REPO_ROOT, toolchainReady } from "./workspace";

const PROGRAM = join(REPO_ROOT, "tests", "e2e", "programs", "from-config");
const RDS = "aws:rds/instance:Instance";
const TIMEOUT_MS = 10 * 60_000;

const ARGS = {
    stage: "dev",
    services: [{ name: "worker", cpu: 256, memory: 512, useDatabase: true }],
    database: {},
};

/** `17.7` -> `17.8`: the next minor version, what an automatic minor upgrade moves to. */
const nextMinor = (version: string) => version.replace(/\.(\d+)$/, (_, minor) => `.${Number(minor) + 1}`);

describe.skipIf(!toolchainReady())("an automatic RDS minor upgrade, refreshed", () => {
    let ws: PulumiWorkspace;
    const setArgs = (args: object) => ws.run(["config", "set", "args", JSON.stringify(args)], PROGRAM);
    const instance = () => {
        const found = exportState(ws, PROGRAM).filter((r) => r.type === RDS);
        expect(found, "one RDS instance in the stack").toHaveLength(1);
        return found[0];
    };
    const instancePlan = () => planOf(ws, PROGRAM).filter((s) => s.type === RDS);

    beforeAll(() => {
        execFileSync("bash", [join(REPO_ROOT, "tests", "standin", "build.sh")], { cwd: REPO_ROOT, stdio: "ignore" });
        execFileSync("npm", ["run", "-s", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
        linkPackage(PROGRAM);
        ws = new PulumiWorkspace("minor-upgrade");
        initFromConfigStack(ws, PROGRAM, "ServicePlatform", "skreg", ARGS);
        ws.run(["up", "--yes", "--skip-preview"], PROGRAM);
    }, TIMEOUT_MS);

    afterAll(() => {
        if (!ws) return;
        try {
            ws.run(["destroy", "--yes", "--skip-preview"], PROGRAM, { allowFailure: true });
        } finally {
            ws.dispose();
        }
    }, TIMEOUT_MS);

    let created = "";
    let upgraded = "";

    it("creates the database with a major version and automatic minor upgrades, running RDS's default minor", () => {
        const db = instance();
        expect(db.inputs).toMatchObject({ engineVersion: "17", autoMinorVersionUpgrade: true });
        created = String(db.outputs?.engineVersionActual);
        expect(created).toMatch(/^17\.\d+$/);
    });

    it("after RDS upgrades the minor version and a refresh, plans nothing for the instance and `up` succeeds", () => {
        const db = instance();
        upgraded = nextMinor(created);
        // The stack's accounts file, next to its file backend (tests/standin/account.ts: accountsFileFromEnv).
        autoMinorUpgrade(new AccountStore(join(ws.root, "state", "standin-aws-accounts.json")), db.id!, upgraded);
        ws.run(["refresh", "--yes", "--skip-preview"], PROGRAM);
        expect(instance().outputs).toMatchObject({ engineVersion: "17", engineVersionActual: upgraded });
        // `preview --json` lists only steps that do something: none for the instance (the control below shows one).
        expect(instancePlan().map((s) => `${s.op} ${s.name}`)).toEqual([]);
        ws.run(["preview", "--expect-no-changes"], PROGRAM);
        ws.run(["up", "--yes", "--skip-preview"], PROGRAM);
        expect(instance().outputs).toMatchObject({ engineVersion: "17", engineVersionActual: upgraded });
    }, TIMEOUT_MS);

    it("control: pinning the version the instance ran before the upgrade plans a downgrade, which RDS refuses", () => {
        expect(upgraded, "the upgrade step ran").not.toBe("");
        setArgs({ ...ARGS, database: { engineVersion: created } });
        try {
            expect(instancePlan().map((s) => s.op)).toEqual(["update"]);
            const result = ws.run(["up", "--yes", "--skip-preview"], PROGRAM, { allowFailure: true });
            expect(result.status).not.toBe(0);
            expect(result.stdout + result.stderr).toContain(`InvalidParameterCombination: Cannot upgrade postgres from ${upgraded} to ${created}`);
        } finally {
            setArgs(ARGS);
        }
    }, TIMEOUT_MS);
});
