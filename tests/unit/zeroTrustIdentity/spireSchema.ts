/**
 * SPIRE's documented configuration names, and checkers over hcl2json's parse of a server.conf or
 * agent.conf (blocks are lists of objects; labelled blocks are maps by label). The key lists are
 * copied from the SPIRE v1.13 documentation:
 *   server:  https://github.com/spiffe/spire/blob/v1.13.3/doc/spire_server.md  ("Server configuration file", "Federation configuration", "Health check configuration", "Plugin configuration")
 *   agent:   https://github.com/spiffe/spire/blob/v1.13.3/doc/spire_agent.md   ("Agent configuration file")
 *   telemetry: https://github.com/spiffe/spire/blob/v1.13.3/doc/telemetry/telemetry_config.md
 *   plugins: https://github.com/spiffe/spire/blob/v1.13.3/doc/plugin_<server|agent>_<type>_<name>.md (one page each, named below)
 *   entries: https://github.com/spiffe/spire/blob/v1.13.3/proto/spire/common/common.proto (RegistrationEntry, read by `spire-server entry create -data`)
 */

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
        // plugin_server_upstreamauthority_disk.md
        disk: { keys: ["cert_file_path", "key_file_path", "bundle_file_path"], required: ["cert_file_path", "key_file_path"] },
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

