/**
 * The account's GitHub OIDC provider, through the real engine against the OFFLINE STAND-IN: IAM
 * keeps one provider per issuer URL per account, so rampart looks it up and creates it only when a
 * stack asks (`createProvider`). In a brand-new account the first preview fails with one error that
 * names both arguments; the bootstrap stack creates the provider; every later stage finds it; a
 * second stack that also asks to create it meets AWS's EntityAlreadyExists.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountStore, accountsFileFromEnv } from "../standin/account";
import { linkPackage } from "./projects";
import { PulumiWorkspace, REPO_ROOT, toolchainReady } from "./workspace";

const PROGRAM = join(REPO_ROOT, "tests", "e2e", "programs", "from-config");
const TIMEOUT_MS = 10 * 60_000;
const GITHUB_PROVIDER_TYPE = "aws:iam/openIdConnectProvider:OpenIdConnectProvider";

function identityArgs(stage: string, createProvider?: boolean) {
    return {
        stage,
        githubOidc: {
            ...(createProvider === undefined ? {} : { createProvider }),
            roles: [{ name: "deploy", repository: "example-org/app", branches: ["main"] }],
        },
    };
}

describe.skipIf(!toolchainReady())("the account's GitHub OIDC provider", () => {
    const stacks: PulumiWorkspace[] = [];
    let bootstrap: PulumiWorkspace;

    /** A stack of the from-config program in the bootstrap stack's account. */
    function stack(label: string, args: object): PulumiWorkspace {
        const ws = stacks.length
            ? new PulumiWorkspace(label, { PULUMI_BACKEND_URL: stacks[0].env.PULUMI_BACKEND_URL }, { account: "fresh" })
            : new PulumiWorkspace(label, {}, { account: "fresh" });
        stacks.push(ws);
        ws.run(["stack", "init", ws.stack], PROGRAM);
        ws.run(["config", "set", "component", "ZeroTrustIdentity"], PROGRAM);
        ws.run(["config", "set", "name", "ident"], PROGRAM);
        ws.run(["config", "set", "args", JSON.stringify(args)], PROGRAM);
        return ws;
    }
    const providersInAccount = () =>
        Object.values(new AccountStore(accountsFileFromEnv(stacks[0].env)!).read().resources).filter((r) => r.type === GITHUB_PROVIDER_TYPE);

    beforeAll(() => {
        execFileSync("npm", ["run", "-s", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
        linkPackage(PROGRAM);
    }, TIMEOUT_MS);

    afterAll(() => {
        for (const ws of [...stacks].reverse()) {
            ws.run(["destroy", "--yes", "--skip-preview"], PROGRAM, { allowFailure: true });
            ws.dispose();
        }
    }, TIMEOUT_MS);

    it("a brand-new account: preview fails with one error naming providerArn and createProvider, and nothing is created", () => {
        bootstrap = stack("oidc-bootstrap", identityArgs("prod"));
        const preview = bootstrap.run(["preview"], PROGRAM, { allowFailure: true });
        const text = preview.stdout + preview.stderr;
        expect(preview.status).not.toBe(0);
        expect(text).toContain('ZeroTrustIdentity "ident": githubOidc.providerArn: nothing was given, and the account has no OIDC provider for https://token.actions.githubusercontent.com');
        expect(text).toContain("set githubOidc.createProvider: true in one long-lived stack");
        expect(providersInAccount()).toEqual([]);
    }, TIMEOUT_MS);

    it("the bootstrap stack creates it with createProvider; pr-1 and pr-2 then find it and trust exactly it", () => {
        bootstrap.run(["config", "set", "args", JSON.stringify(identityArgs("prod", true))], PROGRAM);
        bootstrap.run(["up", "--yes", "--skip-preview"], PROGRAM);
        const [provider] = providersInAccount();
        expect(providersInAccount()).toHaveLength(1);

        for (const stage of ["pr-1", "pr-2"]) {
            const ws = stack(`oidc-${stage}`, identityArgs(stage));
            ws.run(["up", "--yes", "--skip-preview"], PROGRAM);
            const state = JSON.parse(ws.run(["stack", "export"], PROGRAM).stdout);
            const roles = state.deployment.resources.filter((r: any) => r.type === "aws:iam/role:Role" && String(r.urn).endsWith("::ident-github-deploy"));
            expect(roles).toHaveLength(1);
            const trust = JSON.parse(roles[0].outputs.assumeRolePolicy);
            expect(trust.Statement.map((s: any) => s.Principal.Federated)).toEqual([provider.facts.arn]);
            expect(state.deployment.resources.filter((r: any) => r.type === GITHUB_PROVIDER_TYPE)).toEqual([]);
        }
        expect(providersInAccount()).toHaveLength(1);
    }, TIMEOUT_MS);

    it("the stack that created it stops managing it (createProvider removed): the provider stays in the account for every stage", () => {
        bootstrap.run(["config", "set", "args", JSON.stringify(identityArgs("prod"))], PROGRAM);
        const up = bootstrap.run(["up", "--yes", "--skip-preview"], PROGRAM);
        expect(up.stdout).toMatch(/delete\[retain\]|deleted \(retained\)|- 1 deleted|1 deleted/);
        expect(providersInAccount()).toHaveLength(1);
    }, TIMEOUT_MS);

    it("a second stack that also asks to create it is refused at preview, and meets AWS's one-provider-per-URL rule at up", () => {
        const second = stack("oidc-second-creator", identityArgs("other", true));
        const preview = second.run(["preview"], PROGRAM, { allowFailure: true });
        expect(preview.status).not.toBe(0);
        expect(preview.stdout + preview.stderr).toContain(
            `ZeroTrustIdentity "ident": githubOidc.createProvider: true, but the account already has an OIDC provider for https://token.actions.githubusercontent.com (${providersInAccount()[0].facts.arn})`,
        );
        const up = second.run(["up", "--yes", "--skip-preview"], PROGRAM, { allowFailure: true });
        expect(up.status).not.toBe(0);
        expect(up.stdout + up.stderr).toMatch(/EntityAlreadyExists: Provider with url https:\/\/token\.actions\.githubusercontent\.com already exists/);
    }, TIMEOUT_MS);
});
