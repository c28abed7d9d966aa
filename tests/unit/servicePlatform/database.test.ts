import { describe, expect, it } from "vitest";
import { assertGuardrails } from "../../utils/guardrails";
import { build, KMS_KEY_ARN, Profile, RDS_SECRET_ARN, resolve, skregArgs, T } from "./fixtures";

describe("database", () => {
    it("runs encrypted PostgreSQL in the private subnets with an RDS-managed password, cheap and disposable when ephemeral", async () => {
        const b = await build(skregArgs(), "skreg");
        const db = b.one(T.db);
        expect(db.inputs).toMatchObject({
            identifier: "skreg-dev",
            engine: "postgres",
            engineVersion: "17",
            autoMinorVersionUpgrade: true,
            instanceClass: "db.t4g.micro",
            allocatedStorage: 20,
            storageType: "gp3",
            storageEncrypted: true,
            manageMasterUserPassword: true,
            publiclyAccessible: false,
            multiAz: false,
            backupRetentionPeriod: 1,
            deletionProtection: false,
            skipFinalSnapshot: true,
            copyTagsToSnapshot: true,
            dbName: "app",
            dbSubnetGroupName: "skreg-dev",
            vpcSecurityGroupIds: ["skreg-db-sg-id"],
            performanceInsightsEnabled: false,
            enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        });
        expect(db.inputs.password).toBeUndefined();
        expect(db.inputs.finalSnapshotIdentifier).toBeUndefined();
        expect(db.options.retainOnDelete, "unset, so the child inherits the user's option").toBeUndefined();
        // rampart's default version is set at creation only: a later default never moves a running database; what
        // forces a new instance is fixed once it exists (the replacement guard, tests/unit/shared/replacementGuard.test.ts).
        expect(db.options.ignoreChanges).toEqual(["engineVersion", "identifier", "dbName", "storageEncrypted", "kmsKeyId", "masterUserSecretKmsKeyId"]);
        expect(b.one(T.dbSubnets).inputs).toMatchObject({ name: "skreg-dev", description: "Private subnets of skreg-dev" });
        expect(b.one(T.dbSubnets).inputs.subnetIds).toEqual(["skreg-private-1-id", "skreg-private-2-id"]);
        expect(b.one(T.logGroup, "skreg-db-logs-postgresql").inputs).toMatchObject({ name: "/aws/rds/instance/skreg-dev/postgresql", retentionInDays: 7 });
        expect(await resolve(b.platform.databaseEndpoint)).toBe("skreg-dev.c0ffee.us-east-1.rds.amazonaws.com:5432");
        expect(await resolve(b.platform.databaseSecretArn)).toBe(RDS_SECRET_ARN);
    });

    it("turns automatic minor upgrades off for a pinned minor version, and lets a version the user sets move the database", async () => {
        const pinned = (await build({ ...skregArgs(), database: { engineVersion: "17.6" } }, "skreg")).one(T.db);
        expect(pinned.inputs).toMatchObject({ engineVersion: "17.6", autoMinorVersionUpgrade: false });
        expect(pinned.options.ignoreChanges ?? []).not.toContain("engineVersion");
        const major = (await build({ ...skregArgs(), database: { engineVersion: "16" } }, "skreg")).one(T.db);
        expect(major.inputs).toMatchObject({ engineVersion: "16", autoMinorVersionUpgrade: true });
        expect(major.options.ignoreChanges ?? []).not.toContain("engineVersion");
    });

    it("admits exactly the services with useDatabase on 5432", async () => {
        const b = await build({ ...skregArgs(), services: [{ name: "api", public: true, useDatabase: true }, { name: "worker" }] }, "skreg");
        const ingress = b.all(T.ingress).filter((r) => r.inputs.securityGroupId === "skreg-db-sg-id");
        expect(ingress.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4])).toEqual([["skreg-svc-api-sg-id", 5432, 5432, undefined]]);
        expect(b.all(T.egress).filter((r) => r.inputs.securityGroupId === "skreg-db-sg-id")).toEqual([]);
        const workerEgress = b.all(T.egress).filter((r) => r.inputs.securityGroupId === "skreg-svc-worker-sg-id");
        expect(workerEgress.map((r) => r.inputs.fromPort)).toEqual([443]);
    });

    it("is multi-AZ, protected, snapshotted on delete and retained in production", async () => {
        const b = await build({ ...skregArgs(Profile.Production), database: { performanceInsights: true, allocatedStorageGb: 50 }, kmsKeyArn: KMS_KEY_ARN }, "skreg");
        const db = b.one(T.db);
        expect(db.inputs).toMatchObject({
            multiAz: true,
            deletionProtection: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: "skreg-prod-final",
            backupRetentionPeriod: 14,
            allocatedStorage: 50,
            performanceInsightsEnabled: true,
            performanceInsightsRetentionPeriod: 7,
            kmsKeyId: KMS_KEY_ARN,
            masterUserSecretKmsKeyId: KMS_KEY_ARN,
            applyImmediately: false,
        });
        expect(db.options.retainOnDelete).toBe(true);
        assertGuardrails(b.recorder.resources, { profile: "production" });
    });
});

describe("database settings users tune", () => {
    it("sets the backup and maintenance windows and puts parameters in a parameter group of the version's family, applied at the next reboot", async () => {
        const args = skregArgs();
        args.database = { engineVersion: "17.6", backupWindow: "03:00-03:30", maintenanceWindow: "sun:04:00-sun:04:30", parameters: { "rds.force_ssl": "1", log_min_duration_statement: "1000" } };
        const b = await build(args, "skreg");
        const group = b.one("aws:rds/parameterGroup:ParameterGroup", "skreg-db-parameters");
        expect(group.inputs).toMatchObject({
            family: "postgres17",
            parameters: [
                { name: "log_min_duration_statement", value: "1000", applyMethod: "pending-reboot" },
                { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
            ],
        });
        expect(group.inputs.name, "auto-named: a new family is created before the old group is deleted").toBeUndefined();
        expect(b.one(T.db).inputs).toMatchObject({ backupWindow: "03:00-03:30", maintenanceWindow: "sun:04:00-sun:04:30", parameterGroupName: group.state.name ?? group.state.id });
        const plain = await build(skregArgs(), "skreg");
        expect(plain.all("aws:rds/parameterGroup:ParameterGroup")).toEqual([]);
        expect(plain.one(T.db).inputs.parameterGroupName).toBeUndefined();
    });

    it("refuses windows RDS rejects and parameters without a pinned version, all in one error", async () => {
        const { ServicePlatform } = await import("../../../provider/src");
        const args = skregArgs();
        args.database = { backupWindow: "04:10-04:30", maintenanceWindow: "sun:04:00-sun:05:00", parameters: { "Bad Name": "1", work_mem: 4096 as unknown as string } };
        expect(() => new ServicePlatform("skreg", args)).toThrow(
            /4 invalid arguments:[\s\S]*database\.backupWindow: got "04:10-04:30"; a daily UTC window hh24:mi-hh24:mi of at least 30 minutes[\s\S]*database\.parameters\.Bad Name: got the name "Bad Name"[\s\S]*database\.parameters\.work_mem: got 4096; a string[\s\S]*database\.parameters: got 2 parameter\(s\) without engineVersion/,
        );
        args.database = { backupWindow: "04:15-04:45", maintenanceWindow: "sun:04:00-sun:05:00" };
        expect(() => new ServicePlatform("skreg", args)).toThrow(/database\.backupWindow: got "04:15-04:45" with maintenanceWindow "sun:04:00-sun:05:00"; a backup window that does not overlap/);
    });
});
