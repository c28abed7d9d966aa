import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ComponentScope } from "../shared/scope";
import { describeGiven, ValidationProblem } from "../shared/validation";
import { PortRange } from "../shared/securityGroupRules";
import { PlatformNetworkResult } from "./network";
import { allowToCidr, allowToGroup } from "./securityGroups";
import { PlatformSettings, ResolvedSharedCache, ResolvedSharedDatabase } from "./settings";

/** What services need of a database, whether rampart created it (database.ts) or the stage shares one (`database.existing`). */
export interface DatabaseConnection {
    address: pulumi.Output<string>;
    port: pulumi.Output<number>;
    /** `host:port`. */
    endpoint: pulumi.Output<string>;
    /** The secret the services read their user and password from (JSON with `username` and `password`). */
    secretArn: pulumi.Output<string>;
    databaseName: string;
    /** With `database.existing`: the init container that creates the stage's database and role. */
    init?: { image: pulumi.Output<string>; adminSecretArn: pulumi.Output<string> };
}

/** What services need of a cache, whether rampart created it (cache.ts) or the stage shares one (`cache.existing`). */
export interface CacheConnection {
    /** `host:port` (TLS). */
    endpoint: pulumi.Output<string>;
    /** With `cache.existing`: `<name>-<stage>:`, injected as `CACHE_KEY_PREFIX`. */
    keyPrefix?: string;
}

/** Length of the stage's random database password (letters and digits: no quoting surprises in URLs or shells). */
export const SHARED_DATABASE_PASSWORD_LENGTH = 32;

/**
 * The stage's side of a shared PostgreSQL instance (`database.existing`): a random password (Pulumi secret, encrypted
 * in state), a Secrets Manager secret `<name>-<stage>-database` holding `username`, `password`, `host`, `port`,
 * `dbname` and `engine` (the shape of an RDS secret, https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_secret_json_structure.html),
 * encrypted with `kmsKeyArn` when given, and the network path from each service with `useDatabase`. Nothing here
 * refers to the instance as a resource: destroying the stage deletes the secret and the rules, never the instance.
 */
export function createSharedDatabase(
    scope: ComponentScope,
    settings: PlatformSettings,
    shared: ResolvedSharedDatabase,
    network: PlatformNetworkResult,
    serviceGroups: Map<string, aws.ec2.SecurityGroup>,
): DatabaseConnection {
    const password = new random.RandomPassword(scope.child("db-password"), { length: SHARED_DATABASE_PASSWORD_LENGTH, special: false }, scope.opts());
    const secret = new aws.secretsmanager.Secret(
        scope.child("db-secret"),
        {
            name: scope.physical("secretsManagerSecret", "database"),
            description: `Login of stage ${settings.stage} (database ${shared.databaseName}) on a shared PostgreSQL instance (rampart ${settings.name})`,
            kmsKeyId: settings.kmsKeyArn,
            recoveryWindowInDays: settings.production ? 30 : 0,
            tags: scope.tags,
        },
        scope.opts(),
    );
    const address = pulumi.output(shared.host);
    new aws.secretsmanager.SecretVersion(
        scope.child("db-secret", "value"),
        {
            secretId: secret.id,
            secretString: pulumi.secret(
                pulumi.all([password.result, address, shared.port]).apply(([pw, host, port]) =>
                    JSON.stringify({ engine: "postgres", host, port, dbname: shared.databaseName, username: shared.databaseName, password: pw }),
                ),
            ),
        },
        scope.opts(),
    );
    admitToShared(scope, settings, "db", shared, network, serviceGroups, (s) => s.useDatabase, "shared PostgreSQL");
    return {
        address,
        port: pulumi.output(shared.port),
        endpoint: pulumi.interpolate`${address}:${shared.port}`,
        secretArn: secret.arn,
        databaseName: shared.databaseName,
        init: { image: pulumi.output(shared.initImage), adminSecretArn: pulumi.output(shared.adminSecretArn) },
    };
}

/** The stage's side of a shared cache (`cache.existing`): the network path from each service with `useCache`. */
export function createSharedCache(
    scope: ComponentScope,
    settings: PlatformSettings,
    shared: ResolvedSharedCache,
    network: PlatformNetworkResult,
    serviceGroups: Map<string, aws.ec2.SecurityGroup>,
): CacheConnection {
    admitToShared(scope, settings, "cache", shared, network, serviceGroups, (s) => s.useCache, "shared cache");
    return { endpoint: pulumi.interpolate`${shared.host}:${shared.port}`, keyPrefix: shared.keyPrefix };
}

/**
 * Per service that uses the store: egress from the service's group to the store's group (or, without
 * `securityGroupId`, to the VPC's CIDR block) on the store's port, and, with `securityGroupId`, ingress into the
 * store's group from the service's group. The ingress rule is a resource of this stage, so it goes when the stage
 * goes; the group itself is never managed (https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html).
 * Logical names `shared-<key>-from-<service>` and `svc-<service>-to-shared-<key>`.
 */
function admitToShared(
    scope: ComponentScope,
    settings: PlatformSettings,
    key: string,
    shared: { port: pulumi.Input<number>; securityGroupId?: pulumi.Input<string> },
    network: PlatformNetworkResult,
    serviceGroups: Map<string, aws.ec2.SecurityGroup>,
    uses: (s: PlatformSettings["services"][number]) => boolean,
    what: string,
): void {
    const ports: PortRange = { from: shared.port };
    const users = settings.services.filter(uses);
    if (users.length === 0) return;
    const vpcCidr = shared.securityGroupId === undefined ? aws.ec2.getVpcOutput({ id: network.vpcId }, { parent: scope.component }).cidrBlock : undefined;
    for (const s of users) {
        const group = serviceGroups.get(s.name)!;
        if (shared.securityGroupId !== undefined) {
            new aws.vpc.SecurityGroupIngressRule(
                scope.child(`shared-${key}-from-${s.name}`),
                {
                    securityGroupId: shared.securityGroupId,
                    referencedSecurityGroupId: group.id,
                    ipProtocol: "tcp",
                    fromPort: shared.port,
                    toPort: shared.port,
                    description: `${what} from ${s.name} of ${settings.name} stage ${settings.stage}`,
                    tags: scope.tags,
                },
                scope.opts(),
            );
            allowToGroup(scope, `svc-${s.name}-to-shared-${key}`, group, shared.securityGroupId, ports, `${s.name} to ${what}`);
        } else {
            allowToCidr(scope, `svc-${s.name}-to-shared-${key}`, group, vpcCidr!, ports, `${s.name} to ${what} in the VPC`);
        }
    }
}

/**
 * Switching a stage from the database rampart created to `database.existing` drops the instance from the program, and
 * the next `up` would delete it with its data (Pulumi deletes what the program no longer declares; ephemeral stages
 * keep no final snapshot). The component cannot see its previous arguments, so it asks the account for an instance
 * with the identifier rampart gives this stage's (DescribeDBInstances, filter `db-instance-id`; the deploying role
 * needs `rds:DescribeDBInstances`) and refuses the switch at preview unless `database.allowReplacement` is set. Pure:
 * the look-up's answer in, problems out.
 */
export function leftBehindDatabaseProblems(identifier: string, found: string[], host: unknown): ValidationProblem[] {
    if (!found.includes(identifier)) return [];
    return [
        {
            path: "database.existing",
            given: `${describeGiven(host)} while this stage's own database instance "${identifier}" still exists`,
            allowed:
                "a shared instance only once this stage's own is gone: switching would delete it with its data " +
                "(https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html). Move the data first; to keep the instance, first run " +
                "`pulumi up` with retainOnDelete true and no other change, then switch; to let it be deleted, set database.allowReplacement true",
        },
    ];
}

/** The look-up leftBehindDatabaseProblems judges: this stage's own instance identifier, if it exists in the account and Region. */
export async function findOwnDatabase(scope: ComponentScope): Promise<string[]> {
    const { instanceIdentifiers = [] } = await aws.rds.getInstances({ filters: [{ name: "db-instance-id", values: [scope.physical("rdsIdentifier")] }] }, { parent: scope.component });
    return instanceIdentifiers;
}
