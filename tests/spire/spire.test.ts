/**
 * SPIRE itself reads what rampart renders. With spire-server and spire-agent built by
 * `scripts/spire.sh` (from the Go module proxy, into .tools/spire/bin), this test:
 *   1. runs `spire-server validate` on the server.conf files the component renders for ECS
 *      (every datastore, upstream authority and federation variant);
 *   2. renders a local variant with the same renderer (sqlite datastore, disk key manager,
 *      join-token attestation, the generated-root shape as a `disk` upstream authority, no AWS
 *      plugins), validates it and starts a server on loopback;
 *   3. creates a join token for the node alias, loads the rendered registration entries (seed 004's
 *      services plus two for this process) with `spire-server entry create -data`;
 *   4. starts an agent from a rendered agent.conf whose bootstrap bundle is the root CA certificate
 *      (as the SSM document writes it on EC2), and fetches X.509 SVIDs with
 *      `spire-agent api fetch x509` for a `unix:uid` selector and a `unix:path` selector (which
 *      only matches because the unix attestor runs with discover_workload_path = true).
 * It skips only when the binaries are absent, and says so.
 */
import { ChildProcess, spawn, spawnSync, SpawnSyncReturns } from "child_process";
import { X509Certificate } from "crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Profile } from "../../provider/src/shared/profile";
import { KeyAlgorithm, TrustRootMode, ZeroTrustIdentityArgs } from "../../provider/src/zeroTrustIdentity/args";
import { registrationEntries, renderAgentConfig, renderServerConfig, UpstreamAuthorityConfig } from "../../provider/src/zeroTrustIdentity/render";
import { serverConfig, spireSettings, trustRootSettings, workloadEntries } from "../../provider/src/zeroTrustIdentity/settings";
import { ENROLMENT_TAG, RSA_CA, SEED_004_WORKLOADS, SUBNETS, VPC_ID } from "../unit/zeroTrustIdentity/helpers";
import { freePort, output } from "./helpers";

const BIN = resolve(process.env.SPIRE_BIN_DIR ?? join(__dirname, "..", "..", ".tools", "spire", "bin"));
const SERVER = join(BIN, "spire-server");
const AGENT = join(BIN, "spire-agent");
const present = existsSync(SERVER) && existsSync(AGENT);
const SKIP_REASON = `SPIRE binaries absent (looked for ${SERVER} and ${AGENT}); build them with scripts/spire.sh`;
if (!present) console.warn(`tests/spire: skipped: ${SKIP_REASON}`);

const TRUST_DOMAIN = "unkey.cloud";

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
    return spawnSync(command, args, { encoding: "utf8", timeout: 60_000, env: { ...process.env, ...env } });
}


async function until<T>(what: string, attempt: () => T | undefined, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
        try {
            const value = attempt();
            if (value !== undefined) return value;
        } catch (e) {
            last = e;
        }
        await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ""}`);
}

/** The ECS variants the component renders, as the unit tests build them. */
function ecsConfigs(): { label: string; text: string; env?: NodeJS.ProcessEnv }[] {
    const spire = { vpcId: VPC_ID, subnetIds: SUBNETS };
    const awssecret: UpstreamAuthorityConfig = {
        type: "awssecret",
        region: "us-east-1",
        certFileArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:root-cert-AbCdEf",
        keyFileArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:root-key-AbCdEf",
    };
    const pca: UpstreamAuthorityConfig = { type: "aws_pca", region: "us-east-1", certificateAuthorityArn: "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/abc" };
    const variants: [string, ZeroTrustIdentityArgs, Profile, UpstreamAuthorityConfig][] = [
        ["ephemeral (sqlite, awssecret, bundle publishing)", { stage: "dev", trustDomain: TRUST_DOMAIN, spire }, Profile.Ephemeral, awssecret],
        [
            "production (RDS, ECDSA root, join token, assumed role, federation)",
            {
                stage: "prod",
                trustDomain: TRUST_DOMAIN,
                trustRoot: { keyAlgorithm: KeyAlgorithm.EcdsaP384 },
                spire: {
                    ...spire,
                    datastore: { create: true },
                    nodeAttestation: { awsIid: { accountIds: ["111111111111", "222222222222"], assumeRoleName: "spire-delegate" }, joinToken: true },
                    federation: { federatesWith: [{ trustDomain: "partner.org", bundleEndpointUrl: "https://spire.partner.org:8443", endpointSpiffeId: "spiffe://partner.org/spire/server" }] },
                },
            },
            Profile.Production,
            awssecret,
        ],
        [
            "production (connection string secret, aws_pca)",
            {
                stage: "prod",
                trustDomain: TRUST_DOMAIN,
                trustRoot: { mode: TrustRootMode.AwsPrivateCa, privateCaArn: pca.certificateAuthorityArn },
                spire: { ...spire, datastore: { connectionStringSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf" } },
            },
            Profile.Production,
            pca,
        ],
    ];
    return variants.map(([label, args, profile, upstream]) => ({
        label,
        text: renderServerConfig(
            serverConfig(spireSettings(args, profile)!, trustRootSettings(args), {
                trustDomain: TRUST_DOMAIN,
                region: "us-east-1",
                upstreamAuthority: upstream,
                bundleBucket: "identity-prod-pki",
                database: { host: "spire-db.example.rds.amazonaws.com", port: 5432, name: "spire" },
            }),
        ),
        env: { SPIRE_DATASTORE_CONNECTION: "dbname=spire host=db.example port=5432 sslmode=require" },
    }));
}

describe.skipIf(!present)(present ? "SPIRE v1.13.3 runs rampart's rendered configuration" : `SPIRE (skipped: ${SKIP_REASON})`, () => {
    const dir = present ? mkdtempSync(join(tmpdir(), "rampart-spire-")) : "";
    const processes: ChildProcess[] = [];
    const logs: Record<string, string> = { server: "", agent: "" };
    const serverSocket = join(dir, "server.sock");
    const agentSocket = join(dir, "agent.sock");
    let serverPort = 0;
    let token = "";

    const start = (name: "server" | "agent", command: string, args: string[]) => {
        const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
        child.stdout!.on("data", (d) => (logs[name] += d));
        child.stderr!.on("data", (d) => (logs[name] += d));
        processes.push(child);
        return child;
    };

    beforeAll(async () => {
        serverPort = await freePort();
    });

    afterAll(() => {
        for (const child of processes) if (child.exitCode === null) child.kill("SIGTERM");
        if (dir && !process.env.KEEP_SPIRE_DIR) rmSync(dir, { recursive: true, force: true });
    });

    it("spire-server validate accepts every server.conf the component renders for ECS", () => {
        for (const { label, text, env } of ecsConfigs()) {
            const path = join(dir, `ecs-${label.replace(/\W+/g, "-")}.conf`);
            writeFileSync(path, text);
            const result = run(SERVER, ["validate", "-config", path, ...(text.includes("${") ? ["-expandEnv"] : [])], env);
            expect(output(result), label).toMatch(/SPIRE server configuration file is valid/);
            expect(result.status, label).toBe(0);
        }
        // And it is not a rubber stamp: an unknown key fails.
        writeFileSync(join(dir, "bad.conf"), ecsConfigs()[0].text.replace('trust_domain = "unkey.cloud"', 'trust_domain = "unkey.cloud"\n    trust_domian = "x"'));
        const bad = run(SERVER, ["validate", "-config", join(dir, "bad.conf")]);
        expect(bad.status).not.toBe(0);
        expect(output(bad)).toMatch(/trust_domian/);
    });

    it("validates and starts a local server rendered with the same renderer (sqlite, disk keys, join tokens, the root as upstream)", async () => {
        writeFileSync(join(dir, "root-ca.pem"), RSA_CA.cert);
        writeFileSync(join(dir, "root-ca.key"), RSA_CA.key);
        const conf = renderServerConfig({
            trustDomain: TRUST_DOMAIN,
            bindAddress: "127.0.0.1",
            bindPort: serverPort,
            socketPath: serverSocket,
            dataDir: join(dir, "server"),
            logLevel: "DEBUG",
            caTtl: "24h",
            x509SvidTtl: "1h",
            jwtSvidTtl: "5m",
            caKeyType: "ec-p256",
            datastore: { databaseType: "sqlite3", connectionString: join(dir, "server", "datastore.sqlite3") },
            keyManager: { type: "disk", keysPath: join(dir, "server", "keys.json") },
            nodeAttestation: { joinToken: true },
            upstreamAuthority: { type: "disk", certFilePath: join(dir, "root-ca.pem"), keyFilePath: join(dir, "root-ca.key") },
            healthChecks: { bindAddress: "127.0.0.1", bindPort: await freePort(), livePath: "/live", readyPath: "/ready" },
            telemetry: { prometheusPort: await freePort() },
        });
        writeFileSync(join(dir, "server.conf"), conf);
        const validate = run(SERVER, ["validate", "-config", join(dir, "server.conf")]);
        expect(output(validate)).toMatch(/valid/);
        expect(validate.status).toBe(0);

        start("server", SERVER, ["run", "-config", join(dir, "server.conf")]);
        await until("the server to become healthy", () => (run(SERVER, ["healthcheck", "-socketPath", serverSocket]).status === 0 ? true : undefined)).catch((e) => {
            throw new Error(`${e}\n--- server log ---\n${logs.server.slice(-4000)}`);
        });
        // The bundle it serves chains to the root: the upstream authority signed its CA.
        const bundle = run(SERVER, ["bundle", "show", "-socketPath", serverSocket, "-format", "pem"]);
        expect(bundle.status).toBe(0);
        expect(new X509Certificate(bundle.stdout).fingerprint256).toBe(new X509Certificate(RSA_CA.cert).fingerprint256);
    });

    it("loads the rendered registration entries and creates a join token for the node alias", () => {
        const uid = process.getuid!();
        const entries = workloadEntries(
            {
                stage: "dev",
                trustDomain: TRUST_DOMAIN,
                workloads: [
                    ...SEED_004_WORKLOADS,
                    { name: "this-process-uid", path: `/test/uid-${uid}`, selectors: [{ type: "unix", value: `uid:${uid}` }] },
                    { name: "spire-agent-cli", path: "/test/spire-agent-cli", selectors: [{ type: "unix", value: `path:${AGENT}` }], x509SvidTtlSeconds: 600 },
                ],
            },
            ENROLMENT_TAG,
        )!;
        writeFileSync(join(dir, "entries.json"), JSON.stringify(entries, null, 2));
        const created = run(SERVER, ["entry", "create", "-socketPath", serverSocket, "-data", join(dir, "entries.json")]);
        expect(output(created), output(created)).not.toMatch(/Failed to create/);
        expect(created.status).toBe(0);
        const shown = run(SERVER, ["entry", "show", "-socketPath", serverSocket]);
        expect(shown.stdout).toMatch(/Found 7 entries/);
        for (const id of ["agents/all", "service/metald", "service/billaged", "service/builderd", "service/assetmanagerd", `test/uid-${uid}`, "test/spire-agent-cli"]) {
            expect(shown.stdout).toContain(`spiffe://${TRUST_DOMAIN}/${id}`);
        }
        // The same JSON shape, written by hand with an unknown field, is refused: the loader is strict.
        writeFileSync(join(dir, "bad-entries.json"), JSON.stringify(registrationEntries({ trustDomain: TRUST_DOMAIN, workloads: [] })).replace('"entries":[]', '"entries":[{"spiffeId":"x"}]'));
        expect(run(SERVER, ["entry", "create", "-socketPath", serverSocket, "-data", join(dir, "bad-entries.json")]).status).not.toBe(0);

        const generated = run(SERVER, ["token", "generate", "-socketPath", serverSocket, "-spiffeID", `spiffe://${TRUST_DOMAIN}/agents/all`, "-ttl", "600"]);
        expect(generated.status).toBe(0);
        token = /Token: (\S+)/.exec(generated.stdout)![1];
        expect(token).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("an agent bootstrapped from the root CA fetches X.509 SVIDs for unix:uid and unix:path selectors", async () => {
        const conf = renderAgentConfig({
            trustDomain: TRUST_DOMAIN,
            serverAddress: "127.0.0.1",
            serverPort,
            dataDir: join(dir, "agent"),
            logLevel: "DEBUG",
            socketPath: agentSocket,
            trustBundle: { path: join(dir, "root-ca.pem") },
            nodeAttestor: "join_token",
            keyManager: { type: "memory" },
            workloadAttestors: { systemd: false, docker: false },
            healthChecks: { bindAddress: "127.0.0.1", bindPort: await freePort(), livePath: "/live", readyPath: "/ready" },
        });
        writeFileSync(join(dir, "agent.conf"), conf);
        const validate = run(AGENT, ["validate", "-config", join(dir, "agent.conf")]);
        expect(validate.status, output(validate)).toBe(0);
        start("agent", AGENT, ["run", "-config", join(dir, "agent.conf"), "-joinToken", token]);

        const fetched = await until(
            "both SVIDs",
            () => {
                const r = run(AGENT, ["api", "fetch", "x509", "-socketPath", agentSocket, "-write", dir]);
                const text = output(r);
                return r.status === 0 && text.includes(`spiffe://${TRUST_DOMAIN}/test/spire-agent-cli`) && text.includes(`spiffe://${TRUST_DOMAIN}/test/uid-`) ? text : undefined;
            },
            90_000,
        ).catch((e) => {
            throw new Error(`${e}\n--- agent log ---\n${logs.agent.slice(-4000)}\n--- server log ---\n${logs.server.slice(-2000)}`);
        });
        expect(fetched).toContain(`SPIFFE ID:\t\tspiffe://${TRUST_DOMAIN}/test/uid-${process.getuid!()}`);
        const svids = [0, 1].map((i) => new X509Certificate(readFileSync(join(dir, `svid.${i}.pem`), "utf8")));
        const ids = svids.map((c) => c.subjectAltName);
        expect(ids.sort()).toEqual([`URI:spiffe://${TRUST_DOMAIN}/test/spire-agent-cli`, `URI:spiffe://${TRUST_DOMAIN}/test/uid-${process.getuid!()}`].sort());
        // Each SVID chains to the root through the server's intermediate (written as svid.N.pem's chain and bundle.N.pem).
        const bundle = new X509Certificate(readFileSync(join(dir, "bundle.0.pem"), "utf8"));
        expect(bundle.fingerprint256).toBe(new X509Certificate(RSA_CA.cert).fingerprint256);
        const chain = readFileSync(join(dir, "svid.0.pem"), "utf8").match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!;
        const intermediate = new X509Certificate(chain[chain.length - 1]);
        expect(intermediate.checkIssued(bundle)).toBe(true);
        expect(intermediate.verify(bundle.publicKey)).toBe(true);
        const ttl = (Date.parse(svids.find((c) => c.subjectAltName!.includes("spire-agent-cli"))!.validTo) - Date.now()) / 1000;
        expect(ttl).toBeLessThanOrEqual(600 + 60);
    });

    it("without discover_workload_path the unix:path entry never matches (seed 004's other mistake)", async () => {
        const generated = run(SERVER, ["token", "generate", "-socketPath", serverSocket, "-spiffeID", `spiffe://${TRUST_DOMAIN}/agents/all`, "-ttl", "600"]);
        const secondToken = /Token: (\S+)/.exec(generated.stdout)![1];
        const socket = join(dir, "agent-nopath.sock");
        const conf = readFileSync(join(dir, "agent.conf"), "utf8")
            .replace(agentSocket, socket)
            .replace(join(dir, "agent"), join(dir, "agent-nopath"))
            .replace("discover_workload_path = true", "discover_workload_path = false")
            .replace(/bind_port = "\d+"/, `bind_port = "${await freePort()}"`);
        expect(conf).toContain("discover_workload_path = false");
        writeFileSync(join(dir, "agent-nopath.conf"), conf);
        start("agent", AGENT, ["run", "-config", join(dir, "agent-nopath.conf"), "-joinToken", secondToken]);
        const fetched = await until(
            "the uid SVID",
            () => {
                const r = run(AGENT, ["api", "fetch", "x509", "-socketPath", socket]);
                return r.status === 0 && output(r).includes(`/test/uid-`) ? output(r) : undefined;
            },
            90_000,
        );
        // Both entries reach the agent in the same sync; only the uid one can match.
        expect(fetched).not.toContain("/test/spire-agent-cli");
    });
});
