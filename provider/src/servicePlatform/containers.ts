/** The environment rampart injects into services, and ECS container definitions: pure rendering. */
import { Compute } from "./args";

export interface InjectedEnvironment {
    plain: Record<string, string>;
    /** Variable name to the ARN the platform reads it from at start. */
    secrets: Record<string, string>;
}

/** Variables each feature injects (and that a service may therefore not set itself). */
export const INJECTED_VARIABLES = {
    database: ["DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD", "DB_CREDENTIALS", "DB_SECRET_ARN"],
    cache: ["CACHE_ENDPOINT"],
    otel: ["OTEL_SERVICE_NAME", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS"],
    appRunner: ["PORT"],
} as const;

/**
 * The database connection: host, port and name are plain; the user and password come from the secret RDS manages.
 * ECS reads JSON keys of that secret (`<arn>:username::`); App Runner gets the secret's JSON as `DB_CREDENTIALS`.
 * Both are read when the task or instance starts. `DB_SECRET_ARN` (plain: an ARN, not the secret) lets the
 * application read the current password itself when it opens a connection, which survives a rotation with no window
 * (the service's role may read that secret; see docs "Database password rotation").
 */
export function databaseEnvironment(compute: Compute, db: { address: string; port: number | string; name: string; secretArn: string }): InjectedEnvironment {
    const plain = { DB_HOST: db.address, DB_PORT: String(db.port), DB_NAME: db.name, DB_SECRET_ARN: db.secretArn };
    if (compute === Compute.AppRunner) return { plain, secrets: { DB_CREDENTIALS: db.secretArn } };
    return { plain, secrets: { DB_USER: `${db.secretArn}:username::`, DB_PASSWORD: `${db.secretArn}:password::` } };
}

export function cacheEnvironment(endpoint: string): InjectedEnvironment {
    return { plain: { CACHE_ENDPOINT: endpoint }, secrets: {} };
}

/** OpenTelemetry wiring: the service name plain, endpoint and headers (they carry credentials) as secrets. */
export function otelEnvironment(service: string, otel: { endpointArn?: string; headersArn?: string }): InjectedEnvironment {
    if (!otel.endpointArn && !otel.headersArn) return { plain: {}, secrets: {} };
    const secrets: Record<string, string> = {};
    if (otel.endpointArn) secrets.OTEL_EXPORTER_OTLP_ENDPOINT = otel.endpointArn;
    if (otel.headersArn) secrets.OTEL_EXPORTER_OTLP_HEADERS = otel.headersArn;
    return { plain: { OTEL_SERVICE_NAME: service }, secrets };
}

export function mergeEnvironments(...parts: InjectedEnvironment[]): InjectedEnvironment {
    return {
        plain: Object.assign({}, ...parts.map((p) => p.plain)),
        secrets: Object.assign({}, ...parts.map((p) => p.secrets)),
    };
}

export interface ContainerSpec {
    name: string;
    image: string;
    cpu: number;
    memory: number;
    port: number;
    command?: string[];
    environment: Record<string, string>;
    secrets: Record<string, string>;
    logGroupName: string;
    region: string;
    /** Default: true. */
    readonlyRootFilesystem?: boolean;
}

/** Scratch space mounted at /tmp so a read-only root filesystem still lets programs write temporary files. */
export const TMP_VOLUME = "tmp";

/**
 * One essential container: read-only root filesystem unless the service opts out (always with a writable /tmp volume), not privileged, an init process
 * that forwards signals, logs to its own log group, plain variables in `environment` and secrets only as `valueFrom`
 * references. Entries are sorted so the JSON is stable.
 */
export function containerDefinitions(spec: ContainerSpec): object[] {
    const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    return [
        {
            name: spec.name,
            image: spec.image,
            essential: true,
            cpu: spec.cpu,
            memory: spec.memory,
            portMappings: [{ containerPort: spec.port, protocol: "tcp", name: `${spec.name}-${spec.port}` }],
            ...(spec.command?.length ? { command: spec.command } : {}),
            environment: Object.entries(spec.environment)
                .map(([name, value]) => ({ name, value }))
                .sort(byName),
            secrets: Object.entries(spec.secrets)
                .map(([name, valueFrom]) => ({ name, valueFrom }))
                .sort(byName),
            readonlyRootFilesystem: spec.readonlyRootFilesystem ?? true,
            privileged: false,
            linuxParameters: { initProcessEnabled: true },
            mountPoints: [{ sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false }],
            logConfiguration: {
                logDriver: "awslogs",
                options: { "awslogs-group": spec.logGroupName, "awslogs-region": spec.region, "awslogs-stream-prefix": spec.name },
            },
        },
    ];
}
