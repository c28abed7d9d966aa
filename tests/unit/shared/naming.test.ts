import { describe, expect, it } from "vitest";
import { NAMING_RULES, physicalName, shortHash } from "../../../provider/src/shared/naming";

describe("physicalName", () => {
    it("joins prefix, stage and suffix", () => {
        expect(physicalName("ecsService", { prefix: "api", stage: "pr-12" })).toBe("api-pr-12");
        expect(physicalName("iamRoleName", { prefix: "skreg", stage: "prod", suffix: "ci" })).toBe("skreg-prod-ci");
    });

    it("respects each service's length limit and stays unique and stable when cut", () => {
        const stage = "a-very-long-stage-name-for-tests";
        const a = physicalName("albName", { prefix: "platform", stage, suffix: "public-one" });
        const b = physicalName("albName", { prefix: "platform", stage, suffix: "public-two" });
        expect(a.length).toBeLessThanOrEqual(NAMING_RULES.albName.maxLength);
        expect(b.length).toBeLessThanOrEqual(NAMING_RULES.albName.maxLength);
        expect(a).not.toBe(b);
        expect(physicalName("albName", { prefix: "platform", stage, suffix: "public-one" })).toBe(a);
        expect(a.endsWith(shortHash(`platform-${stage}-public-one`))).toBe(true);
    });

    it("lowercases and replaces characters the service rejects", () => {
        expect(physicalName("s3Bucket", { prefix: "My_App", stage: "dev" })).toBe("my-app-dev");
        expect(physicalName("rdsIdentifier", { prefix: "db--x", stage: "dev-" })).toBe("db-x-dev");
    });

    it("starts with a letter where the service requires it", () => {
        expect(physicalName("rdsIdentifier", { prefix: "1db", stage: "dev" })).toMatch(/^[a-z]/);
    });

    it("fits every rule for the longest stage", () => {
        const stage = "s".repeat(32);
        for (const [rule, spec] of Object.entries(NAMING_RULES)) {
            const name = physicalName(rule as keyof typeof NAMING_RULES, { prefix: "service-platform", stage, suffix: "component-suffix" });
            expect(name.length, rule).toBeLessThanOrEqual(spec.maxLength);
            if ("noDoubleOrTrailingHyphen" in spec && spec.noDoubleOrTrailingHyphen) {
                expect(name, rule).not.toMatch(/--|-$/);
            }
        }
    });
});
