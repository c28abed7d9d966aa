import { describe, expect, it } from "vitest";
import { TrustRootMode, ZeroTrustIdentityArgs } from "../../../provider/src/zeroTrustIdentity/args";
import { parseSpiffeId, selectorProblem } from "../../../provider/src/zeroTrustIdentity/spiffe";
import { awsIidProblems, validateZeroTrustIdentityArgs } from "../../../provider/src/zeroTrustIdentity/validate";

function problems(args: ZeroTrustIdentityArgs): string[] {
    try {
        validateZeroTrustIdentityArgs("id", args);
        return [];
    } catch (e) {
        return (e as Error).message
            .split("\n")
            .slice(1)
            .map((l) => l.trim().replace(/^ZeroTrustIdentity "id": /, ""));
    }
}

const spire = { vpcId: "vpc-1", subnetIds: ["subnet-1"] };
const seed004Workloads = ["metald", "billaged", "builderd", "assetmanagerd"].map((name) => ({
    name,
    path: `/service/${name}`,
    selectors: [
        { type: "unix", value: `path:/usr/bin/${name}` },
        { type: "systemd", value: `id:${name}.service` },
    ],
}));

describe("ZeroTrustIdentity validation", () => {
    it("accepts seed 004's four services", () => {
        expect(problems({ stage: "prod", trustDomain: "unkey.cloud", spire, workloads: seed004Workloads })).toEqual([]);
    });

    it("rejects a bad trust domain and requires one with SPIRE", () => {
        expect(problems({ stage: "dev", trustDomain: "Example.ORG:443", spire })[0]).toMatch(/^trustDomain: got "Example\.ORG:443"; lowercase letters/);
        expect(problems({ stage: "dev", spire })[0]).toMatch(/^trustDomain: nothing was given; a SPIFFE trust domain/);
    });

    it("rejects SPIFFE ids outside the trust domain and bad path segments", () => {
        const out = problems({
            stage: "dev",
            trustDomain: "example.org",
            workloads: [
                { name: "a", spiffeId: "spiffe://other.org/a", selectors: [{ type: "unix", value: "uid:1" }] },
                { name: "b", path: "/svc/../b", selectors: [{ type: "unix", value: "uid:1" }] },
                { name: "c", path: "/svc//c", selectors: [{ type: "unix", value: "uid:1" }] },
                { name: "d", path: "/svc/d/", selectors: [{ type: "unix", value: "uid:1" }] },
            ],
        });
        expect(out).toEqual([
            'workloads[0].spiffeId: got "spiffe://other.org/a"; an id in the trust domain "example.org"',
            'workloads[1].path: got "/svc/../b"; no . or .. path segments',
            'workloads[2].path: got "/svc//c"; no empty path segments (//)',
            'workloads[3].path: got "/svc/d/"; no trailing slash',
        ]);
    });

    it("rejects unknown selector types and systemd:unit: with the fix", () => {
        const out = problems({
            stage: "dev",
            trustDomain: "example.org",
            workloads: [{ name: "a", path: "/a", selectors: [{ type: "process", value: "name:x" }, { type: "systemd", value: "unit:metald.service" }] }],
        });
        expect(out[0]).toMatch(/^workloads\[0\]\.selectors\[0\]: got "process:name:x"; selector type must be one of unix, systemd/);
        expect(out[1]).toBe('workloads[0].selectors[1]: got "systemd:unit:metald.service"; SPIRE\'s systemd attestor emits systemd:id:<unit>, not systemd:unit:<unit>; use "id:metald.service"');
    });

    it("rejects duplicate workloads by name and by SPIFFE id", () => {
        const w = { name: "a", path: "/a", selectors: [{ type: "unix", value: "uid:1" }] };
        const out = problems({ stage: "dev", trustDomain: "example.org", workloads: [w, { ...w }, { ...w, name: "b", path: undefined, spiffeId: "spiffe://example.org/a" }] });
        expect(out).toEqual([
            'workloads[1]: got "a"; each workload name must be unique; workloads[0] already uses it',
            'workloads[1]: got "spiffe://example.org/a"; each SPIFFE id must be unique; workloads[0] already uses it',
            'workloads[2]: got "spiffe://example.org/a"; each SPIFFE id must be unique; workloads[0] already uses it',
        ]);
    });

    it("rejects workload names that cannot be a SPIRE entry ID (rampart.workload.<name>)", () => {
        const w = (name: string) => ({ name, path: `/w${name.length}`, selectors: [{ type: "unix", value: "uid:1" }] });
        const out = problems({ stage: "dev", trustDomain: "example.org", workloads: [w("my api"), w("a:b"), w("x".repeat(239)), w("ok_name-1.2"), w("y".repeat(238))] });
        expect(out).toHaveLength(3);
        expect(out[0]).toContain('workloads[0].name: got "my api"; letters, digits, dots, hyphens and underscores, at most 238 characters (it becomes the SPIRE entry ID rampart.workload.<name>)');
        expect(out[1]).toMatch(/^workloads\[1\]\.name: got "a:b"/);
        expect(out[2]).toMatch(/^workloads\[2\]\.name: got "x+/);
    });

    it("aws_iid: another account's instances need a role to assume; the partition must be one SPIRE supports", () => {
        const here = { accountId: "123456789012", partition: "aws" };
        expect(awsIidProblems({ accountIds: [] }, here)).toEqual([]);
        expect(awsIidProblems({ accountIds: ["123456789012"] }, here)).toEqual([]);
        expect(awsIidProblems({ accountIds: ["111111111111", "222222222222"], assumeRoleName: "spire" }, here)).toEqual([]);
        expect(awsIidProblems({ accountIds: ["111111111111"] }, here)).toEqual([
            {
                path: "spire.nodeAttestation.awsIid.assumeRoleName",
                given: 'no role name, with accountIds ["111111111111"] while the SPIRE server runs in account 123456789012',
                allowed: "the name of a role in 111111111111 that the server assumes to describe that account's instances (SPIRE aws_iid assume_role), or only the account 123456789012 in accountIds",
            },
        ]);
        expect(awsIidProblems({ accountIds: [] }, { accountId: "123456789012", partition: "aws-us-gov" })).toEqual([]);
        expect(awsIidProblems({ accountIds: [] }, { accountId: "123456789012", partition: "aws-iso" })).toEqual([
            { path: "spire.nodeAttestation", given: "aws_iid attestation in the partition aws-iso", allowed: "a partition SPIRE's aws_iid attestor supports: aws, aws-cn, aws-us-gov" },
        ]);
    });

    it("rejects DNS names SPIRE refuses in an entry", () => {
        const w = { name: "a", path: "/a", selectors: [{ type: "unix", value: "uid:1" }] };
        const good = ["api.internal", "*.api.internal", "x", "a-b.c1", `${"a".repeat(63)}.b`];
        const bad = ["a..b", "not a dns name!", "api.internal.", "-a.b", "a-.b", "a.*.b", "*", "ä.b", `${"a".repeat(64)}.b`, "a_b.c"];
        const out = problems({ stage: "dev", trustDomain: "example.org", workloads: [{ ...w, dnsNames: [...good, ...bad] }] });
        expect(out.map((l) => l.split(":")[0])).toEqual(bad.map((_, i) => `workloads[0].dnsNames[${good.length + i}]`));
        expect(out[0]).toContain("a DNS host name such as api.internal");
    });

    it("rejects more than one server without a shared datastore", () => {
        expect(problems({ stage: "dev", trustDomain: "example.org", spire: { ...spire, serverCount: 3 } })).toEqual([
            "spire.serverCount: got 3; more than one server needs a shared datastore: set spire.datastore.create or spire.datastore.connectionStringSecretArn",
        ]);
        // Production creates its datastore by default; one subnet is not enough for RDS.
        expect(problems({ stage: "dev", profile: "production" as never, trustDomain: "example.org", spire })).toEqual([
            'spire.subnetIds: got ["subnet-1"]; an RDS datastore needs private subnets in at least two availability zones',
        ]);
        expect(problems({ stage: "dev", profile: "production" as never, trustDomain: "example.org", spire: { ...spire, subnetIds: ["subnet-1", "subnet-2"] } })).toEqual([]);
        // An RDS datastore spans two availability zones.
        expect(problems({ stage: "dev", trustDomain: "example.org", spire: { ...spire, subnetIds: ["subnet-1", "subnet-2"], serverCount: 3, datastore: { create: true } } })).toEqual([]);
    });

    it("refuses sqlite in production: its state must survive task replacement", () => {
        const subnets = { ...spire, subnetIds: ["subnet-1", "subnet-2"] };
        expect(problems({ stage: "prod", profile: "production" as never, trustDomain: "example.org", spire: { ...subnets, serverCount: 1, datastore: { create: false } } })).toEqual([
            "spire.datastore.create: got create false (sqlite) in production; true (the default in production) or a spire.datastore.connectionStringSecretArn: a production SPIRE server keeps its state in PostgreSQL, because sqlite lives on the task's storage and is lost whenever ECS replaces the task (agents must then attest again); sqlite is for profile ephemeral",
        ]);
        // A given connection string is PostgreSQL the user runs: accepted with create false.
        const secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:spire-db-AbC1Ef";
        expect(problems({ stage: "prod", profile: "production" as never, trustDomain: "example.org", spire: { ...spire, datastore: { create: false, connectionStringSecretArn: secret } } })).toEqual([]);
        // Ephemeral keeps sqlite.
        expect(problems({ stage: "dev", trustDomain: "example.org", spire: { ...spire, datastore: { create: false } } })).toEqual([]);
    });

    it("checks spire.cpu and spire.memory against Fargate's sizes and spire.logRetentionInDays against CloudWatch's", () => {
        expect(problems({ stage: "dev", trustDomain: "example.org", spire: { ...spire, cpu: 1024, memory: 4096, logRetentionInDays: 365 } })).toEqual([]);
        expect(problems({ stage: "dev", trustDomain: "example.org", spire: { ...spire, cpu: 300 } })).toEqual([
            "spire.cpu: got 300; a number of CPU units Fargate offers: one of 256, 512, 1024, 2048, 4096, 8192, 16384 (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size)",
        ]);
        // memory is judged with the profile's default cpu (256 for ephemeral) when only memory is given
        expect(problems({ stage: "dev", trustDomain: "example.org", spire: { ...spire, memory: 4096, logRetentionInDays: 10 } })).toEqual([
            "spire.memory: got memory 4096 with cpu 256; with cpu 256, memory must be one of 512, 1024, 2048 MiB (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size)",
            "spire.logRetentionInDays: got 10; a CloudWatch Logs retention in days, one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html)",
        ]);
        // production's default cpu is 512: memory 4096 fits it
        expect(problems({ stage: "prod", profile: "production" as never, trustDomain: "example.org", spire: { ...spire, subnetIds: ["subnet-1", "subnet-2"], memory: 4096 } })).toEqual([]);
    });

    it("checks trustRoot.kmsKeyArn as a KMS key ARN and bundleSecretArn as a secret ARN, only with mode existing", () => {
        const existing = {
            mode: TrustRootMode.Existing,
            certificateSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:cert-AbC1Ef",
            privateKeySecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:key-AbC1Ef",
        };
        expect(
            problems({
                stage: "dev",
                trustRoot: { ...existing, kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", bundleSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:roots-AbC1Ef" },
            }),
        ).toEqual([]);
        const bad = problems({ stage: "dev", trustRoot: { ...existing, kmsKeyArn: "alias/my-key", bundleSecretArn: "arn:aws:s3:::roots" } });
        expect(bad).toHaveLength(2);
        expect(bad[0]).toMatch(/^trustRoot\.bundleSecretArn: got "arn:aws:s3:::roots"/);
        expect(bad[1]).toMatch(/^trustRoot\.kmsKeyArn: got "alias\/my-key"/);
        expect(problems({ stage: "dev", trustRoot: { kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" } })).toEqual([
            'trustRoot.kmsKeyArn: got kmsKeyArn with mode "generated"; only with mode existing (the other modes create their key or use the private CA\'s)',
        ]);
    });

    it("rejects awsPrivateCa without an ARN and malformed ARNs", () => {
        expect(problems({ stage: "dev", trustRoot: { mode: TrustRootMode.AwsPrivateCa } })).toEqual([
            "trustRoot.privateCaArn: nothing was given; the ARN of an AWS Private CA (mode awsPrivateCa)",
        ]);
        expect(problems({ stage: "dev", trustRoot: { mode: TrustRootMode.AwsPrivateCa, privateCaArn: "arn:aws:kms:us-east-1:123456789012:key/x" } })[0]).toMatch(
            /^trustRoot\.privateCaArn: got "arn:aws:kms:.*"; an acm-pca ARN for "certificate-authority\/\.\.\."/,
        );
        expect(problems({ stage: "dev", trustRoot: { mode: TrustRootMode.Existing } })).toHaveLength(2);
    });

    it("requires every GitHub role to constrain the subject, and rejects malformed repositories and wildcards", () => {
        const out = problems({
            stage: "dev",
            githubOidc: {
                roles: [
                    { name: "open", repository: "org/repo" },
                    { name: "bad-repo", repository: "org", branches: ["main"] },
                    { name: "wild", repository: "org/repo", subjects: ["repo:org/*"] },
                    { name: "ok-wild", repository: "org/repo", subjects: ["repo:org/repo:ref:refs/heads/release-*"], allowWildcardSubjects: true },
                    { name: "wild-exact", repository: "org/repo", subjects: ["repo:org/repo:ref:refs/heads/release-*"] },
                ],
            },
        });
        expect(out).toEqual([
            'githubOidc.roles[0]: role "open" allows any workflow; each role must name branches, environments, pullRequests or exact subjects, so the sub claim is always constrained',
            'githubOidc.roles[1].repository: got "org"; a GitHub repository as org/repo, without wildcards (^[A-Za-z0-9_.-]+\\/[A-Za-z0-9_.-]+$)',
            'githubOidc.roles[2].subjects[0]: got "repo:org/*"; a subject of the repository org/repo (repo:org/repo:...): a subject naming another repository would let its workflows in',
            'githubOidc.roles[4].subjects[0]: got "repo:org/repo:ref:refs/heads/release-*"; wildcards let other workflows in: give exact subjects, or set allowWildcardSubjects',
        ]);
    });

    it("admits only the role's own repository, even with allowWildcardSubjects", () => {
        const out = problems({
            stage: "dev",
            githubOidc: { roles: [{ name: "other", repository: "org/app", subjects: ["repo:evil/app:ref:refs/heads/main", "repo:org/app-fork:pull_request", "repo:org/*"], allowWildcardSubjects: true }] },
        });
        expect(out.map((line) => line.split(";")[0])).toEqual([
            'githubOidc.roles[0].subjects[0]: got "repo:evil/app:ref:refs/heads/main"',
            'githubOidc.roles[0].subjects[1]: got "repo:org/app-fork:pull_request"',
            'githubOidc.roles[0].subjects[2]: got "repo:org/*"',
        ]);
    });

    it("refuses branch and environment names that are not what GitHub puts in the sub claim, before any resource exists", () => {
        const out = problems({
            stage: "dev",
            githubOidc: { roles: [{ name: "deploy", repository: "org/app", branches: ["main?", "feature/a b", "../x", "ok/branch"], environments: ["prod:eu", "staging"] }] },
        });
        expect(out).toEqual([
            'githubOidc.roles[0].branches[0]: got "main?"; a git branch name: no spaces, control characters or any of ~ ^ : ? [ \\',
            'githubOidc.roles[0].branches[1]: got "feature/a b"; a git branch name: no spaces, control characters or any of ~ ^ : ? [ \\',
            'githubOidc.roles[0].branches[2]: got "../x"; a git branch name: no .., no @{ and not @ alone',
            'githubOidc.roles[0].environments[0]: got "prod:eu"; an environment name without : or ? or control characters (they would change what the sub claim matches)',
        ]);
    });

    it("refuses workload and parent ids without a path, which SPIRE refuses as entries", () => {
        const out = problems({
            stage: "dev",
            trustDomain: "example.org",
            spire: { vpcId: "vpc-1", subnetIds: ["subnet-1"] },
            workloads: [{ name: "bare", spiffeId: "spiffe://example.org", parentId: "spiffe://example.org", selectors: [{ type: "unix", value: "uid:1000" }] }],
        });
        expect(out).toEqual([
            'workloads[0].spiffeId: got "spiffe://example.org"; a SPIFFE id with a path, such as spiffe://example.org/service/api (SPIRE refuses entries for the bare trust domain id; https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE-ID.md#22-path)',
            'workloads[0].parentId: got "spiffe://example.org"; a SPIFFE id with a path, such as spiffe://example.org/service/api (SPIRE refuses entries for the bare trust domain id; https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE-ID.md#22-path)',
        ]);
    });

    it("trusts IAM roles, users and account roots in 12-digit accounts; refuses patterns, AWS's own account and STS sessions", () => {
        const principal = (arn: string) => problems({ stage: "dev", executorRoles: [{ name: "exec", trustedPrincipalArns: [arn] }] });
        for (const ok of ["arn:aws:iam::210987654321:role/ci", "arn:aws:iam::210987654321:role/path/ci", "arn:aws:iam::210987654321:user/deployer", "arn:aws:iam::210987654321:root", "arn:aws-us-gov:iam::210987654321:role/ci"]) {
            expect(principal(ok), ok).toEqual([]);
        }
        const rule = "an IAM role, user or account root ARN, never * (arn:<partition>:iam::<12-digit account>:role/<name> or user/<name> or root)";
        for (const bad of ["arn:aws:iam::210987654321:role/ci-*", "arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:sts::210987654321:assumed-role/ci/session", "arn:aws:iam::210987654321:role/", "arn:aws:iam::210987654321:group/admins"]) {
            expect(principal(bad), bad).toEqual([`executorRoles[0].trustedPrincipalArns[0]: got ${JSON.stringify(bad)}; ${rule}`]);
        }
        const assumable = (arn: string) => problems({ stage: "dev", githubOidc: { roles: [{ name: "ci", repository: "org/app", branches: ["main"], assumableRoleArns: [arn] }] } });
        expect(assumable("arn:aws:iam::210987654321:role/executor")).toEqual([]);
        expect(assumable("arn:aws:iam::210987654321:role/exec*")).toEqual([
            'githubOidc.roles[0].assumableRoleArns[0]: got "arn:aws:iam::210987654321:role/exec*"; an IAM role ARN, never * (arn:<partition>:iam::<12-digit account>:role/<name>)',
        ]);
        expect(problems({ stage: "dev", pulumiOidc: { organization: "acme", roles: [{ name: "d", project: "p", managedPolicyArns: ["arn:aws:iam::210987654321:role/x"] }] } })).toEqual([
            'pulumiOidc.roles[0].managedPolicyArns[0]: got "arn:aws:iam::210987654321:role/x"; an iam ARN for "policy/..."',
        ]);
    });

    it("rejects executor roles that trust nobody or non-IAM principals", () => {
        const out = problems({ stage: "dev", executorRoles: [{ name: "exec", trustedPrincipalArns: [] }, { name: "exec2", trustedPrincipalArns: ["*"] }] });
        expect(out[0]).toBe("executorRoles[0].trustedPrincipalArns: got []; at least one IAM role ARN (never *)");
        expect(out[1]).toBe(
            'executorRoles[1].trustedPrincipalArns[0]: got "*"; an IAM role, user or account root ARN, never * (arn:<partition>:iam::<12-digit account>:role/<name> or user/<name> or root)',
        );
    });
});

describe("ZeroTrustIdentity validation of the resource-level arguments", () => {
    it("publishes a CRL only for a generated root", () => {
        expect(problems({ stage: "dev", trustRoot: { mode: TrustRootMode.AwsPrivateCa, privateCaArn: "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/x", crl: true } })).toEqual([
            'trustRoot.crl: got crl with mode "awsPrivateCa"; a CRL is published only for mode generated (an AWS Private CA publishes its own CRL; sign one for an existing key where the key lives)',
        ]);
        expect(problems({ stage: "dev", trustRoot: { crl: true } })).toEqual([]);
    });

    it("needs SPIRE for agents, one way to install them, and pinned images", () => {
        expect(problems({ stage: "dev", trustDomain: "example.org", agents: { targetTag: { key: "spire", value: "on" } } })).toEqual([
            "agents: got agents without spire; agents enrol with this component's SPIRE server: enable spire",
        ]);
        const out = problems({
            stage: "dev",
            trustDomain: "example.org",
            spire: { ...spire, serverImage: "ghcr.io/spiffe/spire-server:latest" },
            agents: { targetTag: { key: "aws:autoscaling:groupName", value: "x" }, agentImage: "ghcr.io/spiffe/spire-agent", installScript: "echo" },
        });
        expect(out).toEqual([
            'spire.serverImage: got "ghcr.io/spiffe/spire-server:latest"; an image pinned to a version tag (not latest) or a digest, such as ghcr.io/spiffe/spire-server:1.13.3 (^[a-z0-9./_:-]+(:(?!latest$)[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$)',
            'agents.targetTag.key: got "aws:autoscaling:groupName"; a tag key you set (not aws:)',
            'agents.agentImage: got "ghcr.io/spiffe/spire-agent"; an image pinned to a version tag (not latest) or a digest, such as ghcr.io/spiffe/spire-agent:1.13.3 (^[a-z0-9./_:-]+(:(?!latest$)[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$)',
            "agents: got agentImage and installScript; give one of agentImage, installScript or release",
        ]);
        expect(problems({ stage: "dev", trustDomain: "example.org", spire: { ...spire, serverImage: "ghcr.io/spiffe/spire-server@sha256:" + "a".repeat(64) } })).toEqual([]);
    });

    it("agents.release: an https tarball URL and a 64-digit SHA-256, and no image or script beside it", () => {
        const agents = (release: unknown, more = {}) => problems({ stage: "dev", trustDomain: "example.org", spire, agents: { targetTag: { key: "k", value: "v" }, release: release as never, ...more } });
        const url = "https://github.com/spiffe/spire/releases/download/v1.13.3/spire-1.13.3-linux-amd64-musl.tar.gz";
        expect(agents({ url, sha256: "ab".repeat(32) })).toEqual([]);
        expect(agents({ url: "http://example.com/spire.tar.gz", sha256: "abc" })).toEqual([
            expect.stringMatching(/^agents\.release\.url: got "http:\/\/example\.com\/spire\.tar\.gz"; an https:\/\/ URL of a SPIRE release tarball/),
            expect.stringMatching(/^agents\.release\.sha256: got "abc"; the tarball's SHA-256 as 64 hexadecimal digits/),
        ]);
        expect(agents({})).toEqual([expect.stringMatching(/^agents\.release\.url: /), expect.stringMatching(/^agents\.release\.sha256: /)]);
        expect(agents({ url, sha256: "ab".repeat(32) }, { installScript: "echo" })).toEqual(["agents: got installScript and release; give one of agentImage, installScript or release"]);
    });

    it("needs an assumed role to attest instances of several accounts", () => {
        expect(problems({ stage: "dev", trustDomain: "example.org", spire: { ...spire, nodeAttestation: { awsIid: { accountIds: ["111111111111", "222222222222"] } } } })).toEqual([
            "spire.nodeAttestation.awsIid.assumeRoleName: nothing was given; instances of more than one account attest only through a role the server assumes in each account",
        ]);
    });

    it("rejects malformed CIDR blocks, an RDS datastore in one subnet, and federation ids outside the federated domain", () => {
        const out = problems({
            stage: "dev",
            trustDomain: "example.org",
            spire: {
                vpcId: "vpc-1",
                subnetIds: ["subnet-1"],
                datastore: { create: true },
                allowedCidrBlocks: ["10.0.0.0/16", "10.0.0.0"],
                federation: { federatesWith: [{ trustDomain: "partner.org", bundleEndpointUrl: "https://partner.org", endpointSpiffeId: "spiffe://other.org/spire/server" }] },
            },
        });
        expect(out).toEqual([
            'spire.subnetIds: got ["subnet-1"]; an RDS datastore needs private subnets in at least two availability zones',
            'spire.allowedCidrBlocks[1]: got "10.0.0.0"; an IPv4 CIDR block such as 10.0.0.0/16 (^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\/(\\d{1,2})$)',
            'spire.federation.federatesWith[0].endpointSpiffeId: got "spiffe://other.org/spire/server"; an id in the federated trust domain "partner.org"',
        ]);
    });

    it("rejects exact role names IAM would refuse", () => {
        const out = problems({ stage: "dev", executorRoles: [{ name: "exec", roleName: "x".repeat(65), trustedPrincipalArns: ["arn:aws:iam::123456789012:role/ci"] }] });
        expect(out).toEqual([`executorRoles[0].roleName: got "${"x".repeat(65)}"; an IAM role name of letters, digits and +=,.@_- up to 64 characters (^[A-Za-z0-9+=,.@_-]{1,64}$)`]);
    });
});

describe("SPIFFE rules", () => {
    it("parses SPIFFE ids", () => {
        expect(parseSpiffeId("spiffe://example.org/service/api")).toEqual({ trustDomain: "example.org", path: "/service/api" });
        expect(parseSpiffeId("spiffe://example.org")).toEqual({ trustDomain: "example.org", path: "" });
        expect(parseSpiffeId("https://example.org/x")).toEqual({ problem: "a SPIFFE id starts with spiffe://" });
        expect(parseSpiffeId("spiffe://ex ample.org/x")).toHaveProperty("problem");
    });

    it("accepts documented selectors", () => {
        expect(selectorProblem("unix", "uid:1000")).toBeUndefined();
        expect(selectorProblem("systemd", "id:metald.service")).toBeUndefined();
        expect(selectorProblem("unix", "nocolon")).toMatch(/<key>:<value>/);
    });
});
