import { describe, expect, it } from "vitest";
import { formatCidr, isPrivateBlock, parseCidr, planSubnets } from "../../../provider/src/servicePlatform/cidr";
import { describeFargateMemory, isValidFargateSize } from "../../../provider/src/shared/fargate";

describe("subnet planning", () => {
    it("uses skreg's layout for the default /16 over two zones", () => {
        expect(planSubnets("10.0.0.0/16", 2)).toEqual({
            publicSubnets: ["10.0.1.0/24", "10.0.2.0/24"],
            privateSubnets: ["10.0.10.0/24", "10.0.20.0/24"],
        });
    });

    it("plans six zones in a /16 without overlap", () => {
        const plan = planSubnets("172.20.0.0/16", 6)!;
        const all = [...plan.publicSubnets, ...plan.privateSubnets];
        expect(new Set(all).size).toBe(12);
        expect(plan.privateSubnets.at(-1)).toBe("172.20.60.0/24");
    });

    it("splits smaller blocks into sixteenths", () => {
        expect(planSubnets("192.168.4.0/22", 2)).toEqual({
            publicSubnets: ["192.168.4.64/26", "192.168.4.128/26"],
            privateSubnets: ["192.168.6.0/26", "192.168.6.64/26"],
        });
        expect(planSubnets("10.1.0.0/24", 3)?.publicSubnets[0]).toBe("10.1.0.16/28");
        expect(planSubnets("10.1.0.0/25", 2)).toBeUndefined();
    });

    it("parses only canonical CIDR blocks", () => {
        expect(parseCidr("10.0.0.1/16")).toBeUndefined();
        expect(parseCidr("300.0.0.0/8")).toBeUndefined();
        expect(parseCidr("10.0.0.0")).toBeUndefined();
        expect(formatCidr(parseCidr("10.2.0.0/16")!)).toBe("10.2.0.0/16");
        expect(isPrivateBlock(parseCidr("172.32.0.0/16")!)).toBe(false);
        expect(isPrivateBlock(parseCidr("172.31.0.0/16")!)).toBe(true);
    });
});

describe("Fargate task sizes", () => {
    it.each([
        [256, 512, true],
        [512, 1024, true],
        [256, 4096, false],
        [1024, 1024, false],
        [4096, 30720, true],
        [300, 512, false],
    ])("cpu %i / memory %i valid=%s", (cpu, memory, valid) => {
        expect(isValidFargateSize(cpu, memory)).toBe(valid);
    });

    it("explains the allowed memory for a cpu", () => {
        expect(describeFargateMemory(256)).toBe("with cpu 256, memory must be one of 512, 1024, 2048 MiB");
        expect(describeFargateMemory(1024)).toBe("with cpu 1024, memory must be one of 2048-8192 in steps of 1024 MiB");
        expect(describeFargateMemory(3)).toMatch(/^cpu must be one of 256, 512/);
    });
});
