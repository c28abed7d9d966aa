import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isKnown } from "../shared/validation";
import { ComponentScope } from "../shared/scope";
import { PlatformSettings, ResolvedService } from "./settings";
import { classifySecret, COMPONENT, refusalAtDeployment } from "./validate";

/** The secret environment of one service: variable name to the ARN (`valueFrom`) the platform reads it from. */
export interface ServiceSecrets {
    references: Map<string, pulumi.Output<string>>;
    /** The Secrets Manager secrets rampart created for this service's values. */
    stored: aws.secretsmanager.Secret[];
}

export interface SecretsResult {
    byService: Map<string, ServiceSecrets>;
    storedCount: number;
    /** True when no `environment` value is a Pulumi secret; fails with one ComponentValidationError otherwise. */
    environmentCheck: pulumi.Output<boolean>;
}

/** What a secret in `environment` is told to do instead. */
export const SECRET_IN_ENVIRONMENT =
    "environment values are written into the task definition (App Runner: the service configuration) in plain text, so a Pulumi secret is refused there; " +
    "move it to `secrets`, which stores it in Secrets Manager and injects it by reference (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html)";

/**
 * Refuses `environment` values that are Pulumi secrets (for example `config.requireSecret(...)`): they would be written
 * into the task definition in plain text. Whether an Output is secret is known only asynchronously, but it is known at
 * preview even when the value is not, so this check fails preview (and `up`) before any task definition or App Runner
 * service is registered: the component routes it into every service's environment and into its outputs. One error
 * lists every such value by its path; the value itself is never shown.
 */
export function environmentSecretsCheck(component: string, services: ResolvedService[]): pulumi.Output<boolean> {
    const candidates = services.flatMap((s, i) =>
        Object.entries(s.environment)
            .filter(([, value]) => pulumi.Output.isInstance(value))
            .map(([variable, value]) => ({ path: `services[${i}].environment.${variable}`, value: value as pulumi.Output<string> })),
    );
    if (candidates.length === 0) return pulumi.output(true);
    return pulumi.output(
        Promise.all(candidates.map(async (c) => ((await pulumi.isSecret(c.value)) ? c.path : undefined))).then((paths) => {
            const secret = paths.filter((p): p is string => p !== undefined);
            if (secret.length) throw refusalAtDeployment(component, secret.map((path) => ({ path, given: "got a Pulumi secret", allowed: SECRET_IN_ENVIRONMENT })));
            return true;
        }),
    );
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

/**
 * Whether any service may read an SSM parameter when it starts: a known SSM parameter ARN in `secrets`, `secretArns` or
 * `observability`, or an ARN there that is known only at deployment (an output of another resource may name a
 * parameter). Without NAT the `ssm` interface endpoint is then needed, or tasks cannot start
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html). Unknown values in
 * `secrets` are stored in Secrets Manager, never read from SSM, so they do not count.
 */
export function referencesSsmParameters(settings: PlatformSettings): boolean {
    const known = (v: pulumi.Input<string>) => isKnown(v) && typeof v === "string" && classifySecret(v) === "ssmParameterArn";
    const maybe = (v: pulumi.Input<string>) => !isKnown(v) || known(v);
    const otel = [settings.observability.otelEndpointSecretArn, settings.observability.otelHeadersSecretArn].filter((v): v is pulumi.Input<string> => v !== undefined);
    return settings.services.some((s) => Object.values(s.secrets).some(known) || Object.values(s.secretArns).some(maybe)) || otel.some(maybe);
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
    return { byService, storedCount, environmentCheck: environmentSecretsCheck(scope.name, settings.services) };
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
