/**
 * RDS for PostgreSQL settings users tune, the rules without resources: backup and maintenance windows and DB
 * parameters (used by validators and by `postgres.ts`).
 */
import { ValidationProblem } from "./validation";

const BACKUP_WINDOW_DOC = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.BackupWindow.html";
const MAINTENANCE_WINDOW_DOC = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Maintenance.html#Concepts.DBMaintenance";
const PARAMETER_GROUP_DOC = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithParamGroups.html";
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
/** RDS's shortest backup and maintenance window. */
export const MINIMUM_WINDOW_MINUTES = 30;

const TIME = "([01]\\d|2[0-3]):([0-5]\\d)";
const BACKUP_WINDOW = new RegExp(`^${TIME}-${TIME}$`);
const MAINTENANCE_WINDOW = new RegExp(`^(${DAYS.join("|")}):${TIME}-(${DAYS.join("|")}):${TIME}$`);

/** A daily window `hh24:mi-hh24:mi` (UTC) as [start, end) minutes of the day; the end may pass midnight. */
export function parseBackupWindow(window: string): [number, number] | undefined {
    const m = BACKUP_WINDOW.exec(window);
    if (!m) return undefined;
    const start = Number(m[1]) * 60 + Number(m[2]);
    let end = Number(m[3]) * 60 + Number(m[4]);
    if (end <= start) end += MINUTES_PER_DAY;
    return [start, end];
}

/** A weekly window `ddd:hh24:mi-ddd:hh24:mi` (UTC) as [start, end) minutes of the week; the end may pass Saturday midnight. */
export function parseMaintenanceWindow(window: string): [number, number] | undefined {
    const m = MAINTENANCE_WINDOW.exec(window.toLowerCase());
    if (!m) return undefined;
    const start = DAYS.indexOf(m[1]) * MINUTES_PER_DAY + Number(m[2]) * 60 + Number(m[3]);
    let end = DAYS.indexOf(m[4]) * MINUTES_PER_DAY + Number(m[5]) * 60 + Number(m[6]);
    if (end <= start) end += MINUTES_PER_WEEK;
    return [start, end];
}

const overlaps = (a: [number, number], b: [number, number]) => a[0] < b[1] && b[0] < a[1];

/**
 * Problems with the windows RDS takes (`preferredBackupWindow`, `preferredMaintenanceWindow`): the formats, at least 30
 * minutes each, a maintenance window of at most 24 hours, and no overlap between them on any day.
 */
export function windowProblems(path: string, backupWindow: unknown, maintenanceWindow: unknown): ValidationProblem[] {
    const problems: ValidationProblem[] = [];
    let backup: [number, number] | undefined;
    let maintenance: [number, number] | undefined;
    if (backupWindow !== undefined) {
        backup = typeof backupWindow === "string" ? parseBackupWindow(backupWindow) : undefined;
        if (!backup || backup[1] - backup[0] < MINIMUM_WINDOW_MINUTES) {
            problems.push({ path: `${path}.backupWindow`, given: `got ${JSON.stringify(backupWindow)}`, allowed: `a daily UTC window hh24:mi-hh24:mi of at least 30 minutes, for example "03:00-03:30" (${BACKUP_WINDOW_DOC})` });
            backup = undefined;
        }
    }
    if (maintenanceWindow !== undefined) {
        maintenance = typeof maintenanceWindow === "string" ? parseMaintenanceWindow(maintenanceWindow) : undefined;
        const length = maintenance ? maintenance[1] - maintenance[0] : 0;
        if (!maintenance || length < MINIMUM_WINDOW_MINUTES || length > MINUTES_PER_DAY) {
            problems.push({
                path: `${path}.maintenanceWindow`,
                given: `got ${JSON.stringify(maintenanceWindow)}`,
                allowed: `a weekly UTC window ddd:hh24:mi-ddd:hh24:mi of 30 minutes to 24 hours, for example "sun:04:00-sun:04:30" (${MAINTENANCE_WINDOW_DOC})`,
            });
            maintenance = undefined;
        }
    }
    if (backup && maintenance) {
        // The backup window repeats daily and the maintenance window weekly: compare every daily copy with both
        // weekly copies that can reach this week (a maintenance window may pass Saturday midnight).
        const shifts = [...Array(9).keys()].map((d) => (d - 1) * MINUTES_PER_DAY);
        const weekly: [number, number][] = [maintenance, [maintenance[0] - MINUTES_PER_WEEK, maintenance[1] - MINUTES_PER_WEEK]];
        const clash = shifts.some((shift) => weekly.some((m) => overlaps([backup![0] + shift, backup![1] + shift], m)));
        if (clash) {
            problems.push({
                path: `${path}.backupWindow`,
                given: `got ${JSON.stringify(backupWindow)} with maintenanceWindow ${JSON.stringify(maintenanceWindow)}`,
                allowed: `a backup window that does not overlap the maintenance window on any day (${BACKUP_WINDOW_DOC})`,
            });
        }
    }
    return problems;
}

/** PostgreSQL parameter names as RDS lists them (`log_min_duration_statement`, `rds.force_ssl`, `pg_stat_statements.track`). */
const PARAMETER_NAME = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

/** Problems with DB parameters: names as RDS lists them, string values, and a pinned major version to pick the family. */
export function parameterProblems(path: string, parameters: unknown, engineVersionGiven: boolean): ValidationProblem[] {
    if (parameters === undefined) return [];
    if (typeof parameters !== "object" || parameters === null || Array.isArray(parameters)) {
        return [{ path, given: `got ${JSON.stringify(parameters)}`, allowed: "a map of PostgreSQL parameter names to values (strings)" }];
    }
    const problems: ValidationProblem[] = [];
    for (const [name, value] of Object.entries(parameters)) {
        if (!PARAMETER_NAME.test(name)) problems.push({ path: `${path}.${name}`, given: `got the name ${JSON.stringify(name)}`, allowed: `a PostgreSQL parameter name as RDS lists it, such as log_min_duration_statement or rds.force_ssl (${PARAMETER_GROUP_DOC})` });
        if (typeof value !== "string") problems.push({ path: `${path}.${name}`, given: `got ${JSON.stringify(value)}`, allowed: 'a string, as RDS takes every parameter value (for example "1000" or "1")' });
    }
    if (Object.keys(parameters).length && !engineVersionGiven) {
        problems.push({
            path,
            given: `got ${Object.keys(parameters).length} parameter(s) without engineVersion`,
            allowed: `give engineVersion too (a major such as "17"): a parameter group belongs to one major version's family (postgres17), and rampart's default version may move in a later release (${PARAMETER_GROUP_DOC})`,
        });
    }
    return problems;
}

/** The DB parameter group family of a PostgreSQL version (`17` and `17.6` are both `postgres17`). */
export function parameterGroupFamily(engineVersion: string): string {
    return `postgres${engineVersion.split(".")[0]}`;
}
