/** The authorizer's IAM policy: exactly what the function does, on exactly its own resources. */
import { allow, policyDocument, PolicyDocument, serviceTrustPolicy } from "../shared/iam";
import { TokenSource } from "./args";

export const LAMBDA_SERVICE = "lambda.amazonaws.com";
export const APIGATEWAY_SERVICE = "apigateway.amazonaws.com";

/** The Verified Permissions action each token source calls. */
export function authorizationAction(tokenSource: TokenSource): string {
    return tokenSource === TokenSource.IdentitySource ? "verifiedpermissions:IsAuthorizedWithToken" : "verifiedpermissions:IsAuthorized";
}

export interface AuthorizerPolicyInputs {
    tokenSource: TokenSource;
    policyStoreArn: string;
    /** ARN of the function's log group (without a `:*` suffix). */
    logGroupArn: string;
    /** ARN of the JWT secret (jwtSecret mode). */
    jwtSecretArn?: string;
}

/**
 * Authorize against this policy store only; read this secret only; create streams in and write to
 * this log group only (stream names are chosen by Lambda, hence `log-stream:*` inside the group).
 */
export function authorizerPolicy(inputs: AuthorizerPolicyInputs): PolicyDocument {
    const statements = [
        allow({ sid: "Authorize", actions: [authorizationAction(inputs.tokenSource)], resources: [inputs.policyStoreArn] }),
        allow({ sid: "WriteOwnLogs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [inputs.logGroupArn, `${inputs.logGroupArn}:log-stream:*`] }),
    ];
    if (inputs.jwtSecretArn !== undefined) {
        statements.push(allow({ sid: "ReadJwtSecret", actions: ["secretsmanager:GetSecretValue"], resources: [inputs.jwtSecretArn] }));
    }
    return policyDocument(statements);
}

export function authorizerTrustPolicy(): PolicyDocument {
    return serviceTrustPolicy(LAMBDA_SERVICE);
}
