/**
 * The production key manager against the real SPIRE server. spire-server v1.13.3 runs with the
 * `KeyManager "aws_kms"` block rampart renders for production (`serverConfig` of a production
 * ZeroTrustIdentity, with local paths), the key policy file rampart renders
 * (`spireKmsKeyPolicy`), and AWS_ENDPOINT_URL_KMS pointing at a small fake of the KMS JSON API
 * in this process. The fake answers only what the IAM policies allow: the task policy rampart
 * renders (`spireTaskPolicy`, identity side, with its CreateKey conditions) and, for a key's own
 * actions, the key policy SPIRE attached when it created the key. So the server becoming healthy
 * proves the rendered configuration is what the plugin reads and that the rendered permissions
 * cover every KMS call it makes; the fake signs with real P-256 keys, so the CA SPIRE mints
 * verifies against the root. Then: a restart with the same key identifier file finds its keys
 * again (no new key), and a new task (no identifier file) becomes a new server with new keys.
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import { generateKeyPairSync, KeyObject, randomUUID, X509Certificate } from "crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { createServer, IncomingMessage, Server, ServerResponse } from "http";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolicyDocument, PolicyStatement } from "../../provider/src/shared/iam";
import { Profile } from "../../provider/src/shared/profile";
import { spireKmsKeyPolicy, spireTaskPolicy } from "../../provider/src/zeroTrustIdentity/policies";
import { renderServerConfig } from "../../provider/src/zeroTrustIdentity/render";
import { caKeyType, kmsKeySpec, serverConfig, SERVER_PATHS, spireSettings, trustRootSettings } from "../../provider/src/zeroTrustIdentity/settings";
import { RSA_CA, SUBNETS, VPC_ID } from "../unit/zeroTrustIdentity/helpers";
import { freePort, output } from "./helpers";

const BIN = resolve(process.env.SPIRE_BIN_DIR ?? join(__dirname, "..", "..", ".tools", "spire", "bin"));
const SERVER = join(BIN, "spire-server");
const present = existsSync(SERVER);
if (!present) console.warn(`tests/spire/kms: skipped: ${SERVER} absent; build it with scripts/spire.sh`);

const TRUST_DOMAIN = "unkey.cloud";
const REGION = "us-east-1";
const ACCOUNT = "123456789012";
const PARTITION = "aws";
const ROLE = "identity-prod-spire-server";

// --- ECDSA P-256 over a digest (KMS Sign with MessageType DIGEST; Node only signs messages) ------------
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const A = P - 3n;
const G: [bigint, bigint] = [0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n, 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n];
const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;
function inv(a: bigint, m: bigint): bigint {
    let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
    while (r1 !== 0n) {
        const q = r0 / r1;
        [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
    }
    return mod(s0, m);
}
type Point = [bigint, bigint] | null;
function add(p: Point, q: Point): Point {
    if (!p) return q;
    if (!q) return p;
    if (p[0] === q[0] && mod(p[1] + q[1], P) === 0n) return null;
    const l = p[0] === q[0] ? mod((3n * p[0] * p[0] + A) * inv(2n * p[1], P), P) : mod((q[1] - p[1]) * inv(q[0] - p[0], P), P);
    const x = mod(l * l - p[0] - q[0], P);
    return [x, mod(l * (p[0] - x) - p[1], P)];
}
function mul(k: bigint, p: Point): Point {
    let r: Point = null;
    for (let q = p; k > 0n; k >>= 1n, q = add(q, q)) if (k & 1n) r = add(r, q);
    return r;
}
const big = (b: Buffer) => BigInt(`0x${b.toString("hex") || "0"}`);
function derInt(v: bigint): Buffer {
    let hex = v.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    let b = Buffer.from(hex, "hex");
    if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
    return Buffer.concat([Buffer.from([0x02, b.length]), b]);
}
function signDigest(d: bigint, digest: Buffer): Buffer {
    const z = big(digest.subarray(0, 32));
    for (;;) {
        const k = mod(big(Buffer.from(randomUUID().replace(/-/g, "") + randomUUID().replace(/-/g, ""), "hex")), N - 1n) + 1n;
        const r = mod(mul(k, G)![0], N);
        const s = mod(inv(k, N) * (z + r * d), N);
        if (r === 0n || s === 0n) continue;
        const body = Buffer.concat([derInt(r), derInt(s)]);
        return Buffer.concat([Buffer.from([0x30, body.length]), body]);
    }
}

// --- IAM, as far as these calls need it -------------------------------------------------------------
const glob = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(value);
const list = (v: unknown): string[] => (Array.isArray(v) ? v : [v]) as string[];

function conditionsHold(st: PolicyStatement, context: Record<string, string>): boolean {
    for (const [operator, entries] of Object.entries(st.Condition ?? {})) {
        for (const [key, expected] of Object.entries(entries)) {
            const actual = context[key];
            if (actual === undefined) return false;
            if (operator === "StringEquals" || operator === "Bool") {
                if (!list(expected).includes(actual)) return false;
            } else return false;
        }
    }
    return true;
}

function identityAllows(policy: PolicyDocument, action: string, resource: string, context: Record<string, string>): boolean {
    return policy.Statement.some((st) => st.Effect === "Allow" && st.Action.includes(action) && list(st.Resource).some((r) => glob(r, resource)) && conditionsHold(st, context));
}

function keyPolicyAllows(policy: PolicyDocument, action: string, principalArn: string): boolean {
    return policy.Statement.some((st) => st.Effect === "Allow" && st.Action.includes(action) && list(st.Principal?.AWS).includes(principalArn));
}

interface FakeKey {
    arn: string;
    id: string;
    description: string;
    policy: PolicyDocument;
    d: bigint;
    publicKey: KeyObject;
    created: Date;
    pendingDeletion: boolean;
}

class FakeKms {
    readonly keys = new Map<string, FakeKey>();
    readonly aliases = new Map<string, { target: string; updated: Date }>();
    readonly calls: { op: string; allowed: boolean; detail?: string }[] = [];
    readonly createKeyRequests: Record<string, unknown>[] = [];
    private server?: Server;

    constructor(
        private readonly identity: PolicyDocument,
        private readonly principalArn: string,
    ) {}

    async listen(port: number): Promise<void> {
        this.server = createServer((req, res) => this.handle(req, res));
        await new Promise<void>((done) => this.server!.listen(port, "127.0.0.1", done));
    }

    close(): void {
        this.server?.close();
    }

    private handle(req: IncomingMessage, res: ServerResponse): void {
        const chunks: Buffer[] = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", () => {
            const op = String(req.headers["x-amz-target"] ?? "").replace(/^TrentService\./, "");
            const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
            const reply = (status: number, payload: unknown) => {
                res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
                res.end(JSON.stringify(payload));
            };
            try {
                reply(200, this.operation(op, body));
            } catch (e) {
                const [type, message] = String((e as Error).message).split(": ", 2);
                reply(400, { __type: type, message });
            }
        });
    }

    private deny(op: string, detail: string): never {
        this.calls.push({ op, allowed: false, detail });
        throw new Error(`AccessDeniedException: ${this.principalArn} is not authorized to perform: kms:${op} (${detail})`);
    }

    /** Identity policy for account-level and alias resources; for a key, its key policy (naming the role) or the identity policy. */
    private authorize(op: string, resource: string, context: Record<string, string> = {}, key?: FakeKey): void {
        const action = `kms:${op}`;
        const ok = identityAllows(this.identity, action, resource, context) || (key !== undefined && keyPolicyAllows(key.policy, action, this.principalArn));
        if (!ok) this.deny(op, resource);
        this.calls.push({ op, allowed: true, detail: resource });
    }

    /** A key by id, key ARN, alias name or alias ARN, as KMS accepts them. */
    private key(id: string): FakeKey {
        const alias = this.aliases.get(id.replace(/^arn:[^:]+:kms:[^:]+:\d{12}:(?=alias\/)/, ""));
        const key = this.keys.get(alias?.target ?? id) ?? [...this.keys.values()].find((k) => k.id === id);
        if (!key) throw new Error(`NotFoundException: key ${id} not found`);
        return key;
    }

    private aliasArn(name: string): string {
        return `arn:${PARTITION}:kms:${REGION}:${ACCOUNT}:${name}`;
    }

    private operation(op: string, body: any): unknown {
        switch (op) {
            case "CreateKey": {
                this.createKeyRequests.push(body);
                this.authorize(op, "*", {
                    "kms:KeySpec": body.KeySpec ?? "SYMMETRIC_DEFAULT",
                    "kms:KeyUsage": body.KeyUsage ?? "ENCRYPT_DECRYPT",
                    "kms:KeyOrigin": body.Origin ?? "AWS_KMS",
                    "kms:MultiRegion": String(body.MultiRegion ?? false),
                });
                if (body.KeySpec !== "ECC_NIST_P256") throw new Error(`UnsupportedOperationException: the fake makes ECC_NIST_P256 keys only, got ${body.KeySpec}`);
                const policy = JSON.parse(body.Policy) as PolicyDocument;
                // CreateKey's policy lockout safety check: the caller must be able to PutKeyPolicy afterwards.
                if (!body.BypassPolicyLockoutSafetyCheck && !keyPolicyAllows(policy, "kms:PutKeyPolicy", this.principalArn)) {
                    throw new Error("MalformedPolicyDocumentException: The new key policy will not allow you to update the key policy in the future.");
                }
                const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
                const id = randomUUID();
                const arn = `arn:${PARTITION}:kms:${REGION}:${ACCOUNT}:key/${id}`;
                const d = big(Buffer.from(privateKey.export({ format: "jwk" }).d!, "base64url"));
                this.keys.set(arn, { arn, id, description: body.Description ?? "", policy, d, publicKey, created: new Date(), pendingDeletion: false });
                return { KeyMetadata: { Arn: arn, KeyId: id, Description: body.Description, KeySpec: body.KeySpec, KeyUsage: body.KeyUsage, Enabled: true, CreationDate: Date.now() / 1000 } };
            }
            case "GetPublicKey":
            case "DescribeKey":
            case "Sign":
            case "ScheduleKeyDeletion": {
                const key = this.key(body.KeyId);
                this.authorize(op, key.arn, {}, key);
                if (op === "GetPublicKey") return { KeyId: key.arn, KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY", PublicKey: key.publicKey.export({ format: "der", type: "spki" }).toString("base64"), SigningAlgorithms: ["ECDSA_SHA_256"] };
                if (op === "DescribeKey") return { KeyMetadata: { Arn: key.arn, KeyId: key.id, Description: key.description, Enabled: !key.pendingDeletion, CreationDate: key.created.getTime() / 1000, KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" } };
                if (op === "ScheduleKeyDeletion") {
                    key.pendingDeletion = true;
                    return { KeyId: key.arn, KeyState: "PendingDeletion" };
                }
                if (body.MessageType !== "DIGEST" || body.SigningAlgorithm !== "ECDSA_SHA_256") throw new Error(`ValidationException: the fake signs ECDSA_SHA_256 digests only`);
                return { KeyId: key.arn, Signature: signDigest(key.d, Buffer.from(body.Message, "base64")).toString("base64"), SigningAlgorithm: body.SigningAlgorithm };
            }
            case "CreateAlias":
            case "UpdateAlias": {
                const key = this.key(body.TargetKeyId);
                // Both the alias and the key are authorized (https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html).
                this.authorize(op, this.aliasArn(body.AliasName));
                this.authorize(op, key.arn, {}, key);
                if (op === "CreateAlias" && this.aliases.has(body.AliasName)) throw new Error(`AlreadyExistsException: alias ${body.AliasName} exists`);
                this.aliases.set(body.AliasName, { target: key.arn, updated: new Date() });
                return {};
            }
            case "DeleteAlias": {
                const alias = this.aliases.get(body.AliasName);
                if (!alias) throw new Error(`NotFoundException: alias ${body.AliasName}`);
                this.authorize(op, this.aliasArn(body.AliasName));
                this.authorize(op, alias.target, {}, this.keys.get(alias.target));
                this.aliases.delete(body.AliasName);
                return {};
            }
            case "ListAliases": {
                this.authorize(op, "*");
                const all = [...this.aliases.entries()].filter(([, a]) => !body.KeyId || a.target === body.KeyId || this.keys.get(a.target)?.id === body.KeyId);
                return {
                    Aliases: all.map(([name, a]) => ({ AliasName: name, AliasArn: this.aliasArn(name), TargetKeyId: this.keys.get(a.target)!.id, LastUpdatedDate: a.updated.getTime() / 1000 })),
                    Truncated: false,
                };
            }
            case "ListKeys": {
                this.authorize(op, "*");
                return { Keys: [...this.keys.values()].map((k) => ({ KeyArn: k.arn, KeyId: k.id })), Truncated: false };
            }
            default:
                throw new Error(`UnsupportedOperationException: the fake does not implement ${op}`);
        }
    }
}

describe.skipIf(!present)("SPIRE v1.13.3 aws_kms KeyManager with rampart's production configuration and IAM policies", () => {
    const dir = present ? mkdtempSync(join(tmpdir(), "rampart-spire-kms-")) : "";
    const processes: ChildProcess[] = [];
    let kms: FakeKms;
    let kmsPort = 0;
    const principal = `arn:${PARTITION}:iam::${ACCOUNT}:role/${ROLE}`;
    const args = { stage: "prod", profile: Profile.Production, trustDomain: TRUST_DOMAIN, spire: { vpcId: VPC_ID, subnetIds: SUBNETS } };
    const settings = spireSettings(args, Profile.Production)!;
    const root = trustRootSettings(args);

    beforeAll(async () => {
        kmsPort = await freePort();
        kms = new FakeKms(
            spireTaskPolicy({ partition: PARTITION, region: REGION, accountId: ACCOUNT, awsIid: { accountIds: [] }, kmsKeyManager: { trustDomain: TRUST_DOMAIN, keySpec: kmsKeySpec(caKeyType(root)) } }),
            principal,
        );
        await kms.listen(kmsPort);
        writeFileSync(join(dir, "root-ca.pem"), RSA_CA.cert);
        writeFileSync(join(dir, "root-ca.key"), RSA_CA.key);
        writeFileSync(join(dir, "kms-key-policy.json"), JSON.stringify(spireKmsKeyPolicy({ partition: PARTITION, accountId: ACCOUNT, taskRoleName: ROLE })));
    });

    afterAll(() => {
        for (const child of processes) if (child.exitCode === null) child.kill("SIGKILL");
        kms?.close();
        if (dir && !process.env.KEEP_SPIRE_DIR) rmSync(dir, { recursive: true, force: true });
    });

    /** The production server.conf, with local paths in place of the task's and a local datastore and upstream. */
    async function renderConf(name: string): Promise<{ conf: string; socket: string; keyIdFile: string }> {
        const data = join(dir, name);
        mkdirSync(data, { recursive: true });
        const production = serverConfig(settings, root, { trustDomain: TRUST_DOMAIN, region: REGION, database: { host: "db", port: 5432, name: "spire" } });
        expect(production.keyManager).toEqual({ type: "aws_kms", region: REGION, keyIdentifierFile: SERVER_PATHS.kmsKeyIdentifier, keyPolicyFile: SERVER_PATHS.kmsKeyPolicy });
        const keyIdFile = join(dir, "kms-key-id");
        const socket = join(data, "api.sock");
        const conf = renderServerConfig({
            ...production,
            bindAddress: "127.0.0.1",
            bindPort: await freePort(),
            socketPath: socket,
            dataDir: data,
            logLevel: "DEBUG",
            datastore: { databaseType: "sqlite3", connectionString: join(data, "datastore.sqlite3") },
            keyManager: { ...production.keyManager, keyIdentifierFile: keyIdFile, keyPolicyFile: join(dir, "kms-key-policy.json") } as typeof production.keyManager,
            nodeAttestation: { joinToken: true },
            upstreamAuthority: { type: "disk", certFilePath: join(dir, "root-ca.pem"), keyFilePath: join(dir, "root-ca.key") },
            bundlePublisher: undefined,
            healthChecks: { bindAddress: "127.0.0.1", bindPort: await freePort(), livePath: "/live", readyPath: "/ready" },
            telemetry: undefined,
        });
        return { conf, socket, keyIdFile };
    }

    async function runServer(name: string): Promise<{ child: ChildProcess; socket: string; log: () => string; keyIdFile: string }> {
        const { conf, socket, keyIdFile } = await renderConf(name);
        writeFileSync(join(dir, `${name}.conf`), conf);
        let log = "";
        const child = spawn(SERVER, ["run", "-config", join(dir, `${name}.conf`)], {
            stdio: ["ignore", "pipe", "pipe"],
            env: { ...process.env, AWS_ENDPOINT_URL_KMS: `http://127.0.0.1:${kmsPort}`, AWS_ACCESS_KEY_ID: "AKIAFAKE", AWS_SECRET_ACCESS_KEY: "fake", AWS_EC2_METADATA_DISABLED: "true" },
        });
        child.stdout!.on("data", (d) => (log += d));
        child.stderr!.on("data", (d) => (log += d));
        processes.push(child);
        const deadline = Date.now() + 90_000;
        while (Date.now() < deadline) {
            if (child.exitCode !== null) throw new Error(`spire-server exited ${child.exitCode}\n${log.slice(-4000)}\nKMS calls: ${JSON.stringify(kms.calls.slice(-10))}`);
            if ((await runAsync(SERVER, ["healthcheck", "-socketPath", socket])).status === 0) return { child, socket, log: () => log, keyIdFile };
            await new Promise((r) => setTimeout(r, 500));
        }
        throw new Error(`spire-server did not become healthy\n${log.slice(-4000)}\nKMS calls: ${JSON.stringify(kms.calls.slice(-10))}`);
    }

    function runAsync(command: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
        return new Promise((done) => {
            const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
            let stdout = "";
            let stderr = "";
            child.stdout!.on("data", (d) => (stdout += d));
            child.stderr!.on("data", (d) => (stderr += d));
            child.on("exit", (status) => done({ status, stdout, stderr }));
        });
    }

    async function stop(child: ChildProcess): Promise<void> {
        if (child.exitCode !== null) return;
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
    }

    it("starts on KMS keys it creates with rampart's key policy, within rampart's task policy; the CA it mints chains to the root", async () => {
        const first = await runServer("first");
        expect(kms.calls.filter((c) => !c.allowed)).toEqual([]);
        // SPIRE's keys: the X.509 CA and the JWT signer, P-256 signing keys with rampart's key policy.
        expect(kms.createKeyRequests.length).toBeGreaterThanOrEqual(2);
        for (const request of kms.createKeyRequests) {
            expect(request).toMatchObject({ KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY", Description: expect.stringMatching(/^SPIRE_SERVER_KEY\/unkey_cloud\//) });
            expect(JSON.parse(request.Policy as string)).toEqual(spireKmsKeyPolicy({ partition: PARTITION, accountId: ACCOUNT, taskRoleName: ROLE }));
        }
        const serverId = readFileSync(first.keyIdFile, "utf8").trim();
        expect(serverId).not.toBe("");
        expect([...kms.aliases.keys()].every((a) => a.startsWith(`alias/SPIRE_SERVER/unkey_cloud/${serverId}/`))).toBe(true);
        expect(kms.calls.some((c) => c.op === "Sign" && c.allowed)).toBe(true);
        // The server's intermediate, signed by the root through the upstream authority, holds a KMS key.
        const mint = spawnSync(SERVER, ["bundle", "show", "-socketPath", first.socket, "-format", "pem"], { encoding: "utf8" });
        expect(mint.status, output(mint)).toBe(0);
        expect(new X509Certificate(mint.stdout).fingerprint256).toBe(new X509Certificate(RSA_CA.cert).fingerprint256);
        // Asynchronously: signing goes through the fake KMS in this process, whose event loop must keep running.
        const x509Svid = await runAsync(SERVER, ["x509", "mint", "-socketPath", first.socket, "-spiffeID", `spiffe://${TRUST_DOMAIN}/probe`]);
        expect(x509Svid.status, `${x509Svid.stdout}${x509Svid.stderr}`).toBe(0);
        const chain = [...x509Svid.stdout.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => new X509Certificate(m[0]));
        const kmsPublicKeys = [...kms.keys.values()].map((k) => k.publicKey.export({ format: "der", type: "spki" }).toString("hex"));
        const intermediate = chain.find((c) => c.ca)!;
        expect(kmsPublicKeys).toContain(intermediate.publicKey.export({ format: "der", type: "spki" }).toString("hex"));
        expect(chain[0].verify(intermediate.publicKey)).toBe(true);
        await stop(first.child);

        // The same server again (identifier file kept): it finds its keys by alias and creates none.
        const created = kms.createKeyRequests.length;
        const again = await runServer("first");
        expect(kms.createKeyRequests.length).toBe(created);
        expect(kms.calls.filter((c) => !c.allowed)).toEqual([]);
        await stop(again.child);

        // A new task (its storage, and the identifier file, gone): a new server id, new keys, still within the policies.
        rmSync(again.keyIdFile);
        const replacement = await runServer("replacement");
        expect(kms.createKeyRequests.length).toBeGreaterThan(created);
        expect(readFileSync(replacement.keyIdFile, "utf8").trim()).not.toBe(serverId);
        expect(kms.calls.filter((c) => !c.allowed)).toEqual([]);
        await stop(replacement.child);
    }, 240_000);
});
