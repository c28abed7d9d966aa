/**
 * The rendered SPIRE configuration is valid SPIRE configuration: every file is parsed with an HCL
 * parser (@cdktf/hcl2json) and every block, plugin and key is checked against the names SPIRE
 * documents (the lists, with the documentation pages they come from, are in spireSchema.ts).
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
import { checkAgentConfig, checkEntries, checkServerConfig } from "./spireSchema";

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
        plugins: ["DataStore:sql", "KeyManager:aws_kms", "NodeAttestor:aws_iid", "NodeAttestor:join_token", "UpstreamAuthority:awssecret", "BundlePublisher:aws_s3"],
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
        plugins: ["DataStore:sql", "KeyManager:aws_kms", "NodeAttestor:aws_iid", "UpstreamAuthority:aws_pca"],
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
        expect(parsed.telemetry[0].Prometheus[0]).toEqual({ host: "0.0.0.0", port: 9988 });
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

    it("renders the aws_iid partition outside the aws partition (GovCloud, China), and leaves SPIRE's default alone", async () => {
        const settings = spireSettings({ stage: "prod", trustDomain: "example.org", spire: { vpcId: VPC_ID, subnetIds: SUBNETS, nodeAttestation: { awsIid: { accountIds: ["111111111111"], assumeRoleName: "spire" } } } }, Profile.Ephemeral)!;
        const text = (partition?: string) => renderServerConfig(serverConfig(settings, undefined, { trustDomain: "example.org", region: "us-gov-west-1", partition }));
        const gov = await parse("server.conf", text("aws-us-gov"));
        expect(gov.plugins[0].NodeAttestor.aws_iid[0].plugin_data[0]).toEqual({ assume_role: "spire", partition: "aws-us-gov" });
        expect(checkServerConfig(gov).problems).toEqual([]);
        const china = await parse("server.conf", text("aws-cn"));
        expect(china.plugins[0].NodeAttestor.aws_iid[0].plugin_data[0].partition).toBe("aws-cn");
        for (const partition of ["aws", undefined]) {
            expect((await parse("server.conf", text(partition))).plugins[0].NodeAttestor.aws_iid[0].plugin_data[0]).toEqual({ assume_role: "spire" });
        }
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
            entry_id: "rampart.node.agents-all",
            spiffe_id: "spiffe://unkey.cloud/agents/all",
            parent_id: "spiffe://unkey.cloud/spire/server",
            selectors: [{ type: "aws_iid", value: "tag:spire-agent:enabled" }],
        });
        expect(entries.entries.slice(1).map((e) => e.spiffe_id)).toEqual(["metald", "billaged", "builderd", "assetmanagerd"].map((n) => `spiffe://unkey.cloud/service/${n}`));
        expect(entries.entries[1]).toEqual({
            entry_id: "rampart.workload.metald",
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
            workloads: [{ name: "api", spiffeId: "spiffe://example.org/api", parentId: "spiffe://example.org/spire/agent/join_token/abc", selectors: [{ type: "unix", value: "uid:1000" }], x509SvidTtlSeconds: 600, dnsNames: ["api.internal"] }],
        });
        expect(entries.entries).toEqual([
            { entry_id: "rampart.workload.api", spiffe_id: "spiffe://example.org/api", parent_id: "spiffe://example.org/spire/agent/join_token/abc", selectors: [{ type: "unix", value: "uid:1000" }], x509_svid_ttl: 600, dns_names: ["api.internal"] },
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
