import { awsJsonClient, type AwsJsonClient } from "./awsJson";

/** Reads the secret's current string value (Secrets Manager GetSecretValue, awsJson1_1). */
export async function readSecretString(secretArn: string, region: string, aws: AwsJsonClient = awsJsonClient()): Promise<string> {
    const response = (await aws.call({ service: "secretsmanager", region, target: "secretsmanager.GetSecretValue", jsonVersion: "1.1", body: { SecretId: secretArn } })) as { SecretString?: unknown };
    if (typeof response.SecretString !== "string" || response.SecretString === "") {
        throw new Error("the JWT secret has no string value");
    }
    return response.SecretString;
}
