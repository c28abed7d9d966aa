import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsEnvironment } from "../shared/environment";
import { createPostgresInstance } from "../shared/postgres";
import { ReplacementGuard } from "../shared/replacementGuard";
import { createRotationRedeploy, EcsConsumer, RotationRedeploy } from "../shared/rotation";
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
 * The platform's PostgreSQL (shared/postgres.ts) in the private subnets, with the platform's KMS key for storage, the
 * managed secret and Performance Insights, the `postgresql` and `upgrade` logs exported with the platform's log
 * retention, and a security group that admits only the services with `useDatabase` on 5432.
 */
export function createDatabase(
    scope: ComponentScope,
    settings: PlatformSettings,
    db: ResolvedDatabase,
    network: PlatformNetworkResult,
    serviceGroups: Map<string, aws.ec2.SecurityGroup>,
    guard?: ReplacementGuard,
): DatabaseResult {
    const sg = createSecurityGroup(scope, "db", network.vpcId, `rampart ${settings.name} database: PostgreSQL from services with useDatabase only`);
    for (const s of settings.services.filter((x) => x.useDatabase)) {
        admitService(scope, "db", sg, { name: s.name, group: serviceGroups.get(s.name)! }, { from: POSTGRES_PORT }, "PostgreSQL");
    }
    const identifier = scope.physical("rdsIdentifier");
    const postgres = createPostgresInstance(scope, {
        key: "db",
        identifier,
        subnetIds: network.privateSubnetIds,
        subnetGroupDescription: `Private subnets of ${identifier}`,
        securityGroup: sg,
        engineVersion: db.engineVersion,
        engineVersionIsDefault: db.engineVersionIsDefault,
        instanceClass: db.instanceClass,
        allocatedStorageGb: db.allocatedStorageGb,
        databaseName: db.databaseName,
        masterUsername: MASTER_USERNAME,
        multiAz: db.multiAz,
        backupRetentionDays: db.backupRetentionDays,
        deletionProtection: db.deletionProtection,
        kmsKeyArn: settings.kmsKeyArn,
        masterUserSecretKmsKeyArn: settings.kmsKeyArn,
        logExports: { logs: ["postgresql", "upgrade"], retentionInDays: settings.observability.logRetentionDays },
        performanceInsights: db.performanceInsights,
        backupWindow: db.backupWindow,
        maintenanceWindow: db.maintenanceWindow,
        parameters: db.parameters,
        replacement: guard
            ? {
                  guard,
                  allow: db.allowReplacement,
                  allowArgument: "database.allowReplacement",
                  arguments: { identifier: "stage", databaseName: "database.databaseName", kmsKeyArn: "kmsKeyArn", storageEncrypted: "database" },
              }
            : undefined,
    });
    return {
        instance: postgres.instance,
        securityGroup: sg,
        address: postgres.address,
        port: postgres.port,
        endpoint: pulumi.interpolate`${postgres.address}:${postgres.port}`,
        secretArn: postgres.secretArn,
        databaseName: db.databaseName,
    };
}

/**
 * Redeploy on rotation (shared/rotation.ts): after Secrets Manager rotated the database's managed password, the services
 * with `useDatabase` start new tasks (ECS) or a new deployment (App Runner), which read the rotated password. Nothing
 * is created without a database or without a service that uses it.
 */
export function createDatabaseRotation(
    scope: ComponentScope,
    settings: PlatformSettings,
    database: DatabaseResult | undefined,
    consumers: { ecsServices: Map<string, EcsConsumer>; appRunnerServiceArns: Map<string, pulumi.Input<string>> },
    env: AwsEnvironment,
): RotationRedeploy | undefined {
    if (!database) return undefined;
    const users = settings.services.filter((s) => s.useDatabase).map((s) => s.name);
    const ecsServices = users.flatMap((name) => (consumers.ecsServices.has(name) ? [consumers.ecsServices.get(name)!] : []));
    const appRunnerServiceArns = users.flatMap((name) => (consumers.appRunnerServiceArns.has(name) ? [consumers.appRunnerServiceArns.get(name)!] : []));
    if (ecsServices.length + appRunnerServiceArns.length === 0) return undefined;
    return createRotationRedeploy(scope, {
        key: "db",
        secretArn: database.secretArn,
        ecsServices,
        appRunnerServiceArns,
        env,
        logRetentionDays: settings.observability.logRetentionDays,
        consumersLabel: `${users.length === 1 ? "service" : "services"} ${users.join(", ")}`,
    });
}
