import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assertLogRetention } from "./logs";
import { ComponentScope } from "./scope";

export interface LogGroupArgs {
    /** The group's name (`/aws/lambda/<function>`, `/aws/rds/instance/<id>/<log>`, `/rampart/...`): fixed by the writer or by rampart. */
    name: pulumi.Input<string>;
    /** A retention CloudWatch Logs accepts (`LOG_RETENTION_DAYS`). */
    retentionInDays: number;
    /** A customer-managed KMS key for the group's events. Default: CloudWatch Logs' own encryption. */
    kmsKeyId?: pulumi.Input<string>;
}

/**
 * A CloudWatch log group with a retention CloudWatch Logs accepts. Log groups hold what happened, so they are data:
 * kept (and protected) on destroy when the profile or the user's arguments keep data stores, like databases and
 * buckets (`ComponentScope.dataOpts`). https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
 */
export function createLogGroup(scope: ComponentScope, logicalName: string, args: LogGroupArgs, extra?: pulumi.CustomResourceOptions): aws.cloudwatch.LogGroup {
    assertLogRetention(args.retentionInDays);
    return new aws.cloudwatch.LogGroup(
        logicalName,
        { name: args.name, retentionInDays: args.retentionInDays, ...(args.kmsKeyId === undefined ? {} : { kmsKeyId: args.kmsKeyId }), tags: scope.tags },
        scope.dataOpts(extra),
    );
}
