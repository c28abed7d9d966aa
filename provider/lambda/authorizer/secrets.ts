import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/** Reads the secret's current string value. */
export async function readSecretString(secretArn: string, client = new SecretsManagerClient({})): Promise<string> {
    const response = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (typeof response.SecretString !== "string" || response.SecretString === "") {
        throw new Error("the JWT secret has no string value");
    }
    return response.SecretString;
}
