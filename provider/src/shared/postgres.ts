import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assertLogRetention } from "./logs";
import { parameterGroupFamily } from "./postgresSettings";
import { autoMinorVersionUpgradeFor, POSTGRES_PORT } from "./postgresVersions";
import { GuardedResource, replacementIgnoreChanges, ReplacementGuard } from "./replacementGuard";
import { ComponentScope } from "./scope";
import { createLogGroup } from "./logGroup";

/**
 * PostgreSQL on Amazon RDS: the one implementation every component uses (ServicePlatform's database, the
 * ZeroTrustIdentity SPIRE datastore). Versions and their rules: postgresVersions.ts.
 */

export { POSTGRES_PORT } from "./postgresVersions";

export type PostgresLogExport = "postgresql" | "upgrade";

export interface PostgresInstanceArgs {
    /** Logical-name key: the instance is `<component>-<key>`, its subnet group `<key>-subnets`, log groups `<key>-logs-<log>`. */
    key: string;
    /** DB instance identifier (also the subnet group's name). */
    identifier: string;
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The subnet group's description. Default: the provider's ("Managed by Pulumi"). */
    subnetGroupDescription?: string;
    /** The caller's security group; the caller admits clients to it on `POSTGRES_PORT`. */
    securityGroup: aws.ec2.SecurityGroup;
    /** A major version (`17`, RDS applies minor upgrades) or a minor version (`17.6`, pinned: no automatic upgrades). */
    engineVersion: string;
    /**
     * `engineVersion` is the component's default, not the user's: it applies when the instance is created, and a later
     * release of rampart with another default never changes the version of a running instance (Pulumi
     * `ignoreChanges`). Only a version the user sets moves an existing instance.
     */
    engineVersionIsDefault: boolean;
    instanceClass: string;
    allocatedStorageGb: number;
    /** Storage autoscaling ceiling in GiB. Default: none. */
    maxAllocatedStorageGb?: number;
    databaseName: string;
    masterUsername: string;
    /** Standby in a second zone. Default: the production profile. */
    multiAz?: boolean;
    /** Days of automated backups. Default: 1 ephemeral, 7 production. */
    backupRetentionDays?: number;
    /** Default: the production profile. */
    deletionProtection?: boolean;
    /** Customer-managed KMS key for the storage. Default: the AWS-managed `aws/rds` key. */
    kmsKeyArn?: pulumi.Input<string>;
    /** Customer-managed KMS key for the RDS-managed master user secret. Default: the AWS-managed `aws/secretsmanager` key. */
    masterUserSecretKmsKeyArn?: pulumi.Input<string>;
    /** Logs exported to CloudWatch Logs, each into `/aws/rds/instance/<identifier>/<log>` with this retention. */
    logExports?: { logs: PostgresLogExport[]; retentionInDays: number };
    /** Performance Insights (7 days, free tier), encrypted with `kmsKeyArn`. Default: off (not set). */
    performanceInsights?: boolean;
    /** Daily UTC backup window (postgresSettings.ts: windowProblems). Default: RDS picks one. */
    backupWindow?: string;
    /** Weekly UTC maintenance window. Default: RDS picks one. */
    maintenanceWindow?: string;
    /** DB parameters in a parameter group of the version's family, applied at the next reboot. Default: RDS's default group. */
    parameters?: Record<string, string>;
    /** Server certificate authority. Default: not set (RDS's default for new instances). */
    caCertIdentifier?: string;
    /**
     * Keep the instance from being replaced by an ordinary change (replacementGuard.ts): its identifier, database
     * name, storage encryption and KMS key are fixed once it exists and checked against what is asked, unless
     * `allow`. Default: no guard.
     */
    replacement?: PostgresReplacementGuard;
}

export interface PostgresReplacementGuard {
    guard: ReplacementGuard;
    /** The user allows replacing the instance (the argument is `allowArgument`). */
    allow: boolean;
    allowArgument: string;
    /** The component arguments that set the identifier, the database name and the KMS key. */
    arguments: { identifier: string; databaseName: string; kmsKeyArn: string; storageEncrypted: string };
}

const DB_INSTANCE_DOCS = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance";

/**
 * What the replacement guard checks on an RDS instance: the inputs that force a new instance in the Terraform AWS
 * provider (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance: identifier, db_name, storage_encrypted and kms_key_id "Forces new resource") and
 * that rampart sets. RDS cannot rename the initial database, turn encryption off or change an instance's KMS key
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html#Overview.Encryption.Limitations).
 * All four are returned by the provider for every instance: for an encrypted instance created without a key,
 * RDS reports the AWS-managed `aws/rds` key in `kmsKeyId`, so asking for no key accepts whatever key it reports.
 */
export function postgresGuardSpec(args: Pick<PostgresInstanceArgs, "identifier" | "databaseName" | "kmsKeyArn">, guard: Omit<PostgresReplacementGuard, "guard">): GuardedResource {
    return {
        label: `the RDS instance "${args.identifier}"`,
        loses: "its databases (the provider deletes it before creating the new one)",
        allowArgument: guard.allowArgument,
        allow: guard.allow,
        source: DB_INSTANCE_DOCS,
        // The managed master secret is encrypted with the same key argument: fixed with the storage key.
        fixedWith: ["masterUserSecretKmsKeyId"],
        properties: [
            { property: "identifier", argument: guard.arguments.identifier, wanted: args.identifier, describeReported: (v) => `the identifier ${JSON.stringify(v)}` },
            { property: "dbName", argument: guard.arguments.databaseName, wanted: args.databaseName, describeReported: (v) => (v ? `the database name ${JSON.stringify(v)}` : "no initial database") },
            { property: "storageEncrypted", argument: guard.arguments.storageEncrypted, wanted: true, describeReported: (v) => (v === true ? "encrypted storage" : "unencrypted storage") },
            {
                property: "kmsKeyId",
                argument: guard.arguments.kmsKeyArn,
                wanted: args.kmsKeyArn,
                // No key asked: RDS uses (and reports) the AWS-managed aws/rds key, or keeps the customer key it has.
                matches: (has, asked) => asked === undefined || asked === null || asked === "" || has === asked,
                describeReported: (v) => (v ? `its storage encrypted with the KMS key ${JSON.stringify(v)}` : "no KMS key"),
            },
        ],
    };
}

export interface PostgresInstance {
    instance: aws.rds.Instance;
    subnetGroup: aws.rds.SubnetGroup;
    logGroups: aws.cloudwatch.LogGroup[];
    address: pulumi.Output<string>;
    port: pulumi.Output<number>;
    /** ARN of the Secrets Manager secret RDS manages for the master user (JSON with `username` and `password`). */
    secretArn: pulumi.Output<string>;
}

/**
 * RDS for PostgreSQL in private subnets: encrypted gp3 storage; the master password created, stored and rotated by
 * RDS in Secrets Manager (`manageMasterUserPassword`: no password input, nothing in state,
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html); not publicly accessible; tags
 * copied to snapshots; by profile, Multi-AZ, deletion protection, backup retention, a final snapshot
 * (`<identifier>-final`) and automated backups kept after deletion in production, changes applied in the maintenance
 * window in production and immediately otherwise. Property rules:
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance and
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
 */
export function createPostgresInstance(scope: ComponentScope, args: PostgresInstanceArgs): PostgresInstance {
    const production = scope.production;
    const subnetGroup = new aws.rds.SubnetGroup(
        scope.child(args.key, "subnets"),
        { name: args.identifier, description: args.subnetGroupDescription, subnetIds: args.subnetIds, tags: scope.tags },
        scope.opts(),
    );
    const logs = args.logExports?.logs ?? [];
    if (args.logExports) assertLogRetention(args.logExports.retentionInDays);
    // RDS writes exported logs to this exact group name; creating it first lets rampart set its retention
    // (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html).
    const logGroups = logs.map(
        (log) =>
            createLogGroup(scope, scope.child(args.key, "logs", log), { name: `/aws/rds/instance/${args.identifier}/${log}`, retentionInDays: args.logExports!.retentionInDays }),
    );
    const performanceInsights = args.performanceInsights;
    // Auto-named, so a new family (a major upgrade) creates the new group before the old one, still in use, is deleted.
    const parameterGroup = args.parameters
        ? new aws.rds.ParameterGroup(
              scope.child(args.key, "parameters"),
              {
                  family: parameterGroupFamily(args.engineVersion),
                  description: `rampart ${scope.name} ${args.key} (${scope.stage})`,
                  parameters: Object.entries(args.parameters)
                      .sort(([a], [b]) => a.localeCompare(b))
                      .map(([name, value]) => ({ name, value, applyMethod: "pending-reboot" })),
                  tags: scope.tags,
              },
              scope.opts(),
          )
        : undefined;
    const guarded = args.replacement ? postgresGuardSpec(args, args.replacement) : undefined;
    const ignoreChanges = [...(args.engineVersionIsDefault ? ["engineVersion"] : []), ...(guarded ? replacementIgnoreChanges(guarded) : [])];
    const instance = new aws.rds.Instance(
        scope.child(args.key),
        {
            identifier: args.identifier,
            engine: "postgres",
            engineVersion: args.engineVersion,
            autoMinorVersionUpgrade: autoMinorVersionUpgradeFor(args.engineVersion),
            instanceClass: args.instanceClass,
            allocatedStorage: args.allocatedStorageGb,
            maxAllocatedStorage: args.maxAllocatedStorageGb,
            storageType: "gp3",
            storageEncrypted: true,
            kmsKeyId: args.kmsKeyArn,
            dbName: args.databaseName,
            username: args.masterUsername,
            manageMasterUserPassword: true,
            masterUserSecretKmsKeyId: args.masterUserSecretKmsKeyArn,
            dbSubnetGroupName: subnetGroup.name,
            vpcSecurityGroupIds: [args.securityGroup.id],
            publiclyAccessible: false,
            port: POSTGRES_PORT,
            multiAz: args.multiAz ?? production,
            backupRetentionPeriod: args.backupRetentionDays ?? (production ? 7 : 1),
            deletionProtection: args.deletionProtection ?? production,
            skipFinalSnapshot: !production,
            finalSnapshotIdentifier: production ? `${args.identifier}-final` : undefined,
            deleteAutomatedBackups: !production,
            copyTagsToSnapshot: true,
            applyImmediately: !production,
            performanceInsightsEnabled: performanceInsights,
            performanceInsightsRetentionPeriod: performanceInsights ? 7 : undefined,
            performanceInsightsKmsKeyId: performanceInsights ? args.kmsKeyArn : undefined,
            enabledCloudwatchLogsExports: logs.length ? logs : undefined,
            caCertIdentifier: args.caCertIdentifier,
            backupWindow: args.backupWindow,
            maintenanceWindow: args.maintenanceWindow,
            parameterGroupName: parameterGroup?.name,
            tags: scope.tags,
        },
        scope.dataOpts({
            ...(logGroups.length ? { dependsOn: logGroups } : {}),
            ...(ignoreChanges.length ? { ignoreChanges } : {}),
        }),
    );
    if (guarded) args.replacement!.guard.watch(instance, guarded);
    return {
        instance,
        subnetGroup,
        logGroups,
        // Clients connect through the guard: a refused change fails before any of them is registered.
        address: args.replacement ? args.replacement.guard.release(instance.address) : instance.address,
        port: instance.port,
        secretArn: instance.masterUserSecrets.apply((secrets) => secrets?.[0]?.secretArn ?? ""),
    };
}
