import { describe, expect, it } from "vitest";
import { AuthorizerWithPolicyStoreArgs, TokenSource, ValidationMode } from "../../../provider/src/authorizerWithPolicyStore/args";
import { validateAuthorizerArgs } from "../../../provider/src/authorizerWithPolicyStore/validate";
import { Profile } from "../../../provider/src/shared/profile";
import { ComponentValidationError } from "../../../provider/src/shared/validation";
import { ALLOW_ALL_GET, APP_SCHEMA, EXAMPLE_DIR } from "./fixtures";

const base: AuthorizerWithPolicyStoreArgs = { stage: "pr-12", accountAlias: "sandpit", policyStore: { schema: APP_SCHEMA } };
const JWT = { tokenSource: TokenSource.JwtSecret, jwtIssuer: "https://auth.example.com", jwtAudience: "docs-api" };

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
            'stage: got "PR 12"; lowercase letters, digits and single hyphens, starting and ending with a letter or digit, 1-32 characters (^[a-z0-9]+(-[a-z0-9]+)*$)',
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

    it("rejects reserved concurrency below provisioned, but not no reservation at all", () => {
        expect(problems({ ...base, authorizer: { provisionedConcurrency: 2 } })).toEqual([
            "authorizer.reservedConcurrency: got 1; 0 (no reservation) or at least authorizer.provisionedConcurrency (2)",
        ]);
        expect(problems({ ...base, authorizer: { provisionedConcurrency: 2, reservedConcurrency: 0 } })).toEqual([]);
        expect(problems({ ...base, profile: Profile.Production, authorizer: { ...JWT, provisionedConcurrency: 2 } })).toEqual([]);
    });

    it("accepts only CloudWatch Logs' retention periods, naming them and the source", () => {
        for (const days of [1, 7, 14, 90, 365, 1096, 3653]) expect(problems({ ...base, authorizer: { logRetentionDays: days } }), String(days)).toEqual([]);
        for (const days of [0, 2, 10, 100, 3650, 7.5]) {
            expect(problems({ ...base, authorizer: { logRetentionDays: days } })).toEqual([
                `authorizer.logRetentionDays: got ${days}; a CloudWatch Logs retention in days, one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html)`,
            ]);
        }
    });

    it("requires the expected issuer and audience of HS256 tokens, and refuses them in Cognito mode", () => {
        expect(problems({ ...base, authorizer: { tokenSource: TokenSource.JwtSecret } })).toEqual([
            "authorizer.jwtIssuer: nothing was given; the issuer (`iss`) HS256 tokens must carry, for example https://auth.example.com: required with tokenSource jwtSecret, so tokens from another issuer or for another API sharing the secret are rejected",
            "authorizer.jwtAudience: nothing was given; the audience (`aud`) HS256 tokens must name, for example docs-api: required with tokenSource jwtSecret, so tokens from another issuer or for another API sharing the secret are rejected",
        ]);
        expect(problems({ ...base, authorizer: { ...JWT, jwtAudience: "docs api" } })).toEqual(['authorizer.jwtAudience: got "docs api"; 1-256 characters without spaces (^\\S{1,256}$)']);
        expect(problems({ ...base, authorizer: { jwtIssuer: "https://auth.example.com" } })).toEqual([
            'authorizer.jwtIssuer: got "https://auth.example.com"; only used with tokenSource jwtSecret (Cognito tokens are checked against the user pool and its app clients); remove it',
        ]);
        expect(problems({ ...base, authorizer: JWT })).toEqual([]);
    });

    it("accepts one API's execution ARN and refuses wildcards, suffixes and other services", () => {
        expect(problems({ ...base, authorizer: { apiExecutionArn: "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5" } })).toEqual([]);
        for (const arn of [
            "arn:aws:execute-api:us-east-1:123456789012:*",
            "arn:aws:execute-api:*:123456789012:a1b2c3d4e5",
            "arn:aws:execute-api:us-east-1:*:a1b2c3d4e5",
            "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*/GET/documents",
            "arn:aws:lambda:us-east-1:123456789012:function:x",
        ]) {
            expect(problems({ ...base, authorizer: { apiExecutionArn: arn } }), arn).toEqual([
                `authorizer.apiExecutionArn: got ${JSON.stringify(arn)}; the execution ARN of one API Gateway API, arn:<partition>:execute-api:<region>:<12-digit account>:<10-character api id>, without wildcards or a stage/method suffix (the RestApi's or Api's executionArn)`,
            ]);
        }
    });

    it("checks app client names", () => {
        expect(problems({ ...base, cognito: { appClients: ["web", "mobile app", "web", "bad/name"] } })).toEqual([
            'cognito.appClients[2]: got "web"; each app client name must be unique; cognito.appClients[0] already uses it',
            'cognito.appClients[3]: got "bad/name"; an app client name: 1-128 letters, digits, spaces and +=,.@-_ (^[\\w\\s+=,.@-]{1,128}$)',
        ]);
        expect(problems({ ...base, cognito: { appClients: Array.from({ length: 21 }, (_, i) => `c${i}`) } })).toEqual(["cognito.appClients: got 21; at most 20 app clients"]);
    });

    it("rejects identity-source mode without Cognito (production default)", () => {
        expect(problems({ ...base, profile: Profile.Production })[0]).toMatch(/^authorizer\.tokenSource: got "identitySource"; identitySource needs the Cognito identity source/);
        expect(problems({ ...base, profile: Profile.Production, authorizer: JWT })).toEqual([]);
    });

    it("requires a schema in strict mode and unique policy ids", () => {
        expect(problems({ ...base, policyStore: {} })[0]).toMatch(/^policyStore\.schema: nothing was given; strict validation needs a Cedar schema/);
        const out = problems({ ...base, policyStore: { schema: APP_SCHEMA, policies: [{ id: "p", statement: "permit(principal, action, resource);" }, { id: "p", statement: "x" }] } });
        expect(out).toEqual(['policyStore.policies[1]: got "p"; each policy id must be unique; policyStore.policies[0] already uses it']);
    });

    it("reports Cedar problems in the same single error as the other argument problems", () => {
        const args: AuthorizerWithPolicyStoreArgs = {
            ...base,
            stage: "Bad Stage",
            policyStore: {
                schema: APP_SCHEMA,
                policies: [
                    { id: "readers", statement: ALLOW_ALL_GET },
                    { id: "writers", statement: ALLOW_ALL_GET },
                    { id: "admins", statement: 'permit(principal, action == App::Action::"PATCH /items", resource);' },
                ],
            },
        };
        let error: ComponentValidationError | undefined;
        try {
            validateAuthorizerArgs("auth", args);
        } catch (e) {
            error = e as ComponentValidationError;
        }
        expect(error).toBeInstanceOf(ComponentValidationError);
        expect(error!.problems.map((p) => p.path)).toEqual(["stage", 'policyStore.policies[2] (id "admins")']);
        expect(error!.message).toContain(
            'AuthorizerWithPolicyStore "auth": policyStore.policies[2] (id "admins"): Cedar: for policy `admins`, unrecognized action `App::Action::"PATCH /items"`',
        );
        expect(error!.message).toMatch(/; a policy that validates against the schema \(validationMode strict\)$/m);
    });

    it("reports a bad schema, a reserved namespace and missing files", () => {
        expect(problems({ ...base, policyStore: { schema: "{not json" } })[0]).toMatch(/^policyStore\.schema: not valid JSON: .*; a Cedar schema in JSON format$/);
        expect(problems({ ...base, policyStore: { schema: JSON.stringify({ aws: { entityTypes: {}, actions: {} } }) } })[0]).toBe(
            'policyStore.schema: namespace "aws" uses the reserved name "aws"; a namespace other than aws, amazon, cedar',
        );
        expect(problems({ ...base, policyStore: { schemaFile: "missing.json" } }, undefined)[0]).toMatch(/^policyStore\.schemaFile: no file at .*missing\.json; a Cedar JSON schema file/);
    });

    it("reads schemaFile and policyDir relative to the program directory", () => {
        const args = { ...base, policyStore: { schemaFile: "schema.cedarschema.json", policyDir: "policies" } };
        const result = validateAuthorizerArgs("auth", args, { cwd: EXAMPLE_DIR });
        expect(result.cedar.namespace).toBe("DocsApi");
        expect(result.cedar.policies).toHaveLength(4);
        expect(result.groupType).toBe("DocsApi::UserGroup");
        expect(result.settings.principalType).toBe("DocsApi::User");
        expect(result.settings.authorizer.mapping).toEqual({ actionType: "DocsApi::Action", actionIdTemplate: "{method} {route}", resourceType: "DocsApi::Resource", resourceIdTemplate: "{path}" });
    });

    it("requires the entity types the authorizer sends to exist in a strict schema", () => {
        const noUser = JSON.stringify({ App: { entityTypes: { Thing: {} }, actions: {} } });
        expect(problems({ ...base, policyStore: { schema: noUser } })).toEqual([
            'policyStore.schema: the schema declares no entity type "App::User"; the authorizer sends principals (users) as App::User: declare it in namespace "App"',
            'policyStore.schema: the schema declares no entity type "App::Resource"; the authorizer sends resources (authorizer.actionMapping.resourceType) as App::Resource: declare it in namespace "App"',
            'policyStore.schema: the schema declares no entity type "App::UserGroup"; the authorizer sends user groups as App::UserGroup: declare it in namespace "App"',
        ]);
        expect(problems({ ...base, policyStore: { schema: noUser, validationMode: ValidationMode.Off } })).toEqual([]);
    });

    it("checks the JWT secret without showing it", () => {
        const short = "0123456789";
        const out = problems({ ...base, authorizer: { ...JWT, jwtSecret: short } });
        expect(out).toEqual([
            "authorizer.jwtSecret: a secret of too few characters (value not shown); an HS256 secret of at least 32 characters, or leave it out to have one generated and kept in Secrets Manager",
        ]);
        expect(out.join()).not.toContain(short);
        expect(problems({ ...base, authorizer: { ...JWT, jwtSecret: "" } })[0]).toMatch(/^authorizer\.jwtSecret: a secret of no characters/);
        expect(problems({ ...base, authorizer: { jwtSecret: "x".repeat(40) } })[0]).toMatch(/^authorizer\.jwtSecret: a secret was given \(value not shown\); a JWT secret is only used with tokenSource jwtSecret/);
        expect(problems({ ...base, authorizer: JWT })).toEqual([]);
    });

    it("checks the derived domain prefix and the action mapping", () => {
        expect(problems({ ...base }).length).toBe(0);
        const derived = problems({ ...base, stage: "cognito" });
        expect(derived).toEqual([
            'cognito.domainPrefix: derived "auth-cognito-sandpit"; the prefix derived from the name, stage and account alias is not accepted by Cognito (no aws, amazon or cognito); give cognito.domainPrefix',
        ]);
        expect(problems({ ...base, stage: "cognito", cognito: { domainPrefix: "my-app-login" } })).toEqual([]);
        const mapping = problems({ ...base, authorizer: { actionMapping: { actionType: "App::Verb", actionIdTemplate: "static", resourceType: "App Resource" } } });
        expect(mapping).toEqual([
            'authorizer.actionMapping.actionType: got "App::Verb"; a Cedar action type: <Namespace>::Action (^([_a-zA-Z][_a-zA-Z0-9]*::)*Action$)',
            'authorizer.actionMapping.resourceType: got "App Resource"; a Cedar entity type, for example MyApi::Resource (^([_a-zA-Z][_a-zA-Z0-9]*::)*[_a-zA-Z][_a-zA-Z0-9]*$)',
            'authorizer.actionMapping.actionIdTemplate: got "static"; a template using at least one of {method}, {path}, {route}, {stage}, {apiId}',
        ]);
    });

    it("fills defaults by profile", () => {
        const eph = validateAuthorizerArgs("auth", base).settings;
        expect(eph).toMatchObject({
            retainOnDelete: false,
            deletionProtection: false,
            cognito: { enabled: true, signInAliases: ["email"], mfa: "optional", domainPrefix: "auth-pr-12-sandpit", groups: [], appClients: [], allowUserPoolReplacement: false },
            authorizer: { tokenSource: "identitySource", memorySize: 128, reservedConcurrency: 1, provisionedConcurrency: 0, timeoutSeconds: 5, logRetentionDays: 7, architecture: "arm64", cacheTtlSeconds: 300 },
            table: { streams: false, pointInTimeRecovery: false },
        });
        const prod = validateAuthorizerArgs("auth", { ...base, profile: Profile.Production, authorizer: JWT }).settings;
        expect(prod).toMatchObject({ retainOnDelete: true, deletionProtection: true, cognito: { enabled: false }, authorizer: { logRetentionDays: 90, reservedConcurrency: 0 }, table: { pointInTimeRecovery: true } });
    });

    it("rejects empty sign-in aliases and group names with spaces", () => {
        expect(problems({ ...base, cognito: { signInAliases: [], groups: ["admins", "bad group"] } })).toEqual([
            "cognito.signInAliases: got []; at least one of email, phone_number, preferred_username",
            'cognito.groups[1]: got "bad group"; a Cognito group name: 1-128 characters without spaces (^[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]{1,128}$)',
        ]);
    });

    it("keeps descriptions within Verified Permissions' 150 characters", () => {
        const long = "d".repeat(151);
        const out = problems({ ...base, policyStore: { schema: APP_SCHEMA, description: long, policies: [{ id: "p", statement: ALLOW_ALL_GET, description: long }] } });
        expect(out.map((l) => l.split(":")[0])).toEqual(["policyStore.description", "policyStore.policies[0].description"]);
        expect(out[0]).toMatch(/; at most 150 characters \(Verified Permissions' limit\)/);
    });

    it("requires the SES From address", () => {
        const sesConfig = { sourceArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com" } as never;
        expect(problems({ ...base, cognito: { sesConfig } })).toEqual(["cognito.sesConfig.fromEmail: nothing was given; the From address, for example no-reply@example.com"]);
    });
});
