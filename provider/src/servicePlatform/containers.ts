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
    sharedCache: ["CACHE_KEY_PREFIX"],
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

/** `CACHE_ENDPOINT`, and with a shared cache (`cache.existing`) the stage's `CACHE_KEY_PREFIX`. */
export function cacheEnvironment(endpoint: string, keyPrefix?: string): InjectedEnvironment {
    return { plain: { CACHE_ENDPOINT: endpoint, ...(keyPrefix !== undefined ? { CACHE_KEY_PREFIX: keyPrefix } : {}) }, secrets: {} };
}

/** Name of the init container that creates a stage's database and role on a shared instance (`database.existing`). */
export const DB_INIT_CONTAINER = "db-init";

/**
 * What the init container runs (`sh -c`). First it tries to connect as the stage's role with the stage's password: when
 * that works, everything exists and it exits 0 without using the admin credentials. Otherwise it connects as the admin
 * and, idempotently: creates the role if missing, sets its password to the stage's secret (so a re-created stage whose
 * role survived heals), makes the admin a member of it (PostgreSQL 16+ needs that for `CREATE DATABASE ... OWNER`),
 * creates the database owned by it if missing and revokes `CONNECT` and `TEMPORARY` on it from `PUBLIC`, so other
 * stages' roles cannot connect to it. Names and the password come from the environment through psql's `\getenv` and
 * are quoted with `format('%I' / '%L')` (no shell or SQL interpolation; psql 15 or later). `ON_ERROR_STOP` makes any
 * failure a non-zero exit, so the service's container does not start (dependsOn SUCCESS).
 * https://www.postgresql.org/docs/current/app-psql.html, https://www.postgresql.org/docs/current/sql-createdatabase.html
 */
export const DB_INIT_SCRIPT = [
    "set -eu",
    'if PGUSER="$STAGE_DB" PGPASSWORD="$STAGE_PASSWORD" PGDATABASE="$STAGE_DB" psql -X -q -c "SELECT 1" >/dev/null 2>&1; then echo "rampart db-init: database $STAGE_DB ready"; exit 0; fi',
    'PGUSER="$ADMIN_USER" PGPASSWORD="$ADMIN_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 <<\'SQL\'',
    "\\getenv name STAGE_DB",
    "\\getenv password STAGE_PASSWORD",
    "SELECT format('CREATE ROLE %I LOGIN', :'name') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'name') \\gexec",
    "SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'name', :'password') \\gexec",
    "SELECT format('GRANT %I TO CURRENT_USER', :'name') WHERE NOT pg_has_role(current_user, :'name', 'MEMBER') \\gexec",
    "SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'name') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name') \\gexec",
    "SELECT format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', :'name') \\gexec",
    "SQL",
    'echo "rampart db-init: database $STAGE_DB created or repaired"',
].join("\n");

export interface DatabaseInitSpec {
    image: string;
    /** The shared instance. */
    host: string;
    port: number;
    /** The stage's database and role name. */
    databaseName: string;
    /** Secrets Manager ARN with the admin's `username` and `password`. */
    adminSecretArn: string;
    /** The stage's secret (`password` key). */
    stageSecretArn: string;
}

/** The init container's plain variables and secret references (admin and stage credentials by reference only). */
export function databaseInitEnvironment(spec: DatabaseInitSpec): InjectedEnvironment {
    return {
        plain: { PGHOST: spec.host, PGPORT: String(spec.port), PGDATABASE: "postgres", PGSSLMODE: "require", PGCONNECT_TIMEOUT: "10", STAGE_DB: spec.databaseName },
        secrets: {
            ADMIN_USER: `${spec.adminSecretArn}:username::`,
            ADMIN_PASSWORD: `${spec.adminSecretArn}:password::`,
            STAGE_PASSWORD: `${spec.stageSecretArn}:password::`,
        },
    };
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
    /** An init container (`database.existing`) that must exit 0 before the service's container starts. */
    init?: { name: string; image: string; command: string[]; environment: Record<string, string>; secrets: Record<string, string> };
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
    const variables = (environment: Record<string, string>) =>
        Object.entries(environment)
            .map(([name, value]) => ({ name, value }))
            .sort(byName);
    const references = (secrets: Record<string, string>) =>
        Object.entries(secrets)
            .map(([name, valueFrom]) => ({ name, valueFrom }))
            .sort(byName);
    // The init container runs to completion first: not essential (an essential container's exit stops the task, and
    // ECS refuses SUCCESS on an essential container), no cpu or memory of its own (the task's are shared), the same
    // read-only root filesystem, /tmp and log group (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html).
    const init = spec.init
        ? [
              {
                  name: spec.init.name,
                  image: spec.init.image,
                  essential: false,
                  command: spec.init.command,
                  environment: variables(spec.init.environment),
                  secrets: references(spec.init.secrets),
                  readonlyRootFilesystem: true,
                  privileged: false,
                  linuxParameters: { initProcessEnabled: true },
                  mountPoints: [{ sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false }],
                  logConfiguration: {
                      logDriver: "awslogs",
                      options: { "awslogs-group": spec.logGroupName, "awslogs-region": spec.region, "awslogs-stream-prefix": spec.init.name },
                  },
              },
          ]
        : [];
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
            ...(spec.init ? { dependsOn: [{ containerName: spec.init.name, condition: "SUCCESS" }] } : {}),
        },
        ...init,
    ];
}
