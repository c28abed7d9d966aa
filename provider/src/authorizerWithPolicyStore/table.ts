/** The on-demand DynamoDB table. */
import * as aws from "@pulumi/aws";
import { ComponentScope } from "../shared/scope";
import { AuthorizerSettings } from "./settings";

export const TABLE_KEYS = { hashKey: "pk", rangeKey: "sk" } as const;

/** Pay per request (nothing while idle), encrypted with KMS, streams and point-in-time recovery as configured. */
export function createTable(scope: ComponentScope, settings: AuthorizerSettings): aws.dynamodb.Table {
    const t = settings.table;
    return new aws.dynamodb.Table(
        scope.child("table"),
        {
            name: scope.physical("dynamoTable"),
            billingMode: "PAY_PER_REQUEST",
            hashKey: TABLE_KEYS.hashKey,
            rangeKey: TABLE_KEYS.rangeKey,
            attributes: [
                { name: TABLE_KEYS.hashKey, type: "S" },
                { name: TABLE_KEYS.rangeKey, type: "S" },
            ],
            serverSideEncryption: { enabled: true },
            pointInTimeRecovery: { enabled: t.pointInTimeRecovery },
            streamEnabled: t.streams,
            streamViewType: t.streams ? "NEW_AND_OLD_IMAGES" : undefined,
            ttl: t.ttlAttribute ? { attributeName: t.ttlAttribute, enabled: true } : undefined,
            deletionProtectionEnabled: settings.deletionProtection,
            tags: scope.tags,
        },
        scope.dataOpts(),
    );
}
