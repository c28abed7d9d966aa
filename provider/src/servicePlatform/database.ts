import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";
import { PlatformNetworkResult } from "./network";
import { admitService, createSecurityGroup } from "./securityGroups";
import { PlatformSettings, POSTGRES_PORT, ResolvedDatabase } from "./settings";

export const MASTER_USERNAME = "app_admin";

export interface DatabaseResult {
    instance: aws.rds.Instance;
    securityGroup: aws.ec2.SecurityGroup;
    address: pulumi.Output<string>;
    port: pulumi.Output<number>;
    /** `host:port`. */
    endpoint: pulumi.Output<string>;
    /** The Secrets Manager secret RDS manages for the master user (JSON with `username` and `password`). */
    secretArn: pulumi.Output<string>;
    databaseName: string;
}

/**
 * RDS PostgreSQL in the private subnets: encrypted gp3 storage, the master password created, stored and rotated by RDS
 * in Secrets Manager (no password input, nothing in state), automated backups, multi-AZ, deletion protection and a
 * final snapshot by profile, logs exported to log groups with retention, and a security group that admits only the
 * services with `useDatabase` on 5432.
 */
export function createDatabase(
    scope: ComponentScope,
    settings: PlatformSettings,
    db: ResolvedDatabase,
    network: PlatformNetworkResult,
    serviceGroups: Map<string, aws.ec2.SecurityGroup>,
): DatabaseResult {
    const sg = createSecurityGroup(scope, "db", network.vpcId, `rampart ${settings.name} database: PostgreSQL from services with useDatabase only`);
    for (const s of settings.services.filter((x) => x.useDatabase)) {
        admitService(scope, "db", sg, { name: s.name, group: serviceGroups.get(s.name)! }, { from: POSTGRES_PORT }, "PostgreSQL");
    }
    const identifier = scope.physical("rdsIdentifier");
    const subnetGroup = new aws.rds.SubnetGroup(
        scope.child("db-subnets"),
        { name: identifier, description: `Private subnets of ${identifier}`, subnetIds: network.privateSubnetIds, tags: scope.tags },
        scope.opts(),
    );
    const exports = ["postgresql", "upgrade"];
    const logGroups = exports.map(
        (log) =>
            new aws.cloudwatch.LogGroup(
                scope.child("db-logs", log),
                { name: `/aws/rds/instance/${identifier}/${log}`, retentionInDays: settings.observability.logRetentionDays, tags: scope.tags },
                scope.opts(),
            ),
    );
    const instance = new aws.rds.Instance(
        scope.child("db"),
        {
            identifier,
            engine: db.engine,
            engineVersion: db.engineVersion,
            instanceClass: db.instanceClass,
            allocatedStorage: db.allocatedStorageGb,
            storageType: "gp3",
            storageEncrypted: true,
            kmsKeyId: settings.kmsKeyArn,
            dbName: db.databaseName,
            username: MASTER_USERNAME,
            manageMasterUserPassword: true,
            masterUserSecretKmsKeyId: settings.kmsKeyArn,
            dbSubnetGroupName: subnetGroup.name,
            vpcSecurityGroupIds: [sg.id],
            publiclyAccessible: false,
            port: POSTGRES_PORT,
            multiAz: db.multiAz,
            backupRetentionPeriod: db.backupRetentionDays,
            deletionProtection: db.deletionProtection,
            skipFinalSnapshot: !settings.production,
            finalSnapshotIdentifier: settings.production ? `${identifier}-final` : undefined,
            deleteAutomatedBackups: !settings.production,
            copyTagsToSnapshot: true,
            autoMinorVersionUpgrade: true,
            applyImmediately: !settings.production,
            performanceInsightsEnabled: db.performanceInsights,
            performanceInsightsRetentionPeriod: db.performanceInsights ? 7 : undefined,
            performanceInsightsKmsKeyId: db.performanceInsights ? settings.kmsKeyArn : undefined,
            enabledCloudwatchLogsExports: exports,
            tags: scope.tags,
        },
        scope.dataOpts({ dependsOn: logGroups }),
    );
    const secretArn = instance.masterUserSecrets.apply((secrets) => secrets?.[0]?.secretArn ?? "");
    return {
        instance,
        securityGroup: sg,
        address: instance.address,
        port: instance.port,
        endpoint: pulumi.interpolate`${instance.address}:${instance.port}`,
        secretArn,
        databaseName: db.databaseName,
    };
}
