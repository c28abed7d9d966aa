import { describe, expect, it } from "vitest";
import { oidcProviderProblem } from "../../../provider/src/shared/oidcProvider";

describe("the account's OIDC provider", () => {
    const github = { issuerHost: "token.actions.githubusercontent.com", audience: "sts.amazonaws.com" };
    const arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

    it("is usable when its client ids include the audience the roles require", () => {
        expect(oidcProviderProblem(github, { arn, clientIdLists: ["sigstore", "sts.amazonaws.com"] })).toBeUndefined();
    });

    it("is refused, naming what it lists, when the audience is missing", () => {
        expect(oidcProviderProblem(github, { arn, clientIdLists: ["sigstore"] })).toBe(
            `the account's OIDC provider ${arn} for https://token.actions.githubusercontent.com does not list the client id (audience) "sts.amazonaws.com" (it lists "sigstore"); add "sts.amazonaws.com" to its client ids in the stack that manages it (IAM AddClientIDToOpenIDConnectProvider)`,
        );
        expect(oidcProviderProblem({ issuerHost: "api.pulumi.com/oidc", audience: "acme" }, { arn, clientIdLists: [] })).toMatch(/does not list the client id \(audience\) "acme" \(it lists none\)/);
    });
});
