import type { APIGatewayAuthorizerResult } from "aws-lambda";

/** Context values API Gateway passes to the integration (strings, numbers and booleans only). */
export type ResponseContext = Record<string, string | number | boolean>;

/**
 * An IAM-policy authorizer response (REST API TOKEN/REQUEST authorizers, HTTP API payload 1.0 and
 * 2.0 without simple responses) allowing exactly the requested method ARN.
 */
export function allowResponse(principalId: string, methodArn: string, context: ResponseContext): APIGatewayAuthorizerResult {
    return {
        principalId,
        policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: methodArn }] },
        context,
    };
}

/** A Deny for the requested method ARN; without an ARN (a malformed event), a Deny on every method. */
export function denyResponse(principalId: string, methodArn: string | undefined): APIGatewayAuthorizerResult {
    return {
        principalId,
        policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Deny", Resource: methodArn || "*" }] },
    };
}
