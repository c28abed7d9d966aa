/**
 * The rendered SPIRE configuration is valid SPIRE configuration: every file is parsed with an HCL
 * parser (@cdktf/hcl2json) and every block, plugin and key is checked against the names SPIRE
 * documents. The key lists below are copied from the SPIRE v1.13 documentation:
 *   server:  https://github.com/spiffe/spire/blob/v1.13.3/doc/spire_server.md  ("Server configuration file", "Federation configuration", "Health check configuration", "Plugin configuration")
 *   agent:   https://github.com/spiffe/spire/blob/v1.13.3/doc/spire_agent.md   ("Agent configuration file")
 *   telemetry: https://github.com/spiffe/spire/blob/v1.13.3/doc/telemetry/telemetry_config.md
 *   plugins: https://github.com/spiffe/spire/blob/v1.13.3/doc/plugin_<server|agent>_<type>_<name>.md (one page each, named below)
 *   entries: https://github.com/spiffe/spire/blob/v1.13.3/proto/spire/common/common.proto (RegistrationEntry, read by `spire-server entry create -data`)
 */
import { parse } from "@cdktf/hcl2json";
import { describe, expect, it } from "vitest";
import { KeyAlgorithm, TrustRootMode, ZeroTrustIdentityArgs } from "../../../provider/src/zeroTrustIdentity/args";
import { EnvReference, hclString, renderHcl } from "../../../provider/src/zeroTrustIdentity/hcl";
import {
    durationSeconds,
    registrationEntries,
    renderAgentConfig,
    renderServerConfig,
    ServerConfig,
    UpstreamAuthorityConfig,
} from "../../../provider/src/zeroTrustIdentity/render";
import { agentConfig, serverConfig, spireSettings, trustRootSettings, workloadEntries } from "../../../provider/src/zeroTrustIdentity/settings";
import { Profile } from "../../../provider/src/shared/profile";
import { ENROLMENT_TAG, SEED_004_WORKLOADS, SUBNETS, VPC_ID } from "./helpers";

// ---------------------------------------------------------------------------------------------
// SPIRE's documented names
// ---------------------------------------------------------------------------------------------

interface KeySpec {
    keys: string[];
    required?: string[];
}

const PLUGIN_BLOCK_KEYS = ["plugin_cmd", "plugin_checksum", "enabled", "plugin_data", "plugin_data_file"];

const SERVER_BLOCK: KeySpec = {
    keys: [
        "admin_ids", "agent_ttl", "audit_log_enabled", "bind_address", "bind_port", "ca_key_type", "ca_subject", "ca_ttl", "data_dir",
        "default_x509_svid_ttl", "default_jwt_svid_ttl", "experimental", "federation", "jwt_key_type", "jwt_issuer", "log_file", "log_level",
        "log_format", "log_source_location", "profiling_enabled", "profiling_freq", "profiling_names", "profiling_port",
        "prune_attested_nodes_expired_for", "prune_tofu_nodes", "ratelimit", "socket_path", "trust_domain", "max_attested_node_info_staleness",
    ],
    required: ["trust_domain", "data_dir"],
};

const AGENT_BLOCK: KeySpec = {
    keys: [
        "admin_socket_path", "allow_unauthenticated_verifiers", "allowed_foreign_jwt_claims", "authorized_delegates", "data_dir", "experimental",
        "insecure_bootstrap", "rebootstrap_mode", "rebootstrap_delay", "retry_bootstrap", "join_token", "join_token_file", "log_file", "log_level",
        "log_format", "log_source_location", "profiling_enabled", "profiling_freq", "profiling_names", "profiling_port", "server_address",
        "server_port", "socket_path", "sds", "trust_bundle_path", "trust_bundle_url", "trust_bundle_unix_socket", "trust_bundle_format",
        "trust_domain", "workload_x509_svid_key_type", "availability_target", "x509_svid_cache_max_size", "jwt_svid_cache_max_size",
    ],
    required: ["trust_domain", "server_address", "server_port", "data_dir"],
};

const HEALTH_CHECKS: KeySpec = { keys: ["listener_enabled", "bind_address", "bind_port", "live_path", "ready_path"], required: ["listener_enabled"] };
const TELEMETRY_KEYS = ["InMem", "Prometheus", "DogStatsd", "Statsd", "M3", "MetricPrefix", "EnableTrustDomainLabel", "EnableHostnameLabel", "AllowedPrefixes", "BlockedPrefixes", "AllowedLabels", "BlockedLabels"];
const PROMETHEUS: KeySpec = { keys: ["host", "port"] };
const BUNDLE_ENDPOINT: KeySpec = { keys: ["address", "port", "refresh_hint", "profile"] };
const FEDERATES_WITH: KeySpec = { keys: ["bundle_endpoint_url", "bundle_endpoint_profile"], required: ["bundle_endpoint_url", "bundle_endpoint_profile"] };

const SERVER_PLUGINS: Record<string, Record<string, KeySpec>> = {
    DataStore: {
        // plugin_server_datastore_sql.md
        sql: {
            keys: ["database_type", "connection_string", "ro_connection_string", "root_ca_path", "client_cert_path", "client_key_path", "max_open_conns", "max_idle_conns", "conn_max_lifetime", "disable_migration"],
            required: ["database_type", "connection_string"],
        },
    },
    KeyManager: {
        disk: { keys: ["keys_path"], required: ["keys_path"] }, // plugin_server_keymanager_disk.md
        memory: { keys: [] }, // plugin_server_keymanager_memory.md
        aws_kms: { keys: ["access_key_id", "secret_access_key", "region", "key_identifier_file", "key_identifier_value", "key_policy_file"], required: ["region"] }, // plugin_server_keymanager_aws_kms.md
    },
    NodeAttestor: {
        // plugin_server_nodeattestor_aws_iid.md
        aws_iid: { keys: ["access_key_id", "secret_access_key", "skip_block_device", "disable_instance_profile_selectors", "assume_role", "partition", "verify_organization", "validate_eks_cluster_membership"] },
        join_token: { keys: [] }, // plugin_server_nodeattestor_jointoken.md
    },
    UpstreamAuthority: {
        // plugin_server_upstreamauthority_awssecret.md
        awssecret: {
            keys: ["region", "cert_file_arn", "key_file_arn", "bundle_file_arn", "access_key_id", "secret_access_key", "secret_token", "assume_role_arn"],
            required: ["region", "cert_file_arn", "key_file_arn"],
        },
        // plugin_server_upstreamauthority_aws_pca.md
        aws_pca: {
            keys: ["region", "certificate_authority_arn", "ca_signing_template_arn", "signing_algorithm", "assume_role_arn", "endpoint", "supplemental_bundle_path"],
            required: ["region", "certificate_authority_arn"],
        },
    },
    BundlePublisher: {
        // plugin_server_bundlepublisher_aws_s3.md
        aws_s3: { keys: ["access_key_id", "secret_access_key", "region", "bucket", "object_key", "format", "endpoint", "refresh_hint"], required: ["region", "bucket", "object_key", "format"] },
    },
};

const AGENT_PLUGINS: Record<string, Record<string, KeySpec>> = {
    NodeAttestor: {
        aws_iid: { keys: ["ec2_metadata_endpoint"] }, // plugin_agent_nodeattestor_aws_iid.md
        join_token: { keys: [] }, // plugin_agent_nodeattestor_jointoken.md
    },
    KeyManager: {
        disk: { keys: ["directory"], required: ["directory"] }, // plugin_agent_keymanager_disk.md
        memory: { keys: [] }, // plugin_agent_keymanager_memory.md
    },
    WorkloadAttestor: {
        unix: { keys: ["discover_workload_path", "workload_size_limit"] }, // plugin_agent_workloadattestor_unix.md
        systemd: { keys: [] }, // plugin_agent_workloadattestor_systemd.md
        // plugin_agent_workloadattestor_docker.md
        docker: { keys: ["docker_socket_path", "docker_version", "container_id_cgroup_matchers", "docker_host", "use_new_container_locator", "verbose_container_locator_logs", "experimental"] },
    },
};

const ENTRY_KEYS = ["selectors", "parent_id", "spiffe_id", "x509_svid_ttl", "federates_with", "entry_id", "admin", "downstream", "entryExpiry", "dns_names", "revision_number", "store_svid", "jwt_svid_ttl", "hint", "created_at"];

// ---------------------------------------------------------------------------------------------
// Checker over hcl2json's output (blocks are lists of objects; labelled blocks are maps by label)
// ---------------------------------------------------------------------------------------------

function only<T>(value: unknown, where: string, problems: string[]): T | undefined {
    if (!Array.isArray(value) || value.length !== 1) {
        problems.push(`${where}: expected one block, got ${JSON.stringify(value)}`);
        return undefined;
    }
    return value[0] as T;
}

function checkKeys(body: Record<string, unknown> | undefined, spec: KeySpec, where: string, problems: string[]): void {
    if (!body) return;
    for (const key of Object.keys(body)) if (!spec.keys.includes(key)) problems.push(`${where}: "${key}" is not a documented key`);
    for (const key of spec.required ?? []) if (!(key in body)) problems.push(`${where}: required "${key}" is missing`);
}

function checkPlugins(plugins: Record<string, Record<string, unknown[]>> | undefined, catalogue: Record<string, Record<string, KeySpec>>, problems: string[]): string[] {
    const seen: string[] = [];
    for (const [type, byName] of Object.entries(plugins ?? {})) {
        if (!catalogue[type]) {
            problems.push(`plugins: "${type}" is not a plugin type rampart uses and SPIRE documents`);
            continue;
        }
        for (const [name, blocks] of Object.entries(byName)) {
            const where = `plugins.${type} "${name}"`;
            seen.push(`${type}:${name}`);
            const spec = catalogue[type][name];
            if (!spec) {
                problems.push(`${where}: "${name}" is not a documented ${type} plugin`);
                continue;
            }
            const body = only<Record<string, unknown>>(blocks, where, problems);
            checkKeys(body, { keys: PLUGIN_BLOCK_KEYS }, where, problems);
            const data = body?.plugin_data ? only<Record<string, unknown>>(body.plugin_data, `${where}.plugin_data`, problems) : {};
            checkKeys(data, spec, `${where}.plugin_data`, problems);
        }
    }
    return seen;
}

/** Problems with a parsed server.conf, and the plugins it configures (`Type:name`). */
export function checkServerConfig(parsed: Record<string, any>): { problems: string[]; plugins: string[] } {
    const problems: string[] = [];
    checkKeys(parsed, { keys: ["server", "plugins", "health_checks", "telemetry"], required: ["server", "plugins"] }, "server.conf", problems);
    const server = only<Record<string, any>>(parsed.server, "server", problems);
    checkKeys(server, SERVER_BLOCK, "server", problems);
    if (server?.federation) {
        const federation = only<Record<string, any>>(server.federation, "server.federation", problems);
        checkKeys(federation, { keys: ["bundle_endpoint", "federates_with"] }, "server.federation", problems);
        if (federation?.bundle_endpoint) {
            const endpoint = only<Record<string, any>>(federation.bundle_endpoint, "bundle_endpoint", problems);
            checkKeys(endpoint, BUNDLE_ENDPOINT, "server.federation.bundle_endpoint", problems);
            for (const profile of Object.keys(endpoint?.profile ?? {})) {
                if (!["https_web", "https_spiffe"].includes(profile)) problems.push(`bundle_endpoint.profile "${profile}" is not documented`);
            }
            if (!endpoint?.profile) problems.push("bundle_endpoint: a profile is required");
        }
        for (const [domain, blocks] of Object.entries<any>(federation?.federates_with ?? {})) {
            const body = only<Record<string, any>>(blocks, `federates_with "${domain}"`, problems);
            checkKeys(body, FEDERATES_WITH, `federates_with "${domain}"`, problems);
            for (const [profile, profileBlocks] of Object.entries<any>(body?.bundle_endpoint_profile ?? {})) {
                const keys = profile === "https_spiffe" ? { keys: ["endpoint_spiffe_id"], required: ["endpoint_spiffe_id"] } : profile === "https_web" ? { keys: [] } : undefined;
                if (!keys) problems.push(`federates_with "${domain}": profile "${profile}" is not documented`);
                else checkKeys(only(profileBlocks, `${domain} ${profile}`, problems), keys, `federates_with "${domain}" ${profile}`, problems);
            }
        }
    }
    if (parsed.health_checks) checkKeys(only(parsed.health_checks, "health_checks", problems), HEALTH_CHECKS, "health_checks", problems);
    if (parsed.telemetry) {
        const telemetry = only<Record<string, any>>(parsed.telemetry, "telemetry", problems);
        checkKeys(telemetry, { keys: TELEMETRY_KEYS }, "telemetry", problems);
        if (telemetry?.Prometheus) checkKeys(only(telemetry.Prometheus, "Prometheus", problems), PROMETHEUS, "telemetry.Prometheus", problems);
    }
    const plugins = checkPlugins(only(parsed.plugins, "plugins", problems), SERVER_PLUGINS, problems);
    for (const type of ["DataStore", "KeyManager", "NodeAttestor"]) {
        if (!plugins.some((p) => p.startsWith(`${type}:`))) problems.push(`plugins: SPIRE server requires a ${type}`);
    }
    return { problems, plugins };
}

export function checkAgentConfig(parsed: Record<string, any>): { problems: string[]; plugins: string[] } {
    const problems: string[] = [];
    checkKeys(parsed, { keys: ["agent", "plugins", "health_checks", "telemetry"], required: ["agent", "plugins"] }, "agent.conf", problems);
    const agent = only<Record<string, any>>(parsed.agent, "agent", problems);
    checkKeys(agent, AGENT_BLOCK, "agent", problems);
    if (agent && !agent.trust_bundle_path && !agent.trust_bundle_url && !agent.insecure_bootstrap) problems.push("agent: needs trust_bundle_path or trust_bundle_url");
    if (parsed.health_checks) checkKeys(only(parsed.health_checks, "health_checks", problems), HEALTH_CHECKS, "health_checks", problems);
    const plugins = checkPlugins(only(parsed.plugins, "plugins", problems), AGENT_PLUGINS, problems);
    for (const type of ["NodeAttestor", "KeyManager", "WorkloadAttestor"]) {
        if (!plugins.some((p) => p.startsWith(`${type}:`))) problems.push(`plugins: SPIRE agent requires a ${type}`);
    }
    return { problems, plugins };
}

export function checkEntries(json: string): string[] {
    const problems: string[] = [];
    const parsed = JSON.parse(json);
    if (Object.keys(parsed).join() !== "entries") problems.push(`top level keys ${Object.keys(parsed)}; expected "entries"`);
    (parsed.entries as Record<string, any>[]).forEach((entry, i) => {
        for (const key of Object.keys(entry)) if (!ENTRY_KEYS.includes(key)) problems.push(`entries[${i}]: "${key}" is not a RegistrationEntry field`);
        for (const key of ["spiffe_id", "parent_id", "selectors"]) if (!(key in entry)) problems.push(`entries[${i}]: "${key}" is missing`);
        for (const s of entry.selectors ?? []) if (Object.keys(s).sort().join() !== "type,value") problems.push(`entries[${i}]: selector ${JSON.stringify(s)}`);
    });
    return problems;
}

// ---------------------------------------------------------------------------------------------
// Configurations to check: every argument group that changes the files
// ---------------------------------------------------------------------------------------------

const spire = { vpcId: VPC_ID, subnetIds: SUBNETS };
const awssecret: UpstreamAuthorityConfig = {
    type: "awssecret",
    region: "us-east-1",
    certFileArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:root-cert-AbCdEf",
    keyFileArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:root-key-AbCdEf",
};
const pca: UpstreamAuthorityConfig = { type: "aws_pca", region: "us-east-1", certificateAuthorityArn: "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/abc" };

function render(args: ZeroTrustIdentityArgs, profile: Profile, upstream: UpstreamAuthorityConfig): { text: string; config: ServerConfig } {
    const settings = spireSettings(args, profile)!;
    const config = serverConfig(settings, trustRootSettings(args), {
        trustDomain: args.trustDomain!,
        region: "us-east-1",
        upstreamAuthority: upstream,
        bundleBucket: "identity-dev-pki",
        database: { host: "spire-db.example.rds.amazonaws.com", port: 5432, name: "spire" },
    });
    return { text: renderServerConfig(config), config };
}

const variants: { label: string; args: ZeroTrustIdentityArgs; profile: Profile; upstream: UpstreamAuthorityConfig; plugins: string[] }[] = [
    {
        label: "ephemeral: sqlite, generated root (awssecret), aws_iid, bundle publishing",
        args: { stage: "dev", trustDomain: "unkey.cloud", spire },
        profile: Profile.Ephemeral,
        upstream: awssecret,
        plugins: ["DataStore:sql", "KeyManager:disk", "NodeAttestor:aws_iid", "UpstreamAuthority:awssecret", "BundlePublisher:aws_s3"],
    },
    {
        label: "production: RDS PostgreSQL, ECDSA root, join tokens too, assumed role per account, federation",
        args: {
            stage: "prod",
            trustDomain: "unkey.cloud",
            trustRoot: { keyAlgorithm: KeyAlgorithm.EcdsaP384 },
            spire: {
                ...spire,
                datastore: { create: true },
                nodeAttestation: { awsIid: { accountIds: ["111111111111", "222222222222"], assumeRoleName: "spire-server-delegate" }, joinToken: true },
                federation: {
                    federatesWith: [
                        { trustDomain: "partner.example.org", bundleEndpointUrl: "https://bundle.partner.example.org" },
                        { trustDomain: "other.example.org", bundleEndpointUrl: "https://spire.other.example.org:8443", endpointSpiffeId: "spiffe://other.example.org/spire/server" },
                    ],
                },
            },
        },
        profile: Profile.Production,
        upstream: awssecret,
        plugins: ["DataStore:sql", "KeyManager:disk", "NodeAttestor:aws_iid", "NodeAttestor:join_token", "UpstreamAuthority:awssecret", "BundlePublisher:aws_s3"],
    },
    {
        label: "production: connection string secret, AWS Private CA (aws_pca), no bundle publishing",
        args: {
            stage: "prod",
            trustDomain: "unkey.cloud",
            trustRoot: { mode: TrustRootMode.AwsPrivateCa, privateCaArn: pca.certificateAuthorityArn },
            spire: { ...spire, datastore: { connectionStringSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:spire-db-AbCdEf" }, bundlePublishing: false },
        },
        profile: Profile.Production,
        upstream: pca,
        plugins: ["DataStore:sql", "KeyManager:disk", "NodeAttestor:aws_iid", "UpstreamAuthority:aws_pca"],
    },
];

describe("server.conf", () => {
    for (const v of variants) {
        it(`parses as HCL and uses only documented names: ${v.label}`, async () => {
            const { text } = render(v.args, v.profile, v.upstream);
            const parsed = await parse("server.conf", text);
            const { problems, plugins } = checkServerConfig(parsed);
            expect(problems).toEqual([]);
            expect(plugins.sort()).toEqual([...v.plugins].sort());
        });
    }

    it("holds the documented server settings and defaults", async () => {
        const parsed = await parse("server.conf", render(variants[0].args, Profile.Ephemeral, awssecret).text);
        expect(parsed.server[0]).toEqual({
            bind_address: "0.0.0.0",
            bind_port: 8081,
            trust_domain: "unkey.cloud",
            data_dir: "/var/lib/spire/server",
            log_level: "INFO",
            ca_key_type: "ec-p256",
            ca_ttl: "24h",
            default_x509_svid_ttl: "1h",
            default_jwt_svid_ttl: "5m",
        });
        expect(parsed.health_checks[0]).toEqual({ listener_enabled: true, bind_address: "0.0.0.0", bind_port: "8080", live_path: "/live", ready_path: "/ready" });
        expect(parsed.telemetry[0].Prometheus[0]).toEqual({ port: 9988 });
        const plugins = parsed.plugins[0];
        expect(plugins.DataStore.sql[0].plugin_data[0]).toEqual({ database_type: "sqlite3", connection_string: "/var/lib/spire/server/datastore.sqlite3" });
        expect(plugins.UpstreamAuthority.awssecret[0].plugin_data[0]).toEqual({ region: "us-east-1", cert_file_arn: awssecret.certFileArn, key_file_arn: awssecret.keyFileArn });
        expect(plugins.BundlePublisher.aws_s3[0].plugin_data[0]).toEqual({ region: "us-east-1", bucket: "identity-dev-pki", object_key: "spire/bundle.json", format: "spiffe" });
        expect(plugins.NodeAttestor.aws_iid[0].plugin_data[0]).toEqual({});
    });

    it("keeps datastore credentials out of the file: RDS through PGUSER/PGPASSWORD, a given secret through ${SPIRE_DATASTORE_CONNECTION}", async () => {
        const rds = await parse("server.conf", render(variants[1].args, Profile.Production, awssecret).text);
        expect(rds.plugins[0].DataStore.sql[0].plugin_data[0]).toEqual({
            database_type: "postgres",
            connection_string: "dbname=spire host=spire-db.example.rds.amazonaws.com port=5432 sslmode=require",
        });
        expect(rds.server[0].ca_key_type).toBe("ec-p384");
        expect(rds.plugins[0].NodeAttestor.aws_iid[0].plugin_data[0]).toEqual({ assume_role: "spire-server-delegate" });
        const secret = render(variants[2].args, Profile.Production, pca).text;
        expect(secret).toContain('connection_string = "${SPIRE_DATASTORE_CONNECTION}"');
        expect(secret).not.toMatch(/password/i);
    });

    it("renders federation with a bundle endpoint and both endpoint profiles", async () => {
        const parsed = await parse("server.conf", render(variants[1].args, Profile.Production, awssecret).text);
        const federation = parsed.server[0].federation[0];
        expect(federation.bundle_endpoint[0]).toEqual({ address: "0.0.0.0", port: 8443, profile: { https_spiffe: [{}] } });
        expect(federation.federates_with["partner.example.org"][0]).toEqual({ bundle_endpoint_url: "https://bundle.partner.example.org", bundle_endpoint_profile: { https_web: [{}] } });
        expect(federation.federates_with["other.example.org"][0].bundle_endpoint_profile).toEqual({ https_spiffe: [{ endpoint_spiffe_id: "spiffe://other.example.org/spire/server" }] });
    });

    it("the checker catches undocumented keys and missing required ones", async () => {
        const parsed = await parse(
            "bad.conf",
            [
                "server {",
                '  trust_domain = "x"',
                '  data_dir = "/d"',
                "  bind_prot = 1",
                "}",
                "plugins {",
                '  NodeAttestor "aws_iid" {',
                '    plugin_data {',
                '      assume_roles = "r"',
                "    }",
                "  }",
                '  KeyManager "disk" {',
                "    plugin_data {}",
                "  }",
                '  UpstreamAuthority "awssecret" {',
                "    plugin_data {",
                '      region = "r"',
                "    }",
                "  }",
                "}",
            ].join("\n"),
        );
        expect(checkServerConfig(parsed).problems).toEqual([
            'server: "bind_prot" is not a documented key',
            'plugins.KeyManager "disk".plugin_data: required "keys_path" is missing',
            'plugins.NodeAttestor "aws_iid".plugin_data: "assume_roles" is not a documented key',
            'plugins.UpstreamAuthority "awssecret".plugin_data: required "cert_file_arn" is missing',
            'plugins.UpstreamAuthority "awssecret".plugin_data: required "key_file_arn" is missing',
            "plugins: SPIRE server requires a DataStore",
        ]);
    });
});

describe("agent.conf", () => {
    const args: ZeroTrustIdentityArgs = { stage: "dev", trustDomain: "unkey.cloud", spire, agents: { targetTag: ENROLMENT_TAG }, workloads: SEED_004_WORKLOADS };

    it("parses as HCL, uses only documented names, and enables discover_workload_path for unix:path selectors", async () => {
        const text = renderAgentConfig(agentConfig(args, spireSettings(args, Profile.Ephemeral)!, "internal-spire.elb.amazonaws.com"));
        const parsed = await parse("agent.conf", text);
        const { problems, plugins } = checkAgentConfig(parsed);
        expect(problems).toEqual([]);
        expect(plugins.sort()).toEqual(["KeyManager:disk", "NodeAttestor:aws_iid", "WorkloadAttestor:systemd", "WorkloadAttestor:unix"]);
        expect(parsed.agent[0]).toEqual({
            data_dir: "/var/lib/spire/agent",
            log_level: "INFO",
            server_address: "internal-spire.elb.amazonaws.com",
            server_port: 8081,
            socket_path: "/run/spire/sockets/agent.sock",
            trust_domain: "unkey.cloud",
            trust_bundle_path: "/etc/spire/agent/bootstrap-bundle.pem",
        });
        expect(parsed.plugins[0].WorkloadAttestor.unix[0].plugin_data[0]).toEqual({ discover_workload_path: true });
        expect(parsed.plugins[0].NodeAttestor.aws_iid[0].plugin_data[0]).toEqual({});
    });

    it("adds the docker attestor only when a workload selects by docker", async () => {
        const withDocker: ZeroTrustIdentityArgs = { ...args, workloads: [{ name: "web", path: "/web", selectors: [{ type: "docker", value: "label:app:web" }] }] };
        const parsed = await parse("agent.conf", renderAgentConfig(agentConfig(withDocker, spireSettings(withDocker, Profile.Ephemeral)!, "spire")));
        expect(checkAgentConfig(parsed).problems).toEqual([]);
        expect(Object.keys(parsed.plugins[0].WorkloadAttestor).sort()).toEqual(["docker", "systemd", "unix"]);
        const without = await parse("agent.conf", renderAgentConfig(agentConfig(args, spireSettings(args, Profile.Ephemeral)!, "spire")));
        expect(Object.keys(without.plugins[0].WorkloadAttestor).sort()).toEqual(["systemd", "unix"]);
    });

    it("renders the local variant the SPIRE test uses (join token, memory keys, trust bundle URL)", async () => {
        const text = renderAgentConfig({
            trustDomain: "unkey.cloud",
            serverAddress: "127.0.0.1",
            serverPort: 18081,
            dataDir: "/tmp/agent",
            logLevel: "DEBUG",
            socketPath: "/tmp/agent/agent.sock",
            trustBundle: { url: "https://example.org/bundle.json" },
            nodeAttestor: "join_token",
            keyManager: { type: "memory" },
            workloadAttestors: { systemd: false, docker: false },
        });
        const parsed = await parse("agent.conf", text);
        expect(checkAgentConfig(parsed).problems).toEqual([]);
        expect(parsed.agent[0].trust_bundle_format).toBe("spiffe");
    });
});

describe("registration entries", () => {
    it("are the JSON `spire-server entry create -data` reads: seed 004's services under the node alias", () => {
        const entries = workloadEntries({ stage: "prod", trustDomain: "unkey.cloud", workloads: SEED_004_WORKLOADS }, ENROLMENT_TAG)!;
        const json = JSON.stringify(entries);
        expect(checkEntries(json)).toEqual([]);
        expect(entries.entries[0]).toEqual({
            spiffe_id: "spiffe://unkey.cloud/agents/all",
            parent_id: "spiffe://unkey.cloud/spire/server",
            selectors: [{ type: "aws_iid", value: "tag:spire-agent:enabled" }],
        });
        expect(entries.entries.slice(1).map((e) => e.spiffe_id)).toEqual(["metald", "billaged", "builderd", "assetmanagerd"].map((n) => `spiffe://unkey.cloud/service/${n}`));
        expect(entries.entries[1]).toEqual({
            spiffe_id: "spiffe://unkey.cloud/service/metald",
            parent_id: "spiffe://unkey.cloud/agents/all",
            selectors: [
                { type: "unix", value: "path:/usr/bin/metald" },
                { type: "systemd", value: "id:metald.service" },
            ],
            x509_svid_ttl: 3600,
        });
    });

    it("keep an explicit parent, TTL and DNS names, and leave out the alias entry without an enrolment tag", () => {
        const entries = registrationEntries({
            trustDomain: "example.org",
            workloads: [{ spiffeId: "spiffe://example.org/api", parentId: "spiffe://example.org/spire/agent/join_token/abc", selectors: [{ type: "unix", value: "uid:1000" }], x509SvidTtlSeconds: 600, dnsNames: ["api.internal"] }],
        });
        expect(entries.entries).toEqual([
            { spiffe_id: "spiffe://example.org/api", parent_id: "spiffe://example.org/spire/agent/join_token/abc", selectors: [{ type: "unix", value: "uid:1000" }], x509_svid_ttl: 600, dns_names: ["api.internal"] },
        ]);
        expect(checkEntries(JSON.stringify(entries))).toEqual([]);
        expect(checkEntries('{"entries":[{"spiffeId":"x","parent_id":"y","selectors":[]}]}')).toEqual(['entries[0]: "spiffeId" is not a RegistrationEntry field', 'entries[0]: "spiffe_id" is missing']);
    });

    it("converts durations", () => {
        expect([durationSeconds("30s"), durationSeconds("5m"), durationSeconds("24h")]).toEqual([30, 300, 86400]);
        expect(() => durationSeconds("1d")).toThrow(/not a duration/);
    });
});

describe("HCL writer", () => {
    it("escapes strings and refuses $ outside an environment reference", () => {
        expect(hclString('a "quoted" \\ path\nline')).toBe('"a \\"quoted\\" \\\\ path\\nline"');
        expect(() => hclString("${HOME}")).toThrow(/-expandEnv/);
        expect(() => hclString("cost $5")).toThrow(/-expandEnv/);
        expect(renderHcl([["connection_string", new EnvReference("DB")]])).toBe('connection_string = "${DB}"');
        expect(() => new EnvReference("lower")).toThrow(/must match/);
        expect(() => renderHcl([["bad key", "x"]])).toThrow(/not an identifier/);
    });

    it("round-trips through the HCL parser", async () => {
        const text = renderHcl([{ type: "a", labels: ['l"1'], body: [["s", 'x"y\\z'], ["n", 3], ["b", false], ["l", ["p", "q"]], ["skipped", undefined]] }]);
        expect(await parse("x.hcl", text)).toEqual({ a: { 'l"1': [{ s: 'x"y\\z', n: 3, b: false, l: ["p", "q"] }] } });
    });
});
