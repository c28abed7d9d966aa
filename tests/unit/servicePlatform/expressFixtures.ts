/** The ServicePlatform fixtures, plus what a real provider computes for an Express Mode service (its ECS service ARN). */
import * as pulumi from "@pulumi/pulumi";
import { NatGateways } from "../../../provider/src/servicePlatform/args";
import { ACCOUNT_ID, computeState as platformState, REGION } from "./fixtures";

export { ACCOUNT_ID, Compute, doc, problems, Profile, RDS_SECRET_ARN, REGION, resolve, T } from "./fixtures";
export { NatGateways };

export function computeState(args: pulumi.runtime.MockResourceArgs): Record<string, any> | undefined {
    if (args.type === "aws:ecs/expressGatewayService:ExpressGatewayService") {
        const cluster = String(args.inputs.cluster ?? "default").split("/").pop();
        return {
            serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:service/${cluster}/${args.inputs.serviceName}`,
            ingressPaths: [{ accessType: "PRIVATE", endpoint: `${args.inputs.serviceName}-a1b2c3d4.ecs.${REGION}.on.aws` }],
        };
    }
    return platformState(args);
}
