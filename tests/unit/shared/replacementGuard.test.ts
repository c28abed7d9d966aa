/**
 * The replacement guard (provider/src/shared/replacementGuard.ts) and where ServicePlatform uses it: the RDS instance
 * (database.allowReplacement) and the ECR repositories (allowRepositoryReplacement). The mocks stand for a running
 * stack: computeState makes a resource report what it was created with, as ignoreChanges keeps it in AWS.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ServicePlatformArgs } from "../../../provider/src/servicePlatform";
import { repositoryGuardSpec, sameRepositoryEncryption } from "../../../provider/src/servicePlatform/registry";
import { postgresGuardSpec } from "../../../provider/src/shared/postgres";
import { GuardedResource, observe, replacementIgnoreChanges, replacementProblems, sameValue } from "../../../provider/src/shared/replacementGuard";
import { ComponentValidationError } from "../../../provider/src/shared/validation";
import { ServicePlatform } from "../../../provider/src/servicePlatform";
import { record, withRejectionsCollected } from "../../utils/harness";
import { computeState, KMS_KEY_ARN, skregArgs, T } from "../servicePlatform/fixtures";

const AWS_RDS_KEY = "arn:aws:kms:us-east-1:123456789012:key/aaaaaaaa-1111-2222-3333-444444444444";
const OTHER_KEY = "arn:aws:kms:us-east-1:123456789012:key/bbbbbbbb-1111-2222-3333-444444444444";
const RDS_ARGS = { arguments: { identifier: "stage", databaseName: "database.databaseName", kmsKeyArn: "kmsKeyArn", storageEncrypted: "database" }, allowArgument: "database.allowReplacement" };

describe("replacement guard, the rules", () => {
    const spec = (allow = false): GuardedResource => postgresGuardSpec({ identifier: "skreg-dev", databaseName: "registry", kmsKeyArn: KMS_KEY_ARN }, { ...RDS_ARGS, allow });
    const running = { identifier: "skreg-dev", dbName: "app", storageEncrypted: true, kmsKeyId: AWS_RDS_KEY };

    it("fixes the replace-forcing properties unless replacement is allowed", () => {
        expect(replacementIgnoreChanges(spec())).toEqual(["identifier", "dbName", "storageEncrypted", "kmsKeyId", "masterUserSecretKmsKeyId"]);
        expect(replacementIgnoreChanges(spec(true))).toEqual([]);
    });

    it("names the argument, what was given, what the instance has, the loss and the opt-in", () => {
        const problems = replacementProblems(spec(), running, { identifier: "skreg-dev", dbName: "registry", storageEncrypted: true, kmsKeyId: KMS_KEY_ARN });
        expect(problems.map((p) => p.path)).toEqual(["database.databaseName", "kmsKeyArn"]);
        expect(problems[0].given).toBe('got "registry"');
        expect(problems[0].allowed).toBe(
            'the RDS instance "skreg-dev" has the database name "app", fixed when it was created; AWS cannot change it in place, so this would replace the RDS instance "skreg-dev" and lose its databases ' +
                "(the provider deletes it before creating the new one) (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance). " +
                "Keep the value it has, or set database.allowReplacement to true to replace it",
        );
        expect(problems[1].allowed).toContain(`has its storage encrypted with the KMS key "${AWS_RDS_KEY}"`);
        expect(replacementProblems(spec(true), running, { dbName: "registry" })).toEqual([]);
    });

    it("accepts the AWS-managed aws/rds key RDS reports when no key is asked, and the asked key", () => {
        const none = postgresGuardSpec({ identifier: "skreg-dev", databaseName: "app" }, { ...RDS_ARGS, allow: false });
        expect(replacementProblems(none, running, { identifier: "skreg-dev", dbName: "app", storageEncrypted: true, kmsKeyId: undefined })).toEqual([]);
        expect(replacementProblems(spec(), { ...running, dbName: "registry", kmsKeyId: KMS_KEY_ARN }, { dbName: "registry", kmsKeyId: KMS_KEY_ARN })).toEqual([]);
        expect(replacementProblems(spec(), { ...running, kmsKeyId: OTHER_KEY }, { kmsKeyId: KMS_KEY_ARN }).map((p) => p.path)).toEqual(["kmsKeyArn"]);
    });

    it("refuses a stage change (the identifier) and unencrypted storage; a missing report counts as none", () => {
        const problems = replacementProblems(spec(), { ...running, identifier: "skreg-pr", storageEncrypted: undefined, kmsKeyId: undefined }, { identifier: "skreg-dev", storageEncrypted: true, kmsKeyId: KMS_KEY_ARN });
        expect(problems.map((p) => [p.path, p.allowed.split(",")[0]])).toEqual([
            ["stage", 'the RDS instance "skreg-dev" has the identifier "skreg-pr"'],
            ["database", 'the RDS instance "skreg-dev" has unencrypted storage'],
            ["kmsKeyArn", 'the RDS instance "skreg-dev" has no KMS key'],
        ]);
    });

    it("skips what is not known yet (an ask that is another resource's output at preview)", () => {
        expect(replacementProblems(spec(), { dbName: "app" }, {})).toEqual([]);
    });

    it("compares repository encryption as ECR reports it", () => {
        expect(sameRepositoryEncryption([{ encryptionType: "AES256", kmsKey: "" }], [{ encryptionType: "AES256" }])).toBe(true);
        expect(sameRepositoryEncryption(undefined, [{ encryptionType: "AES256" }])).toBe(true);
        expect(sameRepositoryEncryption([{ encryptionType: "KMS", kmsKey: KMS_KEY_ARN }], [{ encryptionType: "KMS", kmsKey: KMS_KEY_ARN }])).toBe(true);
        expect(sameRepositoryEncryption([{ encryptionType: "AES256", kmsKey: "" }], [{ encryptionType: "KMS", kmsKey: KMS_KEY_ARN }])).toBe(false);
        expect(sameRepositoryEncryption([{ encryptionType: "KMS", kmsKey: OTHER_KEY }], [{ encryptionType: "KMS", kmsKey: KMS_KEY_ARN }])).toBe(false);
        expect(sameRepositoryEncryption([{ encryptionType: "KMS", kmsKey: KMS_KEY_ARN }], [{ encryptionType: "AES256" }])).toBe(false);
        const [p] = replacementProblems(repositoryGuardSpec("skreg-dev-api", [], false), { encryptionConfigurations: [{ encryptionType: "AES256", kmsKey: "" }] }, { encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KMS_KEY_ARN }] });
        expect(p.path).toBe("kmsKeyArn");
        expect(p.given).toBe(`asks for KMS encryption with the key "${KMS_KEY_ARN}"`);
        expect(p.allowed).toMatch(/^the ECR repository "skreg-dev-api" has AES-256 encryption \(no KMS key\), fixed when it was created; .* lose every image in it .* set allowRepositoryReplacement to true/);
    });

    it("treats undefined, null, empty string and empty list alike by default", () => {
        expect(sameValue(undefined, "")).toBe(true);
        expect(sameValue(null, [])).toBe(true);
        expect(sameValue("a", "")).toBe(false);
        expect(sameValue(["a"], ["a"])).toBe(true);
    });
});

/** A platform whose database and repositories were created from `created` (what they report), built from `args`. */
async function rebuild(args: ServicePlatformArgs, created: { dbName?: string; kmsKeyId?: string | null; ecr?: object[] }, options: { preview?: boolean } = {}) {
    return withRejectionsCollected(async (errors: Error[]) => {
        const { result, recorder } = await record(() => new ServicePlatform("skreg", args), {
            preview: options.preview,
            computeState: (a) => {
                const state = computeState(a) ?? {};
                if (a.type === T.db) {
                    const reported: Record<string, unknown> = { ...state, dbName: created.dbName ?? "app" };
                    // null: the provider returns no kmsKeyId (undefined is dropped from the mock's response).
                    reported.kmsKeyId = created.kmsKeyId === null ? undefined : created.kmsKeyId ?? AWS_RDS_KEY;
                    return reported;
                }
                if (a.type === T.ecr) return { ...state, encryptionConfigurations: created.ecr ?? [{ encryptionType: "AES256", kmsKey: "" }] };
                return state;
            },
        });
        const outputs = await Promise.allSettled([observe(result.databaseEndpoint), observe(result.repositoryUrls)]);
        await new Promise((done) => setTimeout(done, 50));
        for (const o of outputs) if (o.status === "rejected") errors.push(o.reason);
        const refusals = [...new Set(errors.filter((e) => e instanceof ComponentValidationError))];
        return { recorder, refusals, platform: result };
    });
}

const withCi = (args: ServicePlatformArgs): ServicePlatformArgs => ({ ...args, services: args.services.map((s) => ({ ...s, secrets: { TOKEN: pulumi.secret("t") } })) });

describe("ServicePlatform replacement guard", () => {
    it("passes an unchanged running platform, with the released values known at preview (no spurious diff)", async () => {
        for (const preview of [false, true]) {
            const { refusals, recorder } = await rebuild(withCi(skregArgs()), {}, { preview });
            expect(refusals).toEqual([]);
            const taskDefs = recorder.byType(T.taskDefinition);
            expect(taskDefs.length).toBeGreaterThan(0);
            for (const t of taskDefs) expect(t.unknownPaths, t.name).toEqual([]);
        }
    });

    it("refuses a new databaseName on a running instance with one error, and registers nothing that carries it", async () => {
        for (const preview of [false, true]) {
            const { refusals, recorder } = await rebuild({ ...skregArgs(), database: { databaseName: "registry" } }, {}, { preview });
            expect(refusals).toHaveLength(1);
            expect(refusals[0].message).toBe(
                'ServicePlatform "skreg" has an invalid argument:\n' +
                    '  ServicePlatform "skreg": database.databaseName: got "registry"; the RDS instance "skreg-dev" has the database name "app", fixed when it was created; ' +
                    'AWS cannot change it in place, so this would replace the RDS instance "skreg-dev" and lose its databases (the provider deletes it before creating the new one) ' +
                    "(https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance). Keep the value it has, or set database.allowReplacement to true to replace it",
            );
            expect(recorder.byType(T.taskDefinition), "no task definition with DB_NAME=registry").toEqual([]);
        }
    });

    it("refuses adding kmsKeyArn: the instance and the repositories report no customer key; one error lists all", async () => {
        const { refusals, recorder } = await rebuild({ ...skregArgs(), kmsKeyArn: KMS_KEY_ARN, services: [{ name: "api", public: true, useDatabase: true }] }, {}, { preview: true });
        expect(refusals).toHaveLength(1);
        const e = refusals[0] as ComponentValidationError;
        expect(e.problems.map((p) => p.path)).toEqual(["kmsKeyArn", "kmsKeyArn"]);
        expect(e.message).toContain(`the ECR repository "skreg-dev-api" has AES-256 encryption (no KMS key)`);
        expect(e.message).toContain(`the RDS instance "skreg-dev" has its storage encrypted with the KMS key "${AWS_RDS_KEY}"`);
        // Nothing that would carry the key is registered: secrets, task definitions, roles' policies.
        expect(recorder.byType("aws:secretsmanager/secret:Secret")).toEqual([]);
        expect(recorder.byType(T.taskDefinition)).toEqual([]);
        expect(recorder.one(T.db).options.ignoreChanges).toContain("kmsKeyId");
        expect(recorder.one(T.ecr).options.ignoreChanges).toEqual(["encryptionConfigurations"]);
    });

    it("at preview, a key the provider did not return counts as none: an asked key is refused, no key passes", async () => {
        const asked = await rebuild({ ...skregArgs(), kmsKeyArn: KMS_KEY_ARN, allowRepositoryReplacement: true }, { kmsKeyId: null }, { preview: true });
        expect(asked.refusals.map((e) => (e as ComponentValidationError).problems.map((p) => p.allowed.split(",")[0]))).toEqual([['the RDS instance "skreg-dev" has no KMS key']]);
        const none = await rebuild(skregArgs(), { kmsKeyId: null }, { preview: true });
        expect(none.refusals).toEqual([]);
    });

    it("lets the changes through with database.allowReplacement and allowRepositoryReplacement, without ignoreChanges", async () => {
        const { refusals, recorder } = await rebuild(
            { ...skregArgs(), kmsKeyArn: KMS_KEY_ARN, allowRepositoryReplacement: true, database: { databaseName: "registry", allowReplacement: true } },
            {},
            { preview: true },
        );
        expect(refusals).toEqual([]);
        expect(recorder.one(T.db).options.ignoreChanges).toEqual(["engineVersion"]);
        for (const r of recorder.byType(T.ecr)) expect(r.options.ignoreChanges).toEqual([]);
        expect(recorder.byType(T.taskDefinition).length).toBeGreaterThan(0);
    });

    it("passes a new platform at preview, where every output of the instance is unknown", async () => {
        const { result, recorder } = await record(() => new ServicePlatform("skreg", { ...skregArgs(), kmsKeyArn: KMS_KEY_ARN, database: { databaseName: "registry" } }), {
            preview: true,
            computeState: (a) => (a.type === T.db ? { id: undefined } : computeState(a)),
        });
        expect(recorder.byType(T.taskDefinition).length).toBeGreaterThan(0);
        expect(result).toBeDefined();
    });
});
