import { describe, expect, it } from "vitest";
import { childDifferences, descendantsOf, normalizedChildren, StateResource } from "../e2e/state";

const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" };

function state(project: string, vpcId: string, cidr: string, secretText = "v1:abc"): StateResource[] {
    const stack = `urn:pulumi:dev::${project}::pulumi:pulumi:Stack::${project}-dev`;
    const comp = `urn:pulumi:dev::${project}::rampart:index:ServicePlatform::skreg`;
    return [
        { urn: stack, type: "pulumi:pulumi:Stack" },
        { urn: comp, type: "rampart:index:ServicePlatform", parent: stack },
        {
            urn: `${comp}$aws:ec2/vpc:Vpc::skreg-vpc`,
            type: "aws:ec2/vpc:Vpc",
            custom: true,
            id: vpcId,
            parent: comp,
            inputs: { cidrBlock: cidr, tags: { Project: project, Stage: "dev" } },
            outputs: { id: vpcId, arn: `arn:aws:ec2:us-east-1:1:vpc/${vpcId}`, cidrBlock: cidr },
        },
        {
            urn: `${comp}$aws:ec2/subnet:Subnet::skreg-a`,
            type: "aws:ec2/subnet:Subnet",
            custom: true,
            id: `subnet-${vpcId}`,
            parent: `${comp}$aws:ec2/vpc:Vpc::skreg-vpc`,
            inputs: { vpcId, note: `${project} subnet`, password: { ...SECRET, ciphertext: secretText } },
            outputs: { id: `subnet-${vpcId}` },
        },
    ];
}

describe("e2e state comparison", () => {
    it("finds children at any depth", () => {
        const s = state("a", "vpc-1", "10.0.0.0/16");
        expect(descendantsOf(s, s[1].urn).map((r) => r.type)).toEqual(["aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet"]);
    });

    it("treats two projects with the same inputs as equal, whatever ids, project names and ciphertexts", () => {
        const a = state("service-platform-ts", "vpc-aaaaaaaa", "10.0.0.0/16", "v1:one");
        const b = state("service-platform-py", "vpc-bbbbbbbb", "10.0.0.0/16", "v1:two");
        expect(childDifferences(normalizedChildren(b, b[1].urn, "service-platform-py"), normalizedChildren(a, a[1].urn, "service-platform-ts"))).toEqual([]);
    });

    it("reports an input that differs and a missing child", () => {
        const a = state("p1", "vpc-aaaaaaaa", "10.0.0.0/16");
        const b = state("p2", "vpc-bbbbbbbb", "10.1.0.0/16");
        const diff = childDifferences(normalizedChildren(b, b[1].urn, "p2"), normalizedChildren(a, a[1].urn, "p1"));
        expect(diff).toHaveLength(1);
        expect(diff[0]).toMatch(/^aws:ec2\/vpc:Vpc skreg-vpc: inputs differ/);
        const c = state("p3", "vpc-cccccccc", "10.0.0.0/16").slice(0, 3);
        expect(childDifferences(normalizedChildren(c, c[1].urn, "p3"), normalizedChildren(a, a[1].urn, "p1"))).toEqual(["missing aws:ec2/subnet:Subnet skreg-a"]);
    });
});

describe("e2e state normalization of generated values", () => {
    const base = (project: string, suffix: string, pem: string, dns: string): StateResource[] => {
        const comp = `urn:pulumi:dev::${project}::rampart:index:ZeroTrustIdentity::unkey`;
        return [
            { urn: comp, type: "rampart:index:ZeroTrustIdentity" },
            {
                urn: `${comp}$aws:ec2/securityGroup:SecurityGroup::unkey-spire-sg`,
                type: "aws:ec2/securityGroup:SecurityGroup",
                custom: true,
                id: `sg-${suffix}`,
                parent: comp,
                inputs: { name: `unkey-spire-sg-${suffix.slice(0, 7)}` },
                outputs: { id: `sg-${suffix}`, ownerId: "123456789012" },
            },
            {
                urn: `${comp}$aws:lb/loadBalancer:LoadBalancer::unkey-nlb`,
                type: "aws:lb/loadBalancer:LoadBalancer",
                custom: true,
                id: `lb-${suffix}`,
                parent: comp,
                inputs: {},
                outputs: { dnsName: dns, ownerId: "123456789012" },
            },
            {
                urn: `${comp}$aws:ssm/document:Document::unkey-agent`,
                type: "aws:ssm/document:Document",
                custom: true,
                parent: comp,
                inputs: {
                    content: Buffer.from(`server = "${dns}"\nowner = "123456789012"\n${pem}\n`).toString("base64"),
                },
            },
        ];
    };
    const pem = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`;

    it("ignores auto-name suffixes, PEM bodies and values inside base64 text, but keeps shared constants", () => {
        const a = base("zero-trust-go", "d160f7d0aa", pem("AAAA"), "unkey-nlb-111.elb.amazonaws.com");
        const b = base("zero-trust-ts", "0badc0ffee", pem("BBBB"), "unkey-nlb-222.elb.amazonaws.com");
        const na = normalizedChildren(a, a[0].urn, "zero-trust-go");
        expect(childDifferences(na, normalizedChildren(b, b[0].urn, "zero-trust-ts"))).toEqual([]);
        expect(JSON.stringify(na)).toBeDefined();
        const doc = [...na.entries()].find(([k]) => k.startsWith("aws:ssm"))![1] as { content: string };
        expect(doc.content).toContain("<aws:lb/loadBalancer:LoadBalancer unkey-nlb.dnsName>");
        expect(doc.content).toContain('owner = "123456789012"');
        expect(doc.content).toContain("<CERTIFICATE PEM>");
    });

    it("still sees a different value inside base64 text", () => {
        const a = base("p1", "d160f7d0aa", pem("AAAA"), "x-1.elb.amazonaws.com");
        const b = base("p2", "0badc0ffee", pem("AAAA"), "x-2.elb.amazonaws.com");
        b[3].inputs = { content: Buffer.from('server = "somewhere-else.example.com"\n').toString("base64") };
        expect(childDifferences(normalizedChildren(a, a[0].urn, "p1"), normalizedChildren(b, b[0].urn, "p2"))).toHaveLength(1);
    });
});

describe("e2e state normalization of nested computed values", () => {
    it("replaces a computed ARN nested in an output list (RDS master user secret)", () => {
        const mk = (project: string, arn: string): StateResource[] => {
            const comp = `urn:pulumi:dev::${project}::rampart:index:ServicePlatform::skreg`;
            return [
                { urn: comp, type: "rampart:index:ServicePlatform" },
                { urn: `${comp}$aws:rds/instance:Instance::skreg-db`, type: "aws:rds/instance:Instance", custom: true, parent: comp, inputs: {}, outputs: { masterUserSecrets: [{ secretArn: arn }] } },
                { urn: `${comp}$aws:iam/rolePolicy:RolePolicy::p`, type: "aws:iam/rolePolicy:RolePolicy", custom: true, parent: comp, inputs: { policy: JSON.stringify({ Resource: `${arn}:password::` }) } },
            ];
        };
        const a = mk("p1", "arn:aws:secretsmanager:us-east-1:1:secret:rds!db-aaaa-Knt2gK");
        const b = mk("p2", "arn:aws:secretsmanager:us-east-1:1:secret:rds!db-bbbb-S2NE0K");
        const na = normalizedChildren(a, a[0].urn, "p1");
        expect(childDifferences(na, normalizedChildren(b, b[0].urn, "p2"))).toEqual([]);
        expect(JSON.stringify(na.get("aws:iam/rolePolicy:RolePolicy p"))).toContain("skreg-db.masterUserSecrets[0].secretArn");
    });
});
