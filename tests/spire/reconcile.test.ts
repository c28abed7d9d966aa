/**
 * The registration-entry reconciler (provider/src/zeroTrustIdentity/reconcile.ts) against a real
 * SPIRE v1.13.3 server (sqlite datastore, so entries persist between "deploys"), run under every
 * shell it must work in: dash (`sh`), bash, and busybox ash with only busybox applets on PATH (how
 * the ECS `entries-reconciler` container runs it; set BUSYBOX to a static busybox, else that
 * variant is skipped and says so). Each deploy renders the script from the component's own
 * settings (workloadEntries) and runs it:
 *   1. add: a node alias and three workloads, next to an entry an operator made by hand;
 *   2. the same arguments again: nothing changes (revisions stay, so no SVID rotation);
 *   3. change one workload's selector and TTL, another's DNS names, remove the third, add one;
 *   4. remove every workload but one;
 * and after each, the server holds exactly the declared entries plus the operator's entry.
 * Also: an unowned "similar" entry (the old `entry create` loader's) is adopted, a change made by
 * hand to an owned entry is put back, and an entry SPIRE refuses makes the script exit 1.
 */
import { ChildProcess, spawn, spawnSync, SpawnSyncReturns } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { networkInterfaces, tmpdir } from "os";
import { join, resolve } from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZeroTrustIdentityArgs } from "../../provider/src/zeroTrustIdentity/args";
import { renderReconcileScript } from "../../provider/src/zeroTrustIdentity/reconcile";
import { renderServerConfig } from "../../provider/src/zeroTrustIdentity/render";
import { serverConfig, spireSettings, workloadEntries } from "../../provider/src/zeroTrustIdentity/settings";
import { ENROLMENT_TAG } from "../unit/zeroTrustIdentity/helpers";
import { freePort, output } from "./helpers";

const BIN = resolve(process.env.SPIRE_BIN_DIR ?? join(__dirname, "..", "..", ".tools", "spire", "bin"));
const SERVER = join(BIN, "spire-server");
const present = existsSync(SERVER);
if (!present) console.warn(`tests/spire/reconcile: skipped: ${SERVER} absent; build it with scripts/spire.sh`);
const BUSYBOX = process.env.BUSYBOX ?? ["/bin/busybox", "/usr/bin/busybox"].find((p) => existsSync(p));
if (present && !BUSYBOX) console.warn("tests/spire/reconcile: the busybox variant is skipped: set BUSYBOX to a static busybox binary");

const TD = "unkey.cloud";
const run = (command: string, args: string[], env?: NodeJS.ProcessEnv): SpawnSyncReturns<string> =>
    spawnSync(command, args, { encoding: "utf8", timeout: 120_000, env: env ?? process.env });

interface ShownEntry {
    id: string;
    spiffeId: string;
    parentId: string;
    selectors: string[];
    x509SvidTtl: number;
    dnsNames: string[];
    revision: number;
}

const workload = (name: string, selector = `path:/usr/bin/${name}`, extra: Partial<NonNullable<ZeroTrustIdentityArgs["workloads"]>[number]> = {}) => ({
    name,
    path: `/service/${name}`,
    selectors: [
        { type: "unix", value: selector },
        { type: "systemd", value: `id:${name}.service` },
    ],
    ...extra,
});

/** The Prometheus host the component renders for ECS. */
function serverConfigTelemetryHost(): string {
    const settings = spireSettings({ stage: "dev", trustDomain: TD, spire: { vpcId: "vpc-1", subnetIds: ["subnet-1"] } }, "ephemeral" as never)!;
    return serverConfig(settings, undefined, { trustDomain: TD, region: "us-east-1" }).telemetry!.prometheusHost!;
}

type Shell = { name: string; command: (script: string) => [string, string[], NodeJS.ProcessEnv] };

const shells: Shell[] = [
    { name: "sh (dash)", command: (script) => ["sh", ["-c", script], process.env] },
    { name: "bash", command: (script) => ["bash", ["-c", script], process.env] },
];

describe.skipIf(!present)("entries reconciler against a real SPIRE v1.13.3 server", () => {
    const dir = present ? mkdtempSync(join(tmpdir(), "rampart-reconcile-")) : "";
    const servers: ChildProcess[] = [];
    if (BUSYBOX && present) {
        // As in the ECS task: busybox's applets linked into a directory that is the whole PATH.
        const tools = join(dir, "busybox-bin");
        mkdirSync(tools);
        const installed = run(BUSYBOX, ["--install", "-s", tools]);
        if (installed.status !== 0) throw new Error(`busybox --install failed: ${output(installed)}`);
        shells.push({ name: "busybox ash (applets only on PATH)", command: (script) => [BUSYBOX, ["sh", "-c", script], { PATH: tools }] });
    }

    afterAll(() => {
        for (const child of servers) if (child.exitCode === null) child.kill("SIGTERM");
        if (dir && !process.env.KEEP_SPIRE_DIR) rmSync(dir, { recursive: true, force: true });
    });

    describe.each(shells)("under $name", (shell) => {
        const slug = shell.name.replace(/\W+/g, "-");
        const socket = join(dir, `${slug}.sock`);
        let log = "";
        let metricsPort = 0;

        beforeAll(async () => {
            const data = join(dir, slug);
            const conf = renderServerConfig({
                trustDomain: TD,
                bindAddress: "127.0.0.1",
                bindPort: await freePort(),
                socketPath: socket,
                dataDir: data,
                logLevel: "WARN",
                caTtl: "24h",
                x509SvidTtl: "1h",
                jwtSvidTtl: "5m",
                caKeyType: "ec-p256",
                datastore: { databaseType: "sqlite3", connectionString: join(data, "datastore.sqlite3") },
                keyManager: { type: "memory" },
                nodeAttestation: { joinToken: true },
                healthChecks: { bindAddress: "127.0.0.1", bindPort: await freePort(), livePath: "/live", readyPath: "/ready" },
                // What serverConfig renders for ECS (settings.ts): all interfaces.
                telemetry: { prometheusHost: serverConfigTelemetryHost(), prometheusPort: (metricsPort = await freePort()) },
            });
            writeFileSync(join(dir, `${slug}.conf`), conf);
            const child = spawn(SERVER, ["run", "-config", join(dir, `${slug}.conf`)], { stdio: ["ignore", "pipe", "pipe"] });
            child.stdout!.on("data", (d) => (log += d));
            child.stderr!.on("data", (d) => (log += d));
            servers.push(child);
            const deadline = Date.now() + 60_000;
            while (run(SERVER, ["healthcheck", "-socketPath", socket]).status !== 0) {
                if (Date.now() > deadline) throw new Error(`server did not start:\n${log.slice(-3000)}`);
                await new Promise((r) => setTimeout(r, 300));
            }
        });

        const entries = (): ShownEntry[] => {
            const r = run(SERVER, ["entry", "show", "-socketPath", socket, "-output", "json"]);
            expect(r.status, output(r)).toBe(0);
            const id = (x: { trust_domain: string; path: string }) => `spiffe://${x.trust_domain}${x.path}`;
            return (JSON.parse(r.stdout).entries ?? [])
                .map((e: any) => ({
                    id: e.id,
                    spiffeId: id(e.spiffe_id),
                    parentId: id(e.parent_id),
                    selectors: e.selectors.map((s: any) => `${s.type}:${s.value}`).sort(),
                    x509SvidTtl: e.x509_svid_ttl,
                    dnsNames: [...(e.dns_names ?? [])].sort(),
                    revision: Number(e.revision_number),
                }))
                .sort((a: ShownEntry, b: ShownEntry) => a.id.localeCompare(b.id));
        };
        const owned = () => entries().filter((e) => e.id.startsWith("rampart."));

        /** Renders the script from the component's settings, as the ECS task gets it, and runs it. */
        const deploy = (workloads: NonNullable<ZeroTrustIdentityArgs["workloads"]>, options: { attempts?: number } = {}) => {
            const declared = workloadEntries({ stage: "dev", trustDomain: TD, workloads }, ENROLMENT_TAG)!;
            const script = renderReconcileScript(declared.entries, { spireServer: SERVER, socketPath: socket, stayRunning: false, attempts: options.attempts ?? 3, retryDelaySeconds: 0 });
            const [command, args, env] = shell.command(script);
            const r = run(command, args, env);
            return { status: r.status, log: output(r) };
        };
        const expectOk = (r: { status: number | null; log: string }) => {
            expect(r.status, r.log).toBe(0);
            return r.log;
        };

        it.runIf(shell.name.startsWith("sh"))("serves Prometheus metrics on a non-loopback address (as the security group's telemetry rule expects)", async () => {
            const address = Object.values(networkInterfaces())
                .flat()
                .find((i) => i && i.family === "IPv4" && !i.internal)?.address;
            expect(address, "this machine has a non-loopback IPv4 address").toBeDefined();
            const response = await fetch(`http://${address}:${metricsPort}/metrics`);
            expect(response.status).toBe(200);
            expect(await response.text()).toMatch(/^# (HELP|TYPE) /m);
        });

        let operatorEntryId = "";

        it("deploy 1 (add): creates the node alias and three workloads and leaves an operator's entry alone", () => {
            const made = run(SERVER, ["entry", "create", "-socketPath", socket, "-spiffeID", `spiffe://${TD}/ops/debug`, "-parentID", `spiffe://${TD}/agents/all`, "-selector", "unix:uid:4242", "-output", "json"]);
            expect(made.status, output(made)).toBe(0);
            operatorEntryId = entries()[0].id;
            expect(operatorEntryId).toMatch(/^[0-9a-f-]{36}$/);

            const log = expectOk(deploy([workload("metald"), workload("billaged"), workload("builderd", undefined, { dnsNames: ["builderd.internal"] })]));
            expect(log).toContain("reconciled: 4 created, 0 updated, 0 deleted, 0 unchanged");
            expect(owned()).toEqual([
                { id: "rampart.node.agents-all", spiffeId: `spiffe://${TD}/agents/all`, parentId: `spiffe://${TD}/spire/server`, selectors: ["aws_iid:tag:spire-agent:enabled"], x509SvidTtl: 0, dnsNames: [], revision: 0 },
                { id: "rampart.workload.billaged", spiffeId: `spiffe://${TD}/service/billaged`, parentId: `spiffe://${TD}/agents/all`, selectors: ["systemd:id:billaged.service", "unix:path:/usr/bin/billaged"], x509SvidTtl: 3600, dnsNames: [], revision: 0 },
                { id: "rampart.workload.builderd", spiffeId: `spiffe://${TD}/service/builderd`, parentId: `spiffe://${TD}/agents/all`, selectors: ["systemd:id:builderd.service", "unix:path:/usr/bin/builderd"], x509SvidTtl: 3600, dnsNames: ["builderd.internal"], revision: 0 },
                { id: "rampart.workload.metald", spiffeId: `spiffe://${TD}/service/metald`, parentId: `spiffe://${TD}/agents/all`, selectors: ["systemd:id:metald.service", "unix:path:/usr/bin/metald"], x509SvidTtl: 3600, dnsNames: [], revision: 0 },
            ]);
            expect(entries().map((e) => e.id)).toContain(operatorEntryId);
        });

        it("deploy 2 (nothing changed): touches nothing, so revisions stay and agents rotate nothing", () => {
            const log = expectOk(deploy([workload("metald"), workload("billaged"), workload("builderd", undefined, { dnsNames: ["builderd.internal"] })]));
            expect(log).toContain("reconciled: 0 created, 0 updated, 0 deleted, 4 unchanged");
            expect(owned().map((e) => e.revision)).toEqual([0, 0, 0, 0]);
        });

        it("deploy 3 (change): updates a changed selector and TTL and DNS names in place, deletes the removed workload, creates the new one", () => {
            const log = expectOk(
                deploy([
                    workload("metald", "path:/opt/unkey/bin/metald", { x509SvidTtlSeconds: 600 }),
                    workload("builderd", undefined, { dnsNames: ["builderd.internal", "b.internal"] }),
                    workload("assetmanagerd"),
                ]),
            );
            expect(log).toContain("reconciled: 1 created, 2 updated, 1 deleted, 1 unchanged");
            const byId = Object.fromEntries(owned().map((e) => [e.id, e]));
            expect(Object.keys(byId)).toEqual(["rampart.node.agents-all", "rampart.workload.assetmanagerd", "rampart.workload.builderd", "rampart.workload.metald"]);
            expect(byId["rampart.workload.metald"]).toMatchObject({ selectors: ["systemd:id:metald.service", "unix:path:/opt/unkey/bin/metald"], x509SvidTtl: 600, revision: 1 });
            expect(byId["rampart.workload.builderd"]).toMatchObject({ dnsNames: ["b.internal", "builderd.internal"], revision: 1 });
            expect(byId["rampart.node.agents-all"].revision).toBe(0);
            // No old metald entry next to the new one, and the removed workload's identity is gone.
            expect(entries().filter((e) => e.spiffeId.endsWith("/service/metald"))).toHaveLength(1);
            expect(entries().some((e) => e.spiffeId.endsWith("/service/billaged"))).toBe(false);
            expect(entries().map((e) => e.id)).toContain(operatorEntryId);
        });

        it("deploy 4 (remove): deletes every workload no longer declared; the operator's entry survives", () => {
            const log = expectOk(deploy([workload("assetmanagerd")]));
            expect(log).toContain("reconciled: 0 created, 0 updated, 2 deleted, 2 unchanged");
            expect(entries().map((e) => e.id)).toEqual([operatorEntryId, "rampart.node.agents-all", "rampart.workload.assetmanagerd"].sort((a, b) => a.localeCompare(b)));
        });

        it("puts back an owned entry someone changed by hand, and adopts an unowned entry identical to a declared one", () => {
            // By hand: an extra selector and admin on rampart's entry.
            const edited = run(SERVER, [
                "entry", "update", "-socketPath", socket, "-entryID", "rampart.workload.assetmanagerd",
                "-spiffeID", `spiffe://${TD}/service/assetmanagerd`, "-parentID", `spiffe://${TD}/agents/all`,
                "-selector", "unix:uid:0", "-admin",
            ]);
            expect(edited.status, output(edited)).toBe(0);
            // What the pre-reconciler loader left behind: the same SPIFFE ID, parent and selectors under a UUID.
            const legacy = run(SERVER, [
                "entry", "create", "-socketPath", socket, "-spiffeID", `spiffe://${TD}/service/metald`, "-parentID", `spiffe://${TD}/agents/all`,
                "-selector", "unix:path:/usr/bin/metald", "-selector", "systemd:id:metald.service", "-x509SVIDTTL", "3600",
            ]);
            expect(legacy.status, output(legacy)).toBe(0);
            const log = expectOk(deploy([workload("assetmanagerd"), workload("metald")]));
            expect(log).toMatch(/adopt: delete entry [0-9a-f-]{36} \(same SPIFFE ID, parent and selectors as rampart\.workload\.metald/);
            expect(log).toContain("reconciled: 1 created, 1 updated, 0 deleted, 1 unchanged");
            const all = entries();
            expect(all.filter((e) => e.spiffeId.endsWith("/service/metald")).map((e) => e.id)).toEqual(["rampart.workload.metald"]);
            expect(all.find((e) => e.id === "rampart.workload.assetmanagerd")!.selectors).toEqual(["systemd:id:assetmanagerd.service", "unix:path:/usr/bin/assetmanagerd"]);
            expect(all.map((e) => e.id)).toContain(operatorEntryId);
        });

        it("fails visibly (exit 1, the reason in the log) when SPIRE refuses an entry, after its retries", () => {
            // An entry SPIRE refuses (a negative TTL; rampart's validation would not let it through).
            const declared = workloadEntries({ stage: "dev", trustDomain: TD, workloads: [workload("metald")] }, ENROLMENT_TAG)!;
            declared.entries.push({ ...declared.entries[1], entry_id: "rampart.workload.refused", spiffe_id: `spiffe://${TD}/service/refused`, x509_svid_ttl: -5 });
            const script = renderReconcileScript(declared.entries, { spireServer: SERVER, socketPath: socket, stayRunning: false, attempts: 2, retryDelaySeconds: 0 });
            const [command, args, env] = shell.command(script);
            const r = run(command, args, env);
            expect(r.status, output(r)).toBe(1);
            expect(output(r)).toMatch(/Failed to create/);
            expect(output(r)).toContain("attempt 1 failed; retrying");
            expect(output(r)).toContain("FAILED: the registration entries could not be reconciled after 2 attempts");
            // A server that is not there fails the same way.
            const gone = renderReconcileScript(declared.entries, { spireServer: SERVER, socketPath: join(dir, "nothing.sock"), stayRunning: false, attempts: 1, retryDelaySeconds: 0 });
            const [c2, a2, e2] = shell.command(gone);
            const r2 = run(c2, a2, e2);
            expect(r2.status).toBe(1);
            expect(output(r2)).toContain("cannot list the server's entries");
        });
    });
});
