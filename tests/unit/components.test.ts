import { describe, expect, it } from "vitest";
import { AuthorizerWithPolicyStore, Profile, ServicePlatform, ZeroTrustIdentity } from "../../provider/src";
import { ComponentValidationError } from "../../provider/src/shared/validation";
import { record, resolve } from "../utils/harness";

const APP_SCHEMA = JSON.stringify({ App: { entityTypes: { User: { memberOfTypes: ["UserGroup"] }, UserGroup: {}, Resource: {} }, actions: {} } });

describe("components", () => {
    it("registers nothing when arguments are invalid", async () => {
        const { recorder } = await record(() => {
            expect(() => new ServicePlatform("bad", { stage: "BAD", services: [{ name: "api", cpu: 256, memory: 4096 }] })).toThrow(ComponentValidationError);
            expect(() => new ZeroTrustIdentity("bad", { stage: "dev", spire: {} })).toThrow(/trustDomain/);
            expect(() => new AuthorizerWithPolicyStore("bad", { stage: "dev", accountAlias: "A", policyStore: {} })).toThrow(/accountAlias/);
        });
        expect(recorder.resources).toEqual([]);
    });

    it("ServicePlatform registers under its token and exports physical service names", async () => {
        const { result, recorder } = await record(() => new ServicePlatform("skreg", { stage: "dev", services: [{ name: "api", public: true }, { name: "worker" }] }));
        expect(recorder.one("rampart:index:ServicePlatform", "skreg").custom).toBe(false);
        expect(await resolve(result.serviceNames)).toEqual({ api: "api-dev", worker: "worker-dev" });
    });

    it("AuthorizerWithPolicyStore declares the alias of the earlier component type", async () => {
        const { recorder } = await record(
            () => new AuthorizerWithPolicyStore("auth", { stage: "pr-1", accountAlias: "sandpit", profile: Profile.Ephemeral, policyStore: { schema: APP_SCHEMA } }),
        );
        const component = recorder.one("rampart:index:AuthorizerWithPolicyStore", "auth");
        expect(component.options.aliases.join(" ")).toContain("verified-permissions-authorizer:index:AuthorizerWithPolicyStore");
    });
});
