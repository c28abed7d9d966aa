import { InputPropertiesError, output, RunError } from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ComponentValidationError, describeGiven, parseArn, Validator } from "../../../provider/src/shared/validation";

function problemsOf(fn: (v: Validator) => void): string[] {
    const v = new Validator("Thing", "t1");
    fn(v);
    try {
        v.throwIfInvalid();
        return [];
    } catch (e) {
        return (e as ComponentValidationError).problems.map((p) => `${p.path}: ${p.given}; ${p.allowed}`);
    }
}

describe("Validator", () => {
    it("formats every problem as <Component> \"<name>\": <path>: <given>; <allowed> in one error", () => {
        const v = new Validator("ServicePlatform", "app");
        v.stage("stage", "Bad_Stage");
        v.integerInRange("network.availabilityZoneCount", 9, 1, 6);
        let error: unknown;
        try {
            v.throwIfInvalid();
        } catch (e) {
            error = e;
        }
        expect(error).toBeInstanceOf(ComponentValidationError);
        // A RunError: Pulumi's Node.js runtime prints its message only (no stack trace, no object dump).
        expect(RunError.isInstance(error)).toBe(true);
        expect(InputPropertiesError.isInstance(error)).toBe(false);
        const message = (error as Error).message;
        expect(message.split("\n")[0]).toBe('ServicePlatform "app" has 2 invalid arguments:');
        expect(message).toContain('ServicePlatform "app": stage: got "Bad_Stage"; lowercase letters, digits and single hyphens, starting and ending with a letter or digit, 1-32 characters (^[a-z0-9]+(-[a-z0-9]+)*$)');
        expect(message).toContain('ServicePlatform "app": network.availabilityZoneCount: got 9; an integer from 1 to 6');
        expect((error as ComponentValidationError).problems.map((p) => p.path)).toEqual(["stage", "network.availabilityZoneCount"]);
    });

    it("does not throw when nothing is wrong", () => {
        const v = new Validator("X", "y");
        v.stage("stage", "pr-123");
        v.accountAlias("accountAlias", "sandpit");
        expect(() => v.throwIfInvalid()).not.toThrow();
    });

    it.each([
        ["", "nothing was given"],
        ["UPPER", 'got "UPPER"'],
        ["a".repeat(33), "got"],
        ["under_score", 'got "under_score"'],
    ])("rejects stage %j", (stage, given) => {
        const problems = problemsOf((v) => v.stage("stage", stage === "" ? undefined : stage));
        expect(problems).toHaveLength(1);
        expect(problems[0]).toContain(given);
        expect(problems[0]).toMatch(/^stage: /);
    });

    it("rejects account aliases longer than 20 characters or with capitals", () => {
        expect(problemsOf((v) => v.accountAlias("accountAlias", "a".repeat(21)))[0]).toMatch(/^accountAlias: .*1-20 characters/);
        expect(problemsOf((v) => v.accountAlias("accountAlias", "Sandpit"))).toHaveLength(1);
        expect(problemsOf((v) => v.accountAlias("accountAlias", "a".repeat(20)))).toEqual([]);
    });

    it("skips values known only at deployment", () => {
        expect(problemsOf((v) => v.pattern("x", output("NOT-OK"), /^[a-z]+$/, "lowercase"))).toEqual([]);
        expect(describeGiven(output("secret"))).toBe("got a value known only at deployment");
    });

    it("rejects tag keys starting with aws: and non-string values", () => {
        const problems = problemsOf((v) => v.tags("tags", { "aws:owner": "x", Team: 5 as unknown as string, Ok: "fine" }));
        expect(problems).toHaveLength(2);
        expect(problems[0]).toMatch(/^tags\.aws:owner: /);
        expect(problems[1]).toMatch(/^tags\.Team: got 5; /);
    });

    it("checks ARN shape, service and resource prefix", () => {
        expect(problemsOf((v) => v.arn("a", "arn:aws:iam::123456789012:role/x", { service: "iam", resourcePrefix: "role/" }))).toEqual([]);
        expect(problemsOf((v) => v.arn("a", "not-an-arn", { service: "iam" }))[0]).toMatch(/^a: got "not-an-arn"; an iam ARN/);
        expect(problemsOf((v) => v.arn("a", "arn:aws:s3:::bucket", { service: "iam" }))).toHaveLength(1);
        expect(problemsOf((v) => v.arn("a", "arn:aws:iam::123456789012:user/x", { service: "iam", resourcePrefix: "role/" }))).toHaveLength(1);
        expect(parseArn("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf")).toEqual({
            partition: "aws",
            service: "secretsmanager",
            region: "us-east-1",
            account: "123456789012",
            resource: "secret:db-AbCdEf",
        });
    });

    it("reports every duplicate with the index of the first use", () => {
        const problems = problemsOf((v) => v.unique("services", ["api", "worker", "api", "api"], "service name"));
        expect(problems).toEqual([
            'services[2]: got "api"; each service name must be unique; services[0] already uses it',
            'services[3]: got "api"; each service name must be unique; services[0] already uses it',
        ]);
    });

    it("shortens long given values", () => {
        expect(describeGiven("x".repeat(500)).length).toBeLessThan(130);
    });
});
