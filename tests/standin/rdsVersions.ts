/**
 * RDS engine versions as the OFFLINE STAND-IN models them (tests only): which version an instance
 * runs when the program names only a major version, what the Terraform AWS provider (under
 * @pulumi/aws) records as `engineVersion` on refresh, and the downgrades RDS refuses.
 *
 * Sources:
 *  - engine_version / engine_version_actual:
 *    https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#engine_version
 *    ("If auto_minor_version_upgrade is enabled, you can provide a prefix of the version such as 8.0
 *    (for 8.0.36). The actual engine version used is returned in the attribute engine_version_actual")
 *    and the provider's compareActualEngineVersion (internal/service/rds/engine_version.go).
 *  - a major version alone resolves to RDS's default minor version of that major:
 *    https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html (EngineVersion)
 *  - RDS never downgrades ("InvalidParameterCombination: Cannot upgrade postgres from 12.5 to 12.3", the
 *    error users report, e.g. https://github.com/hashicorp/terraform/issues/22462):
 *    https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Upgrading.html
 */

/**
 * The minor version RDS picks for a major-only EngineVersion. A snapshot (RDS moves its defaults as it
 * releases minors; the stand-in only needs one that exists): the targets of RDS's 2026 mandatory
 * minor upgrades for 14-17, the first 18 release, the last 12 and 13 releases.
 */
export const RDS_DEFAULT_MINOR: Record<string, Record<string, string>> = {
    postgres: { "12": "12.22", "13": "13.23", "14": "14.20", "15": "15.15", "16": "16.11", "17": "17.7", "18": "18.1" },
};

/** The version RDS runs for a requested `version`: a major-only version resolves to the default minor. */
export function resolveEngineVersion(engine: unknown, version: unknown): unknown {
    if (typeof version !== "string" || typeof engine !== "string") return version;
    return /^\d+$/.test(version) ? (RDS_DEFAULT_MINOR[engine]?.[version] ?? version) : version;
}

/** RDS refuses a version whose major it does not offer for the engine (create and modify). */
export function unknownEngineVersion(engine: unknown, version: unknown): string | undefined {
    if (typeof version !== "string" || typeof engine !== "string") return undefined;
    const majors = RDS_DEFAULT_MINOR[engine];
    if (!majors) return undefined;
    const major = version.split(".")[0];
    return majors[major] ? undefined : `InvalidParameterCombination: Cannot find version ${version} for ${engine}`;
}

/**
 * What the Terraform provider stores as `engine_version` when a refresh finds `actual` running
 * (compareActualEngineVersion, without pending modifications, which the stand-in does not model):
 * the configured value when `actual` starts with `<configured>.` (a prefix such as "17" for "17.7"),
 * else `actual`.
 */
export function engineVersionAfterRefresh(configured: unknown, actual: string): string {
    if (typeof configured === "string" && configured !== actual && actual.startsWith(`${configured}.`)) return configured;
    return actual;
}

/** RDS refuses to move an instance to an older engine version than it runs. */
export function engineDowngrade(running: unknown, wanted: unknown, engine: unknown): string | undefined {
    if (typeof running !== "string" || typeof wanted !== "string") return undefined;
    const a = running.split(".").map(Number);
    const b = wanted.split(".").map(Number);
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const x = a[i] ?? 0;
        const y = b[i] ?? 0;
        if (y < x) return `InvalidParameterCombination: Cannot upgrade ${engine ?? "the engine"} from ${running} to ${wanted}`;
        if (y > x) return undefined;
    }
    return undefined;
}
