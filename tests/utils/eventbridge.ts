/**
 * The small part of Amazon EventBridge that the rotation tests need, implemented from AWS's documentation so a test
 * can show that a rule matches an event AWS would send (and no other):
 *  - event patterns with exact-value arrays and nested objects
 *    (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html): every field the pattern names
 *    must be present in the event; a field matches when its value (or, for an array in the event, any element of it)
 *    equals one of the pattern's values; matching is exact and case-sensitive; fields the pattern does not name are
 *    ignored. Content filters (prefix, anything-but, numeric, exists, wildcard, `$or`) are refused, not guessed:
 *    https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 *  - the envelope of an event delivered via CloudTrail
 *    (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html): `detail` is the
 *    CloudTrail record.
 */

export type EventPattern = { [field: string]: unknown[] | EventPattern };

export class UnsupportedPatternError extends Error {}

/** Whether `event` matches `pattern` (the subset above; anything else throws UnsupportedPatternError). */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
    if (pattern === null || typeof pattern !== "object" || Array.isArray(pattern)) throw new UnsupportedPatternError("a pattern is a JSON object");
    if (event === null || typeof event !== "object" || Array.isArray(event)) return false;
    const fields = event as Record<string, unknown>;
    for (const [key, expected] of Object.entries(pattern)) {
        if (key.startsWith("$")) throw new UnsupportedPatternError(`${key} is not implemented here`);
        if (!(key in fields)) return false;
        const actual = fields[key];
        if (Array.isArray(expected)) {
            if (expected.length === 0) throw new UnsupportedPatternError(`${key}: an empty array matches nothing in EventBridge; not a pattern rampart writes`);
            for (const value of expected) {
                if (value !== null && typeof value === "object") throw new UnsupportedPatternError(`${key}: content filter ${JSON.stringify(value)} is not implemented here`);
            }
            const candidates = Array.isArray(actual) ? actual : [actual];
            if (!candidates.some((c) => (c === null || typeof c !== "object") && expected.includes(c as never))) return false;
        } else if (expected !== null && typeof expected === "object") {
            if (!matchesEventPattern(expected as EventPattern, actual)) return false;
        } else {
            throw new UnsupportedPatternError(`${key}: a pattern value is an array of values or an object, got ${JSON.stringify(expected)}`);
        }
    }
    return true;
}

/**
 * The `RotationSucceeded` record Secrets Manager writes to CloudTrail when a rotation completed, wrapped in the
 * EventBridge envelope of a CloudTrail-delivered service event. Field names and values as AWS documents them:
 * the record (`eventType` `AwsServiceEvent`, `eventSource` `secretsmanager.amazonaws.com`, the secret's ARN in
 * `additionalEventData.SecretId`, no request parameters) in
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/cloudtrail_log_entries.html (Log entries for rotation)
 * and https://docs.aws.amazon.com/awscloudtrail/latest/userguide/non-api-aws-service-events.html; the envelope
 * (`source` `aws.secretsmanager`, `detail-type` `AWS Service Event via CloudTrail`) in
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/monitoring-eventbridge.html.
 */
export function rotationSucceededEvent(args: { secretArn: string; eventName?: string; account?: string; region?: string; time?: string }): Record<string, unknown> {
    const [, , , region = args.region ?? "us-east-1", account = args.account ?? "123456789012"] = args.secretArn.split(":");
    const time = args.time ?? "2026-12-07T04:12:31Z";
    return {
        version: "0",
        id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "AWS Service Event via CloudTrail",
        source: "aws.secretsmanager",
        account,
        time,
        region,
        resources: [],
        detail: {
            eventVersion: "1.09",
            userIdentity: { accountId: account, invokedBy: "secretsmanager.amazonaws.com" },
            eventTime: time,
            eventSource: "secretsmanager.amazonaws.com",
            eventName: args.eventName ?? "RotationSucceeded",
            awsRegion: region,
            sourceIPAddress: "secretsmanager.amazonaws.com",
            userAgent: "secretsmanager.amazonaws.com",
            requestParameters: null,
            responseElements: null,
            additionalEventData: { SecretId: args.secretArn },
            requestID: "EXAMPLE-a7b4-47a5-9c2d-3f6e1b2a0c11",
            eventID: "EXAMPLE-4c1e-4b8f-8a39-0d2d7f1e9b22",
            readOnly: false,
            eventType: "AwsServiceEvent",
            managementEvent: true,
            recipientAccountId: account,
            eventCategory: "Management",
        },
    };
}
