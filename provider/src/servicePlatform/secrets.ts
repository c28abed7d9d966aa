import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isKnown } from "../shared/validation";
import { ComponentScope } from "../shared/scope";
import { PlatformSettings, ResolvedService } from "./settings";
import { classifySecret, COMPONENT } from "./validate";

/** The secret environment of one service: variable name to the ARN (`valueFrom`) the platform reads it from. */
export interface ServiceSecrets {
    references: Map<string, pulumi.Output<string>>;
    /** The Secrets Manager secrets rampart created for this service's values. */
    stored: aws.secretsmanager.Secret[];
}

export interface SecretsResult {
    byService: Map<string, ServiceSecrets>;
    storedCount: number;
}

/** How one `secrets` entry is handled: referenced as-is (an ARN known now) or stored in Secrets Manager. */
export function secretHandling(value: pulumi.Input<string>): "reference" | "store" {
    if (!isKnown(value) || typeof value !== "string") return "store";
    const kind = classifySecret(value);
    return kind === "secretsManagerArn" || kind === "ssmParameterArn" ? "reference" : "store";
}

/** The number of secret values the services give, each stored in its own Secrets Manager secret. */
export function storedSecretCount(services: ResolvedService[]): number {
    return services.reduce((n, s) => n + Object.values(s.secrets).filter((v) => secretHandling(v) === "store").length, 0);
}

/** Whether any service (or the observability settings) references an SSM parameter by a known ARN. */
export function referencesSsmParameters(settings: PlatformSettings): boolean {
    const values: pulumi.Input<string>[] = [
        ...settings.services.flatMap((s) => [...Object.values(s.secrets), ...Object.values(s.secretArns)]),
        ...[settings.observability.otelEndpointSecretArn, settings.observability.otelHeadersSecretArn].filter((v): v is pulumi.Input<string> => v !== undefined),
    ];
    return values.some((v) => isKnown(v) && typeof v === "string" && classifySecret(v) === "ssmParameterArn");
}

/**
 * Secrets of every service. ARNs are referenced as they are; values are stored, each in its own Secrets Manager secret
 * (`<platform>-<stage>/<service>/<VARIABLE>`), written as a Pulumi secret so it is encrypted in state and never shown.
 * A value only known at deployment is stored too; should it turn out to be an ARN, the deployment stops and says to
 * pass it through `secretArns`.
 */
export function createSecrets(scope: ComponentScope, settings: PlatformSettings): SecretsResult {
    const byService = new Map<string, ServiceSecrets>();
    let storedCount = 0;
    settings.services.forEach((s, index) => {
        const references = new Map<string, pulumi.Output<string>>();
        const stored: aws.secretsmanager.Secret[] = [];
        for (const [variable, value] of Object.entries(s.secrets)) {
            if (secretHandling(value) === "reference") {
                references.set(variable, pulumi.output(value));
                continue;
            }
            const secret = new aws.secretsmanager.Secret(
                scope.child("secret", s.name, variable),
                {
                    name: scope.physical("secretsManagerSecret", `${s.name}/${variable}`),
                    description: `${variable} of service ${s.name} (rampart ${settings.name}, stage ${settings.stage})`,
                    kmsKeyId: settings.kmsKeyArn,
                    recoveryWindowInDays: settings.production ? 30 : 0,
                    tags: scope.tags,
                },
                scope.opts(),
            );
            const path = `services[${index}].secrets.${variable}`;
            new aws.secretsmanager.SecretVersion(
                scope.child("secret", s.name, variable, "value"),
                { secretId: secret.id, secretString: pulumi.secret(pulumi.output(value).apply((v) => checkedSecretValue(scope.name, path, v))) },
                scope.opts(),
            );
            references.set(variable, secret.arn);
            stored.push(secret);
            storedCount++;
        }
        for (const [variable, arn] of Object.entries(s.secretArns)) references.set(variable, pulumi.output(arn));
        byService.set(s.name, { references, stored });
    });
    return { byService, storedCount };
}

/** A value to store, refused when it is empty or an ARN (never echoing the value). */
export function checkedSecretValue(component: string, path: string, value: string): string {
    if (typeof value !== "string" || value.length === 0) {
        throw new Error(`${COMPONENT} "${component}": ${path}: got an empty value at deployment; a non-empty secret value or an ARN`);
    }
    const kind = classifySecret(value);
    if (kind !== "value") {
        throw new Error(
            `${COMPONENT} "${component}": ${path}: got an ARN known only at deployment; pass ARNs that are outputs of other resources through \`secretArns\` so they are read, not stored`,
        );
    }
    return value;
}
