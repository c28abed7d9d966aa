import { describe, expect, it } from "vitest";
import { TrustRootMode, ZeroTrustIdentityArgs } from "../../../provider/src/zeroTrustIdentity/args";
import { parseSpiffeId, selectorProblem } from "../../../provider/src/zeroTrustIdentity/spiffe";
import { validateZeroTrustIdentityArgs } from "../../../provider/src/zeroTrustIdentity/validate";

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

    it("rejects more than one server without a shared datastore", () => {
        expect(problems({ stage: "dev", trustDomain: "example.org", spire: { ...spire, serverCount: 3 } })).toEqual([
            "spire.serverCount: got 3; more than one server needs a shared datastore: set spire.datastore.create or spire.datastore.connectionStringSecretArn",
        ]);
        expect(problems({ stage: "dev", profile: "production" as never, trustDomain: "example.org", spire })[0]).toMatch(/^spire\.serverCount: got 3/);
        expect(problems({ stage: "dev", trustDomain: "example.org", spire: { ...spire, serverCount: 3, datastore: { create: true } } })).toEqual([]);
    });

    it("rejects awsPrivateCa without an ARN and malformed ARNs", () => {
        expect(problems({ stage: "dev", trustRoot: { mode: TrustRootMode.AwsPrivateCa } })).toEqual([
            "trustRoot.privateCaArn: nothing was given; the ARN of an AWS Private CA (mode awsPrivateCa)",
        ]);
        expect(problems({ stage: "dev", trustRoot: { mode: TrustRootMode.AwsPrivateCa, privateCaArn: "arn:aws:kms:us-east-1:123456789012:key/x" } })[0]).toMatch(
            /^trustRoot\.privateCaArn: got "arn:aws:kms:.*"; a acm-pca ARN for "certificate-authority\/\.\.\."/,
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
                    { name: "ok-wild", repository: "org/repo", subjects: ["repo:org/*"], allowWildcardSubjects: true },
                ],
            },
        });
        expect(out).toEqual([
            'githubOidc.roles[0]: role "open" allows any workflow; each role must name branches, environments, pullRequests or exact subjects, so the sub claim is always constrained',
            'githubOidc.roles[1].repository: got "org"; a GitHub repository as org/repo, without wildcards (^[A-Za-z0-9_.-]+\\/[A-Za-z0-9_.-]+$)',
            'githubOidc.roles[2].subjects[0]: got "repo:org/*"; wildcards let other workflows in: give exact subjects, or set allowWildcardSubjects',
        ]);
    });

    it("rejects executor roles that trust nobody or non-IAM principals", () => {
        const out = problems({ stage: "dev", executorRoles: [{ name: "exec", trustedPrincipalArns: [] }, { name: "exec2", trustedPrincipalArns: ["*"] }] });
        expect(out[0]).toBe("executorRoles[0].trustedPrincipalArns: got []; at least one IAM role ARN (never *)");
        expect(out[1]).toMatch(/^executorRoles\[1\]\.trustedPrincipalArns\[0\]: got "\*"; a iam ARN/);
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
