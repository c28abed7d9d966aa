import { describe, expect, it } from "vitest";
import { AuthorizerWithPolicyStoreArgs, TokenSource } from "../../../provider/src/authorizerWithPolicyStore/args";
import { validateAuthorizerArgs } from "../../../provider/src/authorizerWithPolicyStore/validate";
import { Profile } from "../../../provider/src/shared/profile";

const base: AuthorizerWithPolicyStoreArgs = { stage: "pr-12", accountAlias: "sandpit", policyStore: { schema: "{}" } };

function problems(args: AuthorizerWithPolicyStoreArgs, region?: string): string[] {
    try {
        validateAuthorizerArgs("auth", args, { region });
        return [];
    } catch (e) {
        return (e as Error).message
            .split("\n")
            .slice(1)
            .map((l) => l.trim().replace(/^AuthorizerWithPolicyStore "auth": /, ""));
    }
}

describe("AuthorizerWithPolicyStore validation", () => {
    it("accepts the ephemeral defaults", () => {
        expect(problems(base, "us-east-1")).toEqual([]);
    });

    it("rejects a bad stage and a bad account alias together", () => {
        expect(problems({ ...base, stage: "PR 12", accountAlias: "a-very-long-account-alias" })).toEqual([
            'stage: got "PR 12"; lowercase letters, digits and hyphens, 1-32 characters (^[a-z0-9-]{1,32}$)',
            'accountAlias: got "a-very-long-account-alias"; lowercase letters, digits and hyphens, 1-20 characters (^[a-z0-9-]{1,20}$)',
        ]);
    });

    it("rejects a malformed SES ARN and one from another region", () => {
        const ses = { fromEmail: "no-reply@example.com" };
        expect(problems({ ...base, cognito: { sesConfig: { ...ses, sourceArn: "arn:aws:sns:us-east-1:123456789012:topic" } } })[0]).toMatch(
            /^cognito\.sesConfig\.sourceArn: got "arn:aws:sns:.*"; an SES identity ARN/,
        );
        expect(problems({ ...base, cognito: { sesConfig: { ...ses, sourceArn: "arn:aws:ses:eu-west-1:123456789012:identity/example.com" } } }, "us-east-1")).toEqual([
            'cognito.sesConfig.sourceArn: got "arn:aws:ses:eu-west-1:123456789012:identity/example.com"; an SES identity in the stack\'s region us-east-1 (Cognito sends only through SES in its own region)',
        ]);
    });

    it("rejects invalid domain prefixes", () => {
        expect(problems({ ...base, cognito: { domainPrefix: "-bad-" } })[0]).toMatch(/^cognito\.domainPrefix: got "-bad-"; lowercase letters, digits and hyphens/);
        expect(problems({ ...base, cognito: { domainPrefix: "my-cognito-app" } })[0]).toMatch(/refuses prefixes containing aws, amazon or cognito/);
    });

    it("rejects reserved concurrency below provisioned", () => {
        expect(problems({ ...base, authorizer: { provisionedConcurrency: 2 } })).toEqual([
            "authorizer.reservedConcurrency: got 1; at least authorizer.provisionedConcurrency (2)",
        ]);
    });

    it("rejects identity-source mode without Cognito (production default)", () => {
        expect(problems({ ...base, profile: Profile.Production })[0]).toMatch(/^authorizer\.tokenSource: got "identitySource"; identitySource needs the Cognito identity source/);
        expect(problems({ ...base, profile: Profile.Production, authorizer: { tokenSource: TokenSource.JwtSecret } })).toEqual([]);
    });

    it("requires a schema in strict mode and unique policy ids", () => {
        expect(problems({ ...base, policyStore: {} })[0]).toMatch(/^policyStore\.schema: nothing was given; strict validation needs a Cedar schema/);
        const out = problems({ ...base, policyStore: { schema: "{}", policies: [{ id: "p", statement: "permit(principal, action, resource);" }, { id: "p", statement: "x" }] } });
        expect(out).toEqual(['policyStore.policies[1]: got "p"; each policy id must be unique; policyStore.policies[0] already uses it']);
    });
});
