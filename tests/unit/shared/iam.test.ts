import { describe, expect, it } from "vitest";
import { allow, allowOnAnyResource, IamPolicyError, policyDocument, serviceTrustPolicy } from "../../../provider/src/shared/iam";

describe("IAM policy helpers", () => {
    it("builds a scoped Allow statement with sorted, de-duplicated actions", () => {
        const s = allow({ sid: "Push", actions: ["ecr:PutImage", "ecr:BatchCheckLayerAvailability", "ecr:PutImage"], resources: ["arn:aws:ecr:us-east-1:123456789012:repository/api"] });
        expect(s).toEqual({
            Sid: "Push",
            Effect: "Allow",
            Action: ["ecr:BatchCheckLayerAvailability", "ecr:PutImage"],
            Resource: "arn:aws:ecr:us-east-1:123456789012:repository/api",
        });
    });

    it.each(["*", "s3:*", "s3:Get*", "GetObject"])("refuses action %j", (action) => {
        expect(() => allow({ actions: [action], resources: ["arn:aws:s3:::b"] })).toThrow(IamPolicyError);
    });

    it("refuses Resource * on allow()", () => {
        expect(() => allow({ actions: ["s3:GetObject"], resources: ["*"] })).toThrow(/Resource "\*" is not allowed/);
        expect(() => allow({ actions: ["s3:GetObject"], resources: [] })).toThrow(/at least one resource/);
    });

    it("allows Resource * only for actions AWS cannot scope", () => {
        expect(allowOnAnyResource({ actions: ["ecr:GetAuthorizationToken"] }).Resource).toBe("*");
        expect(() => allowOnAnyResource({ actions: ["ecr:GetAuthorizationToken", "ecr:PutImage"] })).toThrow(/ecr:PutImage can be scoped/);
    });

    it("builds service trust policies and rejects non-service principals", () => {
        expect(serviceTrustPolicy("ecs-tasks.amazonaws.com")).toEqual(
            policyDocument([{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: ["sts:AssumeRole"] }]),
        );
        expect(() => serviceTrustPolicy("*")).toThrow(IamPolicyError);
        expect(() => policyDocument([])).toThrow(/at least one statement/);
    });
});
