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
