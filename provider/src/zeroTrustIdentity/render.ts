/**
 * Rendering of SPIRE's configuration: the server's `server.conf`, the agent's `agent.conf` (both
 * HCL) and the registration entries JSON that `spire-server entry create|update -data` reads. Pure
 * functions of plain values; the component resolves Outputs first.
 *
 * Key names follow the SPIRE v1.13 documentation (doc/spire_server.md, doc/spire_agent.md and the
 * doc/plugin_*.md page of each plugin).
 */
import { block, EnvReference, HclBlock, HclEntry, renderHcl } from "./hcl";
import { WorkloadSelector } from "./args";
import { NODE_ALIAS_ENTRY_ID, workloadEntryId } from "./reconcile";

export type CaKeyType = "rsa-2048" | "rsa-4096" | "ec-p256" | "ec-p384";

export type DatastoreConfig =
    | { databaseType: "postgres"; connectionString: string | EnvReference }
    | { databaseType: "sqlite3"; connectionString: string };

export type KeyManagerConfig =
    | { type: "disk"; keysPath: string }
    | { type: "memory" }
    /**
     * SPIRE's `aws_kms` KeyManager: private keys created in and never leaving KMS. `keyIdentifierFile` holds the
     * server id the plugin names its aliases after; `keyPolicyFile` the key policy of the keys it creates.
     * https://github.com/spiffe/spire/blob/v1.13.3/doc/plugin_server_keymanager_aws_kms.md
     */
    | { type: "aws_kms"; region: string; keyIdentifierFile: string; keyPolicyFile?: string };

export type UpstreamAuthorityConfig =
    /** `bundleFileArn`: the roots when `certFileArn` is an intermediate (SPIRE then serves the full chain). */
    | { type: "awssecret"; region: string; certFileArn: string; keyFileArn: string; bundleFileArn?: string }
    | { type: "aws_pca"; region: string; certificateAuthorityArn: string }
    /** The root's certificate and key as files: for local runs (the SPIRE test), never used on AWS. */
    | { type: "disk"; certFilePath: string; keyFilePath: string };

export interface HealthChecksConfig {
    bindAddress: string;
    bindPort: number;
    livePath: string;
    readyPath: string;
}

export interface FederatedDomainConfig {
    trustDomain: string;
    bundleEndpointUrl: string;
    /** Present: the https_spiffe profile with this endpoint SPIFFE id; absent: https_web. */
    endpointSpiffeId?: string;
}

/** Everything `server.conf` says, as plain values. */
export interface ServerConfig {
    trustDomain: string;
    bindAddress: string;
    bindPort: number;
    /** Default: SPIRE's `/tmp/spire-server/private/api.sock`. */
    socketPath?: string;
    dataDir: string;
    logLevel: string;
    caTtl: string;
    x509SvidTtl: string;
    jwtSvidTtl: string;
    caKeyType: CaKeyType;
    datastore: DatastoreConfig;
    keyManager: KeyManagerConfig;
    /** aws_iid `partition`: rendered only when given (SPIRE's default is `aws`; GovCloud and China need theirs). */
    nodeAttestation: { awsIid?: { assumeRole?: string; partition?: string }; joinToken?: boolean };
    upstreamAuthority?: UpstreamAuthorityConfig;
    bundlePublisher?: { region: string; bucket: string; objectKey: string };
    healthChecks: HealthChecksConfig;
    /**
     * Prometheus metrics endpoint. `host` defaults to SPIRE's own default, `localhost`, which no
     * one outside the task can reach: the ECS server binds 0.0.0.0 so the security group's
     * telemetry rule (from the VPC) means something. Source:
     * https://github.com/spiffe/spire/blob/v1.13.3/doc/telemetry/telemetry_config.md (Prometheus `host`, `port`).
     */
    telemetry?: { prometheusHost?: string; prometheusPort: number };
    federation?: { bundleEndpoint?: { address: string; port: number }; federatesWith: FederatedDomainConfig[] };
}

const plugin = (type: string, name: string, data: HclEntry[]): HclBlock => block(type, [name], [block("plugin_data", [], data)]);

function healthChecksBlock(h: HealthChecksConfig): HclBlock {
    return block("health_checks", [], [
        ["listener_enabled", true],
        ["bind_address", h.bindAddress],
        ["bind_port", String(h.bindPort)],
        ["live_path", h.livePath],
        ["ready_path", h.readyPath],
    ]);
}

function serverKeyManagerBlock(k: KeyManagerConfig): HclBlock {
    if (k.type === "disk") return plugin("KeyManager", "disk", [["keys_path", k.keysPath]]);
    if (k.type === "aws_kms") {
        return plugin("KeyManager", "aws_kms", [
            ["region", k.region],
            ["key_identifier_file", k.keyIdentifierFile],
            ["key_policy_file", k.keyPolicyFile],
        ]);
    }
    return plugin("KeyManager", "memory", []);
}

/** `server.conf` (HCL). */
export function renderServerConfig(c: ServerConfig): string {
    const federation = c.federation;
    const server = block("server", [], [
        ["bind_address", c.bindAddress],
        ["bind_port", c.bindPort],
        ["socket_path", c.socketPath],
        ["trust_domain", c.trustDomain],
        ["data_dir", c.dataDir],
        ["log_level", c.logLevel],
        ["ca_key_type", c.caKeyType],
        ["ca_ttl", c.caTtl],
        ["default_x509_svid_ttl", c.x509SvidTtl],
        ["default_jwt_svid_ttl", c.jwtSvidTtl],
        ...(federation
            ? [
                  block("federation", [], [
                      ...(federation.bundleEndpoint
                          ? [
                                block("bundle_endpoint", [], [
                                    ["address", federation.bundleEndpoint.address],
                                    ["port", federation.bundleEndpoint.port],
                                    block("profile", ["https_spiffe"], []),
                                ]),
                            ]
                          : []),
                      ...federation.federatesWith.map((f) =>
                          block("federates_with", [f.trustDomain], [
                              ["bundle_endpoint_url", f.bundleEndpointUrl],
                              f.endpointSpiffeId
                                  ? block("bundle_endpoint_profile", ["https_spiffe"], [["endpoint_spiffe_id", f.endpointSpiffeId]])
                                  : block("bundle_endpoint_profile", ["https_web"], []),
                          ]),
                      ),
                  ]),
              ]
            : []),
    ]);

    const plugins: HclBlock[] = [
        plugin("DataStore", "sql", [
            ["database_type", c.datastore.databaseType],
            ["connection_string", c.datastore.connectionString],
        ]),
        serverKeyManagerBlock(c.keyManager),
    ];
    if (c.nodeAttestation.awsIid) {
        plugins.push(plugin("NodeAttestor", "aws_iid", [["assume_role", c.nodeAttestation.awsIid.assumeRole], ["partition", c.nodeAttestation.awsIid.partition]]));
    }
    if (c.nodeAttestation.joinToken) plugins.push(plugin("NodeAttestor", "join_token", []));
    const upstream = c.upstreamAuthority;
    if (upstream?.type === "awssecret") {
        plugins.push(
            plugin("UpstreamAuthority", "awssecret", [
                ["region", upstream.region],
                ["cert_file_arn", upstream.certFileArn],
                ["key_file_arn", upstream.keyFileArn],
                ["bundle_file_arn", upstream.bundleFileArn],
            ]),
        );
    } else if (upstream?.type === "disk") {
        plugins.push(
            plugin("UpstreamAuthority", "disk", [
                ["cert_file_path", upstream.certFilePath],
                ["key_file_path", upstream.keyFilePath],
            ]),
        );
    } else if (upstream?.type === "aws_pca") {
        plugins.push(
            plugin("UpstreamAuthority", "aws_pca", [
                ["region", upstream.region],
                ["certificate_authority_arn", upstream.certificateAuthorityArn],
            ]),
        );
    }
    if (c.bundlePublisher) {
        plugins.push(
            plugin("BundlePublisher", "aws_s3", [
                ["region", c.bundlePublisher.region],
                ["bucket", c.bundlePublisher.bucket],
                ["object_key", c.bundlePublisher.objectKey],
                ["format", "spiffe"],
            ]),
        );
    }

    const top: HclEntry[] = [server, block("plugins", [], plugins), healthChecksBlock(c.healthChecks)];
    if (c.telemetry) {
        top.push(block("telemetry", [], [block("Prometheus", [], [["host", c.telemetry.prometheusHost], ["port", c.telemetry.prometheusPort]])]));
    }
    return `${renderHcl(top)}\n`;
}

/** Everything `agent.conf` says, as plain values. */
export interface AgentConfig {
    trustDomain: string;
    serverAddress: string;
    serverPort: number;
    dataDir: string;
    logLevel: string;
    socketPath: string;
    /** Bootstrap trust bundle: a PEM file on the host, or a URL (`trust_bundle_format` spiffe). */
    trustBundle: { path: string } | { url: string };
    nodeAttestor: "aws_iid" | "join_token";
    keyManager: { type: "disk"; directory: string } | { type: "memory" };
    /** The unix attestor always runs with `discover_workload_path = true` (needed for `unix:path:` selectors). */
    workloadAttestors: { systemd: boolean; docker: boolean };
    healthChecks?: HealthChecksConfig;
}

/** `agent.conf` (HCL). */
export function renderAgentConfig(c: AgentConfig): string {
    const agent = block("agent", [], [
        ["data_dir", c.dataDir],
        ["log_level", c.logLevel],
        ["server_address", c.serverAddress],
        ["server_port", c.serverPort],
        ["socket_path", c.socketPath],
        ["trust_domain", c.trustDomain],
        ...("path" in c.trustBundle
            ? ([["trust_bundle_path", c.trustBundle.path]] as HclEntry[])
            : ([
                  ["trust_bundle_url", c.trustBundle.url],
                  ["trust_bundle_format", "spiffe"],
              ] as HclEntry[])),
    ]);
    const plugins: HclBlock[] = [
        plugin("NodeAttestor", c.nodeAttestor, []),
        c.keyManager.type === "disk" ? plugin("KeyManager", "disk", [["directory", c.keyManager.directory]]) : plugin("KeyManager", "memory", []),
        plugin("WorkloadAttestor", "unix", [["discover_workload_path", true]]),
    ];
    if (c.workloadAttestors.systemd) plugins.push(plugin("WorkloadAttestor", "systemd", []));
    if (c.workloadAttestors.docker) plugins.push(plugin("WorkloadAttestor", "docker", []));
    const top: HclEntry[] = [agent, block("plugins", [], plugins)];
    if (c.healthChecks) top.push(healthChecksBlock(c.healthChecks));
    return `${renderHcl(top)}\n`;
}

// ---------------------------------------------------------------------------------------------
// Registration entries
// ---------------------------------------------------------------------------------------------

/**
 * One entry in the JSON `spire-server entry create|update -data` reads (SPIRE's
 * common.RegistrationEntry). `entry_id` is rampart's fixed ID of the entry (see reconcile.ts).
 */
export interface RegistrationEntry {
    entry_id: string;
    spiffe_id: string;
    parent_id: string;
    selectors: { type: string; value: string }[];
    x509_svid_ttl?: number;
    dns_names?: string[];
}

export interface RegistrationEntries {
    entries: RegistrationEntry[];
}

export interface WorkloadEntry {
    /** The workload's name: its entry ID is `rampart.workload.<name>`. */
    name: string;
    spiffeId: string;
    parentId?: string;
    selectors: WorkloadSelector[];
    x509SvidTtlSeconds?: number;
    dnsNames?: string[];
}

/**
 * The node alias every rampart-enrolled agent belongs to: `spiffe://<trust domain>/agents/all`.
 * Its node entry (parent `spiffe://<trust domain>/spire/server`) selects agents by the
 * `aws_iid:tag:<key>:<value>` selector of the instances' enrolment tag; workloads without a
 * `parentId` are children of the alias, so they may run on any enrolled instance.
 */
export function nodeAliasId(trustDomain: string): string {
    return `spiffe://${trustDomain}/agents/all`;
}

export function serverId(trustDomain: string): string {
    return `spiffe://${trustDomain}/spire/server`;
}

/**
 * Entries for the workloads (in order) after the node alias entry, when an enrolment tag is
 * known. `defaultX509SvidTtlSeconds` fills workloads that give no TTL of their own.
 */
export function registrationEntries(args: {
    trustDomain: string;
    workloads: WorkloadEntry[];
    enrolmentTag?: { key: string; value: string };
    defaultX509SvidTtlSeconds?: number;
}): RegistrationEntries {
    const alias = nodeAliasId(args.trustDomain);
    const entries: RegistrationEntry[] = [];
    if (args.enrolmentTag) {
        entries.push({
            entry_id: NODE_ALIAS_ENTRY_ID,
            spiffe_id: alias,
            parent_id: serverId(args.trustDomain),
            selectors: [{ type: "aws_iid", value: `tag:${args.enrolmentTag.key}:${args.enrolmentTag.value}` }],
        });
    }
    for (const w of args.workloads) {
        const ttl = w.x509SvidTtlSeconds ?? args.defaultX509SvidTtlSeconds;
        entries.push({
            entry_id: workloadEntryId(w.name),
            spiffe_id: w.spiffeId,
            parent_id: w.parentId ?? alias,
            selectors: w.selectors.map((s) => ({ type: s.type, value: s.value })),
            ...(ttl !== undefined ? { x509_svid_ttl: ttl } : {}),
            ...(w.dnsNames?.length ? { dns_names: [...w.dnsNames] } : {}),
        });
    }
    return { entries };
}

/** Seconds in a SPIRE duration such as `30s`, `5m` or `24h`. */
export function durationSeconds(duration: string): number {
    const m = /^(\d+)(s|m|h)$/.exec(duration);
    if (!m) throw new Error(`"${duration}" is not a duration such as 30s, 5m or 24h`);
    return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as "s" | "m" | "h"];
}
