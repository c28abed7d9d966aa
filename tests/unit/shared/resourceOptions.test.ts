/**
 * Resource options a user gives a component reach its children, and a profile only ever adds
 * protection (issue 12, item 5). Through the resource recorder: what each child's registration
 * sets, and what it ends up with once inheritance is applied the way Pulumi applies it:
 *  - `protect`: the Node SDK copies the parent's `protect` into a child that sets none
 *    (`Resource` constructor, @pulumi/pulumi 3.270 resource.js), so the recorder sees it;
 *  - `retainOnDelete`: the engine fills in the parent's value when a registration leaves it unset
 *    (`inheritFromParent` in pkg/resource/deploy/source_eval.go, Pulumi v3.276), which the mock
 *    monitor does not do, so `effective` below applies that rule over the recorded tree.
 * The e2e suite tests/e2e/componentOptions.test.ts shows the same through the real engine.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { AuthorizerWithPolicyStore, AuthorizerWithPolicyStoreArgs } from "../../../provider/src/authorizerWithPolicyStore";
import { ComponentScope } from "../../../provider/src/shared/scope";
import { Profile } from "../../../provider/src/shared/profile";
import { ServicePlatform, ServicePlatformArgs } from "../../../provider/src/servicePlatform";
import { ZeroTrustIdentity } from "../../../provider/src/zeroTrustIdentity";
import { record, RecordedResource, ResourceRecorder } from "../../utils/harness";
import { SAMPLE_POLICY_DIR, SAMPLE_SCHEMA_FILE } from "../authorizerWithPolicyStore/fixtures";
import { computeState as platformState, skregArgs } from "../servicePlatform/fixtures";
import { computeState as identityState, referenceArgs } from "../zeroTrustIdentity/helpers";

type Option = "retainOnDelete" | "protect";

/** The value a resource ends up with: its own, else its parent's (as the engine and SDK inherit). */
function effective(recorder: ResourceRecorder, r: RecordedResource, option: Option, root: boolean | undefined): boolean | undefined {
    const own = r.options[option];
    if (own !== undefined) return own;
    const parent = recorder.byUrn(r.parentUrn);
    if (!parent) return root;
    return effective(recorder, parent, option, root);
}

const platformArgs = (profile: Profile): ServicePlatformArgs => ({ ...skregArgs(profile), storage: { cdn: false } });
const authorizerArgs = (profile: Profile): AuthorizerWithPolicyStoreArgs => ({
    stage: profile === Profile.Production ? "prod" : "pr-7",
    accountAlias: "sandpit",
    profile,
    policyStore: { schemaFile: SAMPLE_SCHEMA_FILE, policyDir: SAMPLE_POLICY_DIR },
    ...(profile === Profile.Production ? { cognito: { enabled: true } } : {}),
});

interface Case {
    component: string;
    build: (profile: Profile, opts?: pulumi.ComponentResourceOptions, extra?: Record<string, unknown>) => Promise<ResourceRecorder>;
    /** Types of the data stores the production profile keeps and protects. */
    dataStores: string[];
}

const CASES: Case[] = [
    {
        component: "ServicePlatform",
        build: async (profile, opts, extra) =>
            (await record(() => new ServicePlatform("skreg", { ...platformArgs(profile), ...extra }, opts), { computeState: platformState })).recorder,
        dataStores: ["aws:cloudwatch/logGroup:LogGroup", "aws:ecr/repository:Repository", "aws:rds/instance:Instance", "aws:s3/bucket:Bucket"],
    },
    {
        component: "AuthorizerWithPolicyStore",
        build: async (profile, opts, extra) => (await record(() => new AuthorizerWithPolicyStore("docs", { ...authorizerArgs(profile), ...extra }, opts))).recorder,
        dataStores: ["aws:cloudwatch/logGroup:LogGroup", "aws:cognito/userPool:UserPool", "aws:dynamodb/table:Table", "aws:verifiedpermissions/policyStore:PolicyStore"],
    },
    {
        component: "ZeroTrustIdentity",
        build: async (profile, opts, extra) =>
            (await record(() => new ZeroTrustIdentity("unkey", { ...referenceArgs(profile), ...extra }, opts), { computeState: identityState })).recorder,
        dataStores: ["aws:cloudwatch/logGroup:LogGroup", "aws:kms/key:Key", "aws:rds/instance:Instance", "aws:s3/bucket:Bucket", "aws:secretsmanager/secret:Secret"],
    },
];

const customs = (recorder: ResourceRecorder) => recorder.resources.filter((r) => r.custom);
const typesWith = (recorder: ResourceRecorder, option: Option) =>
    [...new Set(customs(recorder).filter((r) => r.options[option] === true).map((r) => r.type))].sort();

describe.each(CASES)("$component: the user's resource options reach every child", ({ build, dataStores }) => {
    for (const profile of [Profile.Ephemeral, Profile.Production]) {
        it(`${profile}: no child sets retainOnDelete or protect to false, so the user's options are never overridden`, async () => {
            const recorder = await build(profile);
            const overriding = customs(recorder).filter((r) => r.options.retainOnDelete === false || r.options.protect === false);
            expect(overriding.map((r) => `${r.type} ${r.name}`)).toEqual([]);
        });

        it(`${profile}: retainOnDelete: true on the component keeps every custom child on destroy`, async () => {
            const recorder = await build(profile, { retainOnDelete: true });
            const component = recorder.resources.find((r) => !r.custom && r.parentUrn === "" )!;
            expect(component.options.retainOnDelete).toBe(true);
            const deleted = customs(recorder).filter((r) => effective(recorder, r, "retainOnDelete", undefined) !== true);
            expect(deleted.map((r) => `${r.type} ${r.name}`)).toEqual([]);
        });

        it(`${profile}: protect: true on the component protects every custom child`, async () => {
            const recorder = await build(profile, { protect: true });
            const unprotected = customs(recorder).filter((r) => r.options.protect !== true);
            expect(unprotected.map((r) => `${r.type} ${r.name}`)).toEqual([]);
        });
    }

    it("ephemeral: without options nothing is kept or protected", async () => {
        const recorder = await build(Profile.Ephemeral);
        expect(customs(recorder).filter((r) => effective(recorder, r, "retainOnDelete", undefined)).map((r) => r.name)).toEqual([]);
        expect(customs(recorder).filter((r) => r.options.protect).map((r) => r.name)).toEqual([]);
    });

    it("production: the profile adds retainOnDelete and protect on exactly the data stores", async () => {
        const recorder = await build(Profile.Production);
        expect(typesWith(recorder, "retainOnDelete")).toEqual(dataStores);
        // Children parented to a data store (a bucket's policy, a key's alias, a secret's value) inherit its protection.
        const ownProtect = customs(recorder).filter((r) => r.options.protect === true && !recorder.byUrn(r.parentUrn)?.options.protect);
        expect([...new Set(ownProtect.map((r) => r.type))].sort()).toEqual(dataStores);
    });

    it("production: protectDataStores: false and retainOnDelete: false switch the profile's additions off", async () => {
        const recorder = await build(Profile.Production, undefined, { protectDataStores: false, retainOnDelete: false });
        expect(typesWith(recorder, "protect")).toEqual([]);
        expect(typesWith(recorder, "retainOnDelete")).toEqual([]);
    });

    it("production: the arguments switched off still leave the user's own resource options in force", async () => {
        const recorder = await build(Profile.Production, { retainOnDelete: true, protect: true }, { protectDataStores: false, retainOnDelete: false });
        expect(customs(recorder).filter((r) => effective(recorder, r, "retainOnDelete", undefined) !== true).map((r) => r.name)).toEqual([]);
        expect(customs(recorder).filter((r) => r.options.protect !== true).map((r) => r.name)).toEqual([]);
    });
});

describe("ComponentScope.dataOpts", () => {
    const scopeWith = (retainOnDelete: boolean, protectDataStores?: boolean) =>
        new ComponentScope({} as pulumi.ComponentResource, "app", { stage: "dev", profile: Profile.Ephemeral, retainOnDelete, protectDataStores });

    it("sets only what adds protection", () => {
        expect(scopeWith(false).dataOpts()).not.toHaveProperty("retainOnDelete");
        expect(scopeWith(false).dataOpts()).not.toHaveProperty("protect");
        expect(scopeWith(true, true).dataOpts()).toMatchObject({ retainOnDelete: true, protect: true });
        expect(scopeWith(false, true).dataOpts()).not.toHaveProperty("retainOnDelete");
    });

    it("keeps the caller's extra options", () => {
        expect(scopeWith(true).dataOpts({ ignoreChanges: ["name"] })).toMatchObject({ retainOnDelete: true, ignoreChanges: ["name"] });
    });
});
