import { describe, expect, it } from "vitest";
import {
    assumeRolesPolicy,
    executorTrustPolicy,
    githubSubjects,
    githubTrustPolicy,
    pulumiTrustPolicy,
    spireExecutionPolicy,
    spireKmsKeyPolicy,
    spireTaskPolicy,
} from "../../../provider/src/zeroTrustIdentity/policies";

const GITHUB_PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const PULUMI_PROVIDER = "arn:aws:iam::123456789012:oidc-provider/api.pulumi.com/oidc";

describe("GitHub trust policy", () => {
    it("pins aud to sts.amazonaws.com and lists exact subjects for branches, environments and pull requests", () => {
        const doc = githubTrustPolicy(GITHUB_PROVIDER, { name: "deploy", repository: "unkeyed/infra", branches: ["main"], environments: ["production"], pullRequests: true });
        expect(doc.Statement).toEqual([
            {
                Sid: "GitHubExactSubjects",
                Effect: "Allow",
                Principal: { Federated: GITHUB_PROVIDER },
                Action: ["sts:AssumeRoleWithWebIdentity"],
                Condition: {
                    StringEquals: {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                        "token.actions.githubusercontent.com:sub": ["repo:unkeyed/infra:ref:refs/heads/main", "repo:unkeyed/infra:environment:production", "repo:unkeyed/infra:pull_request"],
                    },
                },
            },
        ]);
    });

    it("passes exact id-based subjects through unchanged", () => {
        const subject = "repo:octo-org@1234/octo-repo@5678:ref:refs/heads/main";
        expect(githubSubjects({ name: "ci", repository: "octo-org/octo-repo", subjects: [subject] })).toEqual({ exact: [subject], wildcard: [] });
    });

    it("puts allowed wildcard subjects in a StringLike statement of their own, still pinning aud", () => {
        const doc = githubTrustPolicy(GITHUB_PROVIDER, { name: "release", repository: "org/repo", branches: ["main", "release-*"], allowWildcardSubjects: true });
        expect(doc.Statement.map((s) => s.Condition)).toEqual([
            { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": ["repo:org/repo:ref:refs/heads/main"] } },
            { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": ["repo:org/repo:ref:refs/heads/release-*"] } },
        ]);
    });

    it("refuses an unconstrained sub, unapproved wildcards and a * provider", () => {
        expect(() => githubTrustPolicy(GITHUB_PROVIDER, { name: "open", repository: "org/repo" })).toThrow(/sub claim must be constrained/);
        expect(() => githubTrustPolicy(GITHUB_PROVIDER, { name: "wild", repository: "org/repo", subjects: ["repo:org/*"] })).toThrow(/allowWildcardSubjects/);
        expect(() => githubTrustPolicy("*", { name: "x", repository: "org/repo", branches: ["main"] })).toThrow(/never \*/);
    });
});

describe("Pulumi Deployments trust policy", () => {
    it("pins aud to the organization and sub to the project's listed stacks", () => {
        const doc = pulumiTrustPolicy(PULUMI_PROVIDER, "acme", "authz", ["dev", "prod"]);
        expect(doc.Statement[0].Condition).toEqual({
            StringEquals: { "api.pulumi.com/oidc:aud": "acme" },
            StringLike: { "api.pulumi.com/oidc:sub": ["pulumi:deploy:org:acme:project:authz:stack:dev:operation:*", "pulumi:deploy:org:acme:project:authz:stack:prod:operation:*"] },
        });
        expect(doc.Statement[0].Principal).toEqual({ Federated: PULUMI_PROVIDER });
    });

    it("admits every stack of the project when none is listed (never other projects)", () => {
        expect(pulumiTrustPolicy(PULUMI_PROVIDER, "acme", "authz", []).Statement[0].Condition?.StringLike).toEqual({ "api.pulumi.com/oidc:sub": ["pulumi:deploy:org:acme:project:authz:stack:*"] });
    });
});

describe("executor roles and chaining", () => {
    const management = "arn:aws:iam::333769656712:role/GitHubActionsOIDCRole";

    it("trusts exactly the named principals, for AssumeRole and TagSession, with the external id when given", () => {
        expect(executorTrustPolicy([management]).Statement).toEqual([{ Sid: "TrustedCallers", Effect: "Allow", Principal: { AWS: management }, Action: ["sts:AssumeRole", "sts:TagSession"] }]);
        expect(executorTrustPolicy([management, "arn:aws:iam::222634365038:role/admin"], "ext-123").Statement[0]).toMatchObject({
            Principal: { AWS: [management, "arn:aws:iam::222634365038:role/admin"] },
            Condition: { StringEquals: { "sts:ExternalId": "ext-123" } },
        });
    });

    it("never trusts *", () => {
        expect(() => executorTrustPolicy(["*"])).toThrow(/never \*/);
        expect(() => executorTrustPolicy(["arn:aws:iam::*:root"])).toThrow(/never \*/);
        expect(() => executorTrustPolicy([])).toThrow(/at least one principal/);
    });

    it("lets the CI role assume exactly the executor roles", () => {
        const arns = ["arn:aws:iam::343218208612:role/UnkeyPulumiAWSExecutor", "arn:aws:iam::920373003756:role/UnkeyPulumiAWSExecutor"];
        expect(assumeRolesPolicy(arns).Statement).toEqual([{ Sid: "AssumeExecutorRoles", Effect: "Allow", Action: ["sts:AssumeRole", "sts:TagSession"], Resource: arns }]);
    });
});

describe("SPIRE server policies", () => {
    const base = { partition: "aws", region: "us-east-1", accountId: "123456789012" };
    const cert = "arn:aws:secretsmanager:us-east-1:123456789012:secret:root-cert-AbC1Ef";
    const key = "arn:aws:secretsmanager:us-east-1:123456789012:secret:root-key-AbC1Ef";
    const kms = "arn:aws:kms:us-east-1:123456789012:key/1234";

    it("allows aws_iid in the account, exactly the two upstream secrets and their key, and PutObject on the bundle only", () => {
        const doc = spireTaskPolicy({
            ...base,
            awsIid: { accountIds: [] },
            upstream: { type: "awssecret", certificateSecretArn: cert, keySecretArn: key, kmsKeyArn: kms },
            bundleObject: { bucket: "identity-dev-pki", key: "spire/bundle.json" },
        });
        expect(doc.Statement).toEqual([
            { Sid: "AwsIidDescribeInstances", Effect: "Allow", Action: ["ec2:DescribeInstances"], Resource: "*" },
            { Sid: "AwsIidInstanceProfiles", Effect: "Allow", Action: ["iam:GetInstanceProfile"], Resource: "arn:aws:iam::123456789012:instance-profile/*" },
            { Sid: "UpstreamAuthoritySecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [cert, key] },
            { Sid: "UpstreamAuthorityKey", Effect: "Allow", Action: ["kms:Decrypt"], Resource: kms, Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } } },
            { Sid: "PublishTrustBundle", Effect: "Allow", Action: ["s3:PutObject"], Resource: "arn:aws:s3:::identity-dev-pki/spire/bundle.json" },
        ]);
    });

    it("with assumeRoleName, only assumes that role in each listed account", () => {
        const doc = spireTaskPolicy({ ...base, awsIid: { accountIds: ["111111111111", "222222222222"], assumeRoleName: "spire-delegate" } });
        expect(doc.Statement).toEqual([
            { Sid: "AwsIidAssumeRole", Effect: "Allow", Action: ["sts:AssumeRole"], Resource: ["arn:aws:iam::111111111111:role/spire-delegate", "arn:aws:iam::222222222222:role/spire-delegate"] },
        ]);
    });

    it("scopes the private CA to its ARN and IssueCertificate to the subordinate CA template", () => {
        const ca = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/abc";
        const doc = spireTaskPolicy({ ...base, awsIid: { accountIds: [] }, upstream: { type: "aws_pca", certificateAuthorityArn: ca } });
        expect(doc.Statement.slice(2)).toEqual([
            { Sid: "UpstreamAuthorityRead", Effect: "Allow", Action: ["acm-pca:DescribeCertificateAuthority", "acm-pca:GetCertificate"], Resource: ca },
            {
                Sid: "UpstreamAuthorityIssue",
                Effect: "Allow",
                Action: ["acm-pca:IssueCertificate"],
                Resource: ca,
                Condition: { StringEquals: { "acm-pca:TemplateArn": "arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen0/V1" } },
            },
        ]);
    });

    it("lets ECS read only the config parameter (through SSM), the datastore secret and the log group", () => {
        const doc = spireExecutionPolicy({
            region: "us-east-1",
            configParameterArn: "arn:aws:ssm:us-east-1:123456789012:parameter/rampart/identity/dev/spire/server.conf",
            configKmsKeyArn: kms,
            logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:/rampart/identity-dev/spire-server",
            secretArns: ["arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1a2b-Xy12Zq"],
        });
        expect(doc.Statement.map((s) => [s.Action, s.Resource])).toEqual([
            [["ssm:GetParameters"], "arn:aws:ssm:us-east-1:123456789012:parameter/rampart/identity/dev/spire/server.conf"],
            [["kms:Decrypt"], kms],
            [["logs:CreateLogStream", "logs:PutLogEvents"], "arn:aws:logs:us-east-1:123456789012:log-group:/rampart/identity-dev/spire-server:*"],
            [["secretsmanager:GetSecretValue"], "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1a2b-Xy12Zq"],
        ]);
        expect(doc.Statement[1].Condition).toEqual({ StringEquals: { "kms:ViaService": "ssm.us-east-1.amazonaws.com" } });
    });
});

describe("SPIRE aws_kms KeyManager", () => {
    it("key policy: the server role may use and re-own its keys (CreateKey's lockout check), the account may see and delete them; in the stack's partition", () => {
        const doc = spireKmsKeyPolicy({ partition: "aws-us-gov", accountId: "123456789012", taskRoleName: "identity-prod-spire-server" });
        expect(doc.Statement).toEqual([
            {
                Sid: "SpireServerRole",
                Effect: "Allow",
                Principal: { AWS: "arn:aws-us-gov:iam::123456789012:role/identity-prod-spire-server" },
                Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey", "kms:GetPublicKey", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:Sign", "kms:UpdateAlias"],
                Resource: "*",
            },
            {
                Sid: "AccountAdministration",
                Effect: "Allow",
                Principal: { AWS: "arn:aws-us-gov:iam::123456789012:root" },
                Action: ["kms:CancelKeyDeletion", "kms:DescribeKey", "kms:DisableKey", "kms:GetKeyPolicy", "kms:GetPublicKey", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"],
                Resource: "*",
            },
        ]);
        // No wildcard actions (SPIRE's own default policy grants the role kms:*).
        expect(doc.Statement.flatMap((st) => st.Action).some((a) => a.includes("*"))).toBe(false);
    });

    it("task policy: CreateKey only for SPIRE's signing key spec, aliases only under the trust domain's prefix", () => {
        const doc = spireTaskPolicy({
            partition: "aws-cn",
            region: "cn-north-1",
            accountId: "123456789012",
            awsIid: { accountIds: [] },
            kmsKeyManager: { trustDomain: "example.org", keySpec: "ECC_NIST_P384" },
        });
        const byId = Object.fromEntries(doc.Statement.map((st) => [st.Sid, st]));
        expect(byId.KeyManagerCreateKey.Condition).toEqual({
            StringEquals: { "kms:KeyUsage": "SIGN_VERIFY", "kms:KeySpec": "ECC_NIST_P384", "kms:KeyOrigin": "AWS_KMS" },
            Bool: { "kms:MultiRegion": "false" },
        });
        expect(byId.KeyManagerAliases.Resource).toBe("arn:aws-cn:kms:cn-north-1:123456789012:alias/SPIRE_SERVER/example_org/*");
        expect(byId.KeyManagerDescribeKeys.Resource).toBe("arn:aws-cn:kms:cn-north-1:123456789012:key/*");
        // Only the three actions without a resource type are on "*".
        expect(doc.Statement.filter((st) => st.Resource === "*").flatMap((st) => st.Action).filter((a) => a.startsWith("kms:")).sort()).toEqual(["kms:CreateKey", "kms:ListAliases", "kms:ListKeys"]);
        // Without the key manager (ephemeral) there is no KMS statement at all.
        const without = spireTaskPolicy({ partition: "aws", region: "us-east-1", accountId: "123456789012", awsIid: { accountIds: [] } });
        expect(without.Statement.some((st) => st.Action.some((a) => a.startsWith("kms:")))).toBe(false);
    });
});
