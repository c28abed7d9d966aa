import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";

export const DATABASE_NAME = "spire";
export const DATABASE_PORT = 5432;

export interface SpireDatabase {
    host: pulumi.Output<string>;
    port: number;
    name: string;
    /** The RDS-managed secret (JSON with `username` and `password`). */
    secretArn: pulumi.Output<string>;
    securityGroup: aws.ec2.SecurityGroup;
}

/**
 * The shared SPIRE datastore: an encrypted, private RDS PostgreSQL instance in the SPIRE subnets
 * whose master password RDS manages in Secrets Manager (never an input), reachable only from the
 * SPIRE tasks' security group. Production is Multi-AZ, deletion-protected, keeps 7 days of
 * backups and a final snapshot; ephemeral keeps 1 day and deletes cleanly.
 */
export function createSpireDatabase(
    scope: ComponentScope,
    args: { vpcId: pulumi.Input<string>; subnetIds: pulumi.Input<string>[]; taskSecurityGroup: aws.ec2.SecurityGroup },
): SpireDatabase {
    const production = scope.production;
    const securityGroup = new aws.ec2.SecurityGroup(
        scope.child("spire-db-sg"),
        { vpcId: args.vpcId, description: "SPIRE datastore: PostgreSQL from the SPIRE servers only", tags: scope.named(scope.physical("securityGroup", "spire-db")) },
        scope.opts(),
    );
    new aws.vpc.SecurityGroupIngressRule(
        scope.child("spire-db-from-servers"),
        {
            securityGroupId: securityGroup.id,
            referencedSecurityGroupId: args.taskSecurityGroup.id,
            ipProtocol: "tcp",
            fromPort: DATABASE_PORT,
            toPort: DATABASE_PORT,
            description: "PostgreSQL from the SPIRE servers",
            tags: scope.tags,
        },
        scope.opts({ parent: securityGroup }),
    );
    const subnetGroup = new aws.rds.SubnetGroup(
        scope.child("spire-db-subnets"),
        { name: scope.physical("rdsIdentifier", "spire"), subnetIds: args.subnetIds, tags: scope.tags },
        scope.opts(),
    );
    const identifier = scope.physical("rdsIdentifier", "spire");
    const instance = new aws.rds.Instance(
        scope.child("spire-db"),
        {
            identifier,
            engine: "postgres",
            engineVersion: "16",
            instanceClass: production ? "db.t4g.small" : "db.t4g.micro",
            allocatedStorage: 20,
            maxAllocatedStorage: production ? 100 : undefined,
            storageType: "gp3",
            storageEncrypted: true,
            dbName: DATABASE_NAME,
            username: "spire",
            manageMasterUserPassword: true,
            port: DATABASE_PORT,
            dbSubnetGroupName: subnetGroup.name,
            vpcSecurityGroupIds: [securityGroup.id],
            publiclyAccessible: false,
            multiAz: production,
            backupRetentionPeriod: production ? 7 : 1,
            deletionProtection: production,
            skipFinalSnapshot: !production,
            finalSnapshotIdentifier: production ? `${identifier}-final` : undefined,
            copyTagsToSnapshot: true,
            autoMinorVersionUpgrade: true,
            applyImmediately: !production,
            caCertIdentifier: "rds-ca-rsa2048-g1",
            tags: scope.tags,
        },
        scope.dataOpts(),
    );
    return {
        host: instance.address,
        port: DATABASE_PORT,
        name: DATABASE_NAME,
        secretArn: instance.masterUserSecrets.apply((secrets) => secrets?.[0]?.secretArn ?? ""),
        securityGroup,
    };
}
