import { describe, expect, it, onTestFinished } from "vitest";
import { setAccountOidcProviders } from "../../utils/harness";
import { assertGuardrails } from "../../utils/guardrails";
import { build, doc, resolve, skregArgs, T } from "./fixtures";

describe("CI role", () => {
    it("trusts the account's GitHub OIDC provider, looked up (none created), from the repository's branches only", async () => {
        const b = await build({ ...skregArgs(), ci: { githubRepository: "dymocaptin/skreg", branches: ["main", "release"] } }, "skreg");
        expect(b.all(T.oidc)).toHaveLength(0);
        const trust = JSON.parse(b.one(T.role, "skreg-ci-role").inputs.assumeRolePolicy).Statement[0];
        expect(trust).toEqual({
            Sid: "GitHubExactSubjects",
            Effect: "Allow",
            Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
            Action: ["sts:AssumeRoleWithWebIdentity"],
            Condition: {
                StringEquals: {
                    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                    "token.actions.githubusercontent.com:sub": ["repo:dymocaptin/skreg:ref:refs/heads/main", "repo:dymocaptin/skreg:ref:refs/heads/release"],
                },
            },
        });
        expect(await resolve(b.platform.ciRoleArn)).toBe("arn:aws:iam::123456789012:role/skreg-dev-ci-push");
        assertGuardrails(b.recorder.resources, { profile: "ephemeral" });
    });

    it("pushes to exactly this platform's repositories and may do nothing else (no ECS, no wildcard but ECR login)", async () => {
        const b = await build({ ...skregArgs(), services: [...skregArgs().services, { name: "proxy", image: "nginx:1.27" }], ci: { githubRepository: "dymocaptin/skreg" } }, "skreg");
        const policies = b.all(T.rolePolicy).filter((p) => p.inputs.role === "skreg-ci-role-id");
        expect(policies).toHaveLength(1);
        const statements = doc(policies[0]).Statement;
        expect(statements).toHaveLength(2);
        expect(statements[0]).toMatchObject({ Action: ["ecr:GetAuthorizationToken"], Resource: "*" });
        expect(statements[1].Resource).toEqual(["arn:aws:ecr:us-east-1:123456789012:repository/skreg-dev-api", "arn:aws:ecr:us-east-1:123456789012:repository/skreg-dev-worker"]);
        expect(statements.flatMap((s: any) => s.Action).some((a: string) => a.startsWith("ecs:") || a.startsWith("iam:"))).toBe(false);
    });

    it("uses the account's existing OIDC provider and exact subjects when given", async () => {
        const provider = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        const b = await build({ ...skregArgs(), ci: { githubRepository: "dymocaptin/skreg", oidcProviderArn: provider, subjects: ["repo:dymocaptin/skreg:environment:dev"] } }, "skreg");
        expect(b.all(T.oidc)).toHaveLength(0);
        const trust = JSON.parse(b.one(T.role, "skreg-ci-role").inputs.assumeRolePolicy).Statement[0];
        expect(trust.Principal.Federated).toBe(provider);
        expect(trust.Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toEqual(["repo:dymocaptin/skreg:environment:dev"]);
    });

    it("creates the account's provider only when createOidcProvider is set (in an account without one), and keeps it in AWS on delete", async () => {
        onTestFinished(setAccountOidcProviders({}));
        const b = await build({ ...skregArgs(), ci: { githubRepository: "dymocaptin/skreg", createOidcProvider: true } }, "skreg");
        const provider = b.one(T.oidc);
        expect(provider.inputs).toMatchObject({ url: "https://token.actions.githubusercontent.com", clientIdLists: ["sts.amazonaws.com"] });
        const trust = JSON.parse(b.one(T.role, "skreg-ci-role").inputs.assumeRolePolicy).Statement[0];
        expect(trust.Principal.Federated).toBe(provider.state.arn);
        expect(provider.options.retainOnDelete).toBe(true);
    });

    it("refuses createOidcProvider together with oidcProviderArn", async () => {
        const provider = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        await expect(build({ ...skregArgs(), ci: { githubRepository: "dymocaptin/skreg", oidcProviderArn: provider, createOidcProvider: true } }, "skreg")).rejects.toThrow(
            /ci\.createOidcProvider: got true; either createOidcProvider \(this stack creates the account's provider\) or oidcProviderArn/,
        );
    });

    it("creates no CI role unless asked", async () => {
        const b = await build(skregArgs(), "skreg");
        expect(b.all(T.oidc)).toHaveLength(0);
        expect(b.platform.ciRoleArn).toBeUndefined();
    });
});
