/**
 * The resolved plan of a ZeroTrustIdentity: every default applied to the arguments, as plain
 * values, and the SPIRE server and agent configuration derived from it. Pure; the resource code
 * reads these settings and never re-derives a default.
 */
import type { Input } from "@pulumi/pulumi";
import { logRetentionByProfile } from "../shared/logs";
import { byProfile, Profile } from "../shared/profile";
import { InstanceTag, KeyAlgorithm, SpireLogLevel, TrustRootMode, ZeroTrustIdentityArgs } from "./args";
import { EnvReference } from "./hcl";
import { KmsKeySpec } from "./policies";
import { AgentConfig, CaKeyType, durationSeconds, FederatedDomainConfig, registrationEntries, RegistrationEntries, ServerConfig, UpstreamAuthorityConfig } from "./render";

/** The SPIRE release rampart pins (images and the local test binaries). */
export const SPIRE_VERSION = "1.13.3";
export const DEFAULT_SERVER_IMAGE = `ghcr.io/spiffe/spire-server:${SPIRE_VERSION}`;
export const DEFAULT_AGENT_IMAGE = `ghcr.io/spiffe/spire-agent:${SPIRE_VERSION}`;
/**
 * The SPIRE images are built FROM scratch (no shell), so a small init container writes the
 * configuration it receives through ECS `secrets` into a task volume before the server starts.
 * The musl variant: its busybox is statically linked, so the copy the init container leaves for
 * the entries reconciler runs inside the (libc-less) SPIRE server image.
 */
export const CONFIG_INIT_IMAGE = "public.ecr.aws/docker/library/busybox:1.37.0-musl";

export const SERVER_PORT = 8081;
export const HEALTH_PORT = 8080;
export const DEFAULT_BUNDLE_ENDPOINT_PORT = 8443;
export const DEFAULT_TELEMETRY_PORT = 9988;
/** uid and gid the spire-server image runs as. */
export const SPIRE_SERVER_UID = 1000;

export const SERVER_PATHS = {
    configDir: "/run/spire/config",
    config: "/run/spire/config/server.conf",
    dataDir: "/var/lib/spire/server",
    /** SPIRE's default API socket directory; shared with the entries loader container. */
    socketDir: "/tmp/spire-server/private",
    /** The aws_kms KeyManager's server id (task storage: each task is its own SPIRE server, see `serverConfig`). */
    kmsKeyIdentifier: "/var/lib/spire/server/kms-key-id",
    /** Key policy of the KMS keys the aws_kms KeyManager creates, written by config-init (policies.ts `spireKmsKeyPolicy`). */
    kmsKeyPolicy: "/run/spire/config/kms-key-policy.json",
} as const;

export const AGENT_PATHS = {
    configDir: "/etc/spire/agent",
    config: "/etc/spire/agent/agent.conf",
    bundle: "/etc/spire/agent/bootstrap-bundle.pem",
    dataDir: "/var/lib/spire/agent",
    socketPath: "/run/spire/sockets/agent.sock",
    binary: "/opt/spire/bin/spire-agent",
} as const;

/** Where the server publishes its trust bundle (SPIFFE format) in the publication bucket. */
export const BUNDLE_OBJECT_KEY = "spire/bundle.json";
/** Where the initial CRL lives in the publication bucket (skreg). */
export const CRL_OBJECT_KEY = ".well-known/crl.pem";

/** Environment variable carrying a datastore connection string from Secrets Manager (`-expandEnv`). */
export const DATASTORE_CONNECTION_ENV = "SPIRE_DATASTORE_CONNECTION";

export interface TrustRootSettings {
    mode: TrustRootMode;
    keyAlgorithm: KeyAlgorithm;
    validityYears: number;
    commonName: string;
    organization?: string;
    crl: boolean;
}

/** The trust root to build: the one given, or a generated one when SPIRE runs without one. */
export function trustRootSettings(args: ZeroTrustIdentityArgs): TrustRootSettings | undefined {
    const root = args.trustRoot ?? (spireEnabled(args) ? {} : undefined);
    if (!root) return undefined;
    return {
        mode: root.mode ?? TrustRootMode.Generated,
        keyAlgorithm: root.keyAlgorithm ?? KeyAlgorithm.Rsa4096,
        validityYears: root.validityYears ?? 10,
        commonName: root.commonName ?? `${args.trustDomain ?? args.stage} Root CA`,
        organization: root.organization,
        crl: root.crl ?? false,
    };
}

export function spireEnabled(args: ZeroTrustIdentityArgs): boolean {
    return Boolean(args.spire && args.spire.enabled !== false);
}

export type DatastoreKind = "rds" | "secret" | "sqlite";
/** `aws_kms`: keys in KMS (production); `disk`: a keys file on the task's storage (ephemeral). */
export type ServerKeyManagerKind = "aws_kms" | "disk";

/**
 * Where the server keeps its state. Production keeps none of it on the task's storage, which is gone whenever ECS
 * replaces the task: the datastore is PostgreSQL (created, `datastore.create` defaulting to `true`, unless
 * `connectionStringSecretArn` names one; validate.ts refuses `create: false` in production) and the keys are in KMS.
 * Ephemeral defaults to sqlite and a keys file on the task, both lost with the task (agents then attest again).
 */
export function serverStateKinds(spire: NonNullable<ZeroTrustIdentityArgs["spire"]>, profile: Profile): { datastore: DatastoreKind; keyManager: ServerKeyManagerKind } {
    const datastore: DatastoreKind = spire.datastore?.connectionStringSecretArn
        ? "secret"
        : byProfile(profile, spire.datastore?.create, { ephemeral: false, production: true })
          ? "rds"
          : "sqlite";
    return { datastore, keyManager: profile === Profile.Production ? "aws_kms" : "disk" };
}

export interface SpireSettings {
    serverCount: number;
    /** The image as given (an Output is checked when it resolves, spireServer.ts), or rampart's pinned release. */
    serverImage: Input<string>;
    caTtl: string;
    x509SvidTtl: string;
    jwtSvidTtl: string;
    logLevel: SpireLogLevel;
    datastore: DatastoreKind;
    keyManager: ServerKeyManagerKind;
    /** `accountIds` as given (a list, or an Output resolved and checked by spireServer.ts); `[]` means the stack's account. */
    awsIid: { accountIds: Input<Input<string>[]>; assumeRoleName?: string };
    joinToken: boolean;
    bundlePublishing: boolean;
    /** Present when this server runs a bundle endpoint (it federates with other domains). */
    bundleEndpointPort?: number;
    federatesWith: FederatedDomainConfig[];
    telemetryPort: number;
    /** Fargate CPU units of a server task. */
    cpu: number;
    /** Fargate memory of a server task, MiB. */
    memory: number;
    /** Retention of the server log group, days. */
    logRetentionInDays: number;
}

/** Fargate size of a server task when none is given: CPU units and MiB per profile. */
export const DEFAULT_SERVER_TASK_SIZE = { cpu: { ephemeral: 256, production: 512 }, memory: { ephemeral: 512, production: 1024 } } as const;

export function spireSettings(args: ZeroTrustIdentityArgs, profile: Profile): SpireSettings | undefined {
    const spire = args.spire;
    if (!spire || spire.enabled === false) return undefined;
    const { datastore, keyManager } = serverStateKinds(spire, profile);
    const attestation = spire.nodeAttestation;
    const federatesWith = (spire.federation?.federatesWith ?? []).map((f) => ({
        trustDomain: f.trustDomain,
        bundleEndpointUrl: f.bundleEndpointUrl,
        ...(f.endpointSpiffeId ? { endpointSpiffeId: f.endpointSpiffeId } : {}),
    }));
    return {
        serverCount: byProfile(profile, spire.serverCount, { ephemeral: 1, production: 3 }),
        serverImage: spire.serverImage ?? DEFAULT_SERVER_IMAGE,
        caTtl: spire.caTtl ?? "24h",
        x509SvidTtl: spire.x509SvidTtl ?? "1h",
        jwtSvidTtl: spire.jwtSvidTtl ?? "5m",
        logLevel: spire.logLevel ?? SpireLogLevel.Info,
        datastore,
        keyManager,
        awsIid: { accountIds: attestation?.awsIid?.accountIds ?? [], assumeRoleName: attestation?.awsIid?.assumeRoleName },
        joinToken: attestation?.joinToken ?? false,
        bundlePublishing: spire.bundlePublishing ?? true,
        bundleEndpointPort: spire.federation ? spire.federation.bundleEndpointPort ?? DEFAULT_BUNDLE_ENDPOINT_PORT : undefined,
        federatesWith,
        telemetryPort: spire.telemetryPort ?? DEFAULT_TELEMETRY_PORT,
        cpu: byProfile(profile, spire.cpu, DEFAULT_SERVER_TASK_SIZE.cpu),
        memory: byProfile(profile, spire.memory, DEFAULT_SERVER_TASK_SIZE.memory),
        logRetentionInDays: logRetentionByProfile(profile, spire.logRetentionInDays),
    };
}

export function caKeyType(root: TrustRootSettings | undefined): CaKeyType {
    return root?.mode === TrustRootMode.Generated && root.keyAlgorithm === KeyAlgorithm.EcdsaP384 ? "ec-p384" : "ec-p256";
}

/** Values known only at deployment that the server configuration needs. */
export interface ServerRuntime {
    trustDomain: string;
    region: string;
    /** The AWS partition the server runs in. Default: `aws`. */
    partition?: string;
    upstreamAuthority?: UpstreamAuthorityConfig;
    /** Bucket of the published trust bundle (when bundlePublishing). */
    bundleBucket?: string;
    /** RDS endpoint (datastore `rds`). */
    database?: { host: string; port: number; name: string };
}

/** The KMS key spec of SPIRE keys of a `ca_key_type` (the aws_kms plugin's mapping). */
export function kmsKeySpec(keyType: CaKeyType): KmsKeySpec {
    return ({ "ec-p256": "ECC_NIST_P256", "ec-p384": "ECC_NIST_P384", "rsa-2048": "RSA_2048", "rsa-4096": "RSA_4096" } as const)[keyType];
}

/**
 * The server configuration for ECS. Datastore credentials never appear in it: with `rds` the
 * PostgreSQL driver (lib/pq) reads PGUSER and PGPASSWORD, injected from the RDS-managed secret;
 * with `secret` the connection string is `${SPIRE_DATASTORE_CONNECTION}`, injected from the given
 * secret and expanded by `spire-server run -expandEnv`.
 */
export function serverConfig(settings: SpireSettings, root: TrustRootSettings | undefined, runtime: ServerRuntime): ServerConfig {
    let datastore: ServerConfig["datastore"];
    if (settings.datastore === "rds") {
        if (!runtime.database) throw new Error("the rds datastore needs the database endpoint");
        const d = runtime.database;
        datastore = { databaseType: "postgres", connectionString: `dbname=${d.name} host=${d.host} port=${d.port} sslmode=require` };
    } else if (settings.datastore === "secret") {
        datastore = { databaseType: "postgres", connectionString: new EnvReference(DATASTORE_CONNECTION_ENV) };
    } else {
        datastore = { databaseType: "sqlite3", connectionString: `${SERVER_PATHS.dataDir}/datastore.sqlite3` };
    }
    return {
        trustDomain: runtime.trustDomain,
        bindAddress: "0.0.0.0",
        bindPort: SERVER_PORT,
        dataDir: SERVER_PATHS.dataDir,
        logLevel: settings.logLevel,
        caTtl: settings.caTtl,
        x509SvidTtl: settings.x509SvidTtl,
        jwtSvidTtl: settings.jwtSvidTtl,
        caKeyType: caKeyType(root),
        datastore,
        // aws_kms: the private keys are created in KMS and never leave it, so nothing secret is on the task. The server
        // id (`key_identifier_file`) stays on task storage: SPIRE's key ids are per server, and the N tasks of the
        // service cannot share one fixed `key_identifier_value` (they would overwrite each other's aliases). A new task
        // is a new server: it gets its intermediate CA from the same upstream authority (agents and workloads keep
        // trusting it; entries, agents and bundle are in PostgreSQL), and the plugin deletes the keys of servers whose
        // aliases it has not refreshed for two weeks.
        keyManager:
            settings.keyManager === "aws_kms"
                ? { type: "aws_kms", region: runtime.region, keyIdentifierFile: SERVER_PATHS.kmsKeyIdentifier, keyPolicyFile: SERVER_PATHS.kmsKeyPolicy }
                : { type: "disk", keysPath: `${SERVER_PATHS.dataDir}/keys.json` },
        nodeAttestation: {
            ...(settings.awsIid
                ? {
                      awsIid: {
                          ...(settings.awsIid.assumeRoleName ? { assumeRole: settings.awsIid.assumeRoleName } : {}),
                          // Builds the assumed role's ARN; SPIRE's default is aws.
                          ...(runtime.partition && runtime.partition !== "aws" ? { partition: runtime.partition } : {}),
                      },
                  }
                : {}),
            joinToken: settings.joinToken,
        },
        upstreamAuthority: runtime.upstreamAuthority,
        bundlePublisher: settings.bundlePublishing && runtime.bundleBucket ? { region: runtime.region, bucket: runtime.bundleBucket, objectKey: BUNDLE_OBJECT_KEY } : undefined,
        healthChecks: { bindAddress: "0.0.0.0", bindPort: HEALTH_PORT, livePath: "/live", readyPath: "/ready" },
        // All interfaces: the security group opens this port to the VPC (spireServer.ts).
        telemetry: { prometheusHost: "0.0.0.0", prometheusPort: settings.telemetryPort },
        federation:
            settings.bundleEndpointPort !== undefined || settings.federatesWith.length > 0
                ? {
                      bundleEndpoint: settings.bundleEndpointPort !== undefined ? { address: "0.0.0.0", port: settings.bundleEndpointPort } : undefined,
                      federatesWith: settings.federatesWith,
                  }
                : undefined,
    };
}

/** Whether any workload needs the systemd or docker workload attestor. */
export function workloadAttestors(args: ZeroTrustIdentityArgs): { systemd: boolean; docker: boolean } {
    const types = new Set((args.workloads ?? []).flatMap((w) => w.selectors.map((s) => s.type)));
    return { systemd: true, docker: types.has("docker") };
}

/** The agent configuration for enrolled EC2 instances (bootstrap bundle: the trust root's PEM, written by the SSM document). */
export function agentConfig(args: ZeroTrustIdentityArgs, settings: SpireSettings, serverAddress: string): AgentConfig {
    return {
        trustDomain: args.trustDomain!,
        serverAddress,
        serverPort: SERVER_PORT,
        dataDir: AGENT_PATHS.dataDir,
        logLevel: settings.logLevel,
        socketPath: AGENT_PATHS.socketPath,
        trustBundle: { path: AGENT_PATHS.bundle },
        nodeAttestor: "aws_iid",
        keyManager: { type: "disk", directory: AGENT_PATHS.dataDir },
        workloadAttestors: workloadAttestors(args),
        healthChecks: { bindAddress: "127.0.0.1", bindPort: 8088, livePath: "/live", readyPath: "/ready" },
    };
}

/** The registration entries of the workloads, with the node alias entry when agents are enrolled by tag. */
export function workloadEntries(args: ZeroTrustIdentityArgs, enrolmentTag: InstanceTag | undefined): RegistrationEntries | undefined {
    if (!args.trustDomain || !args.workloads?.length) return undefined;
    const x509 = args.spire?.x509SvidTtl ?? "1h";
    return registrationEntries({
        trustDomain: args.trustDomain,
        enrolmentTag,
        defaultX509SvidTtlSeconds: durationSeconds(x509),
        workloads: args.workloads.map((w) => ({
            name: w.name,
            spiffeId: w.spiffeId ?? `spiffe://${args.trustDomain}${w.path}`,
            parentId: w.parentId,
            selectors: w.selectors,
            x509SvidTtlSeconds: w.x509SvidTtlSeconds,
            dnsNames: w.dnsNames,
        })),
    });
}
