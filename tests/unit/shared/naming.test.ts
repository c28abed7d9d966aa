import { describe, expect, it } from "vitest";
import { isCleanName, NAMING_RULES, NamingRule, NamingRuleName, physicalName, physicalPart, shortHash } from "../../../provider/src/shared/naming";
import { isValidStage } from "../../../provider/src/shared/validation";

describe("physicalName", () => {
    it("joins prefix, stage and suffix", () => {
        expect(physicalName("ecsService", { prefix: "api", stage: "pr-12" })).toBe("api-pr-12");
        expect(physicalName("iamRoleName", { prefix: "skreg", stage: "prod", suffix: "ci" })).toBe("skreg-prod-ci");
    });

    it("respects each service's length limit and stays unique and stable when cut", () => {
        const stage = "a-very-long-stage-name-for-tests";
        const a = physicalName("loadBalancerName", { prefix: "platform", stage, suffix: "public-one" });
        const b = physicalName("loadBalancerName", { prefix: "platform", stage, suffix: "public-two" });
        expect(a.length).toBeLessThanOrEqual(NAMING_RULES.loadBalancerName.maxLength);
        expect(b.length).toBeLessThanOrEqual(NAMING_RULES.loadBalancerName.maxLength);
        expect(a).not.toBe(b);
        expect(physicalName("loadBalancerName", { prefix: "platform", stage, suffix: "public-one" })).toBe(a);
        expect(a.endsWith(shortHash(`platform-${stage}-public-one`))).toBe(true);
    });

    it("lowercases and replaces characters the service rejects, and then ends in a hash of the raw text", () => {
        expect(physicalName("s3Bucket", { prefix: "My_App", stage: "dev" })).toBe(`my-app-dev-${shortHash("My_App-dev")}`);
        expect(physicalName("rdsIdentifier", { prefix: "db--x", stage: "dev-" })).toBe(`db-x-dev-${shortHash("db--x-dev-")}`);
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

/** physicalName as it was before names that cleaning changes got a hash (commit dda2dee): the names existing stacks have. */
function legacyPhysicalName(rule: NamingRuleName, parts: { prefix: string; stage: string; suffix?: string }): string {
    const r: NamingRule = NAMING_RULES[rule];
    const legacyClean = (name: string): string => {
        let out = r.lowercase ? name.toLowerCase() : name;
        const allowed = new Set(r.allowed.split(""));
        out = Array.from(out).map((ch) => (/[a-zA-Z0-9]/.test(ch) || allowed.has(ch) ? ch : "-")).join("");
        if (r.noDoubleOrTrailingHyphen) out = out.replace(/-{2,}/g, "-").replace(/-+$/g, "").replace(/^-+/g, "");
        return out;
    };
    const full = [parts.prefix, parts.stage, parts.suffix].filter((p) => p !== undefined && p !== "").join("-");
    let name = legacyClean(full);
    if (name.length > r.maxLength) name = legacyClean(`${name.slice(0, r.maxLength - 6 - 1)}-${shortHash(full)}`);
    if (r.alphanumericStart && !/^[a-zA-Z]/.test(name)) name = legacyClean(`r${name}`.slice(0, r.maxLength));
    return name;
}

describe("physicalName keeps the names existing stacks have", () => {
    // Component names, stages and suffixes of the examples, the tests and the code's own suffixes.
    const prefixes = ["skreg", "unkey", "combine", "docs", "identity", "app", "api", "worker", "platform", "service-platform", "keep"];
    const stages = ["dev", "prod", "canary", "pr-1", "pr-2", "pr-7", "pr-12", "pr-123", "opts", "e2e-k3j9x2", "a-very-long-stage-name-for-tests", "s".repeat(32)];
    const suffixes = [undefined, "api", "worker", "ci", "db", "cache", "alb", "flow-logs", "authorizer", "client", "jwt-secret", "sandpit", "spire", "spire-server", "spire-execution", "spire-db", "spire-8081", "root-ca", "root-ca-certificate", "root-ca-private-key", "api/SIGNING_KEY", "public-one"];

    it("gives every valid component name, stage and suffix the same name as before, byte for byte", () => {
        let compared = 0;
        const differences: string[] = [];
        for (const rule of Object.keys(NAMING_RULES) as NamingRuleName[]) {
            for (const prefix of prefixes) {
                for (const stage of stages) {
                    for (const suffix of suffixes) {
                        const parts = { prefix, stage, suffix };
                        const full = [prefix, stage, suffix].filter(Boolean).join("-");
                        // Inputs today's cleaning changes are exactly the ones that may collide; the rest must not move.
                        const legacy = legacyPhysicalName(rule, parts);
                        if (legacy !== full && full.length <= NAMING_RULES[rule].maxLength) continue;
                        compared++;
                        const now = physicalName(rule, parts);
                        if (now !== legacy) differences.push(`${rule} ${full}: ${legacy} -> ${now}`);
                    }
                }
            }
        }
        expect(differences).toEqual([]);
        expect(compared).toBeGreaterThan(10_000);
    });

    it("keeps the names the reference stacks and examples are known to have", () => {
        expect(physicalName("ecrRepository", { prefix: "skreg", stage: "dev", suffix: "api" })).toBe("skreg-dev-api");
        expect(physicalName("rdsIdentifier", { prefix: "skreg", stage: "prod" })).toBe("skreg-prod");
        expect(physicalName("cognitoDomainPrefix", { prefix: "docs", stage: "pr-12", suffix: "sandpit" })).toBe("docs-pr-12-sandpit");
        expect(physicalName("ecsService", { prefix: "api", stage: "pr-12" })).toBe("api-pr-12");
    });
});

describe("physicalName never maps two different inputs to one name", () => {
    const rules = Object.keys(NAMING_RULES) as NamingRuleName[];

    it("stages `pr` and `pr-` give different names under every rule (the RDS identifier collided)", () => {
        for (const rule of rules) {
            expect(physicalName(rule, { prefix: "app", stage: "pr-" }), rule).not.toBe(physicalName(rule, { prefix: "app", stage: "pr" }));
            expect(physicalName(rule, { prefix: "app", stage: "pr-", suffix: "db" }), rule).not.toBe(physicalName(rule, { prefix: "app", stage: "pr", suffix: "db" }));
        }
        expect(physicalName("rdsIdentifier", { prefix: "app", stage: "pr" })).toBe("app-pr");
    });

    it("stage `-` (refused by validation) never collides with `app-api`, and gives `---` only where the service accepts it", () => {
        expect(isValidStage("-")).toBe(false);
        for (const rule of rules) {
            const name = physicalName(rule, { prefix: "app", stage: "-", suffix: "api" });
            if ((NAMING_RULES[rule] as NamingRule).noDoubleOrTrailingHyphen) expect(name, rule).not.toContain("--");
            expect(name, rule).not.toBe(physicalName(rule, { prefix: "app", stage: "api" }));
        }
    });

    it("component names `My_App`, `my_app`, `my-app` and `My-App` stay apart where the service lowercases or rejects `_`", () => {
        for (const rule of rules) {
            const names = ["My_App", "my_app", "my-app", "My-App", "my.app", "my app"].map((prefix) => physicalName(rule, { prefix, stage: "dev", suffix: "api" }));
            expect(new Set(names).size, `${rule}: ${names.join(", ")}`).toBe(names.length);
        }
        expect(physicalName("s3Bucket", { prefix: "my-app", stage: "dev" })).toBe("my-app-dev");
    });

    it("a name that must start with a letter and one that already does stay apart (`1db` and `r1db`)", () => {
        for (const rule of rules) {
            expect(physicalName(rule, { prefix: "1db", stage: "dev" }), rule).not.toBe(physicalName(rule, { prefix: "r1db", stage: "dev" }));
        }
        expect(physicalName("rdsIdentifier", { prefix: "1db", stage: "dev" })).toMatch(/^r1db-dev-[0-9a-f]{6}$/);
    });

    it("every name it gives is valid for its rule", () => {
        const inputs = ["My_App", "-", "--", "x", "1", "a".repeat(300), "Ünïcode", "a/b", "pr-", "UPPER"];
        for (const rule of rules) {
            for (const prefix of inputs) {
                for (const stage of ["dev", "pr-", "-", "S".repeat(32)]) {
                    const name = physicalName(rule, { prefix, stage, suffix: "api" });
                    expect(isCleanName(name, rule), `${rule} ${prefix} ${stage}: ${name}`).toBe(true);
                }
            }
        }
    });

    it("many distinct lossy inputs give distinct names", () => {
        const names = new Set<string>();
        const count = 2000;
        for (let i = 0; i < count; i++) names.add(physicalName("rdsIdentifier", { prefix: `App_${i}`, stage: "dev" }));
        expect(names.size).toBe(count);
    });
});

describe("physicalPart", () => {
    it("keeps a valid segment and hashes one it has to clean, without letting a `/` add a segment", () => {
        expect(physicalPart("pathSegment", "unkey")).toBe("unkey");
        expect(physicalPart("pathSegment", "unkey-prod")).toBe("unkey-prod");
        expect(physicalPart("pathSegment", "a/b")).toBe(`a-b-${shortHash("a/b")}`);
        expect(physicalPart("pathSegment", "a/b")).not.toBe(physicalPart("pathSegment", "a-b"));
    });
});

describe("isValidStage", () => {
    it("accepts the stages the examples and docs use", () => {
        for (const stage of ["dev", "prod", "canary", "pr-1", "pr-123", "e2e-k3j9x2", "1", "s".repeat(32), "a-b-c"]) expect(isValidStage(stage), stage).toBe(true);
    });

    it("refuses stages AWS names cannot carry as they are", () => {
        for (const stage of ["", "-", "pr-", "-pr", "pr--1", "Dev", "pr_1", "pr.1", "s".repeat(33), "pr 1"]) expect(isValidStage(stage), stage).toBe(false);
    });

    it("leaves every valid stage clean in every rule, so its names carry no hash", () => {
        for (const stage of ["dev", "pr-1", "e2e-k3j9x2"]) {
            for (const rule of Object.keys(NAMING_RULES) as NamingRuleName[]) expect(physicalName(rule, { prefix: "app", stage }), rule).toBe(`app-${stage}`);
        }
    });
});

describe("names the service reserves", () => {
    it("never begins a load balancer name with internal- (ALB and NLB refuse it)", () => {
        const name = physicalName("loadBalancerName", { prefix: "internal", stage: "dev" });
        expect(name.startsWith("internal-")).toBe(false);
        expect(name).toMatch(/^rinternal-dev-[0-9a-f]{6}$/);
        expect(physicalName("loadBalancerName", { prefix: "intern", stage: "dev" })).toBe("intern-dev");
    });

    it("never begins or ends a bucket name the way S3 reserves", () => {
        expect(physicalName("s3Bucket", { prefix: "sthree", stage: "dev" }).startsWith("sthree-")).toBe(false);
        const alias = physicalName("s3Bucket", { prefix: "app", stage: "dev", suffix: "s3alias" });
        expect(alias.endsWith("-s3alias")).toBe(false);
        expect(alias).toMatch(/^app-dev-s3alias-[0-9a-f]{6}$/);
    });
});
