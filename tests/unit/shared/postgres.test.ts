/** The one PostgreSQL-on-RDS block (provider/src/shared/postgres.ts) and its version rules (postgresVersions.ts). */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { createPostgresInstance, PostgresInstanceArgs } from "../../../provider/src/shared/postgres";
import { autoMinorVersionUpgradeFor, isMajorOnly, isRdsPostgresVersion, RDS_POSTGRES_MAJOR_VERSIONS } from "../../../provider/src/shared/postgresVersions";
import { Profile } from "../../../provider/src/shared/profile";
import { ComponentScope } from "../../../provider/src/shared/scope";
import { assertGuardrails } from "../../utils/guardrails";
import { record, resolve } from "../../utils/harness";

const RDS = "aws:rds/instance:Instance";
const KMS = "arn:aws:kms:us-east-1:123456789012:key/0f6c2a52-5b8e-4f0e-9a57-1d3c3f1d2e10";
const SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0123-AbCdEf";

type Given = Omit<PostgresInstanceArgs, "securityGroup" | "subnetIds" | "key" | "identifier"> & Partial<Pick<PostgresInstanceArgs, "key" | "identifier">>;

async function deploy(profile: Profile, given: Given) {
    return record(
        () => {
            const host = new pulumi.ComponentResource("test:index:Host", "app", {}, {});
            const scope = new ComponentScope(host, "app", { stage: profile === Profile.Production ? "prod" : "dev", profile, retainOnDelete: profile === Profile.Production });
            const securityGroup = new aws.ec2.SecurityGroup("app-db-sg", { vpcId: "vpc-1", description: "db" }, { parent: host });
            return createPostgresInstance(scope, { key: "db", identifier: scope.physical("rdsIdentifier"), subnetIds: ["subnet-a", "subnet-b"], securityGroup, ...given });
        },
        { computeState: (args) => (args.type === RDS ? { address: "app-dev.c0ffee.us-east-1.rds.amazonaws.com", port: 5432, masterUserSecrets: [{ secretArn: SECRET }] } : undefined) },
    );
}

const base: Given = { engineVersion: "17", engineVersionIsDefault: true, instanceClass: "db.t4g.micro", allocatedStorageGb: 20, databaseName: "app", masterUsername: "app_admin" };

describe("shared PostgreSQL on RDS", () => {
    it("ephemeral: encrypted gp3, RDS-managed password, private, disposable, minor upgrades by RDS", async () => {
        const { result, recorder } = await deploy(Profile.Ephemeral, base);
        const db = recorder.one(RDS);
        expect(db.name).toBe("app-db");
        expect(db.inputs).toMatchObject({
            identifier: "app-dev",
            engine: "postgres",
            engineVersion: "17",
            autoMinorVersionUpgrade: true,
            storageType: "gp3",
            storageEncrypted: true,
            manageMasterUserPassword: true,
            username: "app_admin",
            dbName: "app",
            publiclyAccessible: false,
            port: 5432,
            dbSubnetGroupName: "app-dev",
            vpcSecurityGroupIds: ["app-db-sg-id"],
            multiAz: false,
            backupRetentionPeriod: 1,
            deletionProtection: false,
            skipFinalSnapshot: true,
            deleteAutomatedBackups: true,
            copyTagsToSnapshot: true,
            applyImmediately: true,
        });
        for (const absent of ["password", "finalSnapshotIdentifier", "kmsKeyId", "masterUserSecretKmsKeyId", "enabledCloudwatchLogsExports", "caCertIdentifier", "maxAllocatedStorage"]) {
            expect(db.inputs[absent], absent).toBeUndefined();
        }
        expect(db.options).toMatchObject({ retainOnDelete: undefined, ignoreChanges: ["engineVersion"] });
        expect(recorder.one("aws:rds/subnetGroup:SubnetGroup")).toMatchObject({ name: "app-db-subnets", inputs: { name: "app-dev", subnetIds: ["subnet-a", "subnet-b"] } });
        expect(recorder.byType("aws:cloudwatch/logGroup:LogGroup")).toEqual([]);
        expect(await resolve(result.secretArn)).toBe(SECRET);
        expect(await resolve(result.address)).toBe("app-dev.c0ffee.us-east-1.rds.amazonaws.com");
        assertGuardrails(recorder.resources, { profile: "ephemeral" });
    });

    it("production: Multi-AZ, protected, final snapshot, backups kept, retained; KMS keys, logs, CA and autoscaling as asked", async () => {
        const { recorder } = await deploy(Profile.Production, {
            ...base,
            engineVersion: "16.4",
            engineVersionIsDefault: false,
            maxAllocatedStorageGb: 100,
            kmsKeyArn: KMS,
            masterUserSecretKmsKeyArn: KMS,
            performanceInsights: true,
            logExports: { logs: ["postgresql", "upgrade"], retentionInDays: 90 },
            caCertIdentifier: "rds-ca-rsa2048-g1",
        });
        const db = recorder.one(RDS);
        expect(db.inputs).toMatchObject({
            identifier: "app-prod",
            engineVersion: "16.4",
            autoMinorVersionUpgrade: false,
            multiAz: true,
            backupRetentionPeriod: 7,
            deletionProtection: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: "app-prod-final",
            deleteAutomatedBackups: false,
            applyImmediately: false,
            maxAllocatedStorage: 100,
            kmsKeyId: KMS,
            masterUserSecretKmsKeyId: KMS,
            performanceInsightsEnabled: true,
            performanceInsightsRetentionPeriod: 7,
            performanceInsightsKmsKeyId: KMS,
            enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
            caCertIdentifier: "rds-ca-rsa2048-g1",
        });
        expect(db.options.retainOnDelete).toBe(true);
        expect(db.options.ignoreChanges ?? []).not.toContain("engineVersion");
        const logs = recorder.byType("aws:cloudwatch/logGroup:LogGroup");
        expect(logs.map((l) => [l.name, l.inputs.name, l.inputs.retentionInDays])).toEqual([
            ["app-db-logs-postgresql", "/aws/rds/instance/app-prod/postgresql", 90],
            ["app-db-logs-upgrade", "/aws/rds/instance/app-prod/upgrade", 90],
        ]);
        // RDS creates the group on first export unless it exists: rampart's (with retention) must come first.
        expect(db.options.dependencies).toEqual(expect.arrayContaining(logs.map((l) => l.urn)));
        assertGuardrails(recorder.resources, { profile: "production" });
    });

    it("refuses a log retention CloudWatch Logs does not accept", async () => {
        await expect(deploy(Profile.Ephemeral, { ...base, logExports: { logs: ["postgresql"], retentionInDays: 10 } })).rejects.toThrow(/log retention 10 days: expected a CloudWatch Logs retention in days, one of 1, 3, 5, 7, 14, 30/);
    });
});

describe("PostgreSQL versions on RDS", () => {
    it("lets RDS apply minor upgrades only when the version names a major alone", () => {
        expect(["17", "16", "9"].map(isMajorOnly)).toEqual([true, true, true]);
        expect(["17.6", "16.10", "17.", ""].map(autoMinorVersionUpgradeFor)).toEqual([false, false, false, false]);
    });

    it("knows the majors RDS offers and their minors, nothing else", () => {
        for (const major of RDS_POSTGRES_MAJOR_VERSIONS) {
            expect(isRdsPostgresVersion(major), major).toBe(true);
            expect(isRdsPostgresVersion(`${major}.3`), `${major}.3`).toBe(true);
        }
        for (const other of ["11", "19", "17.6.1", "17.x", " 17", "17 ", "postgres17"]) expect(isRdsPostgresVersion(other), other).toBe(false);
    });
});
