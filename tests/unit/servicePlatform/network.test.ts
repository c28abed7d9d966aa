import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ServicePlatform } from "../../../provider/src/servicePlatform";
import { ComponentValidationError } from "../../../provider/src/shared/validation";
import { record, withRejectionsCollected } from "../../utils/harness";
import { NatGateways } from "../../../provider/src/servicePlatform/args";
import { NAT_INSTANCE_AMI_PARAMETER, NAT_INSTANCE_USER_DATA } from "../../../provider/src/servicePlatform/network";
import { assertGuardrails } from "../../utils/guardrails";
import { build, computeState, Profile, resolve, skregArgs, T } from "./fixtures";

describe("network", () => {
    it("plans skreg's subnets, routes private subnets through a locked-down NAT instance, and locks the default security group", async () => {
        const b = await build(skregArgs(), "skreg");
        expect(b.one(T.vpc).inputs).toMatchObject({ cidrBlock: "10.0.0.0/16", enableDnsHostnames: true, enableDnsSupport: true });
        expect(b.all(T.subnet).map((s) => [s.name, s.inputs.cidrBlock, s.inputs.availabilityZone, s.inputs.mapPublicIpOnLaunch])).toEqual([
            ["skreg-public-1", "10.0.1.0/24", "us-east-1a", false],
            ["skreg-public-2", "10.0.2.0/24", "us-east-1b", false],
            ["skreg-private-1", "10.0.10.0/24", "us-east-1a", false],
            ["skreg-private-2", "10.0.20.0/24", "us-east-1b", false],
        ]);
        const defaultSg = b.one(T.defaultSg);
        expect(defaultSg.inputs.ingress ?? []).toEqual([]);
        expect(defaultSg.inputs.egress ?? []).toEqual([]);

        const nat = b.one(T.instance, "skreg-nat-instance");
        expect(nat.inputs).toMatchObject({
            instanceType: "t4g.nano",
            sourceDestCheck: false,
            associatePublicIpAddress: true,
            metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
            rootBlockDevice: { encrypted: true, volumeType: "gp3" },
            subnetId: "skreg-public-1-id",
            userData: NAT_INSTANCE_USER_DATA,
        });
        expect(nat.inputs.keyName).toBeUndefined();
        // Kept patched (issue 13 item 6): managed by SSM through its instance profile, patched weekly by Patch Manager.
        const natRole = b.one(T.role, "skreg-nat-role");
        expect(JSON.parse(natRole.inputs.assumeRolePolicy).Statement[0].Principal).toEqual({ Service: "ec2.amazonaws.com" });
        expect(b.all("aws:iam/rolePolicy:RolePolicy").filter((r) => r.inputs.role === natRole.state.id || r.name.includes("nat"))).toEqual([]);
        expect(b.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "skreg-nat-role-ssm").inputs).toMatchObject({
            role: natRole.state.name ?? natRole.inputs.name,
            policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
        });
        const profile = b.one("aws:iam/instanceProfile:InstanceProfile", "skreg-nat-profile");
        expect(nat.inputs.iamInstanceProfile).toBe(profile.state.name ?? profile.inputs.name);
        expect(b.one("aws:ssm/association:Association", "skreg-nat-patching").inputs).toMatchObject({
            name: "AWS-RunPatchBaseline",
            associationName: "skreg-dev-nat-patching",
            scheduleExpression: "cron(0 4 ? * SUN *)",
            applyOnlyAtCronInterval: false,
            parameters: { Operation: "Install", RebootOption: "RebootIfNeeded" },
            targets: [{ key: "InstanceIds", values: [nat.state.id] }],
        });
        expect(nat.options.ignoreChanges).toEqual(["ami"]);
        // It boots after its subnet routes to the internet (its user data installs packages, once).
        const urnOf = (type: string, name: string) => b.one(type, name).urn;
        expect(nat.options.dependencies).toEqual(
            expect.arrayContaining([urnOf(T.route, "skreg-public-default-route"), urnOf("aws:ec2/routeTableAssociation:RouteTableAssociation", "skreg-public-1-rta"), urnOf("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "skreg-nat-role-ssm")]),
        );
        expect(NAT_INSTANCE_AMI_PARAMETER).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
        expect(NAT_INSTANCE_USER_DATA).toMatch(/net\.ipv4\.ip_forward = 1/);
        expect(NAT_INSTANCE_USER_DATA).toMatch(/-j MASQUERADE/);
        const natIngress = b.all(T.ingress).filter((r) => r.inputs.securityGroupId === "skreg-nat-sg-id");
        expect(natIngress.map((r) => [r.inputs.cidrIpv4, r.inputs.ipProtocol])).toEqual([["10.0.0.0/16", "-1"]]);
        expect(b.all(T.ingress).some((r) => r.inputs.fromPort === 22)).toBe(false);

        const privateDefaults = b.all(T.route).filter((r) => r.name.startsWith("skreg-private"));
        expect(privateDefaults.map((r) => [r.inputs.routeTableId, r.inputs.networkInterfaceId])).toEqual([
            ["skreg-private-1-rt-id", "eni-0123456789abcdef0"],
            ["skreg-private-2-rt-id", "eni-0123456789abcdef0"],
        ]);
        expect(b.one(T.route, "skreg-public-default-route").inputs).toMatchObject({ destinationCidrBlock: "0.0.0.0/0", gatewayId: "skreg-igw-id" });
        expect(b.one(T.endpoint, "skreg-s3-endpoint").inputs).toMatchObject({ vpcEndpointType: "Gateway", serviceName: "com.amazonaws.us-east-1.s3" });
        expect(b.all(T.natGateway)).toHaveLength(0);
        expect(b.all(T.flowLog)).toHaveLength(0);
        expect(await resolve(b.platform.privateSubnetIds)).toEqual(["skreg-private-1-id", "skreg-private-2-id"]);
        expect(await resolve(b.platform.publicSubnetIds)).toEqual(["skreg-public-1-id", "skreg-public-2-id"]);
        expect(await resolve(b.platform.vpcId)).toBe("skreg-vpc-id");
    });

    it("runs a NAT gateway per zone and flow logs with a scoped role in production", async () => {
        const args = { ...skregArgs(Profile.Production), network: { availabilityZoneCount: 3, cidrBlock: "172.20.0.0/16" } };
        const b = await build(args, "skreg");
        expect(b.all(T.natGateway).map((n) => n.inputs.subnetId)).toEqual(["skreg-public-1-id", "skreg-public-2-id", "skreg-public-3-id"]);
        expect(b.all(T.eip)).toHaveLength(3);
        expect(b.all(T.route).filter((r) => r.inputs.natGatewayId).map((r) => r.inputs.natGatewayId)).toEqual(["skreg-nat-1-id", "skreg-nat-2-id", "skreg-nat-3-id"]);
        expect(b.all(T.instance)).toHaveLength(0);
        const flowLog = b.one(T.flowLog);
        expect(flowLog.inputs).toMatchObject({ trafficType: "ALL", logDestinationType: "cloud-watch-logs", vpcId: "skreg-vpc-id" });
        expect(b.one(T.logGroup, "skreg-flow-logs").inputs).toMatchObject({ name: "/rampart/skreg-prod/vpc-flow-logs", retentionInDays: 90 });
        const policy = JSON.parse(b.one(T.rolePolicy, "skreg-flow-logs-policy").inputs.policy);
        expect(policy.Statement[0].Resource).toEqual([
            "arn:aws:logs:us-east-1:123456789012:log-group:/rampart/skreg-prod/vpc-flow-logs",
            "arn:aws:logs:us-east-1:123456789012:log-group:/rampart/skreg-prod/vpc-flow-logs:log-stream:*",
        ]);
        const trust = JSON.parse(b.one(T.role, "skreg-flow-logs-role").inputs.assumeRolePolicy);
        expect(trust.Statement[0]).toMatchObject({ Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } });
        assertGuardrails(b.recorder.resources, { profile: "production" });
    });

    it("shares one NAT gateway with `single`, and uses interface endpoints instead of NAT with `none`", async () => {
        const single = await build({ ...skregArgs(), network: { natGateways: NatGateways.Single } });
        expect(single.all(T.natGateway)).toHaveLength(1);
        expect(single.all(T.route).filter((r) => r.inputs.natGatewayId).map((r) => r.inputs.natGatewayId)).toEqual(["app-nat-1-id", "app-nat-1-id"]);

        const none = await build({ ...skregArgs(), network: { natGateways: NatGateways.None } });
        expect(none.all(T.natGateway)).toHaveLength(0);
        expect(none.all(T.instance)).toHaveLength(0);
        expect(none.all(T.route).filter((r) => r.name.startsWith("app-private"))).toHaveLength(0);
        const endpoints = none.all(T.endpoint).filter((e) => e.inputs.vpcEndpointType === "Interface");
        expect(endpoints.map((e) => e.inputs.serviceName)).toEqual(["ecr.api", "ecr.dkr", "logs", "secretsmanager"].map((s) => `com.amazonaws.us-east-1.${s}`));
        expect(endpoints.every((e) => e.inputs.privateDnsEnabled === true && e.inputs.securityGroupIds[0] === "app-endpoints-sg-id")).toBe(true);
        assertGuardrails(none.recorder.resources, { profile: "ephemeral" });
    });

    it("creates no network with an existing VPC and uses its subnets", async () => {
        const b = await build({ ...skregArgs(), network: { existingVpc: { vpcId: "vpc-123", publicSubnetIds: ["subnet-p1", "subnet-p2"], privateSubnetIds: ["subnet-q1", "subnet-q2"] } } });
        for (const type of [T.vpc, T.subnet, T.routeTable, T.natGateway, T.instance, T.defaultSg, T.endpoint]) expect(b.all(type)).toHaveLength(0);
        expect(b.one(T.lb).inputs.subnets).toEqual(["subnet-p1", "subnet-p2"]);
        expect(b.one(T.ecsService, "app-service-api").inputs.networkConfiguration.subnets).toEqual(["subnet-q1", "subnet-q2"]);
        expect(b.one(T.sg, "app-db-sg").inputs.vpcId).toBe("vpc-123");
        expect(await resolve(b.platform.vpcId)).toBe("vpc-123");
    });

    it("takes an existing VPC's subnet lists as Outputs (another stack's or resource's): same resources, same estimate", async () => {
        const plain = { vpcId: "vpc-123", publicSubnetIds: ["subnet-p1", "subnet-p2"], privateSubnetIds: ["subnet-q1", "subnet-q2"] };
        const b = await build({ ...skregArgs(), network: { existingVpc: { vpcId: pulumi.output("vpc-123"), publicSubnetIds: pulumi.output(plain.publicSubnetIds), privateSubnetIds: pulumi.output(plain.privateSubnetIds) } } });
        expect(b.one(T.lb).inputs.subnets).toEqual(["subnet-p1", "subnet-p2"]);
        expect(b.one(T.ecsService, "app-service-api").inputs.networkConfiguration.subnets).toEqual(["subnet-q1", "subnet-q2"]);
        expect(await resolve(b.platform.privateSubnetIds)).toEqual(["subnet-q1", "subnet-q2"]);
        const known = await build({ ...skregArgs(), network: { existingVpc: plain } });
        expect(await resolve(b.platform.estimatedMonthlyCostUsd)).toBe(await resolve(known.platform.estimatedMonthlyCostUsd));
    });

    it("checks an Output subnet list when it resolves: one public subnet for the load balancer is the same one error as at preview", async () => {
        const existing = { vpcId: "vpc-123", publicSubnetIds: ["subnet-p1"], privateSubnetIds: ["subnet-q1", "subnet-q2"] };
        const line = "network.existingVpc.publicSubnetIds: got 1 subnet; at least 2 availability zones: the load balancer and the database subnet group must span two zones";
        expect(() => new ServicePlatform("app", { ...skregArgs(), network: { existingVpc: existing } })).toThrow(line);
        const failing = await recordFailing(() => new ServicePlatform("app", { ...skregArgs(), network: { existingVpc: { ...existing, publicSubnetIds: pulumi.output(existing.publicSubnetIds) } } }));
        expect([...new Set(failing.errors.map((e) => e.message))]).toEqual([`ServicePlatform "app" has an invalid argument:\n  ServicePlatform "app": ${line}`]);
        expect(failing.recorder.byType(T.lb)).toEqual([]);
    });
});

/** Runs a program whose resource inputs fail once an Output resolves (reported as unhandled rejections in tests): returns them. */
async function recordFailing(fn: () => unknown) {
    return withRejectionsCollected(async (errors: Error[]) => {
        const { recorder } = await record(fn, { computeState });
        await new Promise((done) => setTimeout(done, 50));
        return { errors: errors.filter((e) => e instanceof ComponentValidationError), recorder };
    });
}
