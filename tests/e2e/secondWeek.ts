/**
 * The second-week suites (secondWeek.*.test.ts). Second week: the changes teams make after launch, each applied with `up` to a running stack of
 * each component, through the real engine against the stricter OFFLINE STAND-IN for AWS. Every
 * `up` must succeed and its plan must not replace or delete a stateful or identity resource
 * (database, bucket, table, secret, ECR repository, KMS key, root CA key or certificate, user
 * pool, policy store, log group) that the change does not ask for.
 *
 * A step whose `up` fails is reverted (the team backs the change out), so later steps start from
 * the last good arguments.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountStore, accountsFileFromEnv, pushImages } from "../standin/account";
import { changed, planOf, statefulLosses } from "./plan";
import { linkPackage } from "./projects";
import { PulumiWorkspace, REPO_ROOT, toolchainReady } from "./workspace";

const ready = toolchainReady();
const PROGRAM = join(REPO_ROOT, "tests", "e2e", "programs", "from-config");
const STEP_TIMEOUT_MS = 10 * 60_000;

export type Args = Record<string, any>;

export interface Change {
    name: string;
    apply(args: Args): void;
    /** Logical names of stateful resources this change legitimately replaces or deletes. */
    asksFor?: RegExp[];
    /** The change must replace nothing at all (a tags-only change). */
    replacesNothing?: boolean;
    /** The component refuses this change with this error (it would lose data unasked); the stack stays as it was. */
    refusedBecause?: RegExp;
}

export function secondWeek(component: string, name: string, base: Args, changes: Change[]): void {
    describe.skipIf(!ready)(`second week of a ${component}`, () => {
        let ws: PulumiWorkspace;
        let good: Args = structuredClone(base);
        const setArgs = (args: Args) => ws.run(["config", "set", "args", JSON.stringify(args)], PROGRAM);

        beforeAll(() => {
            execFileSync("npm", ["run", "-s", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
            linkPackage(PROGRAM);
            ws = new PulumiWorkspace(`second-week-${name}`);
            ws.run(["stack", "init", ws.stack], PROGRAM);
            ws.run(["config", "set", "component", component], PROGRAM);
            ws.run(["config", "set", "name", name], PROGRAM);
            setArgs(good);
            ws.run(["up", "--yes", "--skip-preview"], PROGRAM);
            pushToEveryRepository();
        }, STEP_TIMEOUT_MS);

        /** What CI does after an `up` that creates repositories: push an image to each (an empty repository loses nothing). */
        const pushToEveryRepository = () => {
            const store = new AccountStore(accountsFileFromEnv(ws.env)!);
            const repositories = Object.values(store.read().resources).filter((r) => r.type === "aws:ecr/repository:Repository");
            for (const repository of repositories) pushImages(store, repository.id, ["sha-0a1b2c3"]);
        };

        afterAll(() => {
            if (!ws) return;
            try {
                setArgs({ ...good, retainOnDelete: false, deletionProtection: false, protectDataStores: false, profile: "ephemeral" });
                // A production step leaves its data stores protected in the state until an `up` without protection.
                ws.run(["state", "unprotect", "--all", "--yes"], PROGRAM, { allowFailure: true });
                ws.run(["destroy", "--yes", "--skip-preview"], PROGRAM, { allowFailure: true });
            } finally {
                ws.dispose();
            }
        }, STEP_TIMEOUT_MS);

        for (const change of changes) {
            const title = `${change.name}: up succeeds, no stateful resource lost unasked`;
            const step = () => {
                const next = structuredClone(good);
                change.apply(next);
                setArgs(next);
                try {
                    const plan = planOf(ws, PROGRAM);
                    expect(changed(plan).length, "the change changes something").toBeGreaterThan(0);
                    ws.run(["up", "--yes", "--skip-preview"], PROGRAM);
                    good = next;
                    pushToEveryRepository();
                    const losses = statefulLosses(plan, change.asksFor);
                    expect(losses, `stateful or identity resources lost: ${losses.join("; ")}`).toEqual([]);
                    const notUpdates = changed(plan).filter((c) => !c.startsWith("update "));
                    if (change.replacesNothing) expect(notUpdates, `a tags-only change that does more than update: ${notUpdates.join("; ")}`).toEqual([]);
                } finally {
                    if (good !== next) {
                        // The team backs the change out: what a failed `up` left half-done is undone.
                        setArgs(good);
                        ws.run(["up", "--yes", "--skip-preview"], PROGRAM, { allowFailure: true });
                    }
                }
            };
            if (change.refusedBecause) {
                const reason = change.refusedBecause;
                const attempt = (command: string[]) => () => {
                    const next = structuredClone(good);
                    change.apply(next);
                    setArgs(next);
                    try {
                        const result = ws.run(command, PROGRAM, { allowFailure: true });
                        expect(result.status, `pulumi ${command[0]} of a change that would lose data fails`).not.toBe(0);
                        expect(result.stdout + result.stderr).toMatch(reason);
                    } finally {
                        setArgs(good);
                    }
                    ws.run(["preview", "--expect-no-changes"], PROGRAM);
                };
                const refusals: [string, string[]][] = [
                    [`${change.name}: refused at preview with one clear error, the stack unchanged`, ["preview"]],
                    [`${change.name}: refused by up with one clear error, nothing replaced, the stack unchanged`, ["up", "--yes", "--skip-preview"]],
                ];
                for (const [title, command] of refusals) it(title, attempt(command), STEP_TIMEOUT_MS);
                continue;
            }
            it(title, step, STEP_TIMEOUT_MS);
        }

        it("ends with a stack whose next preview changes nothing", () => {
            ws.run(["preview", "--expect-no-changes"], PROGRAM);
        }, STEP_TIMEOUT_MS);
    });
}
