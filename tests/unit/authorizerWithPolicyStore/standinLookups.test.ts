/**
 * What the OFFLINE STAND-IN answers for adoption (tests only): GetPolicyStore, DescribeUserPool and ListUserPools
 * from the simulated account, with AWS's not-found errors, and Verified Permissions' one identity source per store.
 */
import { describe, expect, it } from "vitest";
import { StandInProvider } from "../../standin/provider";

const urnOf = (type: string, name: string) => `urn:pulumi:dev::rampart::${type}::${name}`;

async function make(p: StandInProvider, type: string, name: string, inputs: Record<string, any>) {
    const urn = urnOf(type, name);
    const checked = await p.check(urn, {}, inputs);
    expect(checked.failures ?? []).toEqual([]);
    const created = await p.create(urn, checked.inputs);
    return { urn, id: created.id, outs: created.outs as Record<string, any> };
}

describe("stand-in look-ups for adopted policy stores and user pools", () => {
    it("finds a store and a pool by id and pools by name, and fails like AWS for missing ones", async () => {
        const p = new StandInProvider("aws");
        const store = await make(p, "aws:verifiedpermissions/policyStore:PolicyStore", "store", { validationSettings: { mode: "STRICT" } });
        const pool = await make(p, "aws:cognito/userPool:UserPool", "pool", { name: "docs-shared" });
        const found = (await p.invoke("aws:verifiedpermissions/getPolicyStore:getPolicyStore", { id: store.id })).outputs;
        expect(found).toMatchObject({ id: store.id, arn: store.outs.arn });
        await expect(p.invoke("aws:verifiedpermissions/getPolicyStore:getPolicyStore", { id: "PSnope" })).rejects.toThrow("ResourceNotFoundException");
        expect((await p.invoke("aws:cognito/getUserPool:getUserPool", { userPoolId: pool.id })).outputs).toMatchObject({ userPoolId: pool.id, arn: pool.outs.arn, name: "docs-shared" });
        await expect(p.invoke("aws:cognito/getUserPool:getUserPool", { userPoolId: "us-east-1_nope" })).rejects.toThrow("ResourceNotFoundException");
        expect((await p.invoke("aws:cognito/getUserPools:getUserPools", { name: "docs-shared" })).outputs.ids).toEqual([pool.id]);
        expect((await p.invoke("aws:cognito/getUserPools:getUserPools", { name: "docs-pr-1" })).outputs.ids ?? []).toEqual([]);
    });

    it("refuses a second identity source in one policy store", async () => {
        const p = new StandInProvider("aws");
        const store = await make(p, "aws:verifiedpermissions/policyStore:PolicyStore", "store", { validationSettings: { mode: "OFF" } });
        const source = (name: string) => ({
            policyStoreId: store.id,
            configuration: { cognitoUserPoolConfiguration: { userPoolArn: `arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_${name}`, clientIds: ["c"] } },
        });
        await make(p, "aws:verifiedpermissions/identitySource:IdentitySource", "first", source("First0001"));
        const urn = urnOf("aws:verifiedpermissions/identitySource:IdentitySource", "second");
        const checked = await p.check(urn, {}, source("Second001"));
        await expect(p.create(urn, checked.inputs)).rejects.toThrow(/ServiceQuotaExceededException: the policy store .* already has an identity source/);
    });
});
