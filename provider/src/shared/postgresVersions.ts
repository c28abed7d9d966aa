/**
 * PostgreSQL on Amazon RDS, the rules without resources: the port, the versions RDS offers and how a version given as
 * a major only or as a minor behaves (used by validators and by `postgres.ts`).
 */

/** The port PostgreSQL listens on. */
export const POSTGRES_PORT = 5432;

/**
 * Major versions of PostgreSQL that RDS creates instances of (12 and 13 only under RDS Extended Support, which AWS
 * charges for). Source: the release calendar,
 * https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html
 * and https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support-overview.html
 */
export const RDS_POSTGRES_MAJOR_VERSIONS: readonly string[] = ["12", "13", "14", "15", "16", "17", "18"];

export const RDS_POSTGRES_VERSIONS_DOC = "https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html";

/**
 * How the Terraform AWS provider (under `@pulumi/aws`) treats `engine_version`: "If auto_minor_version_upgrade is
 * enabled, you can provide a prefix of the version such as 8.0 (for 8.0.36). The actual engine version used is
 * returned in the attribute engine_version_actual"
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#engine_version). On
 * refresh it keeps a configured prefix when the running version starts with `<prefix>.`, and otherwise records the
 * running version as `engine_version`; a configured full version older than the running one then plans a
 * ModifyDBInstance that RDS refuses ("InvalidParameterCombination: Cannot upgrade postgres from 17.7 to 17.6": RDS
 * never downgrades, https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Upgrading.html).
 *
 * So a major version alone (`17`) lets RDS apply minor upgrades (`autoMinorVersionUpgrade`) without any later plan
 * differing; a pinned minor (`17.6`) turns automatic minor upgrades off, so RDS does not move the instance past the
 * version the program names (minor upgrades are then the user's, by raising the pin). See
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Upgrading.html#USER_UpgradeDBInstance.Upgrading.AutoMinorVersionUpgrades
 */
export function isMajorOnly(engineVersion: string): boolean {
    return /^\d+$/.test(engineVersion);
}

/** Automatic minor upgrades for a major-only version, none for a pinned minor (see `isMajorOnly`). */
export function autoMinorVersionUpgradeFor(engineVersion: string): boolean {
    return isMajorOnly(engineVersion);
}

/** What a validator says is allowed for a PostgreSQL engine version. */
export function postgresVersionAllowed(): string {
    return `a PostgreSQL major version RDS offers (${RDS_POSTGRES_MAJOR_VERSIONS.join(", ")}), or a minor version of one such as 17.6 (${RDS_POSTGRES_VERSIONS_DOC})`;
}

/** True when `engineVersion` is a major version RDS offers for PostgreSQL, or `<major>.<minor>` of one. */
export function isRdsPostgresVersion(engineVersion: string): boolean {
    const match = /^(\d+)(?:\.(\d+))?$/.exec(engineVersion);
    return match !== null && RDS_POSTGRES_MAJOR_VERSIONS.includes(match[1]);
}
