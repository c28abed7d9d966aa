import * as pulumi from "@pulumi/pulumi";
import { cacheEnvironment, databaseEnvironment, databaseInitEnvironment, DB_INIT_CONTAINER, DB_INIT_SCRIPT, InjectedEnvironment, mergeEnvironments, otelEnvironment } from "./containers";
import { CacheConnection, DatabaseConnection } from "./sharedData";
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
    /** With `database.existing` (ECS): the init container that creates the stage's database and role first. */
    init?: { name: string; image: string; command: string[]; environment: Record<string, string>; secrets: Record<string, string> };
}

export interface EnvironmentSources {
    database?: DatabaseConnection;
    cache?: CacheConnection;
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
            db ? pulumi.all([db.address, db.port, db.secretArn, db.init ? pulumi.all([db.init.image, db.init.adminSecretArn]) : none]) : none,
            cache ? cache.endpoint : none,
            settings.observability.otelEndpointSecretArn ?? none,
            settings.observability.otelHeadersSecretArn ?? none,
            settings.kmsKeyArn ?? none,
            // The check fails when an environment value is a Pulumi secret, so it is never rendered in plain text.
            pulumi.all([pulumi.output(settings.secretsKmsKeyArns), pulumi.all(own.stored.map((secret) => secret.arn)), sources.secrets.environmentCheck]),
        ])
        .apply(([ownPlain, references, dbValues, cacheEndpoint, otelEndpoint, otelHeaders, kmsKey, [referencedKeys, storedArns]]) => {
            const initDb = db && dbValues && dbValues[3] ? { image: dbValues[3][0], adminSecretArn: dbValues[3][1] } : undefined;
            const initEnv: InjectedEnvironment | undefined = initDb
                ? databaseInitEnvironment({ image: initDb.image, host: dbValues![0], port: Number(dbValues![1]), databaseName: db!.databaseName, adminSecretArn: initDb.adminSecretArn, stageSecretArn: dbValues![2] })
                : undefined;
            const injected = mergeEnvironments(
                db && dbValues ? databaseEnvironment(settings.compute, { address: dbValues[0], port: dbValues[1], secretArn: dbValues[2], name: db.databaseName }) : { plain: {}, secrets: {} },
                cacheEndpoint !== undefined ? cacheEnvironment(cacheEndpoint, cache!.keyPrefix) : { plain: {}, secrets: {} },
                otelEnvironment(service.name, { endpointArn: otelEndpoint, headersArn: otelHeaders }),
            );
            const secrets = { ...references, ...injected.secrets };
            const plain = { ...ownPlain, ...injected.plain };
            // The execution role reads the init container's references too (the admin secret: never the task role).
            const refs = [...Object.values(secrets), ...Object.values(initEnv?.secrets ?? {})];
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
                    kmsKeys: [...(kmsKey && cmkProtected ? [kmsKey] : []), ...(readsReferenced || initEnv ? referencedKeys : [])],
                },
                init: initEnv && initDb ? { name: DB_INIT_CONTAINER, image: initDb.image, command: ["sh", "-c", DB_INIT_SCRIPT], environment: initEnv.plain, secrets: initEnv.secrets } : undefined,
            } satisfies ResolvedServiceEnvironment;
        });
}
