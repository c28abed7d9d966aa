import { describe, expect, it } from "vitest";
import { Compute, NatGateways, ServicePlatformArgs } from "../../../provider/src/servicePlatform/args";
import { estimateMonthlyCost, HOURS_PER_MONTH, PRICES } from "../../../provider/src/servicePlatform/cost";
import { resolveSettings } from "../../../provider/src/servicePlatform/settings";
import { Profile } from "../../../provider/src/shared/profile";
import { build, skregArgs, resolve } from "./fixtures";

const estimate = (args: ServicePlatformArgs, storedSecretCount = 0) => estimateMonthlyCost(resolveSettings("app", args), { storedSecretCount });
const item = (args: ServicePlatformArgs, key: string) => estimate(args).lineItems.find((i) => i.key === key)?.monthlyUsd;

describe("idle cost estimate", () => {
    it("prices skreg's ephemeral default under $60 with private tasks (NAT instance, Fargate Spot)", () => {
        const e = estimate(skregArgs());
        expect(Object.fromEntries(e.lineItems.map((i) => [i.key, i.monthlyUsd]))).toEqual({
            "nat-instance": 3.07,
            "nat-instance-volume": 0.64,
            "nat-public-ipv4": 3.65,
            "load-balancer": 16.43,
            "load-balancer-public-ipv4": 7.3,
            "fargate:api": 5.41,
            "fargate:worker": 2.7,
            "rds-instance": 11.68,
            "rds-storage": 2.3,
            "secrets-manager": 0.4,
        });
        expect(e.totalUsd).toBe(53.58);
        expect(e.totalUsd).toBeLessThan(60);
    });

    it("reproduces the $89 anchor's drivers with one NAT gateway and on-demand Fargate", () => {
        const args: ServicePlatformArgs = {
            ...skregArgs(),
            network: { natGateways: NatGateways.Single },
            services: skregArgs().services.map((s) => ({ ...s, spot: false })),
        };
        const e = estimate(args);
        expect(item(args, "nat-gateways")).toBe(32.85);
        expect(item(args, "fargate:api")).toBe(18.02);
        expect(item(args, "fargate:worker")).toBe(9.01);
        // The anchor leaves out public IPv4 charges (NAT EIP, ALB addresses) and the RDS secret: $11.35 here.
        const withoutIpv4AndSecret = e.totalUsd - item(args, "nat-public-ipv4")! - item(args, "load-balancer-public-ipv4")! - item(args, "secrets-manager")!;
        expect(withoutIpv4AndSecret).toBeCloseTo(90.29, 2);
    });

    it("doubles the database for multi-AZ and runs a NAT gateway per zone in production", () => {
        const args = { ...skregArgs(Profile.Production), network: { availabilityZoneCount: 3 } };
        expect(item(args, "rds-instance")).toBe(23.36);
        expect(item(args, "rds-storage")).toBe(4.6);
        expect(item(args, "nat-gateways")).toBe(98.55);
        expect(item(args, "nat-public-ipv4")).toBe(10.95);
        expect(item(args, "load-balancer-public-ipv4")).toBe(10.95);
        expect(item(args, "fargate:api")).toBe(18.02);
    });

    it("counts the cache minimum, App Runner provisioned memory, stored secrets and interface endpoints", () => {
        expect(item({ ...skregArgs(), cache: {} }, "elasticache")).toBe(6.13);
        const combine: ServicePlatformArgs = {
            stage: "dev",
            compute: Compute.AppRunner,
            services: [{ name: "web", cpu: 256, memory: 512, public: true, useDatabase: true, secrets: { A: "x", B: "y" } }],
            database: {},
        };
        const e = estimate(combine, 2);
        expect(e.lineItems.find((i) => i.key === "appRunner:web")?.monthlyUsd).toBe(2.56);
        expect(e.lineItems.find((i) => i.key === "secrets-manager")?.monthlyUsd).toBe(1.2);
        expect(e.lineItems.some((i) => i.key === "load-balancer")).toBe(false);
        expect(e.totalUsd).toBeGreaterThan(22);
        expect(e.totalUsd).toBeLessThan(37);
        // Every service public: no apprunner.requests endpoint.
        expect(e.lineItems.some((i) => i.key === "apprunner-requests-endpoint")).toBe(false);
        // A private App Runner service: one apprunner.requests interface endpoint in each of the 2 zones, at the interface endpoint rate.
        const withPrivate = { ...combine, services: [...combine.services, { name: "internal", imageTag: "sha-1" }] };
        expect(item(withPrivate, "apprunner-requests-endpoint")).toBe(2 * PRICES.interfaceEndpointHour * HOURS_PER_MONTH);
        const noNat = { ...skregArgs(), network: { natGateways: NatGateways.None } };
        expect(item(noNat, "interface-endpoints")).toBe(4 * 2 * 0.01 * HOURS_PER_MONTH);
        expect(item(noNat, "nat-instance")).toBeUndefined();
    });

    it("leaves out what the user owns and unknown instance classes", () => {
        const args: ServicePlatformArgs = {
            ...skregArgs(),
            network: { existingVpc: { vpcId: "vpc-1", publicSubnetIds: ["a", "b"], privateSubnetIds: ["c", "d"] } },
            database: { instanceClass: "db.r7g.large" },
            domain: { name: "api.example.com", hostedZoneId: "Z1" },
        };
        const e = estimate(args);
        expect(e.lineItems.filter((i) => i.key.startsWith("nat"))).toEqual([]);
        expect(e.lineItems.find((i) => i.key === "rds-instance")).toEqual({ key: "rds-instance", description: "db.r7g.large: not in the price table, not counted", monthlyUsd: 0 });
        expect(e.lineItems.some((i) => i.key.includes("route53"))).toBe(false);
        expect(PRICES.route53ZoneMonth).toBe(0.5);
    });

    it("is the platform's estimatedMonthlyCostUsd output", async () => {
        const b = await build(skregArgs());
        expect(await resolve(b.platform.estimatedMonthlyCostUsd)).toBe(53.58);
    });
});
