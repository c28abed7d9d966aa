import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "./scope";

/** Where a component is deployed: its AWS provider's Region, account and partition (looked up once per component). */
export interface AwsEnvironment {
    region: pulumi.Output<string>;
    accountId: pulumi.Output<string>;
    partition: pulumi.Output<string>;
}

export function awsEnvironment(scope: ComponentScope): AwsEnvironment {
    const opts = { parent: scope.component };
    return {
        region: aws.getRegionOutput({}, opts).apply((r) => r.region ?? r.name),
        accountId: aws.getCallerIdentityOutput({}, opts).accountId,
        partition: aws.getPartitionOutput({}, opts).partition,
    };
}
