import * as pulumi from "@pulumi/pulumi";
import { cacheEnvironment, databaseEnvironment, mergeEnvironments, otelEnvironment } from "./containers";
import { CacheResult } from "./cache";
import { DatabaseResult } from "./database";
import { ReadableSecrets } from "./policies";
import { SecretsResult } from "./secrets";
import { PlatformSettings, ResolvedService } from "./settings";
import { classifySecret } from "./validate";

/** Everything a service's runtime sees: plain variables and secret references, resolved. */
export interface ResolvedServiceEnvironment {
    plain: Record<string, string>;
    secrets: Record<string, string>;
    /** What the reading role may read: exactly the references above (split by service), plus the CMK when it protects them. */
    readable: ReadableSecrets;
}

export interface EnvironmentSources {
    database?: DatabaseResult;
    cache?: CacheResult;
    secrets: SecretsResult;
}

/** The environment of one service, from its own variables and what the platform injects. */
export function serviceEnvironment(settings: PlatformSettings, service: ResolvedService, sources: EnvironmentSources): pulumi.Output<ResolvedServiceEnvironment> {
    const own = sources.secrets.byService.get(service.name)!;
    const storesSecrets = own.stored.length > 0;
    const db = service.useDatabase ? sources.database : undefined;
    const cache = service.useCache ? sources.cache : undefined;
    const none = pulumi.output(undefined);
    return pulumi
        .all([
            pulumi.all(service.environment) as pulumi.Output<Record<string, string>>,
            pulumi.all(Object.fromEntries(own.references)) as pulumi.Output<Record<string, string>>,
            db ? pulumi.all([db.address, db.port, db.secretArn]) : none,
            cache ? cache.endpoint : none,
            settings.observability.otelEndpointSecretArn ?? none,
            settings.observability.otelHeadersSecretArn ?? none,
            settings.kmsKeyArn ?? none,
            // The check fails when an environment value is a Pulumi secret, so it is never rendered in plain text.
            pulumi.all([pulumi.all(settings.secretsKmsKeyArns), pulumi.all(own.stored.map((secret) => secret.arn)), sources.secrets.environmentCheck]),
        ])
        .apply(([ownPlain, references, dbValues, cacheEndpoint, otelEndpoint, otelHeaders, kmsKey, [referencedKeys, storedArns]]) => {
            const injected = mergeEnvironments(
                db && dbValues ? databaseEnvironment(settings.compute, { address: dbValues[0], port: dbValues[1], secretArn: dbValues[2], name: db.databaseName }) : { plain: {}, secrets: {} },
                cacheEndpoint !== undefined ? cacheEnvironment(cacheEndpoint) : { plain: {}, secrets: {} },
                otelEnvironment(service.name, { endpointArn: otelEndpoint, headersArn: otelHeaders }),
            );
            const secrets = { ...references, ...injected.secrets };
            const plain = { ...ownPlain, ...injected.plain };
            const refs = Object.values(secrets);
            const created = new Set<string>([...storedArns, ...(dbValues ? [dbValues[2]] : [])]);
            // A reference may carry a JSON key (`<arn>:password::`); the secret is its first seven ARN fields.
            const secretArnOf = (reference: string) => reference.split(":").slice(0, 7).join(":");
            const isCreated = (reference: string) => created.has(secretArnOf(reference));
            const cmkProtected = storesSecrets || dbValues !== undefined;
            // The user's keys encrypt secrets the service references by ARN (not the ones rampart stores for it).
            const readsReferenced = own.references.size > own.stored.length || otelEndpoint !== undefined || otelHeaders !== undefined;
            return {
                plain,
                secrets,
                // Secrets rampart stores and the one RDS manages have full ARNs, granted exactly; references the user gave
                // may be partial ARNs (secretPolicyArns).
                readable: {
                    createdSecretArns: [...new Set(refs.filter(isCreated).map(secretArnOf))],
                    secretsManager: refs.filter((r) => !isCreated(r) && classifySecret(r) === "secretsManagerArn"),
                    ssmParameters: refs.filter((r) => classifySecret(r) === "ssmParameterArn"),
                    kmsKeys: [...(kmsKey && cmkProtected ? [kmsKey] : []), ...(readsReferenced ? referencedKeys : [])],
                },
            } satisfies ResolvedServiceEnvironment;
        });
}
