import { byProfile, Profile } from "./profile";

/**
 * The retention periods, in days, CloudWatch Logs accepts for a log group (`retentionInDays` of
 * PutRetentionPolicy); any other number is refused at deployment. Source:
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
export const LOG_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export const LOG_RETENTION_DOC = "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html";

/** What an error message says is allowed for a log retention. */
export function logRetentionAllowed(): string {
    return `a CloudWatch Logs retention in days, one of ${LOG_RETENTION_DAYS.join(", ")} (${LOG_RETENTION_DOC})`;
}

/**
 * Throws when `days` is not a retention CloudWatch Logs accepts (a programming error: user input is validated with
 * `logRetentionAllowed` before any resource is declared).
 */
export function assertLogRetention(days: number): void {
    if (!LOG_RETENTION_DAYS.includes(days)) throw new Error(`log retention ${days} days: expected ${logRetentionAllowed()}`);
}

/**
 * Days a log group keeps its events when the user chose none: a week for ephemeral stages, 90 days in production
 * (both retentions CloudWatch Logs accepts, `LOG_RETENTION_DAYS`).
 */
export const DEFAULT_LOG_RETENTION_DAYS = { ephemeral: 7, production: 90 } as const;

export function logRetentionByProfile(profile: Profile, given?: number): number {
    return byProfile(profile, given, DEFAULT_LOG_RETENTION_DAYS);
}
