/** The HS256 signing secret of jwtSecret mode, kept in Secrets Manager. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ComponentScope } from "../shared/scope";

export const GENERATED_SECRET_LENGTH = 64;

export interface JwtSecretResources {
    secret: aws.secretsmanager.Secret;
    version: aws.secretsmanager.SecretVersion;
    generated?: random.RandomPassword;
}

/**
 * The given secret, or a generated 64-character one, stored as a secret value (never plaintext in
 * state). Ephemeral stages delete it without a recovery window so the stage can be re-created at once.
 */
export function createJwtSecret(scope: ComponentScope, given: pulumi.Input<string> | undefined): JwtSecretResources {
    const generated =
        given === undefined
            ? new random.RandomPassword(scope.child("jwt-secret-value"), { length: GENERATED_SECRET_LENGTH, special: false }, scope.opts({ additionalSecretOutputs: ["result"] }))
            : undefined;
    const value = pulumi.secret(generated ? generated.result : given!);
    const secret = new aws.secretsmanager.Secret(
        scope.child("jwt-secret"),
        {
            name: scope.physical("secretsManagerSecret", "jwt-secret"),
            description: `HS256 key of the ${scope.name} authorizer (${scope.stage})`,
            recoveryWindowInDays: scope.production ? 30 : 0,
            tags: scope.tags,
        },
        scope.opts(),
    );
    const version = new aws.secretsmanager.SecretVersion(scope.child("jwt-secret-version"), { secretId: secret.id, secretString: value }, scope.opts());
    return { secret, version, generated };
}
