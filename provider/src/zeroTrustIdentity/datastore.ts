import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logRetentionByProfile } from "../shared/logs";
import { createPostgresInstance } from "../shared/postgres";
import { POSTGRES_PORT } from "../shared/postgresVersions";
import { ComponentScope } from "../shared/scope";
import { ingressRule } from "../shared/securityGroupRules";

export const DATABASE_NAME = "spire";
export const DATABASE_PORT = POSTGRES_PORT;
/**
 * PostgreSQL major version of a new SPIRE datastore; RDS applies minor upgrades. Kept at 16, the version existing
 * datastores run: another major would be an upgrade the stack never asked for (and it is ignored on existing ones).
 */
export const DEFAULT_ENGINE_VERSION = "16";

export interface SpireDatabase {
    host: pulumi.Output<string>;
    port: number;
    name: string;
    /** The RDS-managed secret (JSON with `username` and `password`). */
    secretArn: pulumi.Output<string>;
    securityGroup: aws.ec2.SecurityGroup;
}

/**
 * The shared SPIRE datastore (shared/postgres.ts): an encrypted, private RDS PostgreSQL instance in
 * the SPIRE subnets whose master password RDS manages in Secrets Manager (never an input), reachable
 * only from the SPIRE tasks' security group, its `postgresql` and `upgrade` logs exported. Production
 * is Multi-AZ, deletion-protected, keeps 7 days of backups and a final snapshot; ephemeral keeps 1
 * day and deletes cleanly.
 */
export function createSpireDatabase(
    scope: ComponentScope,
    args: { vpcId: pulumi.Input<string>; subnetIds: pulumi.Input<pulumi.Input<string>[]>; taskSecurityGroup: aws.ec2.SecurityGroup },
): SpireDatabase {
    const production = scope.production;
    const securityGroup = new aws.ec2.SecurityGroup(
        scope.child("spire-db-sg"),
        { vpcId: args.vpcId, description: "SPIRE datastore: PostgreSQL from the SPIRE servers only", tags: scope.named(scope.physical("securityGroup", "spire-db")) },
        scope.opts(),
    );
    ingressRule(scope, scope.child("spire-db-from-servers"), securityGroup, { referencedSecurityGroupId: args.taskSecurityGroup.id }, { from: DATABASE_PORT }, "PostgreSQL from the SPIRE servers", {
        parent: securityGroup,
    });
    const postgres = createPostgresInstance(scope, {
        key: "spire-db",
        identifier: scope.physical("rdsIdentifier", "spire"),
        subnetIds: args.subnetIds,
        securityGroup,
        engineVersion: DEFAULT_ENGINE_VERSION,
        engineVersionIsDefault: true,
        instanceClass: production ? "db.t4g.small" : "db.t4g.micro",
        allocatedStorageGb: 20,
        maxAllocatedStorageGb: production ? 100 : undefined,
        databaseName: DATABASE_NAME,
        masterUsername: "spire",
        backupRetentionDays: production ? 7 : 1,
        logExports: { logs: ["postgresql", "upgrade"], retentionInDays: logRetentionByProfile(scope.profile) },
        // RSA 2048 CA valid to 2061: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html#UsingWithRDS.SSL.RegionCertificateAuthorities
        caCertIdentifier: "rds-ca-rsa2048-g1",
    });
    return {
        host: postgres.address,
        port: DATABASE_PORT,
        name: DATABASE_NAME,
        secretArn: postgres.secretArn,
        securityGroup,
    };
}
